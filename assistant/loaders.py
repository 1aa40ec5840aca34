"""Loading stage: turn one file into LangChain ``Document``s with citation-ready metadata.

One loader per format, chosen by file extension from :data:`LOADERS`:

* PDF (pypdf): one Document per page, ``page`` 1-based, ``page_label`` if the PDF defines labels.
* PPTX (python-pptx): one Document per slide (``slide``, ``slide_title``), plus one per slide with
  speaker notes (``is_notes=True``).
* DOCX, Markdown, plain text: headings start sections; ``page`` is the section number.

Every problem a trainer can fix (corrupt, encrypted, scanned, empty, too big, wrong format...) is
raised as :class:`LoadError` with a one-line reason, never as a library traceback.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

#: Zip containers (pptx/docx) whose contents would unpack beyond these limits are refused.
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200
_RATIO_MIN_ENTRY_BYTES = 1024 * 1024

_HEADING_MAX_WORDS = 14
_BULLET_CHARS = "•●○◦▪▫■□‣⁃–—➢➤►✓✔*-+"


class LoadError(Exception):
    """A file could not be loaded; ``str(error)`` is a one-line reason a trainer can act on."""


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------


def load_file(path: Path, root: Path, max_bytes: int | None = None) -> list[Document]:
    """Load ``path`` into Documents whose ``source`` is relative to ``root`` (posix)."""
    path = Path(path)
    ext = path.suffix.lower().lstrip(".")
    loader = LOADERS.get(ext)
    if loader is None:
        raise LoadError(_unsupported_message(ext))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot open the file ({exc.strerror or exc})") from exc
    if size == 0:
        raise LoadError("the file is empty")
    if max_bytes is not None and size > max_bytes:
        raise LoadError(
            f"the file is too large ({_mb(size)}; the limit is {_mb(max_bytes)}) - "
            "split it or raise RBP_MAX_FILE_MB"
        )
    base = _base_metadata(path, root, ext)
    try:
        docs = loader(path, base)
    except LoadError:
        raise
    except MemoryError as exc:
        raise LoadError("the file is too large to read into memory") from exc
    except Exception as exc:  # any parser failure is a damaged file from the user's view
        raise LoadError(
            f"could not read this {ext.upper()} file; it may be damaged "
            f"({type(exc).__name__}: {_short(exc)})"
        ) from exc
    if not docs:
        raise LoadError("no text found in the file")
    return docs


def _unsupported_message(ext: str) -> str:
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    hint = {"ppt": " (save it as .pptx)", "doc": " (save it as .docx)"}.get(ext, "")
    shown = f".{ext}" if ext else "(no extension)"
    return f"unsupported file type {shown}{hint}; supported: {supported}"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _short(exc: BaseException, limit: int = 120) -> str:
    text = " ".join(str(exc).split()) or "no details"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _base_metadata(path: Path, root: Path, kind: str) -> dict[str, Any]:
    try:
        source = path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        source = path.name
    kind = "md" if kind == "markdown" else kind
    return {"source": source, "file_name": path.name, "kind": kind}


def _title_from_name(path: Path) -> str:
    return re.sub(r"[_\-]+", " ", path.stem).strip() or path.name


# --------------------------------------------------------------------------------------------
# text normalisation shared by the loaders
# --------------------------------------------------------------------------------------------

_BULLET_RE = re.compile(r"^\s*(?:[" + re.escape(_BULLET_CHARS) + r"]|\(?\d{1,3}[.)])\s+")


#: Typographic ligatures PDFs often emit, and the soft hyphen, mapped to plain letters.
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\u00ad": ""}
)


def normalise_text(text: str, reflow: bool = False) -> str:
    """Tidy whitespace; keep line structure. ``reflow`` joins lines wrapped mid-sentence (PDF)."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).replace("\r\n", "\n")
    text = text.replace("\r", "\n").replace("\f", "\n").replace("\u00a0", " ")
    lines = [_tidy_line(ln) for ln in text.split("\n")]
    if reflow:
        lines = _reflow(lines)
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def _tidy_line(line: str) -> str:
    """Collapse runs of spaces inside a line; keep its indentation (nested bullets)."""
    line = re.sub(r"[\t\u2000-\u200b\u3000]", " ", line).rstrip()
    body = line.lstrip(" ")
    return " " * (len(line) - len(body)) + re.sub(r" {2,}", " ", body)


