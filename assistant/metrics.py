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
from collections.abc import Iterable, Sequence

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
