"""Structure marks: which lines of a page are not body text, stored as passage metadata.

Each loader knows from the document's structure which lines are titles or headings (font size and
weight in a PDF, Word styles, slide title placeholders, Markdown ``#``), page furniture (running
headers and footers, slide numbers) or small print. It hands those lines to :func:`marks_json`,
which adds the lines whose own label says what they are (a ``Source:`` line, a date on its own, a
figure caption, a byline, entries under a "References" heading) and stores the result in the
``structure`` metadata key as JSON ``[[role, line], ...]``. Answerers read it back with
:func:`read_marks` and quote only body text, without guessing from the words at answer time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: Metadata key holding a page's marks.
KEY = "structure"
#: Roles a line can have besides body text.
ROLES = (
    "title",
    "heading",
    "furniture",
    "source",
    "date",
    "caption",
    "byline",
    "reference",
)

_SOURCE = re.compile(
    r"^\W*(?:sources?|retrieved from|adapted from|available (?:at|from))\s*:", re.IGNORECASE
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    r"^\W*(?:(?:published|updated|last updated|date|revised|posted)\s*:?\s*(?:on\s+)?)?"
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?|{_MONTH})"
    r"\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})\W*$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^\W*(?:figure|fig\.|table|image|photo|chart|diagram)\s*\d+\b", re.I)
_BYLINE = re.compile(r"^\W*(?:by|author|authors|written by)\b\s*:?\s+\S", re.IGNORECASE)
_REFERENCES = re.compile(
    r"^\W*(?:references|bibliography|further reading|reading list|sources|notes)\W*$", re.I
)
#: A byline is a short line; a longer one starting "By ..." is a sentence.
_BYLINE_WORDS = 10


def collapse(line: str) -> str:
    """``line`` with runs of whitespace as single spaces, trimmed (the key marks are stored by)."""
    return " ".join(line.split())


def label_role(line: str) -> str | None:
    """The role a line's own label gives it: ``Source:``, a date alone, a caption, a byline."""
    text = collapse(line)
    if _SOURCE.match(text):
        return "source"
    if _DATE.match(text):
        return "date"
    if _CAPTION.match(text):
        return "caption"
    if _BYLINE.match(text) and len(text.split()) <= _BYLINE_WORDS and not text.endswith("."):
        return "byline"
    return None


def mark_lines(lines: Sequence[str], roles: Sequence[str | None]) -> list[tuple[str, str]]:
    """Marks for ``lines`` given the structural ``roles`` a loader found (None for body text):
    label roles are added, and body lines under a "References" heading are reference entries."""
    marks: list[tuple[str, str]] = []
    in_references = False
    for line, role in zip(lines, roles, strict=True):
        text = collapse(line)
        if not text:
            continue
        if role in ("title", "heading"):
            in_references = bool(_REFERENCES.match(text.lstrip("#").strip()))
        labelled = label_role(text)
        if role in (None, "byline", "caption") and labelled:
            role = labelled  # small print that says what it is ("Source: ...")
        found = role or ("reference" if in_references else None)
        if found:
            marks.append((found, text))
    return marks


def marks_json(marks: Iterable[tuple[str, str]]) -> str:
    """The metadata value for ``marks`` (duplicates dropped, order kept)."""
    unique = list(dict.fromkeys((role, text) for role, text in marks if text))
    return json.dumps([list(pair) for pair in unique], ensure_ascii=False)


def read_marks(metadata: Mapping[str, Any]) -> dict[str, str]:
    """Line (collapsed) -> role, from a passage's metadata; empty when it has none."""
    raw = metadata.get(KEY)
    if not raw:
        return {}
    try:
        pairs = json.loads(str(raw))
    except ValueError:
        return {}
    return {collapse(str(text)): str(role) for role, text in pairs if str(text).strip()}