def _reflow(lines: list[str]) -> list[str]:
    """Join PDF lines that continue the previous line (wrapped text, hyphenated words)."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        prev = out[-1] if out else ""
        if prev.strip() and stripped and _continues(prev, stripped):
            if re.search(r"[A-Za-z]-$", prev):
                out[-1] = prev + stripped  # keep the hyphen: "relationship-" + "based"
            else:
                out[-1] = prev + " " + stripped
        else:
            out.append(line)
    return out


def _continues(prev: str, line: str) -> bool:
    """A line continues the previous one when it starts in lower case and is no bullet."""
    if _BULLET_RE.match(line):
        return False
    return line[0].islower()


def _looks_like_heading(line: str) -> bool:
    line = line.strip()
    if not line or _BULLET_RE.match(line) or line.endswith((".", ",", ";", ":")):
        return False
    return len(line.split()) <= _HEADING_MAX_WORDS and any(c.isalpha() for c in line)


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def load_pdf(path: Path, base: dict[str, Any]) -> list[Document]:
    """One Document per page with text; raises LoadError for encrypted or scanned PDFs."""
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
        raise LoadError(f"the PDF is damaged or incomplete ({_short(exc)})") from exc
    if not pages:
        raise LoadError("the PDF has no pages")
    labels = _page_labels(reader, len(pages))
    texts = [_strip_page_numbers(normalise_text(_page_text(p), reflow=True)) for p in pages]
    if not any(t.strip() for t in texts):
        raise LoadError("no extractable text — is it a scanned document? OCR is not supported")
    title = _pdf_title(reader, texts, path)
    docs = []
    for number, text in enumerate(texts, start=1):
        if not text.strip():
            continue
        meta = {**base, "doc_title": title, "page": number, "section": _first_line(text)}
        if labels:
            meta["page_label"] = labels[number - 1]
        meta["is_notes"] = False
        docs.append(Document(page_content=text, metadata=meta))
    return docs


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
            f"the PDF is encrypted and cannot be opened ({_short(exc)}); save an unprotected copy"
        ) from exc
    if not ok:
        raise LoadError("the PDF is password-protected; save an unprotected copy")


def _page_text(page: Any) -> str:
    try:
        return str(page.extract_text() or "")
    except Exception as exc:
        raise LoadError(f"the PDF is damaged: a page could not be read ({_short(exc)})") from exc


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


#: Titles that authoring tools write by default; they say nothing about the document.
_JUNK_TITLES = {
    "untitled",
    "untitled document",
    "powerpoint presentation",
    "presentation",
    "slide 1",
}


def _clean_meta_title(title: str) -> str:
    title = " ".join(title.split())
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    if title.lower() in _JUNK_TITLES or re.fullmatch(r"[\w\- ]+\.(?:docx?|pptx?|pdf)", title):
        return ""
    return title


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            line = _BULLET_RE.sub("", line).strip()
            return line if len(line) <= 120 else line[:119] + "…"
    return ""


# --------------------------------------------------------------------------------------------
# zip containers (pptx, docx)
# --------------------------------------------------------------------------------------------


def check_zip(path: Path, what: str) -> None:
    """Refuse files that are not zips or would unpack to absurd sizes (zip bombs)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise LoadError(
            f"this is not a valid {what} file (not a zip archive); it may be damaged, "
            "or an old-format file renamed"
        ) from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise LoadError(
            f"refused: the {what} file would unpack to {_mb(total)} "
            f"(limit {_mb(MAX_UNZIPPED_BYTES)}); it looks like a zip bomb"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= _RATIO_MIN_ENTRY_BYTES and ratio > MAX_ZIP_RATIO:
            raise LoadError(
                f"refused: a part of the {what} file is compressed {ratio:.0f}:1 "
                f"(limit {MAX_ZIP_RATIO}:1); it looks like a zip bomb"
            )


# --------------------------------------------------------------------------------------------
# PPTX
# --------------------------------------------------------------------------------------------


def load_pptx(path: Path, base: dict[str, Any]) -> list[Document]:
    """One Document per slide with text, and one per slide with speaker notes."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    check_zip(path, "PowerPoint")
    try:
        prs = Presentation(str(path))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as exc:
        raise LoadError(f"this is not a valid PowerPoint (.pptx) file ({_short(exc)})") from exc
    slides = [_slide_content(slide) for slide in prs.slides]
    title = _clean_meta_title(prs.core_properties.title or "")
    if not title:
        title = next((s.title for s in slides if s.title), "") or _title_from_name(path)
    docs: list[Document] = []
    for number, content in enumerate(slides, start=1):
        meta = {**base, "doc_title": title, "slide": number, "slide_title": content.title}
        if content.text:
            docs.append(Document(page_content=content.text, metadata={**meta, "is_notes": False}))
        if content.notes:
            text = "Speaker notes: " + content.notes
            docs.append(Document(page_content=text, metadata={**meta, "is_notes": True}))
    return docs


@dataclass
class _SlideContent:
    title: str
    text: str
    notes: str


def _slide_content(slide: Any) -> _SlideContent:
    title_shape = slide.shapes.title
    title = " ".join(title_shape.text_frame.text.split()) if title_shape is not None else ""
    lines = [title] if title else []
    for shape in _sorted_shapes(slide.shapes):
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        lines.extend(_shape_lines(shape))
    notes = ""
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        notes = normalise_text(frame.text) if frame is not None else ""
    return _SlideContent(title, normalise_text("\n".join(lines)), notes)


def _sorted_shapes(shapes: Any) -> list[Any]:
    """Reading order: top to bottom, then left to right."""
    return sorted(shapes, key=lambda s: ((s.top or 0), (s.left or 0)))


def _shape_lines(shape: Any) -> Iterator[str]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in _sorted_shapes(shape.shapes):
            yield from _shape_lines(child)
        return
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            cells = [" ".join(c.text_frame.text.split()) for c in row.cells]
            if any(cells):
                yield " | ".join(cells)
        return
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        bulleted = _is_body_placeholder(shape)
        for para in shape.text_frame.paragraphs:
            text = " ".join(para.text.replace("\v", " ").split())
            if not text:
                continue
            yield _bullet_prefix(para, bulleted, text) + text


def _is_body_placeholder(shape: Any) -> bool:
    from pptx.enum.shapes import PP_PLACEHOLDER

    if not shape.is_placeholder:
        return False
    try:
        kind = shape.placeholder_format.type
    except ValueError:
        return False
    return kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def _bullet_prefix(para: Any, inherited: bool, text: str) -> str:
    if _BULLET_RE.match(text):
        return "  " * para.level
    ppr = para._p.pPr
    tags = {child.tag.rsplit("}", 1)[-1] for child in ppr} if ppr is not None else set()
    if "buNone" in tags:
        return ""
    if tags & {"buChar", "buAutoNum", "buBlip"} or inherited:
        return "  " * para.level + "• "
    return ""


# --------------------------------------------------------------------------------------------
# sections: DOCX, Markdown, plain text
# --------------------------------------------------------------------------------------------


@dataclass
class _Section:
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    has_body: bool = False


def _sections_to_docs(sections: list[_Section], base: dict[str, Any], title: str) -> list[Document]:
    """Merge heading-only sections into the next one; number the rest as pages."""
    docs: list[Document] = []
    pending: list[str] = []
    for sec in sections:
        if not sec.has_body:
            pending.extend(sec.lines)
            continue
        text = normalise_text("\n".join(pending + sec.lines))
        pending = []
        if not text.strip():
            continue
        meta = {**base, "doc_title": title, "page": len(docs) + 1, "section": sec.heading}
        docs.append(Document(page_content=text, metadata={**meta, "is_notes": False}))
    if pending and docs:  # trailing headings with no body: keep them on the last section
        last = docs[-1]
        last.page_content = normalise_text(last.page_content + "\n\n" + "\n".join(pending))
    elif pending:
        text = normalise_text("\n".join(pending))
        meta = {**base, "doc_title": title, "page": 1, "section": sections[-1].heading}
        docs.append(Document(page_content=text, metadata={**meta, "is_notes": False}))
    return docs


def load_docx(path: Path, base: dict[str, Any]) -> list[Document]:
    """Headings (Title, Heading n) start sections; tables are read row by row."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, "Word")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LoadError(f"this is not a valid Word (.docx) file ({_short(exc)})") from exc
    sections = [_Section()]
    first_heading = ""
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            rows = [_docx_row(row) for row in block.rows]
            rows = [r for r in rows if r]
            sections[-1].lines.extend([*rows, ""])
            sections[-1].has_body = sections[-1].has_body or bool(rows)
            continue
        text = " ".join(block.text.split())
        if not text:
            continue
        if _docx_is_heading(block):
            first_heading = first_heading or text
            sections.append(_Section(heading=text, lines=[text]))
        else:
            sections[-1].lines.extend([_docx_prefix(block) + text, ""])
            sections[-1].has_body = True
    title = _clean_meta_title(document.core_properties.title or "") or first_heading
    return _sections_to_docs(sections, base, title or _title_from_name(path))


def _docx_row(row: Any) -> str:
    cells: list[str] = []
    for cell in row.cells:
        text = " ".join(cell.text.split())
        if not cells or text != cells[-1]:  # merged cells repeat their text
            cells.append(text)
    return " | ".join(cells) if any(cells) else ""


def _docx_is_heading(para: Any) -> bool:
    name = (para.style.name if para.style is not None else "") or ""
    return name == "Title" or name.startswith("Heading")


def _docx_prefix(para: Any) -> str:
    name = (para.style.name if para.style is not None else "") or ""
    ppr = para._p.pPr
    numbered = ppr is not None and ppr.numPr is not None
    if "List" in name or numbered:
        return "• "
    return ""


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")


def load_markdown(path: Path, base: dict[str, Any]) -> list[Document]:
    """ATX (#) and setext headings start sections; headings in code fences are ignored."""
    return _load_text_sections(path, base, atx=True)


def load_text(path: Path, base: dict[str, Any]) -> list[Document]:
    """Underlined (setext) headings start sections."""
    return _load_text_sections(path, base, atx=False)


def _read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"the text is not UTF-8 (unreadable byte at position {exc.start}); "
            "save it as UTF-8 and try again"
        ) from exc
    if "\x00" in text:
        raise LoadError("this looks like a binary file, not text")
    return text


