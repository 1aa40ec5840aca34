"""Answer quality of saved eval runs: kw, kw40, first, median words, heading/fragment shares.

Recomputes the figures from each run's ``results.json`` (answers and citation labels) and the
question file's keywords, so runs made before these figures existed can be compared:

    python bench/answer_quality.py RUN_DIR [RUN_DIR ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.evaluate import metrics
from assistant.evaluate.testset import load_questions


def run_quality(run_dir: Path) -> dict[str, float | int | None]:
    """Quality summary of one run folder's primary answers."""
    payload = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    questions = {q.id: q for q in load_questions(Path(payload["summary"]["run"]["test_set"]))}
    rows = []
    for rec in payload["per_question"]:
        q = questions[rec["id"]]
        if not q.answerable or rec.get("abstained", True):
            continue
        headings = {c["label"].split(" - ", 1)[1] for c in rec["citations"] if " - " in c["label"]}
        rows.append(metrics.answer_quality(rec["answer"], q.answer_keywords, headings))
    return metrics.quality_summary(rows)


def main(argv: list[str]) -> None:
    for arg in argv:
        figures = run_quality(Path(arg))
        shown = ", ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
        )
        print(f"{arg}: {shown}")


if __name__ == "__main__":
    main(sys.argv[1:])
