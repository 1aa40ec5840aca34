"""Evaluation harness: score retrieval (and optionally answers) on a test set of questions.

A test set is JSON Lines or CSV with one question per row: ``id``, ``question``, ``source`` (file
name, or null when the documents do not answer it), ``pages`` (1-based page/slide numbers),
``answer_keywords`` and ``kind``. For every retrieval mode the harness runs
:meth:`Assistant.search`, scores the ranked hits with :mod:`assistant.evaluate.metrics`, optionally
asks every question (:meth:`Assistant.ask`) and a naive LangChain baseline, and writes
``results.json``, ``report.md`` and ``report.png`` to the run folder.

``--corpus DIR`` evaluates on a separate index under ``data_dir/eval/<hash>`` (the hash covers the
folder's files, the settings and code that shape the index, and the embedder), so the main index is
never touched and an unchanged corpus is ingested once.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings

from assistant.evaluate import metrics
from assistant.evaluate.baseline import NaiveBaseline
from assistant.evaluate.testset import EvalError, Question, load_questions, same_document
from assistant.records import Answer, Hit
from assistant.settings import Settings

#: Retrieval modes the harness can score (the Assistant's modes).
MODES = ("dense", "bm25", "hybrid")
#: Baselines that can run beside the modes, by name.
BASELINES = ("naive",)
#: Settings that change what ends up in an index; part of the eval index hash.
INDEX_SETTINGS = (
    "embedding_model",
    "chunk_max_tokens",
    "chunk_target_tokens",
    "bm25_stemming",
    "collection",
    "max_file_mb",
    *(name for name in Settings.model_fields if name.startswith("pdf_")),  # the PDF layout rules
)
#: Modules whose code shapes an index; their source is part of the eval index hash.
INDEX_MODULES = (
    "ingest/loaders",
    "ingest/chunking",
    "ingest/run",
    "index/store",
    "index/lexical",
    "index/embedding",
    "guards/privacy",  # decides which files are held back
)


class Searcher(Protocol):
    """What the harness needs from :class:`assistant.pipeline.Assistant`."""

    def search(self, query: str, mode: str | None = None, k: int | None = None) -> list[Hit]: ...

    def ask(self, question: str, mode: str | None = None, k: int | None = None) -> Answer: ...


# --- running -----------------------------------------------------------------------------------
@dataclass
class EvalRun:
    """Everything one evaluation produced."""

    summary: dict[str, Any]
    per_question: list[dict[str, Any]]
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)


def check_options(modes: Sequence[str], baseline: str | None) -> None:
    """Reject unknown modes or baselines with a message listing the valid ones."""
    for mode in modes:
        if mode not in MODES:
            raise EvalError(f"Unknown mode {mode!r}: choose from {', '.join(MODES)}")
    if not modes:
        raise EvalError(f"No retrieval mode given: choose from {', '.join(MODES)}")
    if baseline is not None and baseline not in BASELINES:
        raise EvalError(f"Unknown baseline {baseline!r}: choose from {', '.join(BASELINES)}")


def run_eval(
    test_set: Path,
    settings: Settings,
    *,
    modes: Sequence[str] = MODES,
    k: int = 10,
    answers: bool = False,
    baseline: str | None = None,
    corpus: Path | None = None,
    out: Path | None = None,
    embeddings: Embeddings | None = None,
    assistant: Searcher | None = None,
    progress: bool = False,
) -> EvalRun:
    """Evaluate ``test_set`` and write the report files; see the module docstring.

    ``embeddings`` and ``assistant`` may be injected (tests pass a fake embedder); by default the
    configured model is loaded and an :class:`~assistant.pipeline.Assistant` is built over the
    main index, or over a separate eval index when ``corpus`` is given.
    """
    started = time.perf_counter()
    questions = _checked_questions(test_set, modes, baseline, k, corpus)
    run_info = _run_info(test_set, corpus, k, modes, baseline)
    with _progress(progress) as track:
        if assistant is None or baseline:
            embeddings = embeddings if embeddings is not None else _load_embeddings(settings)
        if assistant is None:
            assistant, run_info["index"], indexed = _assistant_for(
                corpus, settings, embeddings, progress
            )
            run_info["missing_sources"] = missing_sources(questions, indexed)
        records = [_record(q) for q in questions]
        _score_retrieval(assistant, modes, questions, records, k, track)
        if baseline:
            assert embeddings is not None
            folder = corpus or settings.corpus_dir
            run_info["baseline_corpus"] = str(folder)
            _score_baseline(folder, embeddings, baseline, questions, records, k, track)
        if answers:
            run_info["answerer"] = str(getattr(assistant, "answerer_label", ""))
            _score_answers(assistant, modes, questions, records, track)
    summary = _summary(questions, records, modes, baseline, k, answers, run_info)
    summary["run"] = {**run_info, "seconds": round(time.perf_counter() - started, 2)}
    run = EvalRun(summary, records, out or _default_out(settings))
    write_outputs(run)
    return run


def _run_info(
    test_set: Path, corpus: Path | None, k: int, modes: Sequence[str], baseline: str | None
) -> dict[str, Any]:
    """The options of a run, as ``results.json`` records them."""
    return {
        "test_set": str(test_set),
        "corpus": str(corpus) if corpus else None,
        "k": k,
        "modes": list(modes),
        "baseline": baseline,
        "started": datetime.now().isoformat(timespec="seconds"),
    }


def _score_retrieval(
    assistant: Searcher,
    modes: Sequence[str],
    questions: Sequence[Question],
    records: Sequence[dict[str, Any]],
    k: int,
    track: Callable[..., Any],
) -> None:
    """Search every question in every mode and score the hits into ``records``."""
    for mode in modes:
        label = f"Retrieval ({mode})"
        for q, rec in zip(track(questions, label), records, strict=True):
            _score_hits(q, rec, mode, assistant.search(q.question, mode=mode, k=k), k)


def _checked_questions(
    test_set: Path, modes: Sequence[str], baseline: str | None, k: int, corpus: Path | None
) -> list[Question]:
    """The questions of ``test_set``, once the options are known to be usable."""
    check_options(modes, baseline)
    if k < 1:
        raise EvalError("k must be at least 1")
    questions = load_questions(test_set)
    if corpus is not None and not corpus.is_dir():
        raise EvalError(f"Corpus folder not found: {corpus}")
    return questions


def _score_baseline(
    folder: Path,
    embeddings: Embeddings,
    name: str,
    questions: Sequence[Question],
    records: Sequence[dict[str, Any]],
    k: int,
    track: Callable[..., Any],
) -> None:
    with NaiveBaseline.build(folder, embeddings) as naive:
        for q, rec in zip(track(questions, "Naive baseline"), records, strict=True):
            _score_hits(q, rec, name, naive.search(q.question, k), k)


def _score_answers(
    assistant: Searcher,
    modes: Sequence[str],
    questions: Sequence[Question],
    records: Sequence[dict[str, Any]],
    track: Callable[..., Any],
) -> None:
    for position, mode in enumerate(modes):
        label = f"Answers ({mode})"
        for q, rec in zip(track(questions, label), records, strict=True):
            _ask(q, rec, assistant, mode, primary=position == 0)


def _summary(
    questions: Sequence[Question],
    records: Sequence[dict[str, Any]],
    modes: Sequence[str],
    baseline: str | None,
    k: int,
    answers: bool,
    run_info: dict[str, Any],
) -> dict[str, Any]:
    """Scores per method, and answer quality per mode when answers were asked."""
    methods = [*modes, *([baseline] if baseline else [])]
    summary = summarise(questions, records, methods, k, answers)
    if answers:
        label = str(run_info.get("answerer") or "answerer")
        summary["answer_quality"] = {label: quality_by_mode(records, modes)}
        summary["answers"].update(summary["answer_quality"][label][modes[0]])
    return summary


def _load_embeddings(settings: Settings) -> Embeddings:
    from assistant.index.embedding import load_embeddings

    return load_embeddings(settings)


def _assistant_for(
    corpus: Path | None, settings: Settings, embeddings: Embeddings | None, progress: bool
) -> tuple[Searcher, str, list[str]]:
    """The Assistant over the main index, or over a (reused) eval index of ``corpus``; where that
    index is, and the sources it holds."""
    from assistant.pipeline import Assistant

    index_settings = settings
    if corpus is not None:
        assert embeddings is not None
        index_settings = build_eval_index(corpus, settings, embeddings, progress=progress)
    where = index_settings.chroma_url or str(index_settings.data_dir)
    assistant = Assistant.from_settings(index_settings, embeddings=embeddings)
    if assistant.store.count() == 0:
        raise EvalError(
            f"The index at {where} is empty: run `rbp-assistant ingest` first, or pass --corpus DIR"
        )
    return assistant, where, assistant.store.sources()


def missing_sources(questions: Sequence[Question], indexed: Sequence[str]) -> list[str]:
    """Files the test set expects that the index holds in no form (by path, file name or a twin
    in another format): their questions can only score 0, which usually means a wrong corpus."""
    expected = sorted({q.source for q in questions if q.source})
    return [
        name
        for name in expected
        if not any(same_document(name, PurePosixPath(s).name, s) for s in indexed)
    ]


def _record(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "question": q.question,
        "kind": q.kind,
        "expected": {"source": q.source, "pages": list(q.pages)},
        "answerable": q.answerable,
        "retrieved": {},
        "rank": {},
        "scores": {},
    }


def _score_hits(q: Question, rec: dict[str, Any], method: str, hits: list[Hit], k: int) -> None:
    ranked = [q.key(h.file_name, h.source, h.number) for h in hits]
    rec["retrieved"][method] = [
        {"source": h.file_name, "page": h.number, "score": round(float(h.score), 6)} for h in hits
    ]
    if q.answerable:
        rec["rank"][method] = metrics.first_relevant_rank(ranked, q.expected)
        rec["scores"][method] = metrics.retrieval_scores(ranked, q.expected, k)


def _ask(
    q: Question, rec: dict[str, Any], assistant: Searcher, mode: str, primary: bool = True
) -> None:
    """Ask ``q`` with retrieval ``mode``: its answer quality goes in ``rec['answer_quality']
    [mode]``; the first mode's answer also fills the answer fields of ``rec``."""
    started = time.perf_counter()
    answer = assistant.ask(q.question, mode=mode)
    latency = round((time.perf_counter() - started) * 1000, 1)
    if q.answerable and not answer.abstained:
        headings = {h for c in answer.citations for h in (c.title, c.section) if h}
        quality = metrics.answer_quality(answer.text, q.answer_keywords, headings)
        rec.setdefault("answer_quality", {})[mode] = quality
    if primary:
        _record_answer(q, rec, answer, latency)