def _load_text_sections(path: Path, base: dict[str, Any], atx: bool) -> list[Document]:
    text = normalise_text(_read_utf8(path))
    front_title, text = _front_matter(text) if atx else ("", text)
    if not text.strip():
        raise LoadError("the file contains no text")
    sections = list(_split_sections(text.split("\n"), atx))
    headed = [s.heading for s in sections if s.heading]
    title = front_title or (headed[0] if headed else "")
    if not title:
        first = next(ln.strip() for ln in text.split("\n") if ln.strip())
        title = first if _looks_like_heading(first) else _title_from_name(path)
    return _sections_to_docs(sections, base, title)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _front_matter(text: str) -> tuple[str, str]:
    """Split off YAML front matter; return its ``title:`` (or "") and the remaining text."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text
    title = ""
    for line in match.group(1).split("\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == "title":
            title = value.strip().strip("'\"")
    return title, text[match.end() :].lstrip("\n")


def _split_sections(lines: list[str], atx: bool) -> Iterator[_Section]:
    current = _Section()
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        heading: str | None = None
        raw: list[str] = []
        if atx and _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and atx and (m := _MD_HEADING.match(line)):
            heading, raw = m.group(2).strip(), [line]
        elif not in_fence and _is_setext(line, nxt, current):
            heading, raw = line.strip(), [line, nxt]
            i += 1
        if heading is not None:
            yield current
            current = _Section(heading=heading, lines=raw)
        else:
            current.lines.append(line)
            current.has_body = current.has_body or bool(line.strip())
        i += 1
    yield current


def _is_setext(line: str, nxt: str, current: _Section) -> bool:
    """``Title`` followed by ``=====``/``-----`` (at least 3), after a blank line or at the top."""
    if not line.strip() or not _SETEXT.match(nxt) or len(nxt.strip()) < 3:
        return False
    prev_blank = not current.lines or not current.lines[-1].strip()
    return prev_blank and not _BULLET_RE.match(line)


# --------------------------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------------------------

Loader = Callable[[Path, dict[str, Any]], list[Document]]

#: Extension (lower case, no dot) -> loader. Error messages are built from these keys.
LOADERS: dict[str, Loader] = {
    "pdf": load_pdf,
    "pptx": load_pptx,
    "docx": load_docx,
    "md": load_markdown,
    "markdown": load_markdown,
    "txt": load_text,
}

#: Suffixes (with the dot, lower case, as ``Path.suffix.lower()``) that :func:`load_file` reads.
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(f".{ext}" for ext in LOADERS)
