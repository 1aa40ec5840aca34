"""Measure the personal-data guard per split; ``--fit`` refits the name model on the tune split.

Splits:
- tune: ``tests/data/privacy_cases.jsonl`` rows with ``split == "tune"``, plus
  ``tests/data/privacy_labelled.jsonl`` and the shared dev questions (as texts without personal
  data). The only data the fit and its threshold see.
- test: ``privacy_cases.jsonl`` rows with ``split == "test"``: never fitted on.
- held-out: ``tests/data/privacy_heldout.jsonl`` (written blind, text-level labels): extra check.
- blind: ``tests/data/privacy_blind.jsonl``, four more sets written blind by writers who saw
  neither the guard nor the other cases (720 texts, text-level labels): never fitted on; the
  errors of the first three were read to fix how names are found (docs/privacy.md).

Prints precision/recall per kind of finding and overall, texts flagged, false positives and the
time per question (wall clock and CPU). ``--ablation`` adds a table with each rule family of
``privacy_rules`` switched off in turn; ``--errors`` lists the tune split's misses and false
alarms with every candidate's score (never the test split's). Also the safeguarding detector's
figures, as before.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.guards.privacy import KINDS, find_personal_data, score_labelled  # noqa: E402

DATA = REPO / "tests" / "data"
DEV_QUESTIONS = REPO.parent / "shared" / "eval" / "dev-questions.jsonl"


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def dev_negatives() -> list[dict]:
    """The shared dev questions as labelled texts with no personal data."""
    return [{"id": q["id"], "text": q["question"], "expected": []} for q in _jsonl(DEV_QUESTIONS)]


def splits() -> dict[str, list[dict]]:
    cases = _jsonl(DATA / "privacy_cases.jsonl")
    tune = [c for c in cases if c["split"] == "tune"]
    tune += _jsonl(DATA / "privacy_labelled.jsonl") + dev_negatives()
    return {"tune": tune, "test": [c for c in cases if c["split"] == "test"]}


def lower_cased(cases: list[dict]) -> list[dict]:
    """Lower-case copies of the cases that change (how many practitioners type), for fitting."""
    return [
        {
            "text": c["text"].lower(),
            "expected": [{**e, "text": e["text"].lower()} for e in c["expected"]],
        }
        for c in cases
        if c["text"].lower() != c["text"]
    ]


def heldout(name: str = "privacy_heldout") -> list[dict]:
    return [
        {"text": r["text"], "positive": r["has_personal_data"]}
        for r in _jsonl(DATA / f"{name}.jsonl")
    ]


# --- fitting -------------------------------------------------------------------------------------
def _name_rows(cases: list[dict]) -> tuple[list[list[float]], list[int], list[list[int]]]:
    """Feature rows and labels of every name candidate, and each case's row indices."""
    from assistant.guards.privacy.guard import candidate_features
    from assistant.guards.privacy.names import default_allow_names

    allow = default_allow_names()
    rows: list[list[float]] = []
    labels: list[int] = []
    per_case: list[list[int]] = []
    for case in cases:
        text = case["text"]
        wanted = [
            (text.find(e["text"]), text.find(e["text"]) + len(e["text"]))
            for e in case["expected"]
            if e["kind"] == "name"
        ]
        mine = []
        for c, values in candidate_features(text, allow):
            mine.append(len(rows))
            rows.append(values)
            labels.append(int(any(s < c.end and c.start < e for s, e in wanted)))
        per_case.append(mine)
    return rows, labels, per_case


def _flags(
    scores: list[float], other: list[bool], per_case: list[list[int]], t: float
) -> list[bool]:
    return [o or any(scores[i] >= t for i in idx) for o, idx in zip(other, per_case, strict=True)]


def _rates(flags: list[bool], cases: list[dict]) -> tuple[float, float]:
    """Texts caught and clean texts flagged, as shares."""
    pos = [f for f, c in zip(flags, cases, strict=True) if c["expected"]]
    neg = [f for f, c in zip(flags, cases, strict=True) if not c["expected"]]
    return sum(pos) / len(pos), sum(neg) / len(neg)


def _value(flags: list[bool], cases: list[dict]) -> float:
    """Tune recall minus twice the false-positive rate, over texts."""
    recall, false_positives = _rates(flags, cases)
    return recall - 2 * false_positives


