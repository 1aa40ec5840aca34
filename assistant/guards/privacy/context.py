"""What the words around a name candidate say: the features the fitted name model weighs.

Each feature is 0 or 1 (a few are fractions). Some raise the chance the name is someone in a case
(a role or family word before it, an age after it, a placement in the text); some lower it (a
citation "Ruch (2005)", "Kadushin's model", a name in the authors' glossary or the indexed
material). Their weights are fitted, not chosen: see :mod:`assistant.guards.privacy.model`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection

from assistant.guards.privacy.names import (
    FIRST_NAMES,
    LOWER_NOT_NAMES,
    PUBLIC_CASES,
    STUDY_FRAME,
    THEORISTS,
)
from assistant.guards.privacy.ner import ROLE_WORD, Candidate
from assistant.guards.privacy.words import alternation, english_frequency, log_frequency

FEATURES = (
    "ner",
    "ner_tc",
    "ner_other",
    "ner_place",
    "propn",
    "propn_tc",
    "slot",
    "rule_strong",
    "rule_weak",
    "rule_indexed",
    "glossary",
    "indexed",
    "public_case",
    "first_name",
    "citation",
    "authored",
    "scholar_verb",
    "question_frame",
    "wh_question",
    "scholarly_text",
    "role_before",
    "contact_before",
    "preposition_before",
    "place_before",
    "place_after",
    "before_identifier",
    "identifier_in_text",
    "unlisted_full_name",
    "title",
    "age_after",
    "age_in_text",
    "case_words",
    "family_words",
    "case_verb_after",
    "possessive_case",
    "first_person",
    "lowercase",
    "tokens",
    "sentence_start",
    "ordinary",
    "word_frequency",
    "dictionary_word",
    "acronym",
    "common_share",
    "role_word",
    "start_common",
    "study_frame",
)
"""Feature names, in the order of the fitted weights."""

_YEAR = r"(?:1[89]|20)\d\d[a-z]?"
_CITATION = re.compile(
    # "Ruch (2005)", "Ruch, 2005", "Wilson, Ruch and Lymbery (2008)", "Brandon et al"
    rf"^(?:['’]s?)?\s*(?:,\s*)?(?:(?:,\s*|\s+(?:and|&)\s+)[\w\-]+){{0,4}}(?:\s+et al\.?)?"
    rf"\s*,?\s*(?:\(\s*{_YEAR}|{_YEAR}\b|\(\s*eds?\b)|^\s+et al\b",
    re.IGNORECASE,
)
_SCHOLARLY_WORDS = alternation("privacy-scholarly-words")
_AUTHORED = re.compile(rf"^(?:['’]s?)?\s+(?:[\w\-]+\s+){{0,3}}?{_SCHOLARLY_WORDS}\b", re.IGNORECASE)
_SCHOLAR_VERB = re.compile(rf"^\s*(?:,\s*)?{alternation('privacy-scholar-verbs')}\b", re.IGNORECASE)
_QUESTION_FRAME = re.compile(
    rf"(?:\b(?:what|how|why|where)\s+{alternation('privacy-question-verbs')}|"
    rf"\b{alternation('privacy-question-openers')})\s+$",
    re.IGNORECASE,
)
_WH_QUESTION = re.compile(rf"^\W*{alternation('privacy-question-starts')}\b", re.IGNORECASE)
_SCHOLARLY = re.compile(rf"\b{_SCHOLARLY_WORDS}\b", re.IGNORECASE)
_PERSON_WORDS = alternation("privacy-person-words")
_FAMILY_WORDS = alternation("privacy-family-words")
_ROLE_BEFORE = re.compile(
    rf"\b(?:{_PERSON_WORDS}|{_FAMILY_WORDS}|called|named|name is|name's)\s*,?\s*(?:is\s+)?$",
    re.IGNORECASE,
)
_CONTACT_BEFORE = re.compile(rf"\b{alternation('privacy-contact-verbs')}\s+$", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(r"\b(?:with|about|for|to)\s+$", re.IGNORECASE)
_PLACE_BEFORE = re.compile(rf"\b{alternation('privacy-place-words')}\s+$", re.IGNORECASE)
_TITLES = alternation("privacy-titles")
_TITLE = re.compile(rf"^{_TITLES}\.?\s", re.IGNORECASE)
_TITLE_BEFORE = re.compile(rf"\b{_TITLES}\.?\s+$", re.IGNORECASE)
_PLACE_AFTER = re.compile(
    rf"^\s+(?:{alternation('privacy-institution-words')}|"
    rf"{alternation('privacy-street-suffixes')})\b",
    re.IGNORECASE,
)
_LABEL_GAP = re.compile(r"^[\s:,\-]{0,3}$")
_AGE_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:\(\s*(?:aged?\s*)?\d{1,2}\s*\)|,\s*(?:aged?\s*)?\d{1,2}\b|,?\s+aged?\s+\d"
    r"|,?\s+(?:who\s+)?(?:is|was|,)\s+(?:only\s+|just\s+|now\s+)?\d{1,2}\b)",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b\d{1,2}\s*(?:years? old|yrs?|yo|y/o|year old)\b|\baged?\s+\d{1,2}\b|\(\d{1,2}\)"
    r"|\b(?:is|was|(?:he|she)['’]?s) (?:only |just |now )?\d{1,2}\b",
    re.IGNORECASE,
)
_CASE_WORDS = re.compile(rf"\b{alternation('privacy-case-words')}\b", re.IGNORECASE)
_FAMILY = re.compile(rf"\b{_FAMILY_WORDS}\b", re.IGNORECASE)
_SOURCES = ("ner", "ner_tc", "ner_other", "ner_place", "propn", "propn_tc", "slot")
_CASE_VERB_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:has\s+|had\s+|have\s+|is\s+|was\s+)?(?:just\s+)?(?:told|tells|disclosed|"
    r"says\s+(?:she|he|they|her|his)|said\s+(?:she|he|they)|refus\w+|keeps|lives|moved|"
    r"missed|wants|living|found|been|arrived|fled|cant|can't|won't|shouts?|shouting|ringing|"
    r"texting|turned|and\s+(?:her|his|their))\b",
    re.IGNORECASE,
)
_POSSESSIVE_CASE = re.compile(
    rf"^['’]?s\s+(?:\w+\s+)?(?:{_FAMILY_WORDS}|{alternation('privacy-possessions')})\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|our|us)\b", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s*|\n\s*)$")
COMMON_WORD = 5000
"""pyspellchecker's count above which a word is common English ("call", "work")."""
_TOKEN = re.compile(r"[\w'’\-]+")


