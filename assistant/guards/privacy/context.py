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
from assistant.guards.privacy.ner import Candidate
from assistant.guards.privacy.words import alternation, english_frequency, log_frequency

FEATURES = (
    "ner",
    "ner_tc",
    "ner_other",
    "propn",
    "propn_tc",
    "slot",
    "rule_strong",
    "rule_weak",
    "glossary",
    "indexed",
    "public_case",
    "first_name",
    "citation",
    "authored",
    "scholar_verb",
    "question_frame",
    "scholarly_text",
    "role_before",
    "contact_before",
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
    r"(?:\b(?:what|how|why|where)\s+(?:does|did|do|would|might|could|can)|according to|as|"
    r"compare|explain|summarise|summarize)\s+$",
    re.IGNORECASE,
)
_SCHOLARLY = re.compile(rf"\b{_SCHOLARLY_WORDS}\b", re.IGNORECASE)
_PERSON_WORDS = alternation("privacy-person-words")
_FAMILY_WORDS = alternation("privacy-family-words")
_ROLE_BEFORE = re.compile(
    rf"\b(?:{_PERSON_WORDS}|{_FAMILY_WORDS}|called|named|name is|name's)\s*,?\s*(?:is\s+)?$",
    re.IGNORECASE,
)
_CONTACT_BEFORE = re.compile(
    rf"\b(?:{alternation('privacy-contact-verbs')}|with|about|for|to)\s+$", re.IGNORECASE
)
_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mx|master)\.?\s", re.IGNORECASE)
_TITLE_BEFORE = re.compile(r"\b(?:mr|mrs|ms|miss|mx|master)\.?\s+$", re.IGNORECASE)
_AGE_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:\(\s*(?:aged?\s*)?\d{1,2}\s*\)|,\s*(?:aged?\s*)?\d{1,2}\b|,?\s+aged?\s+\d"
    r"|,?\s+(?:who\s+)?(?:is|was|,)\s+(?:only\s+|just\s+|now\s+)?\d{1,2}\b)",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b\d{1,2}\s*(?:years? old|yrs?|yo|y/o|year old)\b|\baged?\s+\d{1,2}\b|\(\d{1,2}\)"
    r"|\b(?:is|was) (?:only |just |now )?\d{1,2}\b",
    re.IGNORECASE,
)
_CASE_WORDS = re.compile(rf"\b{alternation('privacy-case-words')}\b", re.IGNORECASE)
_FAMILY = re.compile(rf"\b{_FAMILY_WORDS}\b", re.IGNORECASE)
_ROLE_WORD = re.compile(rf"{_PERSON_WORDS}|{_FAMILY_WORDS}", re.IGNORECASE)
_SOURCES = ("ner", "ner_tc", "ner_other", "propn", "propn_tc", "slot")
_CASE_VERB_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:has\s+|had\s+|have\s+|is\s+|was\s+)?(?:just\s+)?(?:told|tells|disclosed|"
    r"says\s+(?:she|he|they|her|his)|said\s+(?:she|he|they)|refus\w+|keeps|lives|moved|"
    r"missed|wants|living|found|been|arrived|fled|cant|can't|won't|shouts?|shouting|ringing|"
    r"texting|turned|and\s+(?:her|his|their))\b",
    re.IGNORECASE,
)
_POSSESSIVE_CASE = re.compile(
    rf"^['’]s\s+(?:\w+\s+)?(?:{_FAMILY_WORDS}|{alternation('privacy-possessions')})\b",
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


def features(
    text: str, cand: Candidate, rules: dict[str, set[tuple[int, int]]], indexed: frozenset[str]
) -> list[float]:
    """The candidate's feature vector, in :data:`FEATURES` order.

    ``rules`` maps "strong"/"weak" to the spans the name rules found; ``indexed`` holds the
    lower-cased names found in the indexed material.
    """
    span = text[cand.start : cand.end]
    raw = _TOKEN.findall(span) or [""]
    words = [_norm(w) for w in raw]
    before, after = text[max(0, cand.start - 60) : cand.start], text[cand.end : cand.end + 60]
    window = text[max(0, cand.start - 200) : cand.end + 200]
    rarest = min(english_frequency(w) for w in words)

    def hit(spans: set[tuple[int, int]]) -> float:
        return float(any(s < cand.end and cand.start < e for s, e in spans))

    values = {
        **{s: float(s in cand.sources) for s in _SOURCES},
        "rule_strong": hit(rules["strong"]),
        "rule_weak": hit(rules["weak"]),
        "glossary": float(any(w in _GLOSSARY for w in words) or _norm(span) in _GLOSSARY),
        "indexed": float(_norm(span) in indexed or words[-1] in indexed),
        "public_case": float(_norm(span) in _PUBLIC),
        "first_name": float(words[0] in _FIRST),
        "citation": float(bool(_CITATION.search(after))),
        "authored": float(bool(_AUTHORED.search(after))),
        "scholar_verb": float(bool(_SCHOLAR_VERB.search(after))),
        "question_frame": float(bool(_QUESTION_FRAME.search(before))),
        "scholarly_text": min(len(_SCHOLARLY.findall(window)), 3) / 3,
        "role_before": float(bool(_ROLE_BEFORE.search(before))),
        "contact_before": float(bool(_CONTACT_BEFORE.search(before))),
        "title": float(bool(_TITLE.match(span) or _TITLE_BEFORE.search(before))),
        "age_after": float(bool(_AGE_AFTER.search(after))),
        "age_in_text": float(bool(_AGE.search(window))),
        "case_words": min(len(_CASE_WORDS.findall(window)), 3) / 3,
        "family_words": min(len(_FAMILY.findall(window)), 2) / 2,
        "case_verb_after": float(bool(_CASE_VERB_AFTER.search(after))),
        "possessive_case": float(bool(_POSSESSIVE_CASE.search(after))),
        "first_person": float(bool(_FIRST_PERSON.search(window))),
        "lowercase": float(span.islower()),
        "tokens": min(len(words), 4) / 4,
        "sentence_start": float(bool(_SENTENCE_START.search(before))),
        "ordinary": float(all(w in LOWER_NOT_NAMES for w in words)),
        "word_frequency": math.log10(1 + rarest) / 7,
        "dictionary_word": float(rarest >= COMMON_WORD),
        "acronym": _acronyms(raw, text),
        "common_share": sum(_common(w) for w in words) / len(words),
        "role_word": float(any(_ROLE_WORD.fullmatch(w) for w in words)),
        "study_frame": float(bool(STUDY_FRAME.search(text))),
        "start_common": log_frequency(words[0]) if _SENTENCE_START.search(before) else 0.0,
    }
    return [values[name] for name in FEATURES]
