"""Sentences cut at a passage's edge, completed from the neighbouring passage of the same page.

A page longer than one passage is cut into several; a cut may fall inside a sentence ("... coming
up with solutions together, connecting" | "people who may have common issues ..."). When only one
side was retrieved, the sentence is completed with the words of the neighbouring passage up to
the sentence's end (or from its start), so it can be quoted whole. The words come from the same
page, so the citation stays exact; nothing is added when the neighbour is not known or the
sentence does not end (or start) within ``Settings.answer_max_completion_words`` words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from assistant.answer.units import SHORT_LINE, continues
from assistant.records import Hit
from assistant.settings import default as default_setting

#: The most words taken from a neighbouring passage to finish (or start) a sentence, by default.
MAX_COMPLETION_WORDS: int = default_setting("answer_max_completion_words")
_END = re.compile(r"[.!?\u2026][\"'\u2019\u201d)]*(?=\s|$)")
_ENDS = (".", "!", "?", ":", "\u2026")


class ChunkTable(Protocol):
    """What a chunk index exposes (see :class:`assistant.index.lexical.LexicalIndex`)."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    fingerprint: str


class PageChunks:
    """The passages of every page in reading order, looked up by chunk id."""

    def __init__(self, table: ChunkTable, max_words: int = MAX_COMPLETION_WORDS) -> None:
        """``max_words``: the most words taken from a neighbour to complete a sentence."""
        self.fingerprint = table.fingerprint
        self.max_words = max_words
        self.where: dict[str, tuple[tuple[str, str], int]] = {}
        self.pages: dict[tuple[str, str], dict[int, str]] = {}
        for chunk_id, text, meta in zip(table.ids, table.texts, table.metadatas, strict=True):
            key = (str(meta.get("source", "")), _place(meta))
            index = int(meta.get("chunk_index", 0))
            self.where[chunk_id] = (key, index)
            self.pages.setdefault(key, {})[index] = text

    def complete(self, hit: Hit) -> tuple[Hit, bool, bool]:
        """``hit`` with each retrieved passage's cut first and last sentence completed from the
        passages next to it (a copy; ``hit`` itself is unchanged), and whether its text starts
        and ends where the page does (a sentence cut there runs on from or to another page)."""
        ids = _chunk_ids(hit)
        if not ids or any(i not in self.where for i in ids):
            return hit, False, False
        key = self.where[ids[0]][0]
        page = self.pages[key]
        indexes = sorted({self.where[i][1] for i in ids if self.where[i][0] == key})
        pieces = []
        for index in indexes:
            text = page[index]
            before, after = page.get(index - 1), page.get(index + 1)
            if before is not None and index - 1 not in indexes:
                text = _with_start(before, text, self.max_words)
            if after is not None and index + 1 not in indexes:
                text = _with_end(text, after, self.max_words)
            pieces.append(text)
        text = "\n".join(pieces)
        edges = indexes[0] == min(page), indexes[-1] == max(page)
        return (hit if text == hit.text else replace(hit, text=text)), *edges


def _place(meta: dict[str, Any]) -> str:
    """One page, slide (or its notes) or section: chunk indexes count from 0 in each."""
    parts = ("page", "slide", "section", "is_notes")
    return "|".join(str(meta.get(part, "")) for part in parts)


def _chunk_ids(hit: Hit) -> list[str]:
    ids = hit.metadata.get("chunk_ids")
    if isinstance(ids, Sequence) and not isinstance(ids, str) and ids:
        return [str(i) for i in ids]
    return [hit.chunk_id]


def _with_end(text: str, after: str, max_words: int) -> str:
    """``text`` with its last sentence finished from the start of ``after`` when it was cut."""
    last = text.rstrip().rsplit("\n", 1)[-1]
    head = after.lstrip().split("\n", 1)[0]
    if not last or not head or last.endswith(_ENDS) or not continues(last, head):
        return text
    end = _END.search(head)
    if end is None or len(head[: end.end()].split()) > max_words:
        return text
    return f"{text.rstrip()} {head[: end.end()]}"


def _with_start(before: str, text: str, max_words: int) -> str:
    """``text`` with its first sentence started from the end of ``before`` when it was cut."""
    first = text.lstrip().split("\n", 1)[0]
    tail = before.rstrip().rsplit("\n", 1)[-1]
    if not first or not tail or not first[:1].islower() or tail.endswith(_ENDS):
        return text
    ends = list(_END.finditer(tail))
    if not ends and len(tail.split()) <= SHORT_LINE:
        return text  # a short line on its own may be a heading, not a sentence's start
    start = tail[ends[-1].end() :].strip() if ends else tail
    if not start or len(start.split()) > max_words or not start[:1].isupper():
        return text
    return f"{start} {text.lstrip()}"
