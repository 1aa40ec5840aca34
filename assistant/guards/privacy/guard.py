"""Finding personal data in a text: identifiers by pattern, names by model plus context."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from assistant.guards.privacy.context import FEATURES, features
from assistant.guards.privacy.findings import Finding
from assistant.guards.privacy.identifiers import _FULL_DATE, _identifier_findings
from assistant.guards.privacy.model import load_model
from assistant.guards.privacy.names import (
    LOWER_NOT_NAMES,
    PUBLIC_CASES,
    _strong_names,
    _weak_names,
    default_allow_names,
)
from assistant.guards.privacy.ner import ROLE_WORD, Candidate, merge, model_candidates

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
    """The name part of a candidate's span: no "et al", nothing after a possessive ("Rahul
    D'Souza's CAMHS"), no role word or what follows it ("hodans stepdad keeps"), no ordinary
    words or punctuation at either end, and no hyphenated word a longer span stops in the middle
    of ("dominelli anti" of "dominelli anti-oppressive")."""
    start, end = cand.start, cand.end
    cut = _ET_AL.search(text, start, end) or _POSSESSIVE_INSIDE.search(text, start, end)
    if cut:
        end = cut.start()
    if text[end - 2 : end] in ("'s", "’s"):
        end -= 2
    start, end = _strip_punctuation(text, start, end)
    start, end = _strip_punctuation(text, *_strip_function_words(text, start, end))
    start, end = _cut_at_role_word(text, start, end)
    if _HYPHEN_AFTER.match(text, end) and " " in text[start:end]:
        end = text.rindex(" ", start, end)
    return Candidate(start, end, cand.sources)


_POSSESSIVE_INSIDE = re.compile(r"['’]s\s")


def _cut_at_role_word(text: str, start: int, end: int) -> tuple[int, int]:
    """The span up to a word for a role or relation inside it ("hodans stepdad keeps")."""
    words = list(_WORD.finditer(text, start, end))
    for i, word in enumerate(words[1:], start=1):
        if ROLE_WORD.fullmatch(word.group()):
            return start, words[i - 1].end()
    return start, end


def _strip_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start < end and not text[start].isalnum():
        start += 1
    return start, end


_WORD = re.compile(r"\S+")
_HYPHEN_AFTER = re.compile(r"-[^\W\d_]")


def _strip_function_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop lower-case ordinary words at either end ("the ASYE programme" -> "ASYE programme")."""
    words = list(_WORD.finditer(text, start, end))
    while len(words) > 1 and _function_word(words[0].group()):
        words.pop(0)
    while len(words) > 1 and _function_word(words[-1].group()):
        words.pop()
    return (words[0].start(), words[-1].end()) if words else (start, end)


def _function_word(word: str) -> bool:
    """An ordinary lower-case word, or a word for a role or relation ("carer", "Mum")."""
    return (word.islower() and word in LOWER_NOT_NAMES) or bool(ROLE_WORD.fullmatch(word))


RULE_FAMILIES = {
    "identifiers": "NHS and NI numbers, phones, emails, postcodes, dates of birth, addresses, "
    "case references (patterns)",
    "dates_near_names": "a full date within a few words of a reported name is a date of birth",
    "ner": "spaCy's named entities and proper nouns in the text as typed",
    "recased_ner": "spaCy again on a copy with lower-case names and rare words capitalised",
    "lower_slots": "lower-case words where names go (before an age, after 'with', 'called')",
    "name_rules": "context rules ('my client ...', 'Mrs ...', 'X told me', 'X's mum')",
    "allow_list": "authors' glossary, public inquiries and names in the indexed material",
}
"""The guard's switchable rule families (``privacy_rules`` in the settings)."""
ALL_RULES = frozenset(RULE_FAMILIES)
_ALLOW_FEATURES = ("glossary", "indexed", "public_case")


def check_rules(rules: Iterable[str]) -> frozenset[str]:
    """The rule families named, or ValueError naming the unknown ones and the choices."""
    chosen = frozenset(rules)
    unknown = sorted(chosen - ALL_RULES)
    if unknown:
        raise ValueError(f"unknown privacy rule {unknown}: choose from {', '.join(RULE_FAMILIES)}")
    return chosen


