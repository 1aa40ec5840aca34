"""What the personal-data guard reports: kinds of finding, the finding itself, and redaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

KINDS = (
    "name",
    "dob",
    "address",
    "postcode",
    "nhs_number",
    "ni_number",
    "phone",
    "email",
    "case_ref",
)
"""Every kind of finding, in the order reports list them."""

LABELS = {
    "name": "[name removed]",
    "dob": "[date of birth removed]",
    "address": "[address removed]",
    "postcode": "[postcode removed]",
    "nhs_number": "[NHS number removed]",
    "ni_number": "[NI number removed]",
    "phone": "[phone number removed]",
    "email": "[email removed]",
    "case_ref": "[reference removed]",
}
"""What ``redact`` puts in place of each kind of finding."""


@dataclass(frozen=True)
class Finding:
    """One likely piece of personal data: its kind, the ``text[start:end]`` span it covers, and
    a score from 0 to 1 (the name model's chance for names; 1.0 for an identifier's pattern)."""

    kind: str
    start: int
    end: int
    text: str
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def redact(text: str, findings: Iterable[Finding]) -> str:
    """Replace each finding's span with a label such as "[name removed]"."""
    out: list[str] = []
    cursor = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < cursor:
            continue
        out.append(text[cursor : f.start])
        out.append(LABELS.get(f.kind, "[removed]"))
        cursor = f.end
    out.append(text[cursor:])
    return "".join(out)


def findings_json(findings: Iterable[Finding]) -> str:
    """Findings as a JSON list of {kind, start, end, text, score}."""
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)
