"""What the words around a name candidate say: the features the fitted name model weighs.

Each feature is 0 or 1 (a few are fractions). Some raise the chance the name is someone in a case
(a role or family word before it, an age after it, a placement in the text); some lower it (a
citation "Ruch (2005)", "Kadushin's model", a name in the authors' glossary or the indexed
material). Their weights are fitted, not chosen: see :mod:`assistant.privacy.model`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from functools import lru_cache

from assistant.privacy.names import FIRST_NAMES, NOT_NAMES, PUBLIC_CASES, THEORISTS
from assistant.privacy.ner import Candidate

FEATURES = (
    "ner",
    "ner_tc",
    "ner_other",
    "propn",
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
)
"""Feature names, in the order of the fitted weights."""

_YEAR = r"(?:1[89]|20)\d\d[a-z]?"
_CITATION = re.compile(
    rf"^(?:['’]s?)?\s*(?:,\s*)?(?:\(\s*{_YEAR}|{_YEAR}\b|et al\b|\(\s*eds?\b)"
    rf"|^\s*(?:and|&)\s+[\w\-]+(?:\s+et al\.?)?\s*,?\s*\(?\s*{_YEAR}",
    re.IGNORECASE,
)
_AUTHORED = re.compile(
    r"^(?:['’]s?)?\s+(?:[\w\-]+\s+){0,3}?(?:model|theory|theories|approach|cycle|framework|review|"
    r"principles|ideas?|work|concept|book|research|stages|hierarchy|triangle|definition|"
    r"argument|view|account|study|studies|findings|test|scale|conditions|typology)\b",
    re.IGNORECASE,
)
_SCHOLAR_VERB = re.compile(
    r"^\s*(?:,\s*)?(?:say|says|said|argue|argues|argued|suggest|suggests|suggested|describe|"
    r"describes|described|mean|means|meant|wrote|writes|write|found|find|define|defines|call|"
    r"calls|recommend|recommended|distinguish|distinguishes|explain|explains|claim|claims|"
    r"propose|proposes|proposed|identif\w+|develop\w*|on)\b",
    re.IGNORECASE,
)
_QUESTION_FRAME = re.compile(
    r"(?:\b(?:what|how|why|where)\s+(?:does|did|do|would|might|could|can)|according to|as|"
    r"compare|explain|summarise|summarize)\s+$",
    re.IGNORECASE,
)
_SCHOLARLY = re.compile(
    r"\b(?:theory|theories|theorist|model|argues?|research|concept|framework|according|"
    r"literature|book|author|wrote|cycle|stages|hierarchy|principles|review|evidence|study)\b",
    re.IGNORECASE,
)
_ROLE_BEFORE = re.compile(
    r"\b(?:client|service[ -]user|young person|child|boy|girl|baby|son|daughter|mum|mother|dad|"
    r"father|brother|sister|nan|gran|grandad|grandma|grandmother|grandfather|aunt|auntie|uncle|"
    r"carer|partner|husband|wife|boyfriend|girlfriend|stepdad|stepmum|called|named|pupil|"
    r"supervisee|cousin|niece|nephew|patient|resident|tenant|name is|name's)\s*,?\s*(?:is\s+)?$",
    re.IGNORECASE,
)
_CONTACT_BEFORE = re.compile(
    r"\b(?:with|visited|visiting|visit to|saw|see|seeing|met|meet|spoke to|talk to|talked to|"
    r"supporting|support|worried about|about|for|to|help)\s+$",
    re.IGNORECASE,
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
_CASE_WORDS = re.compile(
    r"\b(?:placement|placed|foster|contact|visit|visits|visited|school|nursery|referral|"
    r"referred|plan|disclosed|told me|caseload|refuge|prison|care leaver|bruis\w*|self[ -]harm"
    r"\w*|arrested|evicted|discharged|pregnant|missing|excluded|appointment|home|session|case|"
    r"refus\w+|drinking|drugs|abuse|neglect|benefits|asylum|dementia)\b",
    re.IGNORECASE,
)
_FAMILY = re.compile(
    r"\b(?:mum|mummy|dad|daddy|mother|father|son|daughter|brother|sister|nan|grandad|grandma|"
    r"grandson|granddaughter|husband|wife|partner|boyfriend|girlfriend|aunt|uncle|stepdad|"
    r"stepmum|twins|kids|children|baby|family)\b",
    re.IGNORECASE,
)
_CASE_VERB_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:has\s+|had\s+|have\s+|is\s+|was\s+)?(?:just\s+)?(?:told|tells|disclosed|"
    r"says\s+(?:she|he|they|her|his)|said\s+(?:she|he|they)|refus\w+|keeps|lives|moved|"
    r"missed|wants|living|found|been|arrived|fled|cant|can't|won't|shouts?|shouting|ringing|"
    r"texting|turned|and\s+(?:her|his|their))\b",
    re.IGNORECASE,
)
_POSSESSIVE_CASE = re.compile(
    r"^['’]s\s+(?:\w+\s+)?(?:mum|dad|mother|father|foster|grand\w*|baby|children|kids|son|"
    r"daughter|husband|wife|partner|boyfriend|placement|school|case|teacher|carer|nan|email|"
    r"phone|mobile|address)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|our|us)\b", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s*|\n\s*)$")
_TOKEN = re.compile(r"[\w'’\-]+")
_LOWER_NOT_NAMES = frozenset(w.lower() for w in NOT_NAMES)


def _norm(word: str) -> str:
    return re.sub(r"['’]s$", "", word).lower()


def _lookup(words: Collection[str]) -> frozenset[str]:
    return frozenset(_norm(w) for w in words)


_GLOSSARY = _lookup(THEORISTS)
_PUBLIC = _lookup(PUBLIC_CASES)
_FIRST = _lookup(FIRST_NAMES)


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    """English word counts from the spelling checker's dictionary (pyspellchecker)."""
    from spellchecker import SpellChecker

    return dict(SpellChecker().word_frequency.dictionary)


def _frequency(word: str) -> int:
    """How common a word is in English; a hyphenated word counts as its commonest part."""
    counts = _frequencies()
    parts = [word, *word.split("-")] if "-" in word else [word]
    return max(counts.get(p, 0) for p in parts)


def features(
    text: str, cand: Candidate, rules: dict[str, set[tuple[int, int]]], indexed: frozenset[str]
) -> list[float]:
    """The candidate's feature vector, in :data:`FEATURES` order.

    ``rules`` maps "strong"/"weak" to the spans the name rules found; ``indexed`` holds the
    lower-cased names found in the indexed material.
    """
    span = text[cand.start : cand.end]
    words = [_norm(w) for w in _TOKEN.findall(span)] or [""]
    before, after = text[max(0, cand.start - 60) : cand.start], text[cand.end : cand.end + 60]
    window = text[max(0, cand.start - 200) : cand.end + 200]
    rarest = min(_frequency(w) for w in words)

    def hit(spans: set[tuple[int, int]]) -> float:
        return float(any(s < cand.end and cand.start < e for s, e in spans))

    values = {
        **{s: float(s in cand.sources) for s in ("ner", "ner_tc", "ner_other", "propn", "slot")},
        "rule_strong": hit(rules["strong"]),
        "rule_weak": hit(rules["weak"]),
        "glossary": float(words[-1] in _GLOSSARY or _norm(span) in _GLOSSARY),
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
        "ordinary": float(all(w in _LOWER_NOT_NAMES for w in words)),
        "word_frequency": math.log10(1 + rarest) / 7,
        "dictionary_word": float(rarest >= 5000),
    }
    return [values[name] for name in FEATURES]