def _record_answer(q: Question, rec: dict[str, Any], answer: Answer, latency: float) -> None:
    rec["latency_ms"] = latency
    cited = [
        q.key(c.file_name, c.source, c.slide if c.slide is not None else c.page)
        for c in answer.citations
    ]
    rec["answer"] = answer.text
    rec["abstained"] = answer.abstained
    rec["citations"] = [
        {"n": c.n, "source": c.file_name, "page": key[1], "label": c.label()}
        for c, key in zip(answer.citations, cited, strict=True)
    ]
    if q.answerable:
        rec["keyword_coverage"] = metrics.keyword_coverage(answer.text, q.answer_keywords)
        rec["cites_expected"] = metrics.cites_expected(cited, q.expected)


def _default_out(settings: Settings) -> Path:
    runs = settings.data_dir / "eval" / "runs"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out, n = runs / stamp, 1
    while out.exists():
        n += 1
        out = runs / f"{stamp}-{n}"
    return out


# --- summary -----------------------------------------------------------------------------------
def summarise(
    questions: Sequence[Question],
    records: Sequence[dict[str, Any]],
    methods: Sequence[str],
    k: int,
    answers: bool,
) -> dict[str, Any]:
    """Mean metrics per method (overall and by ``kind``) and, if asked, answer metrics."""
    answerable = [r for r in records if r["answerable"]]
    summary: dict[str, Any] = {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(records) - len(answerable),
        "retrieval": {m: _method_summary(answerable, m) for m in methods},
    }
    if answers:
        summary["answers"] = answer_summary(questions, records)
    return summary


