"""Safeguarding on a held-out set of bad input (empty, emoji, other languages, injections,
garbage, commands) plus disclosures, with the real model: none of the first is signposted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.guards.safeguarding import RiskClassifier, detect_risk

pytestmark = pytest.mark.integration

ROWS = [
    json.loads(line)
    for line in (Path(__file__).parents[1] / "data" / "safeguarding_badinput.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line
]


def test_bad_input_is_never_signposted_and_disclosures_still_are(real_embeddings) -> None:  # noqa: ANN001
    classifier = RiskClassifier(real_embeddings)
    calm = [r["text"] for r in ROWS if not r["risk"]]
    risky = [r["text"] for r in ROWS if r["risk"]]
    assert len(calm) >= 40
    assert [t for t in calm if detect_risk(t, classifier)] == []
    assert [t for t in risky if not detect_risk(t, classifier)] == []
