"""Abstention on labelled question sets: recall and false abstention per split, and what each rule
family contributes on top of the fitted model.

    PYTHONPATH=$PWD python bench/abstention.py --corpus /work/shared/seed-corpus \
        --split tune=bench/heldout/seed-heldout-tune.jsonl \
        --split test=bench/heldout/seed-heldout-test.jsonl

Uses the configured embedder (``RBP_EMBEDDING_MODEL``) and its abstention model (a refit in
``--models`` if given). Prints, per split: out-of-corpus questions refused (recall), answerable
questions refused (false abstention), for the model alone, each rule family added alone, all
families, and all families but one; then the questions the full setting gets wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.evaluate.run import build_eval_index  # noqa: E402
from assistant.evaluate.testset import load_questions  # noqa: E402
from assistant.guards.abstention import (  # noqa: E402
    RULE_FAMILIES,
    EvidenceLimits,
    decide,
    load_models,
)
from assistant.index.embedding import load_embeddings  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.settings import get_settings  # noqa: E402


def measure(assistant: Assistant, question: str) -> tuple:
    """What the decision needs: (triage verdict, retrieval, features), retrieved once."""
    verdict = assistant.triage(question)
    if verdict.message is not None:
        return verdict, None, None
    retrieval = assistant.retriever.retrieve(question, both=True)
    return (
        verdict,
        retrieval,
        assistant.evidence(retrieval),
    )


def decision(assistant: Assistant, measured: tuple, models: dict, rules: tuple[str, ...]) -> bool:
    """The pipeline's abstention decision with only ``rules`` enabled."""
    verdict, retrieval, values = measured
    if retrieval is None:
        return True
    foreign = verdict.outcome == "other_language"
    model = models["dense" if foreign else "full"]
    limits = EvidenceLimits.from_settings(assistant.settings)
    index = assistant.retriever.lexical
    return decide(retrieval, index, model, values, () if foreign else rules, limits)


def variants() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {"model only": ()}
    for family in RULE_FAMILIES:
        found[f"+ {family}"] = (family,)
    found["all families"] = RULE_FAMILIES
    for family in RULE_FAMILIES:
        found[f"all but {family}"] = tuple(f for f in RULE_FAMILIES if f != family)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", action="append", required=True, help="NAME=FILE")
    parser.add_argument("--models", type=Path, help="Folder holding a refitted model file.")
    args = parser.parse_args()
    settings = get_settings()
    embeddings = load_embeddings(settings)
    assistant = Assistant.from_settings(
        build_eval_index(args.corpus, settings, embeddings), embeddings=embeddings
    )
    models, path = load_models(settings.embedding_model, [args.models] if args.models else [])
    print(f"embedder {settings.embedding_model}; model {path}")
    for spec in args.split:
        name, file = spec.split("=", 1)
        questions = load_questions(Path(file))
        out = [q for q in questions if q.source is None]
        answerable = [q for q in questions if q.source is not None]
        print(f"\n{name}: {len(answerable)} answerable, {len(out)} out of corpus")
        measured = {q.id: measure(assistant, q.question) for q in questions}
        wrong: list[str] = []
        for label, rules in variants().items():
            refused = {q.id: decision(assistant, measured[q.id], models, rules) for q in questions}
            recall = sum(refused[q.id] for q in out) / max(1, len(out))
            false = sum(refused[q.id] for q in answerable) / max(1, len(answerable))
            print(f"  {label:<22} recall {recall:.3f}  false abstention {false:.3f}")
            if rules == RULE_FAMILIES:
                wrong = [
                    f"    {'answered' if q.source is None else 'refused'}: {q.question}"
                    for q in questions
                    if refused[q.id] != (q.source is None)
                ]
        print("  wrong with all families:", *wrong, sep="\n" if wrong else " ")


if __name__ == "__main__":
    main()
