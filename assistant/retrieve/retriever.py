"""Retrieval stage: dense (Chroma), BM25 (bm25s) or both fused (see
:mod:`assistant.retrieve.fusion`).

A :class:`Retriever` turns a question into ranked :class:`~assistant.records.Hit` records. Each hit
carries the score of every retriever that found it (``scores['dense']``, ``scores['bm25']``,
``scores['late']``) and, in hybrid mode, the fused score (``scores['fused']`` or ``scores['rrf']``,
also ``hit.score``). Near-duplicate chunks (the
same slide in a PPTX and in its PDF export) are collapsed into one hit so an answer never cites the
same content twice; the other copies are listed in ``hit.metadata['also_in']``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, get_args

from langchain_core.embeddings import Embeddings

from assistant.index.late import (
    LateInteraction,
    TokenCache,
    TokenEncoder,
    TokenVectors,
    passage_text,
    token_cache_path,
)
from assistant.index.lexical import LexicalIndex, load_index, read_state, words
from assistant.index.profiles import Profile, profile_for
from assistant.index.store import ChunkStore
from assistant.query.analyse import analyse
from assistant.query.clean import QUERY_STOPWORDS
from assistant.query.locations import named_locations
from assistant.records import Hit, QueryAnalysis, twin_files
from assistant.retrieve.fusion import fuse, page_key, zscore_fuse
from assistant.settings import RetrievalMode, Settings

MODES: tuple[str, ...] = get_args(RetrievalMode)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


#: (question cue, what a passage needs to contain to be the right *kind* of answer)
ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"\b(?:percent(?:age)?|per cent|proportion|what share|what fraction)\b", re.I),
        re.compile(r"\d\s*%|\bper ?cent\b", re.I),
    ),
    (
        re.compile(r"\b(?:what|which|in what|in which) year\b|\bwhen (?:was|were|did)\b", re.I),
        re.compile(r"\b(?:1[89]|20)\d\d\b"),
    ),
    (
        re.compile(r"\bhow (?:many|much)\b|\bwhat (?:number|amount)\b", re.I),
        re.compile(r"\d"),
    ),
    (  # who wrote or devised something: a citation, which carries a year ("Ruch, 2010")
        re.compile(
            r"\bwho (?:came up with|developed|coined|wrote|introduced|proposed|devised|created)\b"
            r"|\b(?:which|what) (?:author|writer|theorist|book|edition)\b"
            r"|\bwhose (?:idea|work|model|theory|concept|book|research)\b"
            r"|\b(?:credited|attributed) to\b",
            re.I,
        ),
        re.compile(r"\b(?:1[89]|20)\d\d\b"),
    ),
)


def answer_type(question: str) -> re.Pattern[str] | None:
    """What the answer to ``question`` must contain when it asks for a percentage, year or
    number (a classic question-answering cue), else None."""
    return next((needs for cue, needs in ANSWER_TYPES if cue.search(question)), None)


class UnknownMode(ValueError):
    """A retrieval mode other than dense, bm25 or hybrid."""


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise UnknownMode(f"Unknown retrieval mode '{mode}'; choose one of: {', '.join(MODES)}.")
    return mode


@lru_cache(maxsize=4096)
def shingles(text: str) -> frozenset[str]:
    """Word bigrams of ``text`` (case- and punctuation-insensitive)."""
    toks = words(text)
    return frozenset(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)) or frozenset(toks)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word bigrams of two texts."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else float(a.strip() == b.strip())


def collapse_duplicates(hits: Sequence[Hit], threshold: float = 0.8) -> list[Hit]:
    """One hit per piece of content: near-identical hits and twin documents' slides collapse.

    Hits are assumed best first. A later hit joins an earlier one on the same page or slide number
    when its text has a bigram Jaccard similarity of at least ``threshold`` (it is dropped), or when
    it comes from a twin document, the same file name in another format such as a deck's PPTX and
    its PDF export (its text is appended, as it may hold other parts of the slide such as speaker
    notes). The other document's name and location go in the kept hit's ``metadata['also_in']``.
    """
    kept: list[Hit] = []
    for hit in hits:
        twin, is_copy = _repeated(hit, kept, threshold)
        if twin is None:
            kept.append(hit)
            continue
        if not is_copy:
            twin.text = f"{twin.text}\n{hit.text}"
        where = f"{hit.file_name}, {hit.location}".rstrip(", ")
        also = twin.metadata.setdefault("also_in", [])
        if hit.source != twin.source and where not in also:
            also.append(where)
    return kept


def distinct(hits: Sequence[Hit], threshold: float = 0.8) -> list[Hit]:
    """``hits`` without those that repeat an earlier one, as :func:`collapse_duplicates` judges
    it, changing no hit: each retriever's own list, as evidence, then counts every piece of
    content once (a deck's slide and its PDF export's page do not fill two places)."""
    kept: list[Hit] = []
    for hit in hits:
        if _repeated(hit, kept, threshold)[0] is None:
            kept.append(hit)
    return kept


def _repeated(hit: Hit, kept: Sequence[Hit], threshold: float) -> tuple[Hit | None, bool]:
    """The hit of ``kept`` that ``hit`` repeats, if any, and whether it is a near-identical copy
    (otherwise it is the same page or slide of a twin document)."""
    same = [k for k in kept if k.number == hit.number]
    copy = next((k for k in same if similarity(k.text, hit.text) >= threshold), None)
    if copy is not None:
        return copy, True
    return next((k for k in same if twin_files(k.source, hit.source)), None), False


def merge_pages(hits: Sequence[Hit]) -> list[Hit]:
    """One hit per page or slide: later chunks of the same page join the first one's hit.

    A citation points at a page or slide, so two chunks of one page are one source. The merged
    hit keeps the best chunk's id and scores; its text holds the retrieved chunks of that page in
    reading order, and ``metadata['chunk_ids']`` lists them.
    """
    pages: dict[tuple[str, int | None], list[Hit]] = {}
    for hit in hits:
        pages.setdefault((hit.source, hit.number), []).append(hit)
    merged = []
    for group in pages.values():
        first = group[0]
        if len(group) > 1:
            ordered = sorted(group, key=lambda h: int(h.metadata.get("chunk_index", 0)))
            first.text = "\n".join(h.text for h in ordered)
            first.metadata["chunk_ids"] = [h.chunk_id for h in ordered]
        merged.append(first)
    return merged


@dataclass
class Retrieval:
    """Everything retrieval found for one query: the fused hits and each retriever's own list
    (with repeats removed by :func:`distinct`)."""

    query: str
    mode: str
    hits: list[Hit]
    dense: list[Hit] = field(default_factory=list)
    bm25: list[Hit] = field(default_factory=list)
    query_vector: list[float] | None = None
    #: Typos mended in the question before searching: typed word -> the materials' word.
    corrected: dict[str, str] = field(default_factory=dict)
    #: What the question says, worked out once (``query`` is its ``searched``).
    analysis: QueryAnalysis | None = None


class Retriever:
    """Dense, BM25 or hybrid retrieval over one :class:`ChunkStore`."""

    def __init__(
        self,
        settings: Settings,
        store: ChunkStore,
        embeddings: Embeddings | Callable[[], Embeddings],
    ) -> None:
        self.settings = settings
        self.store = store
        self._embeddings = embeddings
        self._lexical: LexicalIndex | None = None
        self._lexical_key: tuple[str, dict[str, Any] | None] | None = None
        self._token_cache: TokenCache | None = None
        self._lock = threading.Lock()

    @property
    def embeddings(self) -> Embeddings:
        if not isinstance(self._embeddings, Embeddings):
            self._embeddings = self._embeddings()
        return self._embeddings

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index (loaded on first use; :meth:`refresh` keeps it in step)."""
        if self._lexical is None:
            self.refresh()
        assert self._lexical is not None
        return self._lexical

    def refresh(self) -> LexicalIndex:
        """Reload or rebuild the BM25 index when the store's version has changed since it was
        built: another process (or this one) ingested or removed documents. One small request
        to Chroma; the swap happens under a lock, so a question sees one index whole. A store
        no ingest has stamped falls back to the saved index's state file."""
        version = self.store.version()
        with self._lock:
            if self._lexical is None or self._key(version) != self._lexical_key:
                self._lexical = load_index(self.settings, self.store, version, self._lexical)
                self._lexical_key = self._key(version)
            return self._lexical

    def _key(self, version: str) -> tuple[str, dict[str, Any] | None]:
        """What tells indexes apart: the store's version, or when unstamped the saved state."""
        return version, None if version else read_state(self.settings.bm25_dir)

    @property
    def late(self) -> LateInteraction | None:
        """Late-interaction scoring, when enabled and the embedding model has token vectors."""
        return self._late(self.lexical)

    def _late(self, index: LexicalIndex) -> LateInteraction | None:
        encoder = self.embeddings
        if not self.settings.late_interaction or not isinstance(encoder, TokenEncoder):
            return None
        with self._lock:
            if self._token_cache is None:
                self._token_cache = TokenCache(token_cache_path(self.settings))
        return LateInteraction(encoder, self._token_cache, index.word_idf, QUERY_STOPWORDS)

    def search(self, query: str, mode: str | None = None, k: int | None = None) -> list[Hit]:
        """The top ``k`` hits for ``query`` (defaults from settings)."""
        return self.retrieve(query, mode, k).hits

    @property
    def profile(self) -> Profile:
        """The fusion numbers of the configured embedder (see :mod:`assistant.index.profiles`)."""
        return profile_for(self.settings)

    def retrieve(
        self, query: str, mode: str | None = None, k: int | None = None, both: bool = False
    ) -> Retrieval:
        """Hits for ``query``; with ``both`` the unused retriever runs too (for abstention)."""
        mode = check_mode(mode or self.settings.retrieval_mode)
        k = k or self.settings.top_k
        self.refresh()
        analysis = self.analysis(query, mode, both)
        found = self.candidates(query, mode, max(self.settings.candidates, k), both, analysis)
        if mode == "dense":
            ranked = found.dense
        elif mode == "bm25":
            ranked = found.bm25
        else:
            ranked = self.fused(found, query)
        same = self.settings.duplicate_similarity
        dense, bm25 = distinct(found.dense, same), distinct(found.bm25, same)  # before collapse
        hits = merge_pages(collapse_duplicates(ranked, same))[:k]
        return Retrieval(
            found.query, mode, hits, dense, bm25, found.vector, found.corrected, analysis
        )

    def _analysis_index(self, mode: str, both: bool) -> LexicalIndex | None:
        """The index a question is read against: the BM25 index when it is searched, or when
        typos are mended (it also holds the materials' words), else none."""
        return self.lexical if _searches_bm25(mode, both) or self.settings.spelling else None

    def analysis(self, query: str, mode: str, both: bool = False) -> QueryAnalysis:
        """What ``query`` says (:func:`assistant.query.analyse.analyse`), read once per question."""
        return analyse(query, self._analysis_index(mode, both), self.settings)

    def candidates(
        self,
        query: str,
        mode: str,
        n: int,
        both: bool = False,
        analysis: QueryAnalysis | None = None,
    ) -> Candidates:
        """Each retriever's top ``n`` for ``query`` (cleaned, typos mended: its ``analysis``,
        made here when not given) before fusion; in hybrid mode the late-interaction scores of
        the union, where the model has token vectors."""
        analysis = analysis or self.analysis(query, mode, both)
        cleaned = analysis.searched
        lexical = _searches_bm25(mode, both)
        index = self._analysis_index(mode, both)
        late = self._late(index) if index is not None and mode == "hybrid" else None
        found = Candidates(cleaned, corrected=dict(analysis.corrected), analysis=analysis)
        pieces: TokenVectors | None = None
        if both or mode in ("dense", "hybrid"):
            if late is not None:
                found.vector, pieces = late.encoder.embed_query_with_tokens(cleaned)
            else:
                found.vector = self.embeddings.embed_query(cleaned)
            self.store.check_model(self.embeddings)
            found.dense = self.store.query(found.vector, n)
        if index is not None and lexical:
            if analysis.tokenises(cleaned, index.stemming):
                tokens = [t for t in analysis.terms if index.knows(t)]
            else:
                tokens = index.query_tokens(cleaned, QUERY_STOPWORDS)
            found.bm25 = index.search(tokens, n)
        if late is not None and self.profile.late_weight:
            union = list({h.chunk_id: h for h in [*found.dense, *found.bm25]}.values())
            found.late = rank_late(late, cleaned, union, pieces)
        return found

    def fused(self, found: Candidates, query: str) -> list[Hit]:
        """The hybrid ranking of ``found`` by the profile's fusion, with the answer-type and
        named-page bonuses."""
        profile = self.profile
        if profile.fusion == "zscore":
            weights = (profile.dense_weight, profile.bm25_weight, profile.late_weight)
            ranked = zscore_fuse(found.dense, found.bm25, found.late, weights)
            # the spread of the fused scores: a named page at the bottom reaches the top
            named_bonus = 1.001 * (ranked[0].score - ranked[-1].score) + 1e-9 if ranked else 0.0
        else:
            ranked = fuse(
                found.dense,
                found.bm25,
                profile.rrf_k,
                profile.bm25_weight,
                self.settings.bm25_dominance,
                late=found.late,
                late_weight=profile.late_weight,
            )
            # every retriever ranking the page first
            named_bonus = (1.0 + profile.bm25_weight + profile.late_weight) / (profile.rrf_k + 1)
        if profile.answer_type_weight:
            question = mended(query, found.corrected)
            ranked = favour_answer_type(ranked, question, profile.answer_type_weight)
        if found.analysis is not None and found.analysis.question == query:
            where = found.analysis.locations
        else:
            where = named_locations(query, self.settings.location_max_range)
        if where:
            ranked = favour_locations(ranked, self.lexical.located(where), named_bonus)
        return ranked


