"""Markdown and plain-text loaders: headings start sections; a section is a "page"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.ingest.loaders.common import (
    _BULLET_RE,
    LoadError,
    _looks_like_heading,
    _Section,
    _sections_to_docs,
    _title_from_name,
    normalise_text,
)

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
            current = _Section(heading=heading, lines=raw, roles=_heading_roles(raw))
        else:
            current.lines.append(line)
            current.has_body = current.has_body or bool(line.strip())
        i += 1
    yield current


def _heading_roles(raw: list[str]) -> dict[str, str]:
    """The heading's own lines (an ATX line, or a setext line and its underline) are headings;
    a level-1 ATX heading is a title."""
    role = "title" if raw[0].lstrip().startswith("# ") else "heading"
    return {" ".join(line.split()): role for line in raw if line.strip()}


def _is_setext(line: str, nxt: str, current: _Section) -> bool:
    """``Title`` followed by ``=====``/``-----`` (at least 3), after a blank line or at the top."""
    if not line.strip() or not _SETEXT.match(nxt) or len(nxt.strip()) < 3:
        return False
    prev_blank = not current.lines or not current.lines[-1].strip()
    return prev_blank and not _BULLET_RE.match(line)
