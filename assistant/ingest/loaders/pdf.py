"""PDF loader (pypdf): one Document per page, 1-based, with printed page labels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.ingest.loaders import layout, structure
from assistant.ingest.loaders.common import (
    _BULLET_RE,
    _HEADING_MAX_WORDS,
    DAMAGED_HINT,
    LoadError,
    _clean_meta_title,
    _looks_like_heading,
    _title_from_name,
    normalise_text,
)

# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def load_pdf(path: Path, base: dict[str, Any], rules: layout.Rules | None = None) -> list[Document]:
    """One Document per page with text; raises LoadError for encrypted or scanned PDFs.
    ``rules`` are the layout thresholds (the ``pdf_*`` settings)."""
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise LoadError("this is not a PDF file (no PDF header); it may be damaged or renamed")
    try:
        reader = pypdf.PdfReader(path)
        _decrypt_if_needed(reader)
        pages = list(reader.pages)
    except LoadError:
        raise
    except FileNotDecryptedError as exc:
        raise LoadError("the PDF is password-protected; save an unprotected copy") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError(f"the PDF is damaged or incomplete. {DAMAGED_HINT['pdf']}") from exc
    if not pages:
        raise LoadError("the PDF has no pages")
    labels = _page_labels(reader, len(pages))
    laid_out = _layout_texts(pages, rules or layout.Rules())
    if laid_out is None:
        texts = [_strip_page_numbers(normalise_text(_page_text(p), reflow=True)) for p in pages]
        marks: list[list[tuple[str, str]]] = [[] for _ in pages]
    else:
        texts, marks = laid_out
    if not any(t.strip() for t in texts):
        raise LoadError("no extractable text — is it a scanned document? OCR is not supported")
    title = _pdf_title(reader, texts, path)
    sections = _outline_sections(reader, len(pages))
    docs = []
    for number, text in enumerate(texts, start=1):
        if not text.strip():
            continue
        section = (sections[number - 1] if sections else "") or _page_heading(text)
        meta = {**base, "doc_title": title, "page": number, "section": section}
        if labels:
            meta["page_label"] = labels[number - 1]
        meta["is_notes"] = False
        meta[structure.KEY] = structure.marks_json(marks[number - 1])
        docs.append(Document(page_content=text, metadata=meta))
    return docs


def _layout_texts(
    pages: list[Any], rules: layout.Rules
) -> tuple[list[str], list[list[tuple[str, str]]]] | None:
    """Page texts with wrapped lines joined, and each page's structure marks, from the layout
    (:mod:`assistant.ingest.loaders.layout`); None when the layout cannot be read (the plain text is
    used then)."""
    try:
        read = [layout.read_page(page) for page in pages]
    except Exception:  # a damaged page: the plain reader reports it
        return None
    layout.classify(read, rules)
    column = layout.column_width(read)
    texts: list[str] = []
    marks: list[list[tuple[str, str]]] = []
    for page in read:
        lines = layout.joined_lines(page, column, rules)
        texts.append(_strip_page_numbers(normalise_text(_reflow_body(lines))))
        tidy = [normalise_text(line.text) for line in lines]
        marks.append(structure.mark_lines(tidy, [line.role for line in lines]))
    return texts, marks


def _reflow_body(lines: list[layout.Line]) -> str:
    """The page text: runs of body lines reflowed (hyphenated and lower-case continuations
    joined), marked lines (headings, furniture...) kept as lines of their own."""
    parts: list[str] = []
    run: list[str] = []
    for line in lines:
        if line.role is None:
            run.append(line.text)
            continue
        if run:
            parts.append(normalise_text("\n".join(run), reflow=True))
            run = []
        parts.append(normalise_text(line.text))
    if run:
        parts.append(normalise_text("\n".join(run), reflow=True))
    return "\n".join(parts)


def _outline_sections(reader: Any, count: int) -> list[str] | None:
    """Per page, the PDF bookmark (outline) heading that starts on it or is still in force.

    Bookmarks carry whole headings, where the first line of a page may hold only part of one.
    """
    found: list[tuple[int, str]] = []

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:  # a bookmark pointing nowhere is ignored
                continue
            if page is not None and 0 <= page < count and str(item.title).strip():
                found.append((page, " ".join(str(item.title).split())))

    try:
        walk(reader.outline)
    except Exception:  # damaged outline: fall back to first lines
        return None
    if not found:
        return None
    found.sort(key=lambda item: item[0])  # stable: document order within a page
    first_on_page: dict[int, str] = {}
    last_on_page: dict[int, str] = {}
    for page, heading in found:
        first_on_page.setdefault(page, heading)
        last_on_page[page] = heading
    # a page without a bookmark of its own continues the last heading before it
    sections: list[str] = []
    current = ""
    for page in range(count):
        sections.append(first_on_page.get(page, current))
        current = last_on_page.get(page, current)
    return sections


_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"^\s*(?:page\s*)?(?:\d{{1,4}}|{_ROMAN})(?:\s*(?:of|/)\s*\d{{1,5}})?\s*$", re.I
)


def _strip_page_numbers(text: str) -> str:
    """Drop a printed page number standing alone on the first or last line."""
    lines = text.split("\n")
    if len(lines) > 1 and _PAGE_NUMBER.match(lines[-1]):
        lines = lines[:-1]
    if len(lines) > 1 and _PAGE_NUMBER.match(lines[0]):
        lines = lines[1:]
    return "\n".join(lines).strip("\n")


def _decrypt_if_needed(reader: Any) -> None:
    if not reader.is_encrypted:
        return
    try:
        ok = reader.decrypt("")
    except Exception as exc:  # e.g. AES without the optional crypto library
        raise LoadError(
            "the PDF is encrypted in a way that cannot be opened here; save an unprotected copy"
        ) from exc
    if not ok:
        raise LoadError("the PDF is password-protected; save an unprotected copy")


def _page_text(page: Any) -> str:
    try:
        return str(page.extract_text() or "")
    except Exception as exc:
        raise LoadError(
            f"the PDF is damaged: a page could not be read. {DAMAGED_HINT['pdf']}"
        ) from exc


def _page_labels(reader: Any, count: int) -> list[str] | None:
    """Printed page labels, only when the PDF defines them (/PageLabels in the catalog)."""
    try:
        if "/PageLabels" not in reader.trailer["/Root"]:
            return None
        labels = list(reader.page_labels)
    except Exception:
        return None
    return [str(x) for x in labels] if len(labels) == count else None


def _pdf_title(reader: Any, texts: list[str], path: Path) -> str:
    try:
        meta_title = (reader.metadata or {}).get("/Title")
    except Exception:
        meta_title = None
    meta_title = _clean_meta_title(str(meta_title or ""))
    if meta_title:
        return meta_title
    for text in texts:
        for line in text.split("\n")[:5]:
            if _looks_like_heading(line):
                return line.strip()
        if text.strip():
            break
    return _title_from_name(path)


def _page_heading(text: str) -> str:
    """The page's first line when it reads as a heading or slide title, else "".

    A prose page often starts mid-sentence ("people who may have common issues and causes,
    believing in..."): that line names nothing, and as every chunk's header it would make the
    whole page look about it. A heading starts with a capital or a digit, is at most
    ``_HEADING_MAX_WORDS`` words and does not end like a sentence (a colon or question mark may).
    """
    line = _first_line(text)
    if not line or line[0].islower() or len(line.split()) > _HEADING_MAX_WORDS:
        return ""
    return "" if line.endswith((".", ",", ";", "…")) else line


def _first_line(text: str) -> str:
    """The first non-empty line of ``text``, bullet removed, at most 120 characters."""
    for line in text.split("\n"):
        if line.strip():
            line = _BULLET_RE.sub("", line).strip()
            return line if len(line) <= 120 else line[:119] + "…"
    return ""
