"""The default answerer: no language model, only verbatim sentences and list items from the hits.

Candidate units (sentences, bullets, list items; see :mod:`assistant.units`) from the top hits are
scored against the question by weighted term overlap, optionally blended with the cosine similarity
of their embeddings, plus a prior for the hit's rank. The best units are kept verbatim, a list is
kept whole when one of its items (or its introduction) is chosen, and each piece is followed by its
citation marker. Faithful by construction: every word comes from a cited page or slide.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from assistant.answer import abstain, snippet
from assistant.lexical import tokenize
from assistant.records import Answer, Citation, Hit
from assistant.retrieval import QUERY_STOPWORDS
from assistant.settings import Settings
from assistant.units import Unit, split_units, strip_bullet

#: Word budget of an extractive answer (the issue asks for about 40-150 words).
MIN_WORDS, MAX_WORDS = 40, 150
#: Hits whose units are considered.
MAX_HITS = 4
#: A list is quoted whole up to this many words.
MAX_LIST_WORDS = 110
#: Units scoring below this share of the best unit are left out.
RELATIVE_CUTOFF = 0.5


@dataclass
class Candidate:
    unit: Unit
    hit_rank: int
    score: float = 0.0


class ExtractiveAnswerer:
    """Select, order and cite verbatim units; see the module docstring."""

    label = "extractive"

    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings | None = None,
        cache_size: int = 4096,
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size

    # --- public API ----------------------------------------------------------------------------
    def answer(self, question: str, hits: Sequence[Hit], mode: str = "hybrid") -> Answer:
        hits = list(hits)[:MAX_HITS]
        candidates = self.score(question, hits)
        if not candidates:
            return abstain(question, hits[:3], self.label, mode)
        chosen = select(candidates)
        text, cited = render(chosen, hits)
        citations = [
            Citation.from_hit(n, hits[rank], snippet(hits[rank].text))
            for n, rank in enumerate(cited, 1)
        ]
        return Answer(question, text, citations, mode=self.label, retrieval_mode=mode)

    def stream(
        self, question: str, hits: Sequence[Hit], mode: str = "hybrid"
    ) -> Iterator[str | Answer]:
        final = self.answer(question, hits, mode)
        yield final.text
        yield final

    # --- scoring -------------------------------------------------------------------------------
    def score(self, question: str, hits: Sequence[Hit]) -> list[Candidate]:
        """Every unit of ``hits`` with its query-focused score, best first."""
        candidates = [
            Candidate(unit, rank) for rank, hit in enumerate(hits) for unit in split_units(hit.text)
        ]
        if not candidates:
            return []
        stem = self.settings.bm25_stemming
        q_terms = set(tokenize(question, stem, QUERY_STOPWORDS))
        unit_terms = [set(tokenize(c.unit.text, stem)) for c in candidates]
        weights = _local_idf(q_terms, unit_terms)
        total = sum(weights.values()) or 1.0
        semantic = self._similarities(question, [c.unit.text for c in candidates])
        for i, (cand, terms) in enumerate(zip(candidates, unit_terms, strict=True)):
            lexical = sum(w for t, w in weights.items() if t in terms) / total
            prior = 0.3 / (1 + cand.hit_rank)
            cand.score = lexical + prior + (semantic[i] if semantic else 0.0)
        return sorted(candidates, key=lambda c: (-c.score, c.hit_rank, c.unit.position))

    def _similarities(self, question: str, texts: list[str]) -> list[float] | None:
        if self.embeddings is None:
            return None
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vec in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._vectors[text] = vec
            while len(self._vectors) > self._cache_size:
                self._vectors.popitem(last=False)
        query = self.embeddings.embed_query(question)
        return [_cosine(query, self._vectors[t]) for t in texts]


def _local_idf(q_terms: set[str], unit_terms: list[set[str]]) -> dict[str, float]:
    """IDF of each query term among the candidate units (terms in no unit weigh nothing)."""
    df = Counter(t for terms in unit_terms for t in terms if t in q_terms)
    n = len(unit_terms)
    return {t: math.log(1 + n / df[t]) for t in q_terms if df[t]}


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


def select(candidates: list[Candidate]) -> list[Candidate]:
    """The units to quote: best first, whole lists, within the word budget."""
    best = candidates[0].score
    by_group: dict[tuple[int, int], list[Candidate]] = {}
    for cand in candidates:
        by_group.setdefault((cand.hit_rank, cand.unit.group), []).append(cand)
    chosen: dict[tuple[int, int], Candidate] = {}
    words = 0
    for cand in candidates:
        if words >= MIN_WORDS and cand.score < RELATIVE_CUTOFF * best:
            break
        group = by_group[(cand.hit_rank, cand.unit.group)]
        group_words = sum(c.unit.n_words for c in group)
        take = group if len(group) > 1 and group_words <= MAX_LIST_WORDS else [cand]
        new = [c for c in take if (c.hit_rank, c.unit.position) not in chosen]
        extra = sum(c.unit.n_words for c in new)
        if not new or (chosen and words + extra > MAX_WORDS):
            continue
        for c in new:
            chosen[(c.hit_rank, c.unit.position)] = c
        words += extra
    return [chosen[key] for key in sorted(chosen)]


def render(chosen: list[Candidate], hits: Sequence[Hit]) -> tuple[str, list[int]]:
    """Answer text with ``[n]`` markers, and the hit ranks cited in order of ``n``."""
    order = list(dict.fromkeys(c.hit_rank for c in chosen))
    number = {rank: n for n, rank in enumerate(order, 1)}
    parts: list[str] = []
    i = 0
    while i < len(chosen):
        cand = chosen[i]
        run = [cand]
        while (
            i + len(run) < len(chosen)
            and chosen[i + len(run)].hit_rank == cand.hit_rank
            and chosen[i + len(run)].unit.group == cand.unit.group
            and cand.unit.is_item | chosen[i + len(run)].unit.is_item
        ):
            run.append(chosen[i + len(run)])
        parts.append(f"{_join(run)} [{number[cand.hit_rank]}]")
        i += len(run)
    return " ".join(parts), order


def _join(run: list[Candidate]) -> str:
    """One unit verbatim, or a list as 'Introduction: item; item; item'."""
    texts = [strip_bullet(c.unit.text) for c in run]
    if len(texts) == 1:
        return texts[0]
    head, items = texts[0], texts[1:]
    return f"{head.rstrip(':')}: {'; '.join(items)}"
