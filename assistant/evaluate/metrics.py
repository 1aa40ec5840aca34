"""Evaluation metrics as pure functions over ranked lists of ``(file, page)`` keys.

A retrieved hit is *relevant* when its file name equals the question's ``source`` and its page
(or slide) number is one of the question's ``pages``. Hits are never re-ordered or de-duplicated
before ranking: the rank of a question is the 1-based position of the first relevant hit in the
list exactly as the retriever returned it, so two chunks of the same page take two positions and
ties in score are resolved by the retriever's own order. For nDCG a relevant page earns gain only
the first time it appears, so repeated chunks of one page cannot push nDCG above 1.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence

from assistant.answer.units import sentences

#: One retrieved or expected location: (file name, page or slide number).
Key = tuple[str, int | None]


def first_relevant_rank(ranked: Sequence[Key], relevant: Iterable[Key]) -> int | None:
    """1-based position of the first relevant key in ``ranked``; ``None`` when none is relevant."""
    wanted = set(relevant)
    for position, key in enumerate(ranked, start=1):
        if key in wanted:
            return position
    return None


def recall_at_k(rank: int | None, k: int) -> float:
    """Hit rate at k: ``1`` if the first relevant hit is in the top ``k`` (rank <= k), else ``0``.

    For a question answered on several pages, finding any one of them counts (the answer can be
    cited from it); averaged over questions this is the usual "Recall@k" of RAG evaluations.
    """
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None, k: int = 10) -> float:
    """Per-question MRR@k: ``1 / rank`` if the first relevant hit is in the top ``k``, else 0."""
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def ndcg_at_k(ranked: Sequence[Key], relevant: Iterable[Key], k: int = 10) -> float:
    """Binary-relevance nDCG@k = DCG@k / IDCG@k.

    ``DCG@k = sum_{i=1..k} rel_i / log2(i + 1)`` where ``rel_i`` is 1 when hit ``i`` is a
    relevant key not seen earlier in the list (duplicates earn nothing), and
    ``IDCG@k = sum_{i=1..min(R, k)} 1 / log2(i + 1)`` with ``R`` distinct relevant keys.
    Returns 0 when there is nothing relevant.
    """
    wanted = set(relevant)
    if not wanted or k <= 0:
        return 0.0
    seen: set[Key] = set()
    dcg = 0.0
    for position, key in enumerate(ranked[:k], start=1):
        if key in wanted and key not in seen:
            seen.add(key)
            dcg += 1.0 / math.log2(position + 1)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(wanted), k) + 1))
    return dcg / ideal


#: The cut-offs reported as Recall@k.
RECALL_AT = (1, 3, 5, 10)


def retrieval_scores(
    ranked: Sequence[Key], relevant: Iterable[Key], k: int = 10
) -> dict[str, float]:
    """Per-question Recall@1/3/5/10, MRR@k and nDCG@k (names like ``recall@5``, ``mrr@10``)."""
    wanted = set(relevant)
    rank = first_relevant_rank(ranked, wanted)
    scores = {f"recall@{cut}": recall_at_k(rank, cut) for cut in RECALL_AT}
    scores[f"mrr@{k}"] = reciprocal_rank(rank, k)
    scores[f"ndcg@{k}"] = ndcg_at_k(ranked, wanted, k)
    return scores


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean; 0 for an empty list (so empty groups never crash a report)."""
    return sum(values) / len(values) if values else 0.0


def keyword_coverage(text: str, keywords: Sequence[str]) -> float:
    """Share of ``keywords`` found in ``text``: ``found / len(keywords)``.

    Matching is case-insensitive on whitespace-normalised text (runs of spaces and line breaks count
    as one space). A question without keywords scores 1 (nothing was missing).
    """
    if not keywords:
        return 1.0
    haystack = _normalise(text)
    found = sum(1 for word in keywords if _normalise(word) in haystack)
    return found / len(keywords)


def _normalise(text: str) -> str:
    return " ".join(text.casefold().replace("\u2019", "'").split())


def cites_expected(cited: Iterable[Key], expected: Iterable[Key]) -> bool:
    """True when at least one cited (file, page) is an expected one."""
    return not set(cited).isdisjoint(set(expected))


