"""One analysis per question: what every stage after triage reads instead of re-tokenising it.

:func:`analyse` cleans the question (:mod:`assistant.query.clean`: framing, page references and
phrases about the materials go), drops attribution to the publisher, mends typos of the
materials' words (:mod:`assistant.query.spelling`), tokenises what is left as the lexical index
does and reads the pages or slides it names (:mod:`assistant.query.locations`). The retriever
calls it once per question; the :class:`~assistant.records.QueryAnalysis` travels on the
``Retrieval`` and the ``AnswerRequest``.
"""

from __future__ import annotations

from assistant.index.lexical import LexicalIndex, tokenize
from assistant.query.clean import QUERY_STOPWORDS, clean_query, without_publisher
from assistant.query.locations import named_locations
from assistant.query.spelling import SpellingLimits, speller_for
from assistant.records import QueryAnalysis
from assistant.settings import Settings


def analyse(question: str, index: LexicalIndex | None, settings: Settings) -> QueryAnalysis:
    """What ``question`` says. Without ``index`` (dense retrieval with spelling off) nothing is
    read from the materials: no publisher attribution is dropped and no typo mended, and terms
    are stemmed as ``settings.bm25_stemming`` says."""
    cleaned = searched = clean_query(question)
    corrected: dict[str, str] = {}
    if index is not None:
        searched = without_publisher(cleaned, index.publisher_words)
    if index is not None and settings.spelling:
        limits = SpellingLimits.from_settings(settings)
        searched, corrected = speller_for(index, limits).correct(searched)
    stemming = index.stemming if index is not None else settings.bm25_stemming
    return QueryAnalysis(
        question=question,
        cleaned=cleaned,
        searched=searched,
        terms=tuple(tokenize(searched, stemming, QUERY_STOPWORDS)),
        tokens=tuple(tokenize(searched, stemming)),
        stemming=stemming,
        locations=named_locations(question, settings.location_max_range),
        corrected=corrected,
    )
