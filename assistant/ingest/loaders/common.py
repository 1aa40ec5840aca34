"""Shared by the loaders: the LoadError, text normalisation, zip checks and sections."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.ingest.loaders import structure

#: Zip containers (pptx/docx) whose contents would unpack beyond these limits are refused.
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200
_RATIO_MIN_ENTRY_BYTES = 1024 * 1024

_HEADING_MAX_WORDS = 14
_BULLET_CHARS = "•●○◦▪▫■□‣⁃–—➢➤►✓✔*-+"


class LoadError(Exception):
    """A file could not be loaded; ``str(error)`` is a one-line reason a trainer can act on."""


#: What a trainer can do about a damaged file, by extension ('' for any other).
DAMAGED_HINT = {
    "pdf": "Open it and save (or print) it as a new PDF, then add it again.",
    "pptx": "Open it in PowerPoint and save it again as .pptx, then add it again.",
    "docx": "Open it in Word and save it again as .docx, then add it again.",
    "": "Open it in the program that made it, save it again, then add it again.",
}


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _short(exc: BaseException, limit: int = 120) -> str:
    text = " ".join(str(exc).split()) or "no details"
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


#: Control characters (other than tab and new line), DEL, C1 controls, the bidirectional overrides
#: and lone surrogates: never meaningful in course text, and some change how text displays.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def normalise_text(text: str, reflow: bool = False) -> str:
    """Tidy whitespace; keep line structure. ``reflow`` joins lines wrapped mid-sentence (PDF)."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).replace("\r\n", "\n")
    text = text.replace("\r", "\n").replace("\f", "\n").replace("\u00a0", " ")
    text = _CONTROL.sub("", text)
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
            f"or an old-format file renamed. Open it in {what} and save it again"
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
# sections: DOCX, Markdown, plain text
# --------------------------------------------------------------------------------------------


@dataclass
class _Section:
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    has_body: bool = False
    #: Lines (collapsed) that are not body text -> their role (see
    #: assistant.ingest.loaders.structure).
    roles: dict[str, str] = field(default_factory=dict)


def _with_marks(doc: Document, roles: dict[str, str]) -> Document:
    """``doc`` with its structure marks (the loader's roles plus the lines' own labels)."""
    lines = doc.page_content.split("\n")
    found = [roles.get(structure.collapse(line)) for line in lines]
    doc.metadata[structure.KEY] = structure.marks_json(structure.mark_lines(lines, found))
    return doc


def _sections_to_docs(sections: list[_Section], base: dict[str, Any], title: str) -> list[Document]:
    """Merge heading-only sections into the next one; number the rest as pages."""
    docs: list[Document] = []
    pending: list[str] = []
    roles = {k: v for sec in sections for k, v in sec.roles.items()}
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
    return [_with_marks(doc, roles) for doc in docs]


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