@dataclass
class Candidates:
    """What each retriever found for one query, before fusion."""

    query: str
    dense: list[Hit] = field(default_factory=list)
    bm25: list[Hit] = field(default_factory=list)
    late: list[Hit] = field(default_factory=list)
    vector: list[float] | None = None
    corrected: dict[str, str] = field(default_factory=dict)
    analysis: QueryAnalysis | None = None


def rank_late(
    late: LateInteraction, query: str, hits: Sequence[Hit], pieces: TokenVectors | None = None
) -> list[Hit]:
    """``hits`` re-ranked by late interaction; ``scores['late']`` holds each one's score."""
    texts = [passage_text(h.text, str(h.metadata.get("context", ""))) for h in hits]
    for hit, score in zip(hits, late.scores(query, texts, pieces), strict=True):
        hit.scores["late"] = score
    return sorted(hits, key=lambda h: (-h.scores["late"], h.chunk_id))


def mended(text: str, corrected: dict[str, str]) -> str:
    """``text`` with the typos the speller mended replaced by their corrections."""
    for typed, fixed in corrected.items():
        text = re.sub(rf"\b{re.escape(typed)}\b", fixed, text)
    return text


def _searches_bm25(mode: str, both: bool) -> bool:
    """Whether a search in ``mode`` (or with ``both`` lists wanted) runs BM25."""
    return both or mode in ("bm25", "hybrid")


