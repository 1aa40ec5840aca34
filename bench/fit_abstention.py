"""Fit the shipped abstention model on several corpora at once (``rbp-assistant calibrate`` fits
one corpus; a model fitted across corpora generalises better to a user's own).

    H=bench/heldout
    PYTHONPATH=$PWD python bench/fit_abstention.py \
        --set ../shared/seed-corpus=$H/seed-heldout-tune.jsonl,bench/calibration-questions.jsonl \
        --set $H/thirdparty-corpus=$H/thirdparty-tune.jsonl --out assistant/data/abstention

Each ``--set`` is ``CORPUS=QUESTIONS[,QUESTIONS...]`` (eval format; tune splits only, never the
test splits the figures are reported on). Examples are generated per corpus exactly as
``calibrate`` does and pooled; the threshold is chosen on the pooled labelled questions. With
``--cache FILE`` the examples are kept, so a refit with other settings skips the slow part.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.evaluate.calibrate import Example, corpus_examples, fitted_data, write  # noqa: E402
from assistant.index.embedding import load_embeddings  # noqa: E402
from assistant.settings import get_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", required=True, help="CORPUS=Q1[,Q2...]")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--max-false", type=float, default=0.02)
    parser.add_argument("--cache", type=Path, help="JSON file keeping the generated examples.")
    args = parser.parse_args()
    settings = get_settings()
    groups = []
    for item in args.set:
        corpus, _, files = item.partition("=")
        groups.append((Path(corpus), [Path(f) for f in files.split(",") if f]))
    if args.cache and args.cache.is_file():
        examples = [Example(**e) for e in json.loads(args.cache.read_text("utf-8"))]
    else:
        embeddings = load_embeddings(settings)
        examples = [e for c, q in groups for e in corpus_examples(settings, c, q, embeddings)[0]]
        if args.cache:
            args.cache.write_text(json.dumps([asdict(e) for e in examples]), "utf-8")
    note = "; ".join(f"{c.name}: " + ", ".join(p.name for p in q) for c, q in groups)
    data = fitted_data(examples, settings.embedding_model, args.max_false, note)
    print(f"{len(examples)} examples; written to {write(data, args.out)}")
    for name, model in data["models"].items():
        coef = zip(model["features"], model["coef"], strict=True)
        pairs = ", ".join(f"{f} {c:+.2f}" for f, c in coef)
        print(f"{name}: threshold {model['threshold']:.3f}; {pairs}")


if __name__ == "__main__":
    main()
