"""Typed records shared by retrieval, answering, the CLI, the web chat and evaluation.

Everything a user sees is rendered from these: a :class:`Hit` is one retrieved chunk, a
:class:`Citation` is a hit that an answer cites as ``[n]``, and an
:class:`Answer` is the whole reply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any


def location_label(page: int | None, slide: int | None) -> str:
    """Human label for where a chunk sits: ``'slide 14'``, ``'page 3'`` or ``''``."""
    if slide is not None:
        return f"slide {slide}"
    if page is not None:
        return f"page {page}"
    return ""


@dataclass
class Hit:
    """One retrieved chunk with its provenance and scores."""

    chunk_id: str
    text: str
    source: str
    file_name: str
    title: str
    page: int | None = None
    slide: int | None = None
    section: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> int | None:
        """The page or slide number (1-based) a citation points at."""
        return self.slide if self.slide is not None else self.page

    @property
    def location(self) -> str:
        return location_label(self.page, self.slide)

    @property
    def kind(self) -> str:
        return str(self.metadata.get("kind", ""))


@dataclass
class Citation:
    """A numbered source ``[n]`` of an answer."""

    n: int
    chunk_id: str
    source: str
    file_name: str
    title: str
    page: int | None
    slide: int | None
    section: str
    snippet: str
    score: float

    @property
    def location(self) -> str:
        return location_label(self.page, self.slide)

    def label(self) -> str:
        """``'[1] deck.pdf, slide 14 - The IDEAS Model'``."""
        where = f", {self.location}" if self.location else ""
        heading = (
            f" - {self.section}" if self.section else (f" - {self.title}" if self.title else "")
        )
        return f"[{self.n}] {self.file_name}{where}{heading}"

    @classmethod
    def from_hit(cls, n: int, hit: Hit, snippet: str | None = None) -> Citation:
        return cls(
            n=n,
            chunk_id=hit.chunk_id,
            source=hit.source,
            file_name=hit.file_name,
            title=hit.title,
            page=hit.page,
            slide=hit.slide,
            section=hit.section,
            snippet=snippet if snippet is not None else hit.text,
            score=hit.score,
        )


@dataclass
class Answer:
    """The reply to one question; the CLI, the web chat and eval all render from this."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    mode: str = "extractive"
    retrieval_mode: str = "hybrid"
    note: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for cite, raw in zip(self.citations, data["citations"], strict=True):
            raw["location"] = cite.location
            raw["label"] = cite.label()
        return data


@dataclass(frozen=True)
class AnswerRequest:
    """What an answerer is asked: the question and the passages to answer it from.

    ``mode`` is the retrieval mode that found them, ``query_vector`` the question's embedding (so
    it is not embedded twice) and ``searched`` the question as it was searched (framing and
    attribution left out, typos mended; see
    :meth:`assistant.retrieve.retriever.Retriever.retrieve`); ``analysis`` what retrieval made
    of the question (:class:`QueryAnalysis`), when it came from there.
    """

    question: str
    hits: Sequence[Hit]
    mode: str = "hybrid"
    query_vector: Sequence[float] | None = None
    searched: str | None = None
    analysis: QueryAnalysis | None = None


def twin_files(a: str, b: str) -> bool:
    """Two files with the same name in different formats (deck.pptx, deck.pdf), in any folders:
    one document, as a deck and its PDF export have the same slides. week1/notes.pdf and
    week2/notes.pdf are different documents."""
    pa, pb = PurePosixPath(a), PurePosixPath(b)
    return pa.stem == pb.stem and pa.suffix.lower() != pb.suffix.lower()


# --- pages and slides a question names (read by assistant.query.locations) ---------------------
@dataclass(frozen=True)
class Locations:
    """Pages or slides a question names: explicit numbers and/or "the last one"."""

    numbers: frozenset[int] = frozenset()
    last: bool = False

    def __bool__(self) -> bool:
        return bool(self.numbers) or self.last

    def matches(self, number: int | None, last_number: int | None) -> bool:
        """Whether page or slide ``number`` of a document whose last one is ``last_number`` is
        named."""
        if number is None:
            return False
        return number in self.numbers or (self.last and number == last_number)


# --- what one question says (made by assistant.query.analyse) ----------------------------------
@dataclass(frozen=True)
class QueryAnalysis:
    """One question as every stage after triage reads it, worked out once
    (:func:`assistant.query.analyse.analyse`, called by the retriever).

    ``cleaned`` is the question without framing, page references and phrases about the materials
    (:func:`assistant.query.clean.clean_query`); ``searched`` is what retrieval searched for:
    ``cleaned`` without attribution to the publisher and with the typos in ``corrected`` (typed
    word -> the materials' word) mended. ``terms`` are the searchable terms of ``searched`` as the
    lexical index tokenises them (stopwords and question words left out, stemmed when
    ``stemming``), in order with repeats; ``tokens`` are all its tokens (question words kept).
    ``locations`` are the pages or slides the question names.
    """

    question: str
    cleaned: str
    searched: str
    terms: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    stemming: bool = True
    locations: Locations = Locations()
    corrected: Mapping[str, str] = field(default_factory=dict)

    def tokenises(self, text: str, stemming: bool) -> bool:
        """Whether ``terms`` and ``tokens`` are those of ``text`` tokenised with ``stemming`` (a
        stage reading another text, or another stemming, tokenises it itself)."""
        return text == self.searched and stemming == self.stemming


def last_numbers(locations: Iterable[tuple[str, int | None]]) -> dict[str, int]:
    """The highest page or slide number of each source in ``(source, number)`` pairs."""
    last: dict[str, int] = {}
    for source, number in locations:
        if number is not None and number > last.get(source, 0):
            last[source] = number
    return last