def _method_summary(records: Sequence[dict[str, Any]], method: str) -> dict[str, Any]:
    kinds = sorted({r["kind"] for r in records})
    return {
        "overall": _mean_scores([r["scores"][method] for r in records]),
        "by_kind": {
            kind: _mean_scores([r["scores"][method] for r in records if r["kind"] == kind])
            for kind in kinds
        },
    }


def _mean_scores(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    names = list(rows[0]) if rows else []
    means: dict[str, float] = {n: round(metrics.mean([r[n] for r in rows]), 4) for n in names}
    means["n"] = len(rows)
    return means


def answer_summary(
    questions: Sequence[Question], records: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """Keyword coverage, citation accuracy, abstention and latency over all asked questions."""
    answerable = [r for r in records if r["answerable"]]
    answered = [r for r in answerable if not r["abstained"]]
    latencies = [float(r["latency_ms"]) for r in records]
    abstention = metrics.abstention_scores(
        [bool(r["abstained"]) for r in records], [q.answerable for q in questions]
    )
    result: dict[str, Any] = {
        "keyword_coverage": metrics.mean([r["keyword_coverage"] for r in answerable]),
        "citation_accuracy": (
            metrics.mean([1.0 if r["cites_expected"] else 0.0 for r in answered])
            if answered
            else None
        ),
        **abstention,
        "latency_p50_ms": metrics.percentile(latencies, 50),
        "latency_p95_ms": metrics.percentile(latencies, 95),
        "answered": len(answered),
    }
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def quality_by_mode(records: Sequence[dict[str, Any]], modes: Sequence[str]) -> dict[str, Any]:
    """Answer quality (:func:`assistant.evaluate.metrics.quality_summary`) over the answered
    answerable questions, per retrieval mode."""
    result: dict[str, Any] = {}
    for mode in modes:
        rows = [r["answer_quality"][mode] for r in records if mode in r.get("answer_quality", {})]
        summary = metrics.quality_summary(rows)
        result[mode] = {k: round(v, 4) if isinstance(v, float) else v for k, v in summary.items()}
    return result


# --- the eval index ----------------------------------------------------------------------------
def index_fingerprint(corpus: Path, settings: Settings, embeddings: Embeddings) -> str:
    """A short hash of everything that shapes an index of ``corpus``.

    Covers the files ingest would read (relative path and content), :data:`INDEX_SETTINGS`, the
    source of :data:`INDEX_MODULES` (so a chunking change rebuilds) and the embedder itself
    (its class and its vector for a fixed probe text).
    """
    from assistant.ingest.discover import discover
    from assistant.ingest.manifest import file_hash

    digest = hashlib.sha256()
    files, _ = discover([corpus])
    for root, path in files:
        digest.update(f"{path.relative_to(root).as_posix()}\0{file_hash(path)}\n".encode())
    chosen = {name: str(getattr(settings, name, None)) for name in INDEX_SETTINGS}
    digest.update(json.dumps(chosen, sort_keys=True).encode())
    package = Path(__file__).parents[1]
    for module in INDEX_MODULES:
        source = package / f"{module}.py"
        sources = [source] if source.is_file() else sorted((package / module).glob("*.py"))
        for path in sources:  # a module, or every module of a package (the loaders)
            digest.update(path.read_bytes())
    probe = embeddings.embed_query("relationship-based practice: evaluation probe")
    digest.update(type(embeddings).__name__.encode())
    digest.update(json.dumps([round(float(x), 5) for x in probe]).encode())
    return digest.hexdigest()[:16]


def build_eval_index(
    corpus: Path, settings: Settings, embeddings: Embeddings, *, progress: bool = False
) -> Settings:
    """Settings for an index of ``corpus`` under ``data_dir/eval/<hash>``, ingesting if needed.

    Always a local index (``chroma_url`` is cleared), so a configured Chroma server holding the
    main index is never written to. A finished index is marked by ``index.json`` and reused;
    building a new one deletes older indexes of the same folder.
    """
    from filelock import FileLock

    key = index_fingerprint(corpus, settings, embeddings)
    folder = settings.data_dir / "eval" / key
    index_settings = settings.model_copy(update={"data_dir": folder, "chroma_url": None})
    marker = folder / "index.json"
    if marker.is_file():
        return index_settings
    folder.mkdir(parents=True, exist_ok=True)
    # Two evals of one corpus at once: the second waits, then reuses the first one's index
    # (rebuilding it would delete the collection the first is reading).
    with FileLock(folder / "build.lock"):
        if not marker.is_file():
            _build_eval_index(corpus, index_settings, embeddings, progress, marker)
    _drop_stale_indexes(settings.data_dir / "eval", keep=folder, corpus=str(corpus.resolve()))
    return index_settings


def _build_eval_index(
    corpus: Path, index_settings: Settings, embeddings: Embeddings, progress: bool, marker: Path
) -> None:
    """Ingest ``corpus`` into ``index_settings``' data folder and write its ``marker``."""
    from assistant.ingest.run import ingest
    from assistant.pipeline import embed_answer_sentences

    report = ingest(
        [corpus],
        index_settings,
        rebuild=True,
        progress=progress,
        embeddings=embeddings,
        sentence_step=embed_answer_sentences,
    )
    if not report.ingested:
        reasons = "; ".join(f"{s}: {r}" for s, r in report.failed) or "no documents found"
        raise EvalError(f"Nothing could be ingested from {corpus} ({reasons})")
    info = {
        "corpus": str(corpus.resolve()),
        "files": report.ingested,
        "failed": report.failed,
        "chunks": report.chunks,
        "created": datetime.now().isoformat(timespec="seconds"),
    }
    marker.write_text(json.dumps(info, indent=2), encoding="utf-8")


def _drop_stale_indexes(root: Path, keep: Path, corpus: str) -> None:
    """Delete earlier eval indexes of the same corpus folder (their files, code or settings
    changed since), so repeated runs during development do not fill the disk."""
    import shutil

    for marker in root.glob("*/index.json"):
        if marker.parent == keep:
            continue
        try:
            same = json.loads(marker.read_text(encoding="utf-8")).get("corpus") == corpus
        except (OSError, ValueError):
            continue
        if same:
            shutil.rmtree(marker.parent, ignore_errors=True)


# --- progress ----------------------------------------------------------------------------------
Track = Callable[[Sequence[Any], str], Iterable[Any]]


@contextmanager
def _progress(enabled: bool) -> Iterator[Track]:
    """Yield ``track(items, label)``: a rich progress bar on stderr, or the items unchanged."""
    if not enabled:
        yield lambda items, label: items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        yield lambda items, label: bar.track(items, description=label)


# --- outputs -----------------------------------------------------------------------------------
def write_outputs(run: EvalRun) -> None:
    """Write ``results.json``, ``report.md`` and ``report.png`` into ``run.out_dir``."""
    from assistant.evaluate import report as eval_report

    run.out_dir.mkdir(parents=True, exist_ok=True)
    results = run.out_dir / "results.json"
    payload = {"summary": run.summary, "per_question": run.per_question}
    results.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    report = run.out_dir / "report.md"
    report.write_text(eval_report.markdown(run.summary, run.per_question), encoding="utf-8")
    chart = run.out_dir / "report.png"
    eval_report.chart(run.summary, chart)
    run.files = {"results": results, "report": report, "chart": chart}
