"""Print how well the personal-data guard does on the labelled set (recall, precision, FP rate).

The set is ``tests/data/privacy_labelled.jsonl`` plus every question of the shared dev set
(``../shared/eval/dev-questions.jsonl``) as a text without personal data. Also prints the
safeguarding detector's hit rate and false alarms, and the time per text.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.privacy import KINDS, find_personal_data, score_labelled  # noqa: E402
from assistant.safeguarding import detect_risk  # noqa: E402

DATA = REPO / "tests" / "data"
DEV_QUESTIONS = REPO.parent / "shared" / "eval" / "dev-questions.jsonl"


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def dev_negatives() -> list[dict]:
    """The shared dev questions as labelled texts with no personal data."""
    return [{"id": q["id"], "text": q["question"], "expected": []} for q in _jsonl(DEV_QUESTIONS)]


def privacy_report() -> None:
    cases = _jsonl(DATA / "privacy_labelled.jsonl") + dev_negatives()
    positives = sum(1 for c in cases if c["expected"])
    print(f"privacy guard: {positives} texts with personal data, {len(cases) - positives} without")
    scores = score_labelled(cases)
    print(
        f"{'kind':<12} {'expected':>8} {'found':>6} {'recall':>7} {'precision':>9} {'FP rate':>8}"
    )
    for kind in (*KINDS, "overall"):
        s = scores[kind]
        print(
            f"{kind:<12} {s.expected:>8} {s.found:>6} {s.recall:>7.2f} {s.precision:>9.2f}"
            f" {s.fp_rate:>8.3f}"
        )
    start = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for case in cases:
            find_personal_data(case["text"])
    per_text = (time.perf_counter() - start) / (rounds * len(cases)) * 1000
    print(f"time per text: {per_text:.2f} ms")


def safeguarding_report() -> None:
    cases = _jsonl(REPO / "assistant" / "data" / "safeguarding_examples.jsonl")
    cases += [{"text": q["text"], "risk": False} for q in dev_negatives()]
    risky = [c for c in cases if c["risk"]]
    calm = [c for c in cases if not c["risk"]]
    caught = sum(1 for c in risky if detect_risk(c["text"]))
    alarms = sum(1 for c in calm if detect_risk(c["text"]))
    print(
        f"safeguarding: {caught}/{len(risky)} disclosures flagged, "
        f"{alarms}/{len(calm)} false alarms on study questions"
    )


def held_out_report() -> None:
    """Both guards on sets written blind, by someone who never saw the rules."""
    from assistant.embedding import load_embeddings
    from assistant.privacy import default_allow_names
    from assistant.safeguarding import RiskClassifier
    from assistant.settings import apply_offline_env, get_settings

    apply_offline_env()
    rows = _jsonl(DATA / "privacy_heldout.jsonl")
    allow = default_allow_names()
    hit = [bool(find_personal_data(r["text"], allow)) for r in rows]
    pos = [h for h, r in zip(hit, rows, strict=True) if r["has_personal_data"]]
    neg = [h for h, r in zip(hit, rows, strict=True) if not r["has_personal_data"]]
    print(
        f"held-out privacy: recall {sum(pos)}/{len(pos)} = {sum(pos) / len(pos):.2f}, "
        f"false positives {sum(neg)}/{len(neg)} = {sum(neg) / len(neg):.2%}"
    )
    classifier = RiskClassifier(load_embeddings(get_settings()))
    rows = _jsonl(DATA / "safeguarding_heldout.jsonl")
    for label, clf in (("rule only", None), ("rule + classifier", classifier)):
        flags = [detect_risk(r["text"], clf) is not None for r in rows]
        risky = [f for f, r in zip(flags, rows, strict=True) if r["risk"]]
        calm = [f for f, r in zip(flags, rows, strict=True) if not r["risk"]]
        print(
            f"held-out safeguarding ({label}): {sum(risky)}/{len(risky)} disclosures flagged, "
            f"{sum(calm)}/{len(calm)} false alarms"
        )


if __name__ == "__main__":
    privacy_report()
    safeguarding_report()
    held_out_report()