@lru_cache(maxsize=1)
def configured_rules() -> frozenset[str]:
    """The rule families switched on in the settings (read once per process)."""
    from assistant.settings import get_settings

    return check_rules(get_settings().privacy_rules)


def name_candidates(
    text: str, allow: frozenset[str] | set[str], rules: frozenset[str] = ALL_RULES
) -> tuple[list[Candidate], dict[str, set[tuple[int, int]]]]:
    """Merged candidates from the model and the rules, and the spans each kind of rule found."""
    spans: dict[str, set[tuple[int, int]]] = {"strong": set(), "weak": set()}
    if "name_rules" in rules:
        spans["strong"] = {(f.start, f.end) for f in _strong_names(text)}
        spans["weak"] = {(f.start, f.end) for f in _weak_names(text, allow)}
    found = model_candidates(text, "ner" in rules, "recased_ner" in rules, "lower_slots" in rules)
    found += [Candidate(s, e, frozenset({"rule"})) for s, e in spans["strong"] | spans["weak"]]
    spans["identifier"] = {(f.start, f.end) for f in _identifier_findings(text)}
    taken = spans["identifier"] if "identifiers" in rules else set()
    merged = [_trim(text, c) for c in merge(found, text)]
    return [
        c
        for c in merged
        if sum(ch.isalpha() for ch in text[c.start : c.end]) > 1  # "p" of "baby p" is no name
        and all(c.end <= s or c.start >= e for s, e in taken)
    ], spans


_STRONG = FEATURES.index("rule_strong")
_INQUIRIES = [n.lower().split() for n in PUBLIC_CASES if " " in n]


def _holds_inquiry(span: str) -> bool:
    """Whether ``span`` holds the full name of a child named in a public inquiry."""
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in span.split()]
    return any(words[i : i + len(name)] == name for name in _INQUIRIES for i in range(len(words)))


def candidate_features(
    text: str, allow: frozenset[str] | set[str], rules: frozenset[str] = ALL_RULES
) -> list[tuple[Candidate, list[float]]]:
    """Every name candidate with its feature vector (allow-list features zero when off)."""
    indexed = frozenset(n.lower() for n in allow)
    candidates, spans = name_candidates(text, allow, rules)
    off = [] if "allow_list" in rules else [FEATURES.index(f) for f in _ALLOW_FEATURES]
    out = []
    for c in candidates:
        values = features(text, c, spans, indexed)
        if "allow_list" in rules and not values[_STRONG] and _holds_inquiry(text[c.start : c.end]):
            continue  # "Arthur Labinjo-Hughes national review": a public inquiry, not a case
        for i in off:
            values[i] = 0.0
        out.append((c, values))
    return out


def scored_names(
    text: str, allow: frozenset[str] | set[str], rules: frozenset[str] = ALL_RULES
) -> list[Finding]:
    """Every name candidate with the model's score (reported or not)."""
    model = load_model()
    return [
        Finding("name", c.start, c.end, text[c.start : c.end], round(model.score(values), 3))
        for c, values in candidate_features(text, allow, rules)
    ]


def find_personal_data(
    text: str, allow_names: set[str] | None = None, rules: Iterable[str] | None = None
) -> list[Finding]:
    """Find likely personal data about service users in ``text``, ordered by position.

    ``allow_names`` replaces the names taken from the indexed material (the bundled corpus by
    default); names in it, or in the authors' glossary, count against a report unless the
    context says plainly that they are someone in a case ("my client ...", "Mrs ..."). ``rules``
    names the rule families to apply (:data:`RULE_FAMILIES`; default: the settings').
    """
    if not text or not text.strip():
        return []
    on = configured_rules() if rules is None else check_rules(rules)
    allow: frozenset[str] | set[str] = (
        default_allow_names() if allow_names is None else allow_names | PUBLIC_CASES
    )
    if "allow_list" not in on:
        allow = frozenset()
    threshold = load_model().threshold
    names = [f for f in scored_names(text, allow, on) if f.score >= threshold]
    ids = list(_identifier_findings(text)) if "identifiers" in on else []
    dates = list(_dates_next_to_names(text, names)) if "dates_near_names" in on else []
    return _resolve([*names, *ids, *dates])
