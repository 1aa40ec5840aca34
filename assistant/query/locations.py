"""Where a question points: "slide 12", "pages 3-4", "the first slide", "the last page".

Trainers ask about the deck in front of them ("what is on slide 14?", "which questions does the
opening slide raise?"). Such a reference says where the answer is better than any wording can, so
hybrid retrieval brings the named pages and slides in as candidates and ranks them up (see
:func:`assistant.retrieve.retriever.favour_locations`). A slide and a page are the same unit here: a
deck exported as PDF has one page per slide.
"""

from __future__ import annotations

import re

from assistant.records import Locations
from assistant.settings import default as default_setting

_UNIT = r"(?:slides?|pages?|pp?\.|pgs?\.?)"
#: "slide 12", "slides 3 and 4", "pages 2-5", "p. 7", "pg 16", "slides 3, 4 & 6"
_NUMBERED = re.compile(
    rf"\b{_UNIT}\s*(\d{{1,4}}(?:\s*(?:,|&|and|to|-|\u2013)\s*\d{{1,4}})*)(?![\d:/])",
    re.IGNORECASE,
)
_ORDINALS = {
    "first": 1, "opening": 1, "title": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_LAST = ("last", "final", "closing", "concluding")
#: "the first slide", "the closing page", "the 3rd slide"
_ORDINAL = re.compile(
    rf"\b({'|'.join([*_ORDINALS, *_LAST])}|\d{{1,3}}(?:st|nd|rd|th))\s+(?:slide|page)\b",
    re.IGNORECASE,
)
#: A removed reference (marked NUL) with what led up to it: "on the ", "of this ".
_WITH_LEADING = re.compile(r"(?:\b(?:on|in|from|of)\s+)?(?:\b(?:the|this|that)\s+)?\0", re.I)
#: A range longer than this is not a location ("pages 1-200" names the whole document); see
#: ``Settings.location_max_range``.
MAX_RANGE: int = default_setting("location_max_range")


def _numbers(spec: str, max_range: int) -> set[int]:
    found: set[int] = set()
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", spec):
        bounds = [int(n) for n in re.findall(r"\d+", part)]
        if len(bounds) == 2:
            if 0 < bounds[1] - bounds[0] <= max_range:
                found.update(range(bounds[0], bounds[1] + 1))
        else:
            found.update(bounds)
    return {n for n in found if n > 0}


def named_locations(question: str, max_range: int = MAX_RANGE) -> Locations:
    """The pages or slides ``question`` names (empty when it names none); a range of more than
    ``max_range`` pages is not a place to look."""
    numbers: set[int] = set()
    last = False
    for match in _NUMBERED.finditer(question):
        numbers |= _numbers(match.group(1), max_range)
    for match in _ORDINAL.finditer(question):
        word = match.group(1).lower()
        if word in _LAST:
            last = True
        elif word in _ORDINALS:
            numbers.add(_ORDINALS[word])
        else:
            numbers.add(int(re.sub(r"\D", "", word)))
    return Locations(frozenset(numbers), last)


def strip_locations(question: str) -> str:
    """``question`` without its page and slide references (their numbers are not topics)."""
    text = _ORDINAL.sub("\0", _NUMBERED.sub("\0", question.replace("\0", "")))
    return _WITH_LEADING.sub(" ", text)