def _norm(word: str) -> str:
    return re.sub(r"['’]s$", "", word).lower()


def _lookup(words: Collection[str]) -> frozenset[str]:
    return frozenset(_norm(w) for w in words)


_GLOSSARY = _lookup(THEORISTS)
_PUBLIC = _lookup(PUBLIC_CASES)
_FIRST = _lookup(FIRST_NAMES)


def _acronyms(tokens: list[str], text: str) -> float:
    """Share of the span's tokens in capitals ("NHS", "ASYE"), unless the text is all capitals."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > len(letters) / 2:
        return 0.0
    return sum(len(t) > 1 and t.isupper() for t in tokens) / len(tokens)


def _common(word: str) -> bool:
    """An ordinary word: in the not-a-name list or common in English."""
    return word in LOWER_NOT_NAMES or english_frequency(word) >= COMMON_WORD


def _hit(cand: Candidate, spans: set[tuple[int, int]]) -> float:
    return float(any(s < cand.end and cand.start < e for s, e in spans))


def _list_values(
    span: str,
    words: list[str],
    cand: Candidate,
    rules: dict[str, set[tuple[int, int]]],
    indexed: frozenset[str],
) -> dict[str, float]:
    """Which parts proposed the candidate, and whether it is a known author, inquiry or name."""
    known = any(w in _GLOSSARY for w in words) or _norm(span) in _GLOSSARY
    in_index = _norm(span) in indexed or words[-1] in indexed
    strong = _hit(cand, rules["strong"])
    return {
        **{s: float(s in cand.sources) for s in _SOURCES},
        "rule_strong": strong,
        "rule_weak": _hit(cand, rules["weak"]),
        "rule_indexed": strong * float(known or in_index),
        "glossary": float(known),
        "indexed": float(in_index),
        "public_case": float(_norm(span) in _PUBLIC),
        "first_name": float(words[0] in _FIRST),
        "unlisted_full_name": float(
            len(words) > 1
            and bool({"ner", "ner_tc", "propn", "propn_tc"} & cand.sources)
            and not (known or in_index or _norm(span) in _PUBLIC)
        ),
    }


def _study_values(text: str, before: str, after: str, window: str) -> dict[str, float]:
    """Signs the name is a writer's: a citation, a scholarly word, a question about ideas."""
    return {
        "citation": float(bool(_CITATION.search(after))),
        "authored": float(bool(_AUTHORED.search(after))),
        "scholar_verb": float(bool(_SCHOLAR_VERB.search(after))),
        "question_frame": float(bool(_QUESTION_FRAME.search(before))),
        "wh_question": float(bool(_WH_QUESTION.search(text))),
        "scholarly_text": min(len(_SCHOLARLY.findall(window)), 3) / 3,
        "study_frame": float(bool(STUDY_FRAME.search(text))),
    }


