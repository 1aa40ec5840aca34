"""Abstention: decide whether the retrieved evidence is strong enough to answer from.

Three signals, all cheap: how similar the best passage is to the question (dense cosine), how much
of the question's distinctive vocabulary the best passages contain (IDF-weighted coverage), and
whether the two retrievers agree on the same page or slide. Thresholds are module constants,
calibrated on the dev questions (see ``bench/calibrate.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assistant.lexical import LexicalIndex, indexed_text, tokenize
from assistant.records import Hit
from assistant.retrieval import QUERY_STOPWORDS, Retrieval

#: Top passages whose words count as evidence.
EVIDENCE_HITS = 3
#: Dense cosine at or above which a passage is trusted on its own.
DENSE_STRONG = 0.62
#: Below this dense cosine nothing is trusted.
DENSE_FLOOR = 0.30
#: Share of the question's weighted key terms that must appear in one top passage.
COVERAGE_MIN = 0.55


@dataclass
class Evidence:
    """The signals behind an answer-or-abstain decision."""

    dense_top: float
    coverage: float
    agree: bool
    key_terms: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def key_term_weights(question: str, index: LexicalIndex) -> dict[str, float]:
    """Stemmed question terms (no question words) with IDF weights; unknown terms weigh most."""
    terms = dict.fromkeys(tokenize(question, index.stemming, QUERY_STOPWORDS))
    n = max(len(index), 1)
    unseen = float(__import__("math").log(1.0 + (n + 0.5) / 0.5))
    return {t: (index.idf(t) or unseen) for t in terms}


def coverage(weights: dict[str, float], hit: Hit, stemming: bool) -> float:
    """IDF-weighted share of key terms present in ``hit`` (its context header included)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    meta = dict(hit.metadata)
    from langchain_core.documents import Document

    present = set(tokenize(indexed_text(Document(page_content=hit.text, metadata=meta)), stemming))
    return sum(w for t, w in weights.items() if t in present) / total


def assess(question: str, retrieval: Retrieval, index: LexicalIndex) -> Evidence:
    """Measure the evidence ``retrieval`` found for ``question``."""
    weights = key_term_weights(retrieval.query or question, index)
    top = retrieval.hits[:EVIDENCE_HITS]
    dense_top = max((h.scores.get("dense", 0.0) for h in retrieval.dense[:1]), default=0.0)
    cov = max((coverage(weights, h, index.stemming) for h in top), default=0.0)
    dense_pages = {(h.source, h.number) for h in retrieval.dense[:EVIDENCE_HITS]}
    bm25_pages = {(h.source, h.number) for h in retrieval.bm25[:EVIDENCE_HITS]}
    return Evidence(dense_top, cov, bool(dense_pages & bm25_pages), list(weights))


def should_abstain(evidence: Evidence) -> bool:
    """Abstain unless some signal says the materials cover the question."""
    if evidence.dense_top >= DENSE_STRONG:
        return False
    if evidence.dense_top < DENSE_FLOOR:
        return True
    return evidence.coverage < COVERAGE_MIN
