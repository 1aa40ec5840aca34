"""Fit the shipped abstention model on several corpora at once (``rbp-assistant calibrate`` fits
one corpus; a model fitted across corpora generalises better to a user's own).

    H=bench/heldout
    PYTHONPATH=$PWD python bench/fit_abstention.py \
        --set ../shared/seed-corpus=$H/seed-heldout-tune.jsonl,bench/calibration-questions.jsonl \
        --set $H/thirdparty-corpus=$H/thirdparty-tune.jsonl --out assistant/data/abstention

Each ``--set`` is ``CORPUS=QUESTIONS[,QUESTIONS...]`` (eval format; tune splits only, never the
test splits the figures are reported on). Examples are generated per corpus exactly as
``calibrate`` does and pooled, each corpus weighing the same. The threshold is chosen on the
labelled questions, averaging the rates over corpora; ``--threshold-set CORPUS=QUESTIONS``
adds the labelled questions of a corpus to that choice only (its passages are not fitted on).
With ``--cache FILE`` the examples are kept, so a refit with other settings skips the slow part.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, replace
from pathlib import Path

from langchain_core.embeddings import Embeddings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.evaluate.calibrate import (  # noqa: E402
    Example,
    corpus_examples,
    fitted_data,
    labelled_examples,
    labelled_questions,
    write,
)
from assistant.evaluate.run import build_eval_index  # noqa: E402
from assistant.index.embedding import load_embeddings  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.settings import Settings, get_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", required=True, help="CORPUS=Q1[,Q2...]")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--threshold-set", action="append", default=[], help="CORPUS=Q1[,Q2...], threshold only"
    )
    parser.add_argument("--max-false", type=float, default=0.02)
    parser.add_argument("--cache", type=Path, help="JSON file keeping the generated examples.")
    args = parser.parse_args()
    settings = get_settings()
    groups, threshold_groups = _groups(args.set), _groups(args.threshold_set)
    embeddings = load_embeddings(settings)  # loaded once, for every corpus
    if args.cache and args.cache.is_file():
        examples = [Example(**e) for e in json.loads(args.cache.read_text("utf-8"))]
    else:
        examples = [e for c, q in groups for e in corpus_examples(settings, c, q, embeddings)[0]]
        if args.cache:
            args.cache.write_text(json.dumps([asdict(e) for e in examples]), "utf-8")
    extra = [e for c, q in threshold_groups for e in threshold_examples(settings, c, q, embeddings)]
    note = _describe(groups)
    if threshold_groups:
        note += "; threshold also on " + _describe(threshold_groups)
    data = fitted_data(
        examples, settings.embedding_model, args.max_false, note, extra, settings.abstain_clip_sd
    )
    print(f"{len(examples)} examples; written to {write(data, args.out)}")
    for name, model in data["models"].items():
        coef = zip(model["features"], model["coef"], strict=True)
        pairs = ", ".join(f"{f} {c:+.2f}" for f, c in coef)
        print(f"{name}: threshold {model['threshold']:.3f}; {pairs}")


def _groups(items: list[str]) -> list[tuple[Path, list[Path]]]:
    """``CORPUS=Q1,Q2`` arguments as (corpus, question files)."""
    found = []
    for item in items:
        corpus, _, files = item.partition("=")
        found.append((Path(corpus), [Path(f) for f in files.split(",") if f]))
    return found


def _describe(groups: list[tuple[Path, list[Path]]]) -> str:
    """``corpus: file, file; corpus: file`` for the model file's data note."""
    return "; ".join(f"{c.name}: " + ", ".join(p.name for p in q) for c, q in groups)


def threshold_examples(
    settings: Settings, corpus: Path, questions: list[Path], embeddings: Embeddings
) -> list[Example]:
    """The labelled questions of ``corpus`` with their features, for the threshold only."""
    assistant = Assistant.from_settings(
        build_eval_index(corpus, settings, embeddings), embeddings=embeddings
    )
    found = labelled_examples(assistant, labelled_questions(questions))
    return [replace(e, kind="threshold-only", corpus=str(corpus)) for e in found]


if __name__ == "__main__":
    main()