def _label_before(text: str, cand: Candidate, identifiers: set[tuple[int, int]]) -> float:
    """Whether an identifier follows the candidate directly ("NHS no 943...": a label)."""
    return float(
        any(0 <= s - cand.end <= 3 and _LABEL_GAP.match(text[cand.end : s]) for s, _ in identifiers)
    )


def _case_values(span: str, before: str, after: str, window: str) -> dict[str, float]:
    """Signs the name is someone in a case: a role, title, age, family or case verb near it."""
    return {
        "role_before": float(bool(_ROLE_BEFORE.search(before))),
        "contact_before": float(bool(_CONTACT_BEFORE.search(before))),
        "preposition_before": float(bool(_PREPOSITION_BEFORE.search(before))),
        "place_before": float(bool(_PLACE_BEFORE.search(before))),
        "place_after": float(bool(_PLACE_AFTER.search(after))),
        "title": float(bool(_TITLE.match(span) or _TITLE_BEFORE.search(before))),
        "age_after": float(bool(_AGE_AFTER.search(after))),
        "age_in_text": float(bool(_AGE.search(window))),
        "case_words": min(len(_CASE_WORDS.findall(window)), 3) / 3,
        "family_words": min(len(_FAMILY.findall(window)), 2) / 2,
        "case_verb_after": float(bool(_CASE_VERB_AFTER.search(after))),
        "possessive_case": float(bool(_POSSESSIVE_CASE.search(after))),
        "first_person": float(bool(_FIRST_PERSON.search(window))),
    }


def _word_values(
    text: str, span: str, raw: list[str], words: list[str], before: str
) -> dict[str, float]:
    """What the words themselves look like: case, length, how common in English."""
    rarest = min(english_frequency(w) for w in words)
    at_start = bool(_SENTENCE_START.search(before))
    return {
        "lowercase": float(span.islower()),
        "tokens": min(len(words), 4) / 4,
        "sentence_start": float(at_start),
        "ordinary": float(all(w in LOWER_NOT_NAMES for w in words)),
        "word_frequency": math.log10(1 + rarest) / 7,
        "dictionary_word": float(rarest >= COMMON_WORD),
        "acronym": _acronyms(raw, text),
        "common_share": sum(_common(w) for w in words) / len(words),
        "role_word": float(any(ROLE_WORD.fullmatch(w) for w in words)),
        "start_common": log_frequency(words[0]) if at_start else 0.0,
    }


def features(
    text: str, cand: Candidate, rules: dict[str, set[tuple[int, int]]], indexed: frozenset[str]
) -> list[float]:
    """The candidate's feature vector, in :data:`FEATURES` order.

    ``rules`` maps "strong"/"weak" to the spans the name rules found and "identifier" to the
    identifiers' spans; ``indexed`` holds the lower-cased names found in the indexed material.
    """
    span = text[cand.start : cand.end]
    raw = _TOKEN.findall(span) or [""]
    words = [_norm(w) for w in raw]
    before, after = text[max(0, cand.start - 60) : cand.start], text[cand.end : cand.end + 60]
    window = text[max(0, cand.start - 200) : cand.end + 200]
    values = {
        **_list_values(span, words, cand, rules, indexed),
        **_study_values(text, before, after, window),
        **_case_values(span, before, after, window),
        **_word_values(text, span, raw, words, before),
        "before_identifier": _label_before(text, cand, rules.get("identifier", set())),
        "identifier_in_text": float(bool(rules.get("identifier"))),
    }
    return [values[name] for name in FEATURES]
