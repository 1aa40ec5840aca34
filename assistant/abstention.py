"""Abstention: decide whether the retrieved evidence is strong enough to answer from.

Signals, all cheap and computed from what retrieval already found:

- *anchors*: the specific names, acronyms and numbers of the question ("Munro", "2005", "OARS");
  in a question typed all in lower case, words that are no common English ("maslow"). When one
  of them occurs nowhere in the course materials, the question is about something the materials
  do not contain, however similar the rest of the wording is.
- *dense*: cosine similarity of the closest passage to the question.
- *coverage*: IDF-weighted share of the question's key terms found in one of the top passages.
- *agreement*: whether dense and BM25 retrieval put the same page or slide near the top.
- *named*: the question asks only about names the materials use ("Who is Kittay?"). A passage
  naming them is the evidence, however little else of it resembles the question.
- *covered*: one top passage holds every word of the question that matters; out-of-corpus
  questions never do.
- *units*: a "how many" question counts in a unit the materials never use ("how many hours").
- *sentence support* (only when an embedder is passed to :func:`assess`, and only for weak
  evidence): the best similarity of the question to a single sentence of the top passages, and
  of the question's phrases made only of words the materials use ("attachment theory", not
  "contextual safeguarding") to any sentence. A question whose topic is a term the materials
  never use, and that no sentence answers, is out of scope even when common words match.

Thresholds are module constants, calibrated on the dev questions plus the extra questions in
``bench/calibration-questions.jsonl`` (``bench/devcheck.py`` prints the signals).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np
from langchain_core.documents import Document

from assistant.lexical import (
    LexicalIndex,
    english_stopwords,
    indexed_text,
    spaced,
    tokenize,
    words,
)
from assistant.records import Hit
from assistant.retrieval import QUERY_STOPWORDS, Retrieval
from assistant.spelling import common_english, english_compound
from assistant.vectorcache import unit_rows

#: Top passages whose words count as evidence.
EVIDENCE_HITS = 3
#: A passage this similar to the question is trusted even if an anchor is unknown.
DENSE_STRONG = 0.62
#: Below this similarity, and with no lexical support, nothing is trusted.
DENSE_FLOOR = 0.15
#: With no key term of the question in the top passages, this much similarity is needed.
DENSE_ALONE = 0.45

#: Words, and numbers with what is glued to them ("1990s", "3rd"), as the BM25 index sees them.
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*[A-Za-z]|[A-Za-z]|\d+[A-Za-z]*")
_NAME = r"[A-Z][A-Za-z'\u2019\-]*"
#: A possessive ending: "maslow's".
_POSSESSIVE = re.compile(r"['\u2019]s$")
#: What may stand between the end of a sentence and the first word of the next.
_OPENING = " \t\n\"'\u2018\u201c("
#: Two or more capitalised words in a row: "Think Family", "Care Act", "Signs of Safety".
_PHRASE = re.compile(rf"{_NAME}(?:\s+(?:of\s+|and\s+|for\s+)?{_NAME})+")
#: Passages searched for a multi-word name.
PHRASE_HITS = 10
#: Shorter unknown words are not taken for names: too many short forms and abbreviations.
UNUSUAL_MIN_LENGTH = 4
#: Weak evidence (dense below DENSE_ALONE) is also refused when no sentence of the top passages is
#: this similar to the question...
SENTENCE_MIN = 0.45
#: ...and no phrase of the question built from the materials' own words is this similar to one.
KNOWN_PHRASE_MIN = 0.55
#: Passages (from each of fused, dense and BM25 lists) whose sentences count as support.
SENTENCE_HITS = 5
_SENTENCE = re.compile(r"\n|(?<=[.!?])\s+")


@dataclass
class Evidence:
    """The signals behind an answer-or-abstain decision."""

    dense_top: float
    coverage: float
    agree: bool
    key_terms: list[str] = field(default_factory=list)
    unknown_anchors: list[str] = field(default_factory=list)
    sentence_top: float | None = None
    known_phrase_top: float | None = None
    #: The question names a page or slide ("slide 14") and it is among the top passages.
    located: bool = False
    #: Every word of the question that matters is part of a name or number ("Who is Kittay?"), and
    #: one top passage contains them all.
    named: bool = False
    #: One top passage contains every word of the question that matters (:func:`covered`).
    covered: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def anchors(question: str) -> list[str]:
    """Names, acronyms and numbers in ``question``: capitalised words that do not start a
    sentence, all-caps words and digits (question words such as "What" never count)."""
    found = []
    for match in _TOKEN.finditer(question):
        word = match.group()
        if word.lower() in QUERY_STOPWORDS or word == "I":
            continue
        is_name = word[0].isupper() and (
            not _starts_sentence(question, match.start()) or word.isupper()
        )
        if word[0].isdigit() or is_name:
            found.append(word)
    return found


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins ``text`` or a sentence (after ". ", "? ", ": "...)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    return i < 0 or (text[i] in ".!?:" and text[i + 1].isspace())


def unknown_anchors(
    question: str, index: LexicalIndex, abbreviated: frozenset[str] = frozenset()
) -> list[str]:
    """Anchors of ``question`` with a word that occurs nowhere in the indexed materials, apart
    from the words in ``abbreviated`` (see :func:`abbreviated_words`). A question typed all in
    lower case has no capitals to show its names: add its :func:`unusual_words`; one with a
    capital only where a sentence starts, those of them :func:`named_by_context`."""
    found = [
        word for word in anchors(question) if word not in abbreviated and not index.knows_word(word)
    ]
    if question == question.lower():
        unusual = unusual_words(question, index)
    elif without_capitals(question):
        unusual = [w for w in unusual_words(question, index) if w in named_by_context(question)]
    else:
        return found
    return found + [word for word in unusual if word not in found and word not in abbreviated]


def named_by_context(question: str) -> list[str]:
    """Words that the words around them show to be names, capitals or not: a possessive
    ("maslow's hierarchy") or a word just before a naming noun ("the munro review")."""
    tokens = _TOKEN.findall(question)
    return [
        word
        for word, after in zip(tokens, [*tokens[1:], ""], strict=True)
        if _POSSESSIVE.search(word) or after.lower() in NAMING_NOUNS
    ]


#: Units a "how many ..." question may count in: "how many hours", "how many working days".
# fmt: off
UNITS = frozenset({
    "seconds", "minutes", "hours", "days", "weeks", "fortnights", "months", "years", "decades",
    "pounds", "pence", "euros", "dollars", "miles", "kilometres", "metres",
})
# fmt: on
_HOW_MANY = re.compile(r"\bhow\s+(?:many|much)\s+([a-z-]+)(?:\s+([a-z]+))?", re.IGNORECASE)


def unknown_units(question: str, index: LexicalIndex) -> list[str]:
    """The unit of a "how many" question ("how many hours", "how many working days") when the
    materials never use it: they cannot give a number in it."""
    found = []
    for words_after in _HOW_MANY.findall(question):
        unit = next((w for w in words_after if w.lower() in UNITS), None)
        if unit and not index.knows_word(unit):
            found.append(unit)
    return found


def unusual_words(question: str, index: LexicalIndex) -> list[str]:
    """:func:`name_like` words of ``question`` that the materials never use ("maslow",
    "prochaska"). Only used for questions typed without capitals (see :func:`unknown_anchors`):
    elsewhere a word like this is more often a typo the speller could not mend ("coroanvirus")
    than a name without its capital."""
    return [word for word in name_like(question) if not index.knows_word(_base(word))]


def name_like(question: str) -> list[str]:
    """Words of ``question`` that look like names even in lower case ("kittay", "maslow's"):
    neither common English words nor made of them ("psychodynamic", "mid-century" are English)."""
    found = []
    for match in _TOKEN.finditer(question):
        word = match.group()
        lower = _base(word)
        if (
            len(lower) >= UNUSUAL_MIN_LENGTH
            and lower not in QUERY_STOPWORDS
            and not word.isupper()
            and not common_english(lower)
            and not english_compound(lower)
        ):
            found.append(word)
    return found


def _base(word: str) -> str:
    """``word`` in lower case without a possessive "'s"."""
    return _POSSESSIVE.sub("", word.lower())


def abbreviated_words(question: str, passages: Sequence[Hit]) -> frozenset[str]:
    """Words of names in ``question`` that ``passages`` abbreviate: "Northern Ireland" when a
    passage says "NI" (in capitals, as a word of its own)."""
    texts = [h.text for h in passages]
    found: set[str] = set()
    for run, initials in name_runs(question):
        acronym = re.compile(rf"\b{initials}\b")
        if any(acronym.search(text) for text in texts):
            found.update(run)
    return frozenset(found)


def name_runs(question: str) -> list[tuple[list[str], str]]:
    """Every run of two or more capitalised words in the names of ``question`` with its initials:
    "BASW Northern Ireland" gives (["BASW", "Northern", "Ireland"], "BNI"), (["BASW", "Northern"],
    "BN") and (["Northern", "Ireland"], "NI")."""
    runs = []
    for name in names(question):
        parts = [w for w in name.split() if w[0].isupper()]
        for start in range(len(parts)):
            for end in range(start + 2, len(parts) + 1):
                run = parts[start:end]
                runs.append((run, "".join(w[0] for w in run)))
    return runs


def names(question: str) -> list[str]:
    """Multi-word names in ``question`` (leading question words dropped)."""
    found = []
    for match in _PHRASE.finditer(question):
        parts = match.group().split()
        while parts and parts[0].lower() in QUERY_STOPWORDS:
            parts = parts[1:]
        if len(parts) > 1:
            found.append(" ".join(parts))
    return found


#: Nouns that end the name of a model, tool or law: "the signs of safety framework".
# fmt: off
NAMING_NOUNS = frozenset({
    "model", "framework", "approach", "tool", "act", "review", "scheme", "profile", "outline",
    "court", "order", "arrangement", "officer", "safeguards", "programme", "theory", "triangle",
    "cycle", "wheel", "hierarchy", "test",
})
# fmt: on
#: Words that may join the words of a name ("deprivation of liberty", "drug and alcohol").
_NAME_JOINERS = frozenset({"of", "and", "for"})


def without_capitals(question: str) -> bool:
    """Whether ``question`` has no capital letter apart from the start of a sentence and "I":
    typed that way, its names do not show ("What is the signs of safety framework?")."""
    return not any(
        m.group()[0].isupper() and m.group() != "I" and not _starts_sentence(question, m.start())
        for m in _TOKEN.finditer(question)
    )


def lower_case_names(question: str) -> list[str]:
    """Names in a question typed without capitals (:func:`without_capitals`), found by the noun
    that ends them: the words between "the" and a naming noun ("the signs of safety framework"
    gives "signs of safety"), or a naming noun straight after "the" and what follows it (see
    :func:`_named_after`: "the hierarchy of needs"). Only names of two words or more: in a
    question typed all in lower case, one word is judged by :func:`unusual_words`."""
    if not without_capitals(question):
        return []
    tokens = [_base(t) for t in _TOKEN.findall(question)]
    stop = (QUERY_STOPWORDS | english_stopwords()) - _NAME_JOINERS
    found = []
    for end, token in enumerate(tokens):
        if token not in NAMING_NOUNS:
            continue
        start = end
        while start > 0 and tokens[start - 1] not in stop:
            start -= 1
        run = tokens[start:end]
        while run and run[0] in _NAME_JOINERS:
            run = run[1:]
        if start > 0 and tokens[start - 1] == "the" and len(run) >= 2:
            found.append(" ".join(run))
        elif start == end and end > 0 and tokens[end - 1] == "the":
            found += _named_after(tokens, end, stop)
    return found


def _named_after(tokens: list[str], noun: int, stop: frozenset[str]) -> list[str]:
    """The name that a naming noun starts: the noun, "of" or "for" and one word, or two joined by
    "and" ("the hierarchy of needs", "the wheel of power and control"); [] when the noun is not
    followed that way."""
    rest = tokens[noun + 1 : noun + 5]
    if len(rest) < 2 or rest[0] not in ("of", "for") or rest[1] in stop:
        return []
    size = 4 if len(rest) == 4 and rest[2] == "and" and rest[3] not in stop else 2
    return [" ".join(tokens[noun : noun + 1 + size])]


def _telling_words(name: str) -> str:
    """The words of a lower-case name a passage must have for the name to be known: all of them,
    but only the noun of a name that a naming noun starts. Materials with no hierarchy at all have
    no "hierarchy of needs"; materials with a theory may call "the theory of nested dependencies"
    a concept."""
    first = name.split()[0]
    return first if first in NAMING_NOUNS else name


def unknown_names(question: str, passages: list[Hit]) -> list[str]:
    """Multi-word names of ``question`` that none of ``passages`` contains as a phrase, whole or
    with part of it abbreviated ("BASW NI" for "BASW Northern Ireland"). In a question typed
    without capitals, also its :func:`lower_case_names` that no passage contains as a phrase or
    word for word in any order ("care ethics" is known from "an ethic of care")."""
    texts = [spaced(f"{h.metadata.get('context', '')} {h.text}") for h in passages]
    lower = lower_case_names(question)
    stems = [set(tokenize(text)) for text in texts] if lower else []
    unknown = [
        name
        for name in lower
        if not any(spaced(name) in text for text in texts)
        and not any(set(tokenize(_telling_words(name))) <= passage for passage in stems)
    ]
    runs = name_runs(question)
    for name in names(question):
        forms = [name] + [name.replace(" ".join(run), initials) for run, initials in runs]
        phrases = {spaced(form) for form in forms}
        if not any(phrase in text for phrase in phrases for text in texts):
            unknown.append(name)
    return unknown


def key_term_weights(question: str, index: LexicalIndex) -> dict[str, float]:
    """Stemmed question terms known to the index (question words removed) with IDF weights."""
    terms = dict.fromkeys(tokenize(question, index.stemming, QUERY_STOPWORDS))
    return {t: index.idf(t) for t in terms if index.knows(t)}


def passage_terms(hit: Hit, stemming: bool) -> set[str]:
    """The index terms of ``hit``, its context header included."""
    doc = Document(page_content=hit.text, metadata=hit.metadata)
    return set(tokenize(indexed_text(doc), stemming))


def coverage(weights: dict[str, float], present: set[str]) -> float:
    """IDF-weighted share of key terms in ``present`` (a passage's :func:`passage_terms`)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(w for t, w in weights.items() if t in present) / total


#: Counts a question asks for ("what are the three jobs...") that a list need not print.
COUNT_WORDS = "one two three four five six seven eight nine ten first second third"


def covered(question: str, passages: Sequence[set[str]], stemming: bool) -> bool:
    """Whether one of ``passages`` (their :func:`passage_terms`) holds every word of ``question``
    that matters, known to the materials or not (question words and counts aside): "what are
    rogers three core conditions" and the slide listing "Rogers' core conditions"."""
    terms = set(tokenize(question, stemming, QUERY_STOPWORDS)) - set(
        tokenize(COUNT_WORDS, stemming)
    )
    return bool(terms) and any(terms <= present for present in passages)


def phrases(question: str, index: LexicalIndex) -> list[tuple[str, bool]]:
    """Runs of consecutive content words of ``question`` (split at stopwords and question words),
    each with whether every word of it occurs in the indexed materials."""
    runs: list[list[str]] = [[]]
    for word in words(question):
        if tokenize(word, index.stemming, QUERY_STOPWORDS):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    found = []
    for run in filter(None, runs):
        text = " ".join(run)
        found.append((text, all(index.knows(t) for t in tokenize(text, index.stemming))))
    return found


class EmbedsDocuments(Protocol):
    """What the sentence check needs: LangChain ``Embeddings`` or the pipeline's vector cache."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


def text_sentences(text: str) -> list[str]:
    """Distinct lines / sentences of one passage (very short fragments dropped)."""
    parts = (p.strip() for p in _SENTENCE.split(text))
    return list(dict.fromkeys(p for p in parts if len(p) > 3))


def sentences(hits: Sequence[Hit]) -> list[str]:
    """Distinct lines / sentences of ``hits`` (very short fragments dropped)."""
    return list(dict.fromkeys(s for h in hits for s in text_sentences(h.text)))


def sentence_support(
    retrieval: Retrieval,
    index: LexicalIndex,
    embeddings: EmbedsDocuments,
    phrase_embeddings: EmbedsDocuments | None = None,
) -> tuple[float, float]:
    """(best question-to-sentence similarity in the top fused passages, best similarity of a
    known-word phrase of the question to a sentence of the top fused, dense or BM25 passages).

    Passage sentences go through ``embeddings`` (the pipeline passes its on-disk cache); the
    question's phrases through ``phrase_embeddings``, so nothing a user typed is ever cached."""
    top = sentences(retrieval.hits[:EVIDENCE_HITS])
    lists = (retrieval.hits, retrieval.dense, retrieval.bm25)
    pool_hits = {h.chunk_id: h for hits in lists for h in hits[:SENTENCE_HITS]}
    pool = sentences(list(pool_hits.values()))
    known = [text for text, all_known in phrases(retrieval.query, index) if all_known]
    passages = list(dict.fromkeys([*top, *pool]))
    if not passages and not known:
        return 0.0, 0.0
    vectors: dict[str, np.ndarray] = {}
    if passages:
        vectors.update(zip(passages, unit_rows(embeddings.embed_documents(passages)), strict=True))
    asked = [k for k in known if k not in vectors]
    if asked:
        embedder = phrase_embeddings or embeddings
        vectors.update(zip(asked, unit_rows(embedder.embed_documents(asked)), strict=True))
    sentence_top = 0.0
    if top and retrieval.query_vector is not None:
        query = unit_rows([retrieval.query_vector])[0]
        sentence_top = float(max(vectors[t] @ query for t in top))
    known_top = 0.0
    if known and pool:
        matrix = np.stack([vectors[t] for t in pool])
        known_top = float(max((matrix @ vectors[k]).max() for k in known))
    return sentence_top, known_top


def assess(
    question: str,
    retrieval: Retrieval,
    index: LexicalIndex,
    embeddings: EmbedsDocuments | None = None,
    phrase_embeddings: EmbedsDocuments | None = None,
) -> Evidence:
    """Measure the evidence ``retrieval`` found for ``question``; with ``embeddings``, weak
    evidence is also checked sentence by sentence."""
    query = retrieval.query or question
    weights = key_term_weights(query, index)
    top = retrieval.hits[:EVIDENCE_HITS]
    dense_top = max((h.scores.get("dense", 0.0) for h in retrieval.dense[:1]), default=0.0)
    top_terms = [passage_terms(h, index.stemming) for h in top]
    cov = max((coverage(weights, present) for present in top_terms), default=0.0)
    dense_pages = {(h.source, h.number) for h in retrieval.dense[:EVIDENCE_HITS]}
    bm25_pages = {(h.source, h.number) for h in retrieval.bm25[:EVIDENCE_HITS]}
    nearby = [*retrieval.bm25[:PHRASE_HITS], *retrieval.dense[:PHRASE_HITS]]
    sentence_top = known_top = None
    if embeddings is not None and retrieval.hits and dense_top < DENSE_ALONE:
        sentence_top, known_top = sentence_support(retrieval, index, embeddings, phrase_embeddings)
    return Evidence(
        sentence_top=sentence_top,
        known_phrase_top=known_top,
        dense_top=dense_top,
        coverage=cov,
        agree=bool(dense_pages & bm25_pages),
        key_terms=list(weights),
        unknown_anchors=unknown_anchors(query, index, abbreviated_words(query, nearby))
        + unknown_names(query, nearby)
        + unknown_units(query, index),
        located=any("location" in h.scores for h in top),
        named=cov == 1.0 and names_only(query, index.stemming),
        covered=covered(query, top_terms, index.stemming),
    )


def names_only(question: str, stemming: bool) -> bool:
    """Whether every word of ``question`` apart from question words and stopwords belongs to one
    of its names, acronyms or numbers ("Who was Halmos?", not "Who is Halmos and what is X?");
    in a question typed all in lower case, its :func:`name_like` words count as names."""
    named = anchors(question)
    if question == question.lower():
        named += name_like(question)
    terms = set(tokenize(question, stemming, QUERY_STOPWORDS))
    return bool(terms) and terms <= set(tokenize(" ".join(named), stemming))


def should_abstain(evidence: Evidence) -> bool:
    """Abstain when the question names something the materials never mention, or when neither
    meaning nor wording connects it to any passage (unless it names a page or slide that exists)."""
    if evidence.unknown_anchors and evidence.dense_top < DENSE_STRONG:
        return True
    if evidence.located:  # "what is on slide 14?": the named slide is the evidence
        return False
    if evidence.named or evidence.covered:  # a passage naming Kittay, or with every word asked
        return False
    if evidence.dense_top < DENSE_FLOOR:
        return True
    if evidence.coverage == 0.0 and evidence.dense_top < DENSE_ALONE:
        return True
    return unsupported_topic(evidence)


def unsupported_topic(evidence: Evidence) -> bool:
    """Weak evidence where no sentence answers the question and no phrase of the question made of
    the materials' own words matches a sentence: its topic is a term the materials never use."""
    if evidence.sentence_top is None or evidence.known_phrase_top is None:
        return False
    return (
        evidence.dense_top < DENSE_ALONE
        and evidence.sentence_top < SENTENCE_MIN
        and evidence.known_phrase_top < KNOWN_PHRASE_MIN
    )
