"""Split chunk text into answer units: sentences, bullets and list items, with list groups.

Extractive answers are built from these verbatim pieces. A *group* is a run of list items together
with the line that introduces them ("Elements of care (Tronto)" followed by four bullets), so a
list can be quoted whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(
    r"^\s*(?:[\u2022\u25a0\u25aa\u25e6\u25cf\u2023\u2043*\-\u2013]|\d{1,2}[.)])\s+"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\u2019\u201d'\")]?\s+(?=[\"\u2018\u201c'(]?[A-Z0-9])")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_GLUE = {"the", "a", "an", "of", "and", "or", "to", "in", "for", "with", "on", "at", "by", "from"}
#: Lines shorter than this (words) without final punctuation read as list items on a slide.
SHORT_LINE = 12


@dataclass
class Unit:
    """One quotable piece of a chunk."""

    text: str
    position: int
    group: int
    is_item: bool

    @property
    def n_words(self) -> int:
        return len(self.text.split())


def _continues(prev: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence that ``prev`` started (a wrapped line)."""
    if _BULLET.match(line):
        return False
    last_word = prev.rsplit(" ", 1)[-1].lower()
    return (
        line[:1].islower()
        or prev.endswith((",", ";", "-", "\u2013", "(", "&"))
        or last_word in _GLUE
    )


def logical_lines(text: str) -> list[str]:
    """Lines of ``text`` with wrapped continuations joined and URLs removed."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(_URL.sub("", raw).split())
        if not line:
            continue
        if lines and _continues(lines[-1], line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _is_item(line: str) -> bool:
    if _BULLET.match(line):
        return True
    return len(line.split()) <= SHORT_LINE and not line.endswith((".", "!", "?"))


def split_units(text: str) -> list[Unit]:
    """Sentences and list items of ``text`` in reading order, with list groups numbered.

    Consecutive items share a group with the line just before them when that line introduces them
    (ends with ':' or is itself short); prose sentences each get their own group.
    """
    units: list[Unit] = []
    group = -1
    prev_item = False
    for line in logical_lines(text):
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
            for sentence in _SENTENCE_END.split(line):
                if sentence.strip():
                    units.append(Unit(sentence.strip(), len(units), group, False))
            if not line.endswith(":"):
                group += 1
        prev_item = item
    return units


def strip_bullet(text: str) -> str:
    """``text`` without a leading bullet or list number."""
    return _BULLET.sub("", text, count=1).strip()
