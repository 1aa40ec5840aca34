"""Fusion: one ranking of pages and slides from the dense, BM25 and late-interaction lists.

Two methods, chosen by the embedder's profile (:mod:`assistant.index.profiles`):

* :func:`zscore_fuse` (the default): each retriever's best score per page is standardised over the
  pages that retriever found, ``z = (s - mean) / std``, and the fused score is ``sum_i w_i * z_i``.
  A page a retriever did not find gets that retriever's lowest ``z``. Unlike rank fusion it sees
  score gaps: a page far ahead on one signal stays ahead.
* :func:`fuse`: weighted reciprocal rank fusion (Cormack et al. 2009).

Both rank pages, the unit a citation points at, and give every chunk its page's fused score.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from assistant.records import Hit

#: Signals a hit can carry, in the order their weights are given.
SIGNALS = ("dense", "bm25", "late")


def page_key(hit: Hit) -> str:
    """The page or slide a hit cites: the unit fusion ranks."""
    return f"{hit.source}#{hit.number}"


def rrf(
    rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None
) -> dict[str, float]:
    """Weighted reciprocal rank fusion: ``score(d) = sum_i w_i / (k + rank_i(d))``, ranks from 1.

    Without ``weights`` every ranking has weight 1 (plain RRF, Cormack et al. 2009).
    """
    fused: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[i]
        for rank, chunk_id in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (k + rank)
    return fused


def page_scores(hits: Sequence[Hit], signal: str) -> dict[str, float]:
    """The best ``scores[signal]`` of each page among ``hits``."""
    best: dict[str, float] = {}
    for hit in hits:
        if signal in hit.scores:
            key = page_key(hit)
            best[key] = max(best.get(key, float("-inf")), hit.scores[signal])
    return best


def standardise(scores: dict[str, float]) -> dict[str, float]:
    """``(s - mean) / std`` of each value (std 1 when there are fewer than two distinct values)."""
    if not scores:
        return {}
    values = list(scores.values())
    mean = statistics.fmean(values)
    std = statistics.pstdev(values) if len(values) > 1 else 0.0
    return {key: (value - mean) / (std or 1.0) for key, value in scores.items()}


def zscore_page_scores(
    lists: Sequence[Sequence[Hit]], weights: Sequence[float]
) -> dict[str, float]:
    """Fused score of every page found by any list: ``sum_i w_i * z_i`` (see module docstring).

    ``lists`` are the dense, BM25 and late hits (a missing list is empty); list ``i`` is read for
    the signal ``SIGNALS[i]``.
    """
    pages = {page_key(h) for hits in lists for h in hits}
    fused = dict.fromkeys(pages, 0.0)
    for signal, hits, weight in zip(SIGNALS, lists, weights, strict=False):
        z = standardise(page_scores(hits, signal))
        if not weight or not z:
            continue
        floor = min(z.values())
        for key in pages:
            fused[key] += weight * z.get(key, floor)
    return fused


def zscore_fuse(
    dense: Sequence[Hit],
    bm25: Sequence[Hit],
    late: Sequence[Hit] = (),
    weights: Sequence[float] = (1.0, 0.3, 0.0),
) -> list[Hit]:
    """Merge the lists by :func:`zscore_page_scores`; each hit keeps every retriever's scores,
    ``scores['fused']`` and ``hit.score`` hold its page's fused score. Chunks of one page keep
    their order by their own best rank in any list."""
    fused = zscore_page_scores((dense, bm25, late), weights)
    order = rrf([[h.chunk_id for h in hits] for hits in (dense, bm25, late)], 1)
    by_id = _merged(dense, bm25, late)
    for hit in by_id.values():
        hit.scores["fused"] = hit.score = fused[page_key(hit)]
    return sorted(by_id.values(), key=lambda h: (-h.score, -order[h.chunk_id], h.chunk_id))


def fuse(
    dense: Sequence[Hit],
    bm25: Sequence[Hit],
    rrf_k: int,
    bm25_weight: float = 1.0,
    dominance: float | None = None,
    late: Sequence[Hit] = (),
    late_weight: float = 1.0,
) -> list[Hit]:
    """Merge the ranked lists with :func:`rrf`; each hit keeps every retriever's scores.

    Each retriever's list counts once per page (at its best chunk), so a page cut into several
    chunks does not crowd the others out. Every chunk then carries its page's fused score
    (``scores['rrf']``), ordered within the page by its own ranks. Rank fusion cannot see score
    gaps, so a BM25 winner scoring at least ``dominance`` times the runner-up counts as first
    place twice. ``late`` is an optional third ranking with weight ``late_weight``.
    """
    ids = [_pages_in_order(hits) for hits in (dense, bm25, late)]
    fused = rrf(ids, rrf_k, (1.0, bm25_weight, late_weight))
    if dominance and len(bm25) > 1:
        top, second = bm25[0].scores.get("bm25", 0.0), bm25[1].scores.get("bm25", 0.0)
        if top >= dominance * second > 0:
            fused[page_key(bm25[0])] += bm25_weight / (rrf_k + 1)
    within = rrf([[h.chunk_id for h in hits] for hits in (dense, bm25, late)], rrf_k)
    by_id = _merged(dense, bm25, late)
    for hit in by_id.values():
        hit.scores["rrf"] = fused[page_key(hit)]
        hit.score = fused[page_key(hit)]
    return sorted(by_id.values(), key=lambda h: (-h.score, -within[h.chunk_id], h.chunk_id))


def _merged(*lists: Sequence[Hit]) -> dict[str, Hit]:
    """One hit per chunk id, holding the scores of every list that found it."""
    by_id: dict[str, Hit] = {}
    for hits in lists:
        for hit in hits:
            if hit.chunk_id in by_id:
                by_id[hit.chunk_id].scores.update(hit.scores)
            else:
                by_id[hit.chunk_id] = hit
    return by_id


def _pages_in_order(hits: Sequence[Hit]) -> list[str]:
    """Page keys of ``hits`` in order of their best chunk."""
    return list(dict.fromkeys(page_key(h) for h in hits))
