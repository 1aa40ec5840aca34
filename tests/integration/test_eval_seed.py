"""The eval command for real: seed corpus, dev questions, real model, all modes, naive baseline.

Asserts that the harness produces sane output, not quality targets (those belong to retrieval and
answering). Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import DEV_QUESTIONS, SEED_CORPUS

#: Answer figures that are counts rather than shares.
COUNTS = ("answered", "median_words", "n")

pytestmark = pytest.mark.integration


def test_eval_on_seed_corpus(tmp_path: Path) -> None:
    if not DEV_QUESTIONS.is_file() or not SEED_CORPUS.is_dir():
        pytest.skip("shared seed corpus or dev questions not present")
    out = tmp_path / "run"
    args = ["eval", str(DEV_QUESTIONS), "--corpus", str(SEED_CORPUS), "--answers"]
    args += ["--baseline", "naive", "--out", str(out), "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)

    for name in ("results.json", "report.md", "report.png"):
        assert (out / name).stat().st_size > 0, name
    saved = json.loads((out / "results.json").read_text())
    assert saved["summary"] == summary
    assert len(saved["per_question"]) == summary["questions"] == 30
    print()
    _print_figures(summary)

    assert list(summary["retrieval"]) == ["hybrid", "dense", "bm25", "naive"]
    for method, scores in summary["retrieval"].items():
        assert scores["overall"]["n"] == summary["answerable"] == 28
        for name, value in scores["overall"].items():
            if name != "n":
                assert 0.0 <= value <= 1.0, (method, name, value)
        assert scores["overall"]["recall@1"] <= scores["overall"]["recall@10"]
    answers = summary["answers"]
    for name, value in answers.items():
        if value is not None and not name.endswith("_ms") and name not in COUNTS:
            assert 0.0 <= value <= 1.0, (name, value)
    assert 0 < answers["median_words"] <= 120 and answers["n"] >= 1  # counts, not shares
    assert answers["latency_p50_ms"] > 0
    for rec in saved["per_question"]:
        assert set(rec["retrieved"]) == {"dense", "bm25", "hybrid", "naive"}
        assert all(len(hits) <= 10 for hits in rec["retrieved"].values())
        assert isinstance(rec["answer"], str) and rec["answer"]

    hybrid = summary["retrieval"]["hybrid"]["overall"]["recall@5"]
    naive = summary["retrieval"]["naive"]["overall"]["recall@5"]
    assert hybrid >= naive, f"hybrid R@5 {hybrid} is below the naive baseline's {naive}"


def _print_figures(summary: dict) -> None:
    names = ["recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "ndcg@10"]
    print(f"{'method':<10}" + "".join(f"{n:>11}" for n in names))
    for method, scores in summary["retrieval"].items():
        print(f"{method:<10}" + "".join(f"{scores['overall'][n]:>11.3f}" for n in names))
    for name, value in summary["answers"].items():
        print(f"{name:<24}{value}")
