"""Finding personal data in a text: every rule's findings, overlaps resolved."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from assistant.privacy.findings import Finding
from assistant.privacy.identifiers import _FULL_DATE, _identifier_findings
from assistant.privacy.names import PUBLIC_CASES, _name_findings, default_allow_names

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


def find_personal_data(text: str, allow_names: set[str] | None = None) -> list[Finding]:
    """Find likely personal data about service users in ``text``, ordered by position.

    ``allow_names`` replaces the default allow-list (built-in theorists and public inquiries plus
    the names harvested from the bundled corpus); names in it are not reported unless the text
    says plainly that they are someone in a case ("my client ...", "Mrs ...").
    """
    if not text or not text.strip():
        return []
    allow: frozenset[str] | set[str] = (
        default_allow_names() if allow_names is None else allow_names | PUBLIC_CASES
    )
    names = _resolve(_name_findings(text, allow))
    findings = [*names, *_identifier_findings(text), *_dates_next_to_names(text, names)]
    return _resolve(findings)
