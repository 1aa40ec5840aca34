"""Quick quality check of retrieval, abstention and extractive answers on a question file.

    python bench/devcheck.py [QUESTIONS.jsonl ...] [--verbose] [--data-dir DIR]

Ingests ``../shared/seed-corpus`` into ``DIR`` (default: a temporary folder) if it is empty, then
prints Recall@1/5, MRR@10 per retrieval mode, abstention errors and answer keyword coverage
(hybrid) for the dev questions and the calibration questions next to this script. A developer aid
while tuning; the eval harness (``rbp-assistant eval``) is the reference measurement.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from assistant.evaluate.testset import same_document
from assistant.guards.abstention import features
from assistant.pipeline import Assistant
from assistant.settings import apply_offline_env, get_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
CALIBRATION = "calibration-questions.jsonl"


def load(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        rows += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return rows


def first_relevant(hits, q) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if same_document(q["source"], hit.file_name, hit.source) and hit.number in q["pages"]:
            return rank
    return None


def main() -> None:
    apply_offline_env()
    argv = sys.argv[1:]
    data_dir = data_dir_arg(argv)
    args = [a for a in argv if not a.startswith("--")]
    verbose = "--verbose" in argv
    default = [SHARED / "eval" / "dev-questions.jsonl", Path(__file__).with_name(CALIBRATION)]
    files = [Path(a) for a in args] or [p for p in default if p.is_file()]
    with tempfile.TemporaryDirectory(prefix="rbp-devcheck-") as tmp:
        for path in files:
            print(f"== {path.name}")
            check(load([path]), data_dir or Path(tmp), verbose)


def seed_assistant(data_dir: Path) -> Assistant:
    """The assistant over ``data_dir``, with the seed corpus ingested into it if it is empty."""
    settings = get_settings(data_dir=data_dir)
    assistant = Assistant.from_settings(settings)
    if assistant.store.count() == 0:
        from assistant.ingest.run import ingest

        ingest([SHARED / "seed-corpus"], settings)
    return assistant


def data_dir_arg(argv: list[str]) -> Path | None:
    """The value of ``--data-dir DIR``, removed from ``argv``; None without it."""
    if "--data-dir" not in argv:
        return None
    return Path(argv.pop(argv.index("--data-dir") + 1))


def check(questions: list[dict], data_dir: Path, verbose: bool) -> None:
    assistant = seed_assistant(data_dir)
    answerable = [q for q in questions if q["source"]]
    for mode in ("dense", "bm25", "hybrid"):
        ranks = [first_relevant(assistant.search(q["question"], mode, 10), q) for q in answerable]
        r1 = sum(r == 1 for r in ranks) / len(ranks)
        r5 = sum(r is not None and r <= 5 for r in ranks) / len(ranks)
        mrr = sum(1 / r for r in ranks if r) / len(ranks)
        print(f"{mode:7s} R@1 {r1:.3f}  R@5 {r5:.3f}  MRR@10 {mrr:.3f}")
        if verbose:
            for q, r in zip(answerable, ranks, strict=True):
                if r != 1:
                    print(f"   rank {r}: {q['id']} {q['question']}")
    coverage, false_abstain, missed_abstain, latencies = [], [], [], []
    for q in questions:
        answer = assistant.ask(q["question"])
        latencies.append(answer.timings["total"])
        if verbose or (answer.abstained != (not q["source"])):
            retrieval = assistant.retriever.retrieve(q["question"], both=True)
            ev = features(retrieval, assistant.retriever.lexical, assistant.sentence_vectors)
            p = assistant.abstention_models["full"].probability(ev)
            print(
                f"  {q['id']} abstained={answer.abstained} p={p:.2f} dense={ev['dense_top']:.3f} "
                f"cov={ev['coverage']:.2f} unknown={ev['unknown_share']:.2f} "
                f"| {q['question'][:60]}"
            )
        if not q["source"]:
            if not answer.abstained:
                missed_abstain.append(q["id"])
            continue
        if answer.abstained:
            false_abstain.append(q["id"])
        kws = q.get("answer_keywords") or []
        if kws:
            found = [k for k in kws if k.lower() in answer.text.lower()]
            coverage.append(len(found) / len(kws))
            if verbose and len(found) < len(kws):
                print(f"   missing {set(kws) - set(found)} in {q['id']}: {answer.text}")
    print(f"false abstentions {len(false_abstain)} {false_abstain}")
    print(f"missed abstentions {len(missed_abstain)} {missed_abstain}")
    if coverage:
        print(f"keyword coverage {statistics.mean(coverage):.3f}")
    print(f"ask latency median {statistics.median(latencies):.1f} ms")


if __name__ == "__main__":
    main()
