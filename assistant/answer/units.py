"""Split chunk text into answer units: sentences, bullets and list items, with list groups.

Extractive answers are built from these verbatim pieces. A *group* is a run of list items together
with the line that introduces them ("Elements of care (Tronto)" followed by four bullets), so a
list can be quoted whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sentencex import segment

_BULLET = re.compile(
    r"^\s*(?:[\u2022\u25a0\u25aa\u25e6\u25cf\u2023\u2043*\-\u2013]|\d{1,2}[.)])\s+"
)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_GLUE = {"the", "a", "an", "of", "and", "or", "to", "in", "for", "with", "on", "at", "by", "from"}
#: Lines shorter than this (words) without final punctuation read as list items on a slide.
SHORT_LINE = 12


@dataclass
class Unit:
    """One quotable piece of a chunk; ``role`` is its structure role when it is not body text
    (a heading, title, "Source:" line...; see :mod:`assistant.ingest.loaders.structure`)."""

    text: str
    position: int
    group: int
    is_item: bool
    role: str | None = None

    @property
    def is_body(self) -> bool:
        return self.role is None

    @property
    def n_words(self) -> int:
        return len(self.text.split())


def continues(prev: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence that ``prev`` started (a wrapped line)."""
    if _BULLET.match(line):
        return False
    last_word = prev.rsplit(" ", 1)[-1].lower()
    return (
        line[:1].islower()
        or prev.endswith((",", ";", "-", "\u2013", "(", "&"))
        or last_word in _GLUE
    )


def logical_lines(text: str, marks: Mapping[str, str] | None = None) -> list[str]:
    """Lines of ``text`` with wrapped continuations joined and URLs removed."""
    return [line for line, _ in _marked_lines(text, marks or {})]


def _marked_lines(text: str, marks: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """Logical lines with their structure role; a marked line is never joined to another."""
    lines: list[tuple[str, str | None]] = []
    for raw in text.splitlines():
        for piece, role in _split_marked(" ".join(raw.split()), marks):
            line = " ".join(_URL.sub("", piece).split())
            if not line:
                continue
            prev = lines[-1] if lines else None
            if prev and prev[1] is None and role is None and continues(prev[0], line):
                lines[-1] = (f"{prev[0]} {line}", None)
            else:
                lines.append((line, role))
    return lines


def _split_marked(line: str, marks: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """``line`` with its structure role (None for body text)."""
    return [(line, marks.get(line))] if line else []


def _is_item(line: str) -> bool:
    if _BULLET.match(line):
        return True
    return len(line.split()) <= SHORT_LINE and not line.endswith((".", "!", "?"))


def split_units(text: str, marks: Mapping[str, str] | None = None) -> list[Unit]:
    """Sentences and list items of ``text`` in reading order, with list groups numbered.

    Consecutive items share a group with the line just before them when that line introduces them
    (ends with ':' or is itself short); prose sentences each get their own group. ``marks`` maps
    lines that are not body text to their structure role (a passage's ``structure`` metadata);
    such a line is one unit with that role.
    """
    units: list[Unit] = []
    group = -1
    prev_item = False
    for line, role in _marked_lines(text, marks or {}):
        if role is not None:
            group += 1
            units.append(Unit(line, len(units), group, False, role))
            group += 1
            prev_item = False
            continue
        item = _is_item(line)
        if item and prev_item and not line.endswith(":"):
            pass  # same list (a line ending in ':' introduces a new one)
        elif item and units and units[-1].group == group and units[-1].text.endswith(":"):
            pass  # an introduced list joins its introduction
        else:
            group += 1
        if item:
            units.append(Unit(line, len(units), group, True))
        else:
            for sentence in sentences(line):
                units.append(Unit(sentence, len(units), group, False))
            if not line.endswith(":"):
                group += 1
        prev_item = item
    return units


def sentences(line: str) -> list[str]:
    """The sentences of one line of prose, by sentencex's English rules (an initial, "e.g.",
    "U.S.", "No. 14" or a full stop inside a quotation does not end one)."""
    return [piece.strip() for piece in segment("en", line) if piece.strip()]


def has_bullet(text: str) -> bool:
    """Whether ``text`` starts with a bullet or list number."""
    return bool(_BULLET.match(text))


def strip_bullet(text: str) -> str:
    """``text`` without a leading bullet or list number."""
    return _BULLET.sub("", text, count=1).strip()
