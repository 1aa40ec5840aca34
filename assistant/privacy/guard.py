"""Finding personal data in a text: identifiers by pattern, names by model plus context."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from assistant.privacy.context import features
from assistant.privacy.findings import Finding
from assistant.privacy.identifiers import _FULL_DATE, _identifier_findings
from assistant.privacy.model import load_model
from assistant.privacy.names import (
    PUBLIC_CASES,
    _strong_names,
    _weak_names,
    default_allow_names,
)
from assistant.privacy.ner import Candidate, merge, model_candidates

_PRIORITY = {
    kind: i
    for i, kind in enumerate(
        (
            "email",
            "nhs_number",
            "ni_number",
            "dob",
            "postcode",
            "phone",
            "address",
            "case_ref",
            "name",
        )
    )
}


def _resolve(findings: Iterable[Finding]) -> list[Finding]:
    """Keep non-overlapping findings: the more specific kind first, then the longer span."""
    ranked = sorted(findings, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def _dates_next_to_names(text: str, names: Sequence[Finding]) -> Iterator[Finding]:
    """Full dates within a few words of a name are treated as dates of birth."""
    for m in _FULL_DATE.finditer(text):
        if any(-40 < m.start() - n.end < 40 or -40 < n.start - m.end() < 40 for n in names):
            yield Finding("dob", m.start(), m.end(), m.group())


_ET_AL = re.compile(r"\s+et\.? al\b")


def _trim(text: str, cand: Candidate) -> Candidate:
    """Drop a trailing possessive and surrounding punctuation from the span."""
    start, end = cand.start, cand.end
    cut = _ET_AL.search(text, start, end)
    if cut:
        end = cut.start()
    if text[end - 2 : end] in ("'s", "’s"):
        end -= 2
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start < end and not text[start].isalnum():
        start += 1
    return Candidate(start, end, cand.sources)


def name_candidates(
    text: str, allow: frozenset[str] | set[str]
) -> tuple[list[Candidate], dict[str, set[tuple[int, int]]]]:
    """Merged candidates from the model and the rules, and the spans each kind of rule found."""
    rules = {
        "strong": {(f.start, f.end) for f in _strong_names(text)},
        "weak": {(f.start, f.end) for f in _weak_names(text, allow)},
    }
    found = model_candidates(text)
    found += [Candidate(s, e, frozenset({"rule"})) for s, e in rules["strong"] | rules["weak"]]
    taken = [(f.start, f.end) for f in _identifier_findings(text)]
    merged = [_trim(text, c) for c in merge(found, text)]
    return [
        c for c in merged if c.end > c.start and all(c.end <= s or c.start >= e for s, e in taken)
    ], rules


def scored_names(text: str, allow: frozenset[str] | set[str]) -> list[Finding]:
    """Every name candidate with the model's score (reported or not)."""
    model = load_model()
    indexed = frozenset(n.lower() for n in allow)
    candidates, rules = name_candidates(text, allow)
    return [
        Finding("name", c.start, c.end, text[c.start : c.end], round(score, 3))
        for c in candidates
        for score in [model.score(features(text, c, rules, indexed))]
    ]


def find_personal_data(text: str, allow_names: set[str] | None = None) -> list[Finding]:
    """Find likely personal data about service users in ``text``, ordered by position.

    ``allow_names`` replaces the names taken from the indexed material (the bundled corpus by
    default); names in it, or in the authors' glossary, count against a report unless the
    context says plainly that they are someone in a case ("my client ...", "Mrs ...").
    """
    if not text or not text.strip():
        return []
    allow: frozenset[str] | set[str] = (
        default_allow_names() if allow_names is None else allow_names | PUBLIC_CASES
    )
    threshold = load_model().threshold
    names = [f for f in scored_names(text, allow) if f.score >= threshold]
    findings = [*names, *_identifier_findings(text), *_dates_next_to_names(text, names)]
    return _resolve(findings)