def _out_of_fold(
    rows: list[list[float]],
    labels: list[int],
    per_case: list[list[int]],
    cases: list[dict],
    c: float,
) -> list[float]:
    """Each candidate's score from a model fitted on the other folds of tune cases (5 folds).

    A case and its lower-cased copy share a fold, so no case is scored by a model fitted on it.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    fold_of: dict[str, int] = {}
    groups = [0] * len(rows)
    for case, idx in zip(cases, per_case, strict=True):
        group = fold_of.setdefault(case["text"].lower(), len(fold_of))
        for i in idx:
            groups[i] = group
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    proba = cross_val_predict(
        clf, rows, labels, groups=groups, cv=GroupKFold(5), method="predict_proba"
    )
    return [float(p[1]) for p in proba]


def fit_model() -> None:
    """Pick C and the threshold by 5-fold cross-validation over tune cases, then fit on all.

    The lower-cased copies are fitted on but not counted in the choice (each case counts once).
    """
    from assistant.guards.privacy.identifiers import _identifier_findings
    from assistant.guards.privacy.model import NameModel, fit, save_model

    cases = splits()["tune"]
    tune = cases + lower_cased(cases)
    rows, labels, per_case = _name_rows(tune)
    other = [any(True for _ in _identifier_findings(c["text"])) for c in tune]
    best = (-9.0, 1.0, 0.5, (0.0, 0.0))
    for c in (0.03, 0.1, 0.3, 1.0, 3.0):
        scores = _out_of_fold(rows, labels, per_case, tune, c)
        for step in range(10, 91, 5):
            flags = _flags(scores, other, per_case, step / 100)[: len(cases)]
            value = _value(flags, cases)
            if value > best[0] + 1e-9:
                best = (value, c, step / 100, _rates(flags, cases))
    _, c, threshold, (cv_recall, cv_fp) = best
    weights, intercept = fit(rows, labels, c)
    info = {
        "fitted_on": "tune split (privacy_cases tune, privacy_labelled, dev questions), "
        "each also lower-cased",
        "C": c,
        "cross_validated_value": round(best[0], 4),
        "cross_validated_recall": round(cv_recall, 4),
        "cross_validated_false_positives": round(cv_fp, 4),
        "candidates": len(rows),
        "positives": sum(labels),
    }
    save_model(NameModel(tuple(weights), intercept, threshold), info)
    print(
        f"fitted on {len(rows)} candidates ({sum(labels)} names of people in cases): C={c}, "
        f"threshold {threshold}, cross-validated recall {cv_recall:.3f}, false positives "
        f"{cv_fp:.3f} (recall - 2 FP = {best[0]:.3f})"
    )


# --- reporting -----------------------------------------------------------------------------------
def report(name: str, cases: list[dict]) -> None:
    positives = sum(1 for c in cases if c["expected"])
    scores = score_labelled(cases)
    started, cpu = time.perf_counter(), time.process_time()
    flags = [bool(find_personal_data(c["text"])) for c in cases]
    ms = (time.perf_counter() - started) / len(cases) * 1000
    cpu_ms = (time.process_time() - cpu) / len(cases) * 1000
    pos = [f for f, c in zip(flags, cases, strict=True) if c["expected"]]
    neg = [f for f, c in zip(flags, cases, strict=True) if not c["expected"]]
    print(f"\n== {name}: {positives} texts with personal data, {len(cases) - positives} without")
    print(f"{'kind':<12} {'expected':>8} {'found':>6} {'recall':>7} {'precision':>9}")
    for kind in (*KINDS, "overall"):
        s = scores[kind]
        if s.expected or s.found:
            print(f"{kind:<12} {s.expected:>8} {s.found:>6} {s.recall:>7.3f} {s.precision:>9.3f}")
    print(
        f"texts flagged: recall {sum(pos)}/{len(pos)} = {sum(pos) / max(len(pos), 1):.3f}, "
        f"false positives {sum(neg)}/{len(neg)} = {sum(neg) / max(len(neg), 1):.3f}; "
        f"{ms:.1f} ms per question ({cpu_ms:.1f} ms of CPU; shared, loaded machine)"
    )


def tune_errors(cases: list[dict]) -> None:
    """Print the tune split's misses and false alarms with every name candidate's score."""
    from assistant.guards.privacy.guard import scored_names
    from assistant.guards.privacy.names import default_allow_names
    from assistant.guards.privacy.scoring import _expected_span, _overlaps

    print("\n== tune errors (MISS: an expected span not found; EXTRA: a finding not expected)")
    for case in cases:
        text, found = case["text"], find_personal_data(case["text"])
        spans = [_expected_span(text, e) for e in case["expected"]]
        missed = [text[s:e] for _, s, e in spans if not any(_overlaps(f, (_, s, e)) for f in found)]
        extra = [f.text for f in found if not any(_overlaps(f, s) for s in spans)]
        if missed or extra:
            scores = [(f.text, f.score) for f in scored_names(text, default_allow_names())]
            print(
                f"{'MISS ' if missed else 'EXTRA'} {text[:100]!r} missed={missed} "
                f"extra={extra} candidates={scores}"
            )


def _text_rates(cases: list[dict], rules: frozenset[str]) -> tuple[float, float]:
    flags = [bool(find_personal_data(c["text"], rules=rules)) for c in cases]
    pos = [f for f, c in zip(flags, cases, strict=True) if c["expected"]]
    neg = [f for f, c in zip(flags, cases, strict=True) if not c["expected"]]
    return sum(pos) / len(pos), sum(neg) / len(neg)


def ablation() -> None:
    """Texts flagged with every rule family on, and with each one switched off in turn."""
    from assistant.guards.privacy.guard import ALL_RULES, RULE_FAMILIES

    data = splits()
    print("\n== ablation: texts flagged with each rule family off (the fitted model unchanged)")
    print(f"{'rules':<26} {'tune recall':>11} {'tune FP':>8} {'test recall':>11} {'test FP':>8}")
    for off in ("", *RULE_FAMILIES):
        rules = ALL_RULES - {off}
        (tr, tf), (sr, sf) = (_text_rates(data[n], rules) for n in ("tune", "test"))
        label = f"without {off}" if off else "all on"
        print(f"{label:<26} {tr:>11.3f} {tf:>8.3f} {sr:>11.3f} {sf:>8.3f}")


def heldout_report() -> None:
    for name, label in (("privacy_heldout", "held-out"), ("privacy_blind", "blind")):
        rows = heldout(name)
        if not rows:
            continue
        flags = [bool(find_personal_data(r["text"])) for r in rows]
        pos = [f for f, r in zip(flags, rows, strict=True) if r["positive"]]
        neg = [f for f, r in zip(flags, rows, strict=True) if not r["positive"]]
        print(
            f"\n== {label} (extra check, never tuned on): recall {sum(pos)}/{len(pos)} = "
            f"{sum(pos) / len(pos):.3f}, false positives {sum(neg)}/{len(neg)} = "
            f"{sum(neg) / len(neg):.3f}"
        )


def safeguarding_report() -> None:
    """The safeguarding detector (rule and classifier, as the chat runs it) on its training
    examples and on the sets it never saw."""
    from assistant.guards.safeguarding import RiskClassifier, detect_risk
    from assistant.index.embedding import load_embeddings
    from assistant.settings import get_settings

    classifier = RiskClassifier(load_embeddings(get_settings()))
    sets = {
        "training examples": _jsonl(REPO / "assistant" / "data" / "safeguarding_examples.jsonl"),
        "dev questions": [{"text": q["text"], "risk": False} for q in dev_negatives()],
        "held-out": _jsonl(DATA / "safeguarding_heldout.jsonl"),
        "bad input": _jsonl(DATA / "safeguarding_badinput.jsonl"),
        "blind": _jsonl(DATA / "safeguarding_blind.jsonl"),
    }
    print("\nsafeguarding (disclosures signposted / other messages signposted):")
    for name, cases in sets.items():
        if not cases:
            continue
        flags = [bool(detect_risk(c["text"], classifier)) for c in cases]
        risky = [f for f, c in zip(flags, cases, strict=True) if c["risk"]]
        calm = [f for f, c in zip(flags, cases, strict=True) if not c["risk"]]
        print(f"  {name:<18} {sum(risky)}/{len(risky)}  {sum(calm)}/{len(calm)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit the name model first")
    parser.add_argument("--no-safeguarding", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list the tune split's errors")
    parser.add_argument("--ablation", action="store_true", help="switch each rule family off")
    args = parser.parse_args()
    if args.fit:
        fit_model()
    find_personal_data("warm-up: load the model")
    for name, cases in splits().items():
        report(name, cases)
    heldout_report()
    if args.errors:
        tune_errors(splits()["tune"])
    if args.ablation:
        ablation()
    if not args.no_safeguarding:
        safeguarding_report()


if __name__ == "__main__":
    main()
