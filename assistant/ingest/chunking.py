"""Chunking stage: split loaded pages/slides into passages that fit the embedder.

Rules:

* Each Document (one page, slide or section) is chunked on its own, so a chunk never spans two
  pages or slides and every citation stays exact.
* Text is split on structure first (headings, paragraphs, bullet lists), then on lines, sentences,
  clauses and words only when a piece is still too big. A heading stays with what follows it.
* Small neighbouring blocks are merged up to ``target_tokens``; a block (e.g. a whole bullet list)
  may fill up to the model limit rather than be cut. Short slides stay whole.
* ``context header + "\\n" + text`` never exceeds ``budget.max_tokens``, counted with the
  budget's own tokenizer. Chunk text is always an exact substring of the page text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.documents import Document

from assistant.index.embedding import TokenBudget
from assistant.index.late import passage_text
from assistant.index.lexical import spaced
from assistant.settings import default as default_setting

#: The ``chunk_target_tokens`` setting's default, for callers without settings.
DEFAULT_TARGET_TOKENS: int = default_setting("chunk_target_tokens")

_BULLET = re.compile(r"^\s*(?:[•●○◦▪▫■□‣⁃–—➢➤►✓✔*+-]|\(?\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}\s+\S")
_SETEXT = re.compile(r"^ {0,3}(?:={3,}|-{3,})\s*$")

#: Finer and finer places to cut a piece that is still too big (regexes matching the gaps).
_GAPS = [
    re.compile(r"\n+"),
    re.compile(r"(?<=[.!?…])[\"'”’)]*\s+"),
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
]


@dataclass(frozen=True)
class _Span:
    """A slice ``text[start:end]`` of the page text and what kind of block it is."""

    start: int
    end: int
    kind: str = "para"  # para | list | heading | piece


Fits = Callable[[str], bool]


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def context_header(meta: dict[str, Any]) -> str:
    """Short header for embedding/BM25: "Doc title — slide title" (or section)."""
    title = str(meta.get("doc_title") or meta.get("file_name") or "").strip()
    sub = str(meta.get("slide_title") or meta.get("section") or "").strip()
    if meta.get("is_notes"):
        sub = f"{sub} (speaker notes)" if sub else "speaker notes"
    parts = [title] if title else []
    if sub and spaced(sub) not in spaced(title):  # a line repeating the title adds nothing
        parts.append(sub)
    return " — ".join(parts)


def embedding_text(chunk: Document) -> str:
    """What gets embedded and indexed for BM25: context header, newline, original text."""
    return passage_text(chunk.page_content, str(chunk.metadata.get("context", "")))


def chunk_documents(
    docs: list[Document], budget: TokenBudget, target_tokens: int = DEFAULT_TARGET_TOKENS
) -> list[Document]:
    """Split every Document separately into chunks with ids, context and content hashes."""
    chunks: list[Document] = []
    for doc in docs:
        chunks.extend(chunk_document(doc, budget, target_tokens))
    return chunks


def chunk_document(
    doc: Document, budget: TokenBudget, target_tokens: int = DEFAULT_TARGET_TOKENS
) -> list[Document]:
    """Chunks of one page/slide/section; their texts are substrings of ``doc.page_content``."""
    header = context_header(doc.metadata)
    header = _fit_header(header, budget)
    limit = budget.max_tokens
    target = max(1, min(target_tokens, limit))

    def fits(text: str, cap: int = limit) -> bool:
        return budget.count_tokens(f"{header}\n{text}" if header else text) <= cap

    text = doc.page_content
    if not text.strip():
        return []
    whole = _Span(0, len(text))
    is_slide = "slide" in doc.metadata
    if fits(text, limit if is_slide else target):
        spans = [whole]
    else:
        packer = _Packer(
            text,
            fits_max=lambda s: fits(s),
            fits_target=lambda s: fits(s, target),
            is_small=lambda s: budget.count_tokens(s) <= max(target // 4, 8),
        )
        spans = packer.pack(_blocks(text))
    texts = [t for t in (text[s.start : s.end].strip() for s in spans) if t]
    return [_make_chunk(doc, t, i, header) for i, t in enumerate(texts)]


# --------------------------------------------------------------------------------------------
# structure: blocks of a page
# --------------------------------------------------------------------------------------------


def _blocks(text: str) -> list[_Span]:
    """Headings, bullet lists and paragraphs, with each heading glued to the block after it."""
    raw = _raw_blocks(text)
    glued: list[_Span] = []
    pending: _Span | None = None
    for block in raw:
        if block.kind == "heading":
            pending = pending or block
            continue
        if pending is not None:
            block = _Span(pending.start, block.end, block.kind)
            pending = None
        glued.append(block)
    if pending is not None:
        glued.append(_Span(pending.start, len(text.rstrip()), "heading"))
    return glued


def _raw_blocks(text: str) -> list[_Span]:
    blocks: list[_Span] = []
    lines = _lines_with_offsets(text)
    current: _Span | None = None
    skip_next = False
    for i, (start, end, line) in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        nxt = lines[i + 1][2] if i + 1 < len(lines) else ""
        kind = _line_kind(line, nxt, current)
        if kind == "blank":
            if current is not None:
                blocks.append(current)
            current = None
            continue
        if kind == "setext":
            end = lines[i + 1][1]
            skip_next = True
            kind = "heading"
        if current is not None and (kind == "continue" or kind == current.kind == "list"):
            current = _Span(current.start, end, current.kind)
            continue
        if current is not None and kind == "para" and current.kind == "para":
            current = _Span(current.start, end, "para")
            continue
        if current is not None:
            blocks.append(current)
        current = _Span(start, end, "para" if kind == "continue" else kind)
        if kind == "heading":
            blocks.append(current)
            current = None
    if current is not None:
        blocks.append(current)
    return blocks


def _line_kind(line: str, nxt: str, current: _Span | None) -> str:
    if not line.strip():
        return "blank"
    if _MD_HEADING.match(line):
        return "heading"
    if _SETEXT.match(nxt) and not _BULLET.match(line) and current is None:
        return "setext"
    if _BULLET.match(line):
        return "list"
    if current is not None and current.kind == "list":
        # an indented line continues the item; loaders already joined wrapped PDF lines
        return "continue" if line[:1].isspace() else "para"
    return "para"


def _lines_with_offsets(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


# --------------------------------------------------------------------------------------------
# packing: merge small pieces, split big ones
# --------------------------------------------------------------------------------------------


class _Packer:
    """Greedy packing of consecutive spans under a hard limit and a softer target."""

    def __init__(self, text: str, fits_max: Fits, fits_target: Fits, is_small: Fits) -> None:
        self.text = text
        self.fits_max = fits_max
        self.fits_target = fits_target
        self.is_small = is_small

    def slice(self, a: int, b: int) -> str:
        return self.text[a:b].strip()

    def pack(self, units: list[_Span], level: int = 0) -> list[_Span]:
        out: list[_Span] = []
        cur: _Span | None = None
        for unit in units:
            if cur is not None:
                merged = self.slice(cur.start, unit.end)
                if self.fits_target(merged) or (self._small(cur) and self.fits_max(merged)):
                    cur = _Span(cur.start, unit.end, cur.kind)
                    continue
                out.append(cur)
                cur = None
            if self.fits_max(self.slice(unit.start, unit.end)):
                cur = unit
            else:
                out.extend(self.pack(self.split(unit, level), level + 1))
        if cur is not None:
            out.append(cur)
        return out

    def _small(self, span: _Span) -> bool:
        """Tiny leftovers (a heading, a one-line intro) join the next block if it fits."""
        return self.is_small(self.slice(span.start, span.end))

    def split(self, span: _Span, level: int) -> list[_Span]:
        """Cut ``span`` at the first gap level that actually divides it."""
        if span.kind == "list" and level == 0:
            items = self._list_items(span)
            if len(items) > 1:
                return items
        for gap in _GAPS[min(level, len(_GAPS)) :]:
            parts = self._split_at(span, gap)
            if len(parts) > 1:
                return parts
        return self._hard_split(span)

    def _list_items(self, span: _Span) -> list[_Span]:
        items: list[_Span] = []
        for start, end, line in _lines_with_offsets(self.text[span.start : span.end]):
            a, b = span.start + start, span.start + end
            if _BULLET.match(line) or not items:
                items.append(_Span(a, b, "piece"))
            else:
                items[-1] = _Span(items[-1].start, b, "piece")
        return items

    def _split_at(self, span: _Span, gap: re.Pattern[str]) -> list[_Span]:
        parts: list[_Span] = []
        start = span.start
        for m in gap.finditer(self.text, span.start, span.end):
            if m.start() > start:
                parts.append(_Span(start, m.start(), "piece"))
            start = m.end()
        if start < span.end:
            parts.append(_Span(start, span.end, "piece"))
        return [p for p in parts if self.slice(p.start, p.end)]

    def _hard_split(self, span: _Span) -> list[_Span]:
        """Last resort for one enormous 'word': the longest prefixes that fit."""
        parts: list[_Span] = []
        start = span.start
        while start < span.end:
            lo, hi = start + 1, span.end
            while lo < hi:  # largest end with fits_max(text[start:end])
                mid = (lo + hi + 1) // 2
                if self.fits_max(self.text[start:mid]):
                    lo = mid
                else:
                    hi = mid - 1
            parts.append(_Span(start, lo, "piece"))
            start = lo
        return parts


# --------------------------------------------------------------------------------------------
# chunk records
# --------------------------------------------------------------------------------------------


def _fit_header(header: str, budget: TokenBudget) -> str:
    """Keep the header to at most a quarter of the budget so text always has room."""
    cap = max(1, budget.max_tokens // 4)
    words = header.split()
    while words and budget.count_tokens(" ".join(words)) > cap:
        words = words[:-1]
    return " ".join(words) if words else ""


def _make_chunk(doc: Document, text: str, index: int, header: str) -> Document:
    meta = dict(doc.metadata)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta.update(chunk_index=index, context=header, content_hash=digest)
    meta["chunk_id"] = chunk_id(meta, index, digest)
    return Document(page_content=text, metadata=meta)


def chunk_id(meta: dict[str, Any], index: int, digest: str) -> str:
    """Stable id: source, page or slide (``n`` for speaker notes), position, content hash."""
    source = meta.get("source", "")
    if "slide" in meta:
        where = f"s{meta['slide']}" + ("n" if meta.get("is_notes") else "")
    else:
        where = f"p{meta.get('page', 0)}"
    return f"{source}#{where}-{index}-{digest[:12]}"
