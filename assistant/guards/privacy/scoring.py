"""Measuring the personal-data guard on a labelled set (``make bench``, tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.guards.privacy.findings import KINDS, Finding
from assistant.guards.privacy.guard import find_personal_data


@dataclass(frozen=True)
class KindScore:
    """Figures for one kind (or "overall") over a labelled set."""

    kind: str
    expected: int
    found: int
    true_positives: int
    false_alarm_texts: int
    negatives: int
    matched_findings: int

    @property
    def recall(self) -> float:
        """Expected spans overlapped by a finding of the same kind / expected spans."""
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        """Findings that overlap an expected span of the same kind / all findings."""
        return self.matched_findings / self.found if self.found else 1.0

    @property
    def fp_rate(self) -> float:
        """Texts without personal data that got a finding of this kind / such texts."""
        return self.false_alarm_texts / self.negatives if self.negatives else 0.0


def score_labelled(
    cases: Sequence[dict[str, Any]], allow_names: set[str] | None = None
) -> dict[str, KindScore]:
    """Score the guard on labelled cases ``{"text", "expected": [{"kind", "text"}, ...]}``.

    A case with an empty ``expected`` list is a negative. Returns one KindScore per kind and
    "overall" (where a finding of any kind counts for any expected span it overlaps).
    """
    kinds = (*KINDS, "overall")
    tallies = {k: [0, 0, 0, 0] for k in kinds}  # expected, found, true positives, false alarms
    hits = dict.fromkeys(kinds, 0)  # findings that overlap an expected span of their kind
    negatives = sum(1 for c in cases if not c.get("expected"))
    for case in cases:
        text = case["text"]
        findings = find_personal_data(text, allow_names)
        spans = [_expected_span(text, e) for e in case.get("expected", [])]
        for kind in kinds:
            mine = [f for f in findings if kind in ("overall", f.kind)]
            wanted = [s for s in spans if kind in ("overall", s[0])]
            tallies[kind][0] += len(wanted)
            tallies[kind][1] += len(mine)
            tallies[kind][2] += sum(1 for w in wanted if any(_overlaps(f, w) for f in mine))
            hits[kind] += sum(1 for f in mine if any(_overlaps(f, w) for w in wanted))
            if not spans and mine:
                tallies[kind][3] += 1
    return {k: KindScore(k, t[0], t[1], t[2], t[3], negatives, hits[k]) for k, t in tallies.items()}


def _expected_span(text: str, expected: dict[str, str]) -> tuple[str, int, int]:
    start = text.find(expected["text"])
    if start < 0:
        raise ValueError(f"expected span {expected['text']!r} not in {text!r}")
    return expected["kind"], start, start + len(expected["text"])


def _overlaps(f: Finding, span: tuple[str, int, int]) -> bool:
    return f.start < span[2] and span[1] < f.end