def favour_answer_type(hits: list[Hit], question: str, bonus: float) -> list[Hit]:
    """Add ``bonus`` to the fused score of hits that contain the kind of answer asked for."""
    needs = answer_type(question)
    if needs is None:
        return hits
    for hit in hits:
        if needs.search(_URL.sub(" ", hit.text)):
            hit.scores["answer_type"] = bonus
            hit.score += bonus
    return sorted(hits, key=lambda h: (-h.score, h.chunk_id))


def favour_locations(hits: list[Hit], located: Sequence[Hit], bonus: float) -> list[Hit]:
    """Add ``bonus`` to the fused score of the pages or slides the question names.

    The bonus is about what every retriever ranking a page first is worth: the user said where to
    look, and only a page that all the words point at can still come before it. ``located``
    holds every chunk on the named pages; those no retriever found join the ranking with their
    page's fused score (the lowest fused score when no chunk of the page was found), so "what is
    on slide 14?" finds slide 14 even when its words share nothing with the question."""
    page_scores = {page_key(h): h.score for h in hits}
    lowest = min(page_scores.values(), default=0.0)
    known = {h.chunk_id for h in hits}
    for hit in located:
        if hit.chunk_id not in known:
            hit.score = page_scores.get(page_key(hit), lowest)
            hits.append(hit)
    named = {page_key(h) for h in located}
    for hit in hits:
        if page_key(hit) in named:
            hit.scores["location"] = bonus
            hit.score += bonus
    return sorted(hits, key=lambda h: (-h.score, h.chunk_id))


def quotable(hits: Sequence[Hit]) -> list[Hit]:
    """The hits an answer may quote: only the pages or slides the question names when retrieval
    found them ("what is on slide 14?" is not answered from slide 3), otherwise all of them."""
    return [h for h in hits if "location" in h.scores] or list(hits)
