"""Fit an embedder's fusion profile on a tune split and report it on a test split.

    python bench/fit_fusion.py --model e5-small \
        --tune QUESTIONS.jsonl=CORPUS_DIR [...] --test QUESTIONS.jsonl=CORPUS_DIR [...] [--write]

Each corpus is ingested once per model into ``--cache DIR`` (default ``/tmp/rbp-fit``). For every
answerable question the dense, BM25 and late-interaction candidates are fetched once; fusion is
then replayed at page level (the unit a citation points at) over a grid of z-score fusion weights
and of weighted RRF settings (constant, weights, answer-type bonus). The setting with the best
MRR@10 on the tune questions (then R@1, then the simpler setting), each averaged over the tune
corpora so every corpus weighs the same, is kept. The script prints R@1 / R@5 / MRR@10 of dense,
BM25, late interaction, equal-weight RRF, the shipped profile and the fitted one on each tune and
test file, and with ``--write`` stores the profile with its provenance in
``assistant/data/profiles/<model>.json`` (see :mod:`assistant.index.profiles`).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.evaluate.testset import Question, load_questions, same_document
from assistant.index.profiles import Profile, stored_profile, write_profile
from assistant.pipeline import Assistant
from assistant.retrieve.fusion import SIGNALS, page_key, page_scores, rrf, standardise
from assistant.retrieve.retriever import answer_type, mended
from assistant.settings import apply_offline_env, get_settings

BM25_GRID = [round(0.1 * i, 1) for i in range(0, 31)]
LATE_GRID = [round(0.25 * i, 2) for i in range(0, 25)]
TYPE_GRID = [0.0, 0.25, 0.5, 1.0]
# weighted RRF: the constant, the BM25 and late weights (dense 1), the answer-type bonus as a
# share of one first place (1 / (k + 1))
RRF_K_GRID = [1, 2, 3, 5, 10, 20, 60]
RRF_BM25_GRID = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0]
RRF_LATE_GRID = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
RRF_TYPE_GRID = [0.0, 0.5, 1.0, 2.0]


@dataclass
class Case:
    """One answerable question's candidates, as page-level signals."""

    question: Question
    signals: dict[str, dict[str, float]]  # signal -> page -> best score
    typed: set[str]  # pages holding the kind of answer asked for
    relevant: set[str]  # page keys that answer the question
    corpus: str = ""  # the folder asked about: the fit weighs every corpus the same