def abstention_scores(
    abstained: Sequence[bool], answerable: Sequence[bool]
) -> dict[str, float | None]:
    """Abstention quality over paired lists (one entry per question).

    - ``precision = |abstained and unanswerable| / |abstained|``,
    - ``recall = |abstained and unanswerable| / |unanswerable|``,
    - ``false_abstention_rate = |abstained and answerable| / |answerable|``;
    each is None when its denominator is 0.
    """
    if len(abstained) != len(answerable):
        raise ValueError("abstained and answerable must have the same length")
    pairs = list(zip(abstained, answerable, strict=True))
    true_abstentions = sum(1 for a, ok in pairs if a and not ok)
    n_abstained = sum(1 for a, _ in pairs if a)
    n_unanswerable = sum(1 for _, ok in pairs if not ok)
    n_answerable = len(pairs) - n_unanswerable
    false_abstentions = sum(1 for a, ok in pairs if a and ok)
    return {
        "abstention_precision": _ratio(true_abstentions, n_abstained),
        "abstention_recall": _ratio(true_abstentions, n_unanswerable),
        "false_abstention_rate": _ratio(false_abstentions, n_answerable),
    }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile: the value at 1-based position ``ceil(q / 100 * n)`` when sorted.

    ``percentile([10, 20, 30, 40], 50) == 20``; ``percentile(xs, 95)`` of 20 values is the 19th.
    Returns None for an empty list.
    """
    if not values:
        return None
    if not 0 < q <= 100:
        raise ValueError("q must be in (0, 100]")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


# --- answer quality ----------------------------------------------------------------------------
#: The answer words read first: a key fact should be among them.
LEAD_WORDS = 40
_MARKER = re.compile(r"\s*\[(?:sources?\s*)?\d+(?:\s*[,;]\s*\d+)*\]", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+")
_SOURCE_LINE = re.compile(r"^\W*(?:source|sources|retrieved from)\s*:", re.IGNORECASE)
_DATE = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?,?)?\s+\d{4}$|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$",
    re.IGNORECASE,
)


def answer_text(text: str) -> str:
    """``text`` without citation markers (``[1]``, ``[2, 3]``)."""
    return _MARKER.sub("", text)


def answer_words(text: str) -> list[str]:
    """The words of an answer, citation markers and list bullets left out."""
    lines = [_LIST_ITEM.sub("", line) for line in answer_text(text).splitlines()]
    return " ".join(lines).split()


def answer_pieces(text: str) -> list[str]:
    """An answer cut into what a reader takes as units: its lines (list items), then the
    sentences of each line; each piece ends where a citation marker or sentence ends."""
    pieces: list[str] = []
    for line in _MARKER.sub("\n", text).splitlines():
        line = line.strip()
        if not line:
            continue
        if _LIST_ITEM.match(line):
            pieces.append(line)
            continue
        pieces += sentences(line)  # an initial or "e.g." ends no sentence ("William R. Miller")
    return _join_lead_ins(pieces)


def _join_lead_ins(pieces: list[str]) -> list[str]:
    """A lead-in ending in ':' and what it introduces are one sentence ("X is defined as: ...",
    "The stages are:" and the first item)."""
    out: list[str] = []
    for piece in pieces:
        if out and out[-1].endswith(":"):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def is_list_item(piece: str) -> bool:
    return bool(_LIST_ITEM.match(piece))


def is_fragment(piece: str) -> bool:
    """A prose piece cut mid-sentence: it starts in lower case, or it is longer than a slide
    bullet (:data:`FRAGMENT_WORDS` words or more) and stops without final punctuation."""
    if is_list_item(piece) or is_heading_like(piece):
        return False
    body = piece.strip().strip("*_")
    ends = body.rstrip("\"'\u2019\u201d)")[-1:]
    cut = ends not in {".", "!", "?", ":", "\u2026"} and len(body.split()) >= FRAGMENT_WORDS
    return body[:1].islower() or cut


#: Shorter unpunctuated pieces are slide bullets quoted on their own, not cut sentences.
FRAGMENT_WORDS = 13


def is_heading_like(piece: str, headings: Iterable[str] = ()) -> bool:
    """A title, heading or date rather than a sentence: a Markdown ``#`` heading, a date on its
    own, or a known heading of the cited pages (their document title and section heading)."""
    stripped = piece.strip()
    if not stripped or is_list_item(piece):
        return False
    if stripped.startswith("#"):
        return True
    body = stripped.strip("*_")
    if _DATE.match(body):
        return True
    norm = _normalise(body)
    for heading in headings:
        known = _normalise(heading.strip().rstrip(":"))
        if known and norm in (known, f"{known}:"):
            return True
    return False


def answer_quality(text: str, keywords: Sequence[str], headings: Iterable[str] = ()) -> dict:
    """Per-answer figures: ``kw`` (keyword coverage), ``kw40`` (coverage in the first
    :data:`LEAD_WORDS` words), ``first`` (the first piece holds a key fact), ``words``, and
    whether the answer holds or opens with a heading, holds a fragment or a "Source:" line."""
    headings = list(headings)
    pieces = answer_pieces(text)
    words = answer_words(text)
    first = pieces[0] if pieces else ""
    return {
        "kw": keyword_coverage(answer_text(text), keywords),
        "kw40": keyword_coverage(" ".join(words[:LEAD_WORDS]), keywords),
        "first": 1.0 if keywords and keyword_coverage(first, keywords) > 0 else 0.0,
        "words": len(words),
        "has_heading": any(is_heading_like(p, headings) for p in pieces),
        "opens_with_heading": bool(first) and is_heading_like(first, headings),
        "has_fragment": any(is_fragment(p) for p in pieces),
        "has_source_line": any(_SOURCE_LINE.match(p) for p in pieces),
    }


def quality_summary(rows: Sequence[dict]) -> dict[str, float | int | None]:
    """Means of :func:`answer_quality` rows: kw, kw40, first, median words and the shares of
    answers with a heading, opening with one, with a fragment or with a "Source:" line."""
    if not rows:
        return {"n": 0}
    share = {
        key: mean([1.0 if r[key] else 0.0 for r in rows])
        for key in ("has_heading", "opens_with_heading", "has_fragment", "has_source_line")
    }
    return {
        "kw": mean([r["kw"] for r in rows]),
        "kw40": mean([r["kw40"] for r in rows]),
        "first": mean([r["first"] for r in rows]),
        "median_words": statistics.median([r["words"] for r in rows]),
        **{f"{key}_share": value for key, value in share.items()},
        "n": len(rows),
    }
