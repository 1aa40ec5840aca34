"""The default answerer: no language model, only verbatim sentences and list items from the hits.

Candidate units (sentences, bullets, list items; see :mod:`assistant.units`) of the top hits are
scored against the question: IDF-weighted overlap of key terms (corpus IDF when the pipeline passes
it), cosine similarity of the unit's embedding to the question's, a prior for the hit's rank, and
a bonus when the unit holds what the question asks for (a percentage, a year, a number). The best
unit is quoted (a list is kept whole), then other units that score at least half as well, then its
neighbours until the answer has about 60 words; nothing is quoted twice (a PPTX slide and its PDF
page, a heading repeated in the body) and lone headings are left out. Each piece is followed by its
``[n]``. Faithful by construction: every word comes from a cited page or slide.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer import abstain, snippet
from assistant.lexical import tokenize
from assistant.lexical import words as lexical_words
from assistant.records import Answer, Citation, Hit
from assistant.retrieval import QUERY_STOPWORDS, answer_type, similarity
from assistant.settings import Settings
from assistant.units import Unit, split_units, strip_bullet
from assistant.vectorcache import VectorCache

#: Word budget of an extractive answer (the issue asks for about 40-150 words).
MIN_WORDS, MAX_WORDS = 60, 150
#: Hits whose units are considered, and the score bonus for each hit rank.
HIT_PRIOR = (0.35, 0.15, 0.05, 0.0)
#: Weight of embedding similarity against IDF-weighted term overlap (which has weight 1).
SEMANTIC_WEIGHT = 1.5
#: Units compared with the question by embedding (the rest by their words only), and how many
#: of a unit's words are embedded.
MAX_EMBEDDED, EMBED_WORDS = 24, 64
#: Bonus for a unit of the kind the question asks for: a percentage for "what percentage", a
#: year for "when" or "who wrote" (a citation), a number for "how many".
ANSWER_TYPE_BONUS = 0.5
#: A list is quoted whole up to this many words.
MAX_LIST_WORDS = 110
#: Other units are added when they score at least this share of the best one.
RELATIVE_CUTOFF = 0.5
#: Units at least this similar (word bigrams) to one already quoted are left out.
DUPLICATE_SIMILARITY = 0.6
#: ... or that share this share of their words (the same sentence reworded slightly).
SAME_WORDS = 0.8
#: A line of at most this many words, without final punctuation, quoted alone is a heading.
HEADING_WORDS = 8

Idf = Callable[[str], float]


@dataclass
class Candidate:
    unit: Unit
    hit_rank: int
    score: float = 0.0

    @property
    def key(self) -> tuple[int, int]:
        return (self.hit_rank, self.unit.position)


class ExtractiveAnswerer:
    """Select, order and cite verbatim units; see the module docstring."""

    label = "extractive"

    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings | None = None,
        idf: Idf | None = None,
        cache: VectorCache | None = None,
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.idf = idf
        if cache is None and embeddings is not None:
            cache = VectorCache(embeddings)
        self.cache = cache

    # --- public API ----------------------------------------------------------------------------
    def answer(
        self,
        question: str,
        hits: Sequence[Hit],
        mode: str = "hybrid",
        query_vector: Sequence[float] | None = None,
        searched: str | None = None,
    ) -> Answer:
        """Quote the units of ``hits`` that best answer ``question``, each with its ``[n]``;
        units are scored against ``searched`` when given, so an answer does not change with
        "Morning all!", "according to BASW" or a mended typo."""
        hits = list(hits)[: len(HIT_PRIOR)]
        candidates = self.score(searched or question, hits, query_vector)
        if not candidates:
            return abstain(question, hits[:3], self.label, mode)
        chosen = select(candidates)
        text, cited = render(chosen)
        citations = [
            Citation.from_hit(n, hits[rank], snippet(hits[rank].text))
            for n, rank in enumerate(cited, 1)
        ]
        return Answer(question, text, citations, mode=self.label, retrieval_mode=mode)

    def stream(
        self,
        question: str,
        hits: Sequence[Hit],
        mode: str = "hybrid",
        query_vector: Sequence[float] | None = None,
        searched: str | None = None,
    ) -> Iterator[str | Answer]:
        final = self.answer(question, hits, mode, query_vector, searched)
        yield final.text
        yield final

    # --- scoring -------------------------------------------------------------------------------
    def score(
        self, question: str, hits: Sequence[Hit], query_vector: Sequence[float] | None = None
    ) -> list[Candidate]:
        """Every unit of ``hits`` with its query-focused score, best first."""
        candidates = [
            Candidate(unit, rank) for rank, hit in enumerate(hits) for unit in split_units(hit.text)
        ]
        if not candidates:
            return []
        stem = self.settings.bm25_stemming
        q_terms = set(tokenize(question, stem, QUERY_STOPWORDS))
        unit_terms = [set(tokenize(c.unit.text, stem)) for c in candidates]
        weights = self._weights(q_terms, unit_terms)
        total = sum(weights.values()) or 1.0
        needs = answer_type(question)
        for cand, terms in zip(candidates, unit_terms, strict=True):
            lexical = sum(w for t, w in weights.items() if t in terms) / total
            cand.score = lexical + HIT_PRIOR[cand.hit_rank]
            if needs is not None and needs.search(cand.unit.text):
                cand.score += ANSWER_TYPE_BONUS
        # embeddings for the most promising units only (all of them on ordinary pages and slides)
        shortlist = sorted(candidates, key=lambda c: (-c.score, c.key))[:MAX_EMBEDDED]
        texts = [" ".join(c.unit.text.split()[:EMBED_WORDS]) for c in shortlist]
        semantic = self._similarities(question, texts, query_vector)
        for cand, value in zip(shortlist, semantic or [], strict=False):
            cand.score += SEMANTIC_WEIGHT * value
        return sorted(candidates, key=lambda c: (-c.score, c.key))

    def _weights(self, q_terms: set[str], unit_terms: list[set[str]]) -> dict[str, float]:
        """IDF of each query term: corpus-wide when known, else among the candidate units."""
        df = Counter(t for terms in unit_terms for t in terms if t in q_terms)
        n = len(unit_terms)
        weights = {}
        for term in q_terms:
            if not df[term]:
                continue
            weights[term] = self.idf(term) if self.idf else math.log(1 + n / df[term])
        return weights

    def _similarities(
        self, question: str, texts: list[str], query_vector: Sequence[float] | None
    ) -> list[float] | None:
        """Cosine similarity of each text to the question (None without embeddings)."""
        if self.cache is None:
            return None
        if query_vector is None:
            query_vector = self.cache.embeddings.embed_query(question)
        query = np.asarray(query_vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        return [float(x) for x in self.cache.vectors(texts) @ query]


def _with_group(cand: Candidate, groups: dict[tuple[int, int], list[Candidate]]) -> list[Candidate]:
    """``cand`` and, when it belongs to a list that fits, the whole list."""
    group = groups[(cand.hit_rank, cand.unit.group)]
    if len(group) > 1 and sum(c.unit.n_words for c in group) <= MAX_LIST_WORDS:
        return group
    return [cand]


def select(candidates: list[Candidate]) -> list[Candidate]:
    """The units to quote, in reading order: best first, whole lists, neighbours to fill."""
    groups: dict[tuple[int, int], list[Candidate]] = {}
    for cand in sorted(candidates, key=lambda c: c.key):
        groups.setdefault((cand.hit_rank, cand.unit.group), []).append(cand)
    chosen: dict[tuple[int, int], Candidate] = {}
    said: list[str] = []  # normalised text of what is already quoted

    def add(cand: Candidate, groups: dict[tuple[int, int], list[Candidate]]) -> None:
        """Add ``cand`` with its whole list if that fits the budget, else on its own; never
        quote the same thing twice (a slide title repeated in its body, a PPTX and its PDF)."""
        words = sum(c.unit.n_words for c in chosen.values())
        for option in (_with_group(cand, groups), [cand]):
            new = [c for c in option if c.key not in chosen]
            if not new or (chosen and words + sum(c.unit.n_words for c in new) > MAX_WORDS):
                continue
            texts = [" ".join(lexical_words(c.unit.text)) for c in new]
            fresh: list[tuple[Candidate, str]] = []
            for c, text in zip(new, texts, strict=True):
                if not _repeats(text, said + [t for _, t in fresh], texts):
                    fresh.append((c, text))
            if chosen and len(fresh) == 1 and _is_heading(fresh[0][0]):
                return  # a title or heading on its own adds nothing to an answer
            for c, text in fresh:
                chosen[c.key] = c
                said.append(text)
            return

    best = candidates[0]
    add(best, groups)
    for cand in candidates[1:]:
        if cand.score < RELATIVE_CUTOFF * best.score:
            break
        add(cand, groups)
    by_key = {c.key: c for c in candidates}
    for step in range(1, 6):  # neighbours of what was chosen, nearest first
        if sum(c.unit.n_words for c in chosen.values()) >= MIN_WORDS:
            break
        for rank, position in sorted(chosen):
            for key in ((rank, position - step), (rank, position + step)):
                if key in by_key:
                    add(by_key[key], groups)
    return [chosen[key] for key in sorted(chosen)]


def _is_heading(cand: Candidate) -> bool:
    """A short line without punctuation at its end: a slide, page or section title."""
    text = cand.unit.text
    return cand.unit.is_item and cand.unit.n_words <= HEADING_WORDS and text[-1:].isalnum()


def _repeats(text: str, said: list[str], siblings: list[str]) -> bool:
    """Whether ``text`` says nothing new: it is (nearly) something already quoted, or a short
    heading repeated word for word at the start of a sibling unit."""
    if not text:
        return True
    for other in said:
        if text == other or (len(text.split()) >= 3 and f" {text} " in f" {other} "):
            return True
        if similarity(text, other) >= DUPLICATE_SIMILARITY:
            return True
        a, b = set(text.split()), set(other.split())
        if min(len(a), len(b)) >= 4 and len(a & b) / len(a | b) >= SAME_WORDS:
            return True
    return any(o != text and o.startswith(f"{text} ") for o in siblings)


def render(chosen: list[Candidate]) -> tuple[str, list[int]]:
    """Answer text with ``[n]`` markers, and the hit ranks cited in order of ``n``."""
    order = list(dict.fromkeys(c.hit_rank for c in chosen))
    number = {rank: n for n, rank in enumerate(order, 1)}
    parts: list[str] = []
    i = 0
    while i < len(chosen):
        run = [chosen[i]]
        while i + len(run) < len(chosen) and _same_list(run[-1], chosen[i + len(run)]):
            run.append(chosen[i + len(run)])
        parts.append(f"{_join(run)} [{number[run[0].hit_rank]}]")
        i += len(run)
    return " ".join(parts), order


def _same_list(a: Candidate, b: Candidate) -> bool:
    return (
        a.hit_rank == b.hit_rank
        and a.unit.group == b.unit.group
        and b.unit.position == a.unit.position + 1
        and b.unit.is_item
    )


def _join(run: list[Candidate]) -> str:
    """One unit verbatim, or a list as 'Introduction: item; item; item'."""
    texts = [strip_bullet(c.unit.text) for c in run]
    if len(texts) == 1:
        words = texts[0].split()  # a run-on paragraph with no sentence breaks is cut short
        return texts[0] if len(words) <= MAX_WORDS else " ".join(words[:MAX_WORDS]) + " …"
    head, items = texts[0].rstrip(":"), texts[1:]
    sep = " " if head.endswith((".", "!", "?")) else ": "
    return f"{head}{sep}{'; '.join(items)}"