def main() -> None:
    apply_offline_env()
    args = parse_args()
    tune = {spec: cases(spec, args.model, args.cache) for spec in args.tune}
    test = {spec: cases(spec, args.model, args.cache) for spec in args.test}
    pooled = [c for split in tune.values() for c in split]
    has_late = any(c.signals["late"] for c in pooled)
    dominance = get_settings().bm25_dominance
    best = fit(pooled, has_late, dominance)
    shipped = stored_profile(args.model)
    print(f"model {args.model}: {len(pooled)} tune questions; test: {', '.join(test) or 'none'}")
    print(f"fitted:  {best}\nshipped: {shipped}")
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for name, split in [*(("tune " + k, v) for k, v in tune.items()), *test.items()]:
        figures[name] = {}
        print(f"  {name}")
        for label, ranker in rankers(best, shipped, dominance).items():
            r1, r5, mrr = scores([ranker(c) for c in split], split)
            figures[name][label] = {"R@1": r1, "R@5": r5, "MRR@10": mrr}
            print(f"    {label:8s} R@1 {r1:.3f}  R@5 {r5:.3f}  MRR@10 {mrr:.3f}")
    if args.write:
        provenance = {
            "fitted_on": [str(s) for s in args.tune],
            "reported_on": [str(s) for s in args.test],
            "objective": "MRR@10 at page level, then R@1, each the mean over the tune corpora",
            "previous_profile": asdict(shipped),  # the figures' "shipped" rows
            "figures": figures,
        }
        print(f"wrote {write_profile(args.model, best, provenance)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="e5-small")
    parser.add_argument("--tune", nargs="+", default=[], help="QUESTIONS=CORPUS pairs")
    parser.add_argument("--test", nargs="*", default=[], help="QUESTIONS=CORPUS pairs")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/rbp-fit"))
    parser.add_argument("--write", action="store_true", help="store the fitted profile")
    return parser.parse_args()


def cases(spec: str, model: str, cache: Path) -> list[Case]:
    """The answerable questions of ``QUESTIONS=CORPUS`` with their candidates."""
    questions_path, corpus = (Path(p) for p in spec.split("=", 1))
    assistant = corpus_assistant(Path(corpus), model, cache)
    retriever = assistant.retriever
    found = []
    for q in load_questions(questions_path):
        if not q.answerable:
            continue
        got = retriever.candidates(q.question, "hybrid", retriever.settings.candidates)
        hits = [*got.dense, *got.bm25]
        needs = answer_type(mended(q.question, got.corrected))
        found.append(
            Case(
                q,
                {
                    "dense": page_scores(got.dense, "dense"),
                    "bm25": page_scores(got.bm25, "bm25"),
                    "late": page_scores(got.late, "late"),
                },
                {page_key(h) for h in hits if needs is not None and needs.search(h.text)},
                {
                    page_key(h)
                    for h in hits
                    if same_document(q.source or "", h.file_name, h.source) and h.number in q.pages
                },
                str(corpus),
            )
        )
    return found


def corpus_assistant(corpus: Path, model: str, cache: Path) -> Assistant:
    """An assistant over ``corpus`` ingested with ``model`` (reused from ``cache``)."""
    digest = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    # late interaction on, with weight 1, so that its scores are computed for fitting
    settings = get_settings(data_dir=cache / model / digest, embedding_model=model, late_weight=1.0)
    assistant = Assistant.from_settings(settings)
    if assistant.store.count() == 0:
        from assistant.ingest.run import ingest

        started = time.perf_counter()
        report = ingest([corpus], settings)
        print(
            f"ingested {corpus} with {model}: {report.chunks} chunks, "
            f"{time.perf_counter() - started:.0f} s"
        )
    return assistant


def fused(case: Case, profile: Profile, dominance: float = 2.0) -> list[str]:
    """Page keys of ``case`` ranked by ``profile``'s fusion (as the retriever fuses, at page
    level; ``dominance`` is the ``bm25_dominance`` setting of RRF fusion)."""
    if profile.fusion == "rrf":
        return _rrf_ranking(case, profile, dominance)
    weights = dict(
        zip(SIGNALS, (profile.dense_weight, profile.bm25_weight, profile.late_weight), strict=True)
    )
    pages = set().union(*case.signals.values())
    total = dict.fromkeys(pages, 0.0)
    for signal, weight in weights.items():
        z = standardise(case.signals[signal])
        if weight and z:
            floor = min(z.values())
            for page in pages:
                total[page] += weight * z.get(page, floor)
    for page in case.typed:
        total[page] += profile.answer_type_weight
    return sorted(pages, key=lambda p: -total[p])


def _rrf_ranking(case: Case, profile: Profile, dominance: float) -> list[str]:
    """Weighted RRF of the dense, BM25 and late page rankings, a dominant BM25 winner counted
    first twice, plus the answer-type bonus (:func:`assistant.retrieve.fusion.fuse`)."""
    lists = [by_signal(signal)(case) for signal in SIGNALS]
    weights = (profile.dense_weight, profile.bm25_weight, profile.late_weight)
    total = rrf(lists, profile.rrf_k, weights)
    bm25 = lists[1]
    if dominance and len(bm25) > 1:
        top, second = case.signals["bm25"][bm25[0]], case.signals["bm25"][bm25[1]]
        if top >= dominance * second > 0:
            total[bm25[0]] += profile.bm25_weight / (profile.rrf_k + 1)
    for page in case.typed:
        if page in total:
            total[page] += profile.answer_type_weight
    return sorted(total, key=lambda p: -total[p])


def by_rrf(case: Case, k: int = 60) -> list[str]:
    lists = [sorted(case.signals[s], key=lambda p: -case.signals[s][p]) for s in ("dense", "bm25")]
    fused_scores = rrf(lists, k)
    return sorted(fused_scores, key=lambda p: -fused_scores[p])


def by_signal(signal: str) -> Callable[[Case], list[str]]:
    return lambda c: sorted(c.signals[signal], key=lambda p: -c.signals[signal][p])


def rankers(
    best: Profile, shipped: Profile, dominance: float
) -> dict[str, Callable[[Case], list[str]]]:
    return {
        "dense": by_signal("dense"),
        "bm25": by_signal("bm25"),
        "late": by_signal("late"),
        "rrf-60": by_rrf,
        "shipped": lambda c: fused(c, shipped, dominance),
        "fitted": lambda c: fused(c, best, dominance),
    }


def scores(rankings: list[list[str]], split: list[Case]) -> tuple[float, float, float]:
    """R@1, R@5 and MRR@10 over ``split`` (formulas in :mod:`assistant.evaluate.metrics`)."""
    ranks = [first(r, c.relevant) for r, c in zip(rankings, split, strict=True)]
    r1 = statistics.fmean(r == 1 for r in ranks)
    r5 = statistics.fmean(r is not None and r <= 5 for r in ranks)
    mrr = statistics.fmean(1 / r if r and r <= 10 else 0.0 for r in ranks)
    return round(r1, 3), round(r5, 3), round(mrr, 3)


def first(ranking: list[str], relevant: set[str]) -> int | None:
    return next((i for i, page in enumerate(ranking, 1) if page in relevant), None)


def fit(tune: list[Case], has_late: bool, dominance: float = 2.0) -> Profile:
    """The grid point (z-score or weighted RRF fusion) with the best MRR@10, then R@1, on
    ``tune``, each averaged over its corpora so that every corpus weighs the same; the simplest
    wins ties."""
    best, best_key = Profile(), (-1.0, -1.0, 0.0)
    for profile in grid(has_late):
        r1, mrr = macro([fused(c, profile, dominance) for c in tune], tune)
        weights = profile.bm25_weight + profile.late_weight + profile.answer_type_weight
        key = (round(mrr, 6), round(r1, 6), -weights)
        if key > best_key:
            best, best_key = profile, key
    return best


def grid(has_late: bool) -> Iterator[Profile]:
    """Every profile :func:`fit` tries."""
    lates = LATE_GRID if has_late else [0.0]
    for bm25, late, typed in itertools.product(BM25_GRID, lates, TYPE_GRID):
        yield Profile("zscore", 1.0, bm25, late, answer_type_weight=typed)
    lates = RRF_LATE_GRID if has_late else [0.0]
    for k, bm25, late, share in itertools.product(RRF_K_GRID, RRF_BM25_GRID, lates, RRF_TYPE_GRID):
        yield Profile("rrf", 1.0, bm25, late, k, answer_type_weight=round(share / (k + 1), 4))


def macro(rankings: list[list[str]], split: list[Case]) -> tuple[float, float]:
    """R@1 and MRR@10 averaged over the corpora of ``split``."""
    by_corpus: dict[str, list[int]] = {}
    for i, case in enumerate(split):
        by_corpus.setdefault(case.corpus, []).append(i)
    figures = [
        scores([rankings[i] for i in rows], [split[i] for i in rows]) for rows in by_corpus.values()
    ]
    return statistics.fmean(f[0] for f in figures), statistics.fmean(f[2] for f in figures)


if __name__ == "__main__":
    main()
