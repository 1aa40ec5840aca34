"""Evaluation harness: score retrieval (and optionally answers) on a test set of questions.

A test set is JSON Lines or CSV with one question per row: ``id``, ``question``, ``source`` (file
name, or null when the documents do not answer it), ``pages`` (1-based page/slide numbers),
``answer_keywords`` and ``kind``. For every retrieval mode the harness runs
:meth:`Assistant.search`, scores the ranked hits with :mod:`assistant.metrics`, optionally asks
every question (:meth:`Assistant.ask`) and a naive LangChain baseline, and writes ``results.json``,
``report.md`` and ``report.png`` to the run folder.

``--corpus DIR`` evaluates on a separate index under ``data_dir/eval/<hash>`` (the hash covers the
folder's files, the settings and code that shape the index, and the embedder), so the main index is
never touched and an unchanged corpus is ingested once.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings

from assistant import metrics
from assistant.metrics import Key
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
)
#: Modules whose code shapes an index; their source is part of the eval index hash.
INDEX_MODULES = ("loaders", "chunking", "ingest", "store", "lexical", "embedding")
#: Columns a CSV test set must have.
REQUIRED_COLUMNS = ("id", "question", "source", "pages")


class EvalError(Exception):
    """A problem with the evaluation's input; the message is one line for the user."""


class TestSetError(EvalError):
    """A malformed test set; the message names the file and line."""

    __test__ = False  # not a pytest test class


class Searcher(Protocol):
    """What the harness needs from :class:`assistant.pipeline.Assistant`."""

    def search(self, query: str, mode: str | None = None, k: int | None = None) -> list[Hit]: ...

    def ask(self, question: str, mode: str | None = None, k: int | None = None) -> Answer: ...


# --- the test set ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    """One test question and where its answer is."""

    id: str
    question: str
    source: str | None
    pages: tuple[int, ...] = ()
    answer_keywords: tuple[str, ...] = ()
    kind: str = "other"

    @property
    def answerable(self) -> bool:
        return self.source is not None

    @property
    def expected(self) -> list[Key]:
        return [(self.source, page) for page in self.pages] if self.source else []

    def key(self, file_name: str, source: str, number: int | None) -> Key:
        """The (file, page) key of a hit or citation, in this question's spelling of the file."""
        if self.source is not None and self.source in (file_name, source):
            return (self.source, number)
        return (file_name, number)


def load_questions(path: Path) -> list[Question]:
    """Read a ``.csv`` or JSON Lines test set; any problem raises :class:`TestSetError`."""
    if not path.is_file():
        raise TestSetError(f"Test set not found: {path}")
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _jsonl_rows(path)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{path.name}:{line}"
        question = _question(row, where)
        if question.id in seen:
            raise TestSetError(
                f"{where}: id {question.id!r} already used on line {seen[question.id]}"
            )
        seen[question.id] = line
        questions.append(question)
    if not questions:
        raise TestSetError(f"{path.name}: no questions found")
    return questions


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                raise TestSetError(f"{path.name}:{line}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise TestSetError(f"{path.name}:{line}: expected a JSON object per line")
            yield line, row


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise TestSetError(f"{path.name}:1: missing column(s): {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if None in row:
                raise TestSetError(f"{path.name}:{line}: more cells than columns")
            if any((v or "").strip() for v in row.values()):
                yield line, {k: _csv_cell(k, v) for k, v in row.items()}


def _csv_cell(column: str, value: str | None) -> Any:
    """CSV cells: lists as JSON (``[2, 3]``) or split on ``;``; an empty/``null`` source is None."""
    text = (value or "").strip()
    if column == "source":
        return None if text.lower() in ("", "null", "none") else text
    if column in ("pages", "answer_keywords"):
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                return text
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


def _question(row: dict[str, Any], where: str) -> Question:
    qid = row.get("id")
    if not isinstance(qid, str | int) or not str(qid).strip():
        raise TestSetError(f"{where}: missing id")
    text = row.get("question")
    if not isinstance(text, str) or not text.strip():
        raise TestSetError(f"{where}: missing question")
    source = row.get("source")
    if source is not None and not isinstance(source, str):
        raise TestSetError(f"{where}: source must be a file name or null")
    source = source.strip() or None if source else None
    pages = _pages(row.get("pages", []), where)
    if source is None and pages:
        raise TestSetError(f"{where}: pages are given but source is null")
    if source is not None and not pages:
        raise TestSetError(f"{where}: source {source!r} needs at least one page")
    keywords = row.get("answer_keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise TestSetError(f"{where}: answer_keywords must be a list of strings")
    kind = row.get("kind") or "other"
    return Question(str(qid).strip(), text.strip(), source, pages, tuple(keywords), str(kind))


def _pages(value: Any, where: str) -> tuple[int, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    pages: list[int] = []
    for item in items:
        try:
            number = int(item)
        except (TypeError, ValueError):
            number = 0
        if isinstance(item, bool) or number < 1 or str(item).strip() != str(number):
            raise TestSetError(f"{where}: pages must be whole numbers from 1 (got {item!r})")
        pages.append(number)
    return tuple(pages)


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
    check_options(modes, baseline)
    if k < 1:
        raise EvalError("k must be at least 1")
    questions = load_questions(test_set)
    if corpus is not None and not corpus.is_dir():
        raise EvalError(f"Corpus folder not found: {corpus}")
    run_info: dict[str, Any] = {
        "test_set": str(test_set),
        "corpus": str(corpus) if corpus else None,
        "k": k,
        "modes": list(modes),
        "baseline": baseline,
        "started": datetime.now().isoformat(timespec="seconds"),
    }
    with _progress(progress) as track:
        if assistant is None or baseline:
            embeddings = embeddings if embeddings is not None else _load_embeddings(settings)
        if assistant is None:
            assistant, run_info["index"] = _assistant_for(corpus, settings, embeddings, progress)
        records = [_record(q) for q in questions]
        for mode in modes:
            label = f"Retrieval ({mode})"
            for q, rec in zip(track(questions, label), records, strict=True):
                _score_hits(q, rec, mode, assistant.search(q.question, mode=mode, k=k), k)
        if baseline:
            assert embeddings is not None
            folder = corpus or settings.corpus_dir
            run_info["baseline_corpus"] = str(folder)
            with NaiveBaseline.build(folder, embeddings) as naive:
                for q, rec in zip(track(questions, "Naive baseline"), records, strict=True):
                    _score_hits(q, rec, baseline, naive.search(q.question, k), k)
        if answers:
            run_info["answerer"] = str(getattr(assistant, "answerer_label", ""))
            for q, rec in zip(track(questions, "Answers"), records, strict=True):
                _ask(q, rec, assistant)
    methods = [*modes, *([baseline] if baseline else [])]
    summary = summarise(questions, records, methods, k, answers)
    summary["run"] = {**run_info, "seconds": round(time.perf_counter() - started, 2)}
    out_dir = out or _default_out(settings)
    run = EvalRun(summary, records, out_dir)
    write_outputs(run)
    return run


def _load_embeddings(settings: Settings) -> Embeddings:
    from assistant.embedding import load_embeddings

    return load_embeddings(settings)


def _assistant_for(
    corpus: Path | None, settings: Settings, embeddings: Embeddings | None, progress: bool
) -> tuple[Searcher, str]:
    """The Assistant over the main index, or over a (reused) eval index of ``corpus``."""
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
    return assistant, where


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


def _ask(q: Question, rec: dict[str, Any], assistant: Searcher) -> None:
    started = time.perf_counter()
    answer = assistant.ask(q.question)
    rec["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
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


# --- the eval index ----------------------------------------------------------------------------
def index_fingerprint(corpus: Path, settings: Settings, embeddings: Embeddings) -> str:
    """A short hash of everything that shapes an index of ``corpus``.

    Covers the files ingest would read (relative path and content), :data:`INDEX_SETTINGS`, the
    source of :data:`INDEX_MODULES` (so a chunking change rebuilds) and the embedder itself
    (its class and its vector for a fixed probe text).
    """
    from assistant.ingest import discover
    from assistant.manifest import file_hash

    digest = hashlib.sha256()
    files, _ = discover([corpus])
    for root, path in files:
        digest.update(f"{path.relative_to(root).as_posix()}\0{file_hash(path)}\n".encode())
    chosen = {name: str(getattr(settings, name, None)) for name in INDEX_SETTINGS}
    digest.update(json.dumps(chosen, sort_keys=True).encode())
    package = Path(__file__).parent
    for module in INDEX_MODULES:
        source = package / f"{module}.py"
        if source.is_file():
            digest.update(source.read_bytes())
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
    from assistant.ingest import ingest

    key = index_fingerprint(corpus, settings, embeddings)
    folder = settings.data_dir / "eval" / key
    index_settings = settings.model_copy(update={"data_dir": folder, "chroma_url": None})
    marker = folder / "index.json"
    if marker.is_file():
        return index_settings
    report = ingest(
        [corpus], index_settings, rebuild=True, progress=progress, embeddings=embeddings
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
    _drop_stale_indexes(settings.data_dir / "eval", keep=folder, corpus=str(info["corpus"]))
    return index_settings


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


# --- the naive baseline ------------------------------------------------------------------------
class NaiveBaseline:
    """The textbook LangChain set-up, for comparison.

    pypdf pages as Documents, ``RecursiveCharacterTextSplitter(chunk_size=1000,
    chunk_overlap=200)``, the same embedder, ``langchain_chroma.Chroma`` on an ephemeral Chroma
    client (explicit ids, telemetry off, default L2 space) and plain top-k similarity search.
    Non-PDF files are read with :func:`assistant.loaders.load_file`.
    """

    def __init__(self, store: Any, client: Any, name: str) -> None:
        self.store = store
        self.client = client
        self.name = name

    @classmethod
    def build(cls, corpus: Path, embeddings: Embeddings) -> NaiveBaseline:
        import uuid

        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        docs = naive_documents(corpus)
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        chunks = splitter.split_documents(docs)
        if not chunks:
            raise EvalError(f"The naive baseline found no text in {corpus}")
        client = chromadb.EphemeralClient(
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        )
        name = f"naive-{uuid.uuid4().hex[:12]}"
        store = Chroma(collection_name=name, embedding_function=embeddings, client=client)
        ids = [f"{c.metadata['source']}#{_number(c.metadata)}#{i}" for i, c in enumerate(chunks)]
        store.add_documents(chunks, ids=ids)
        return cls(store, client, name)

    def search(self, query: str, k: int) -> list[Hit]:
        """Top-k chunks; ``score`` is the cosine similarity (``1 - d / 2`` for the squared L2
        distance ``d`` of normalised vectors)."""
        results = self.store.similarity_search_with_score(query, k=k)
        return [
            Hit(
                chunk_id=str(doc.id or ""),
                text=doc.page_content,
                source=str(doc.metadata["source"]),
                file_name=Path(str(doc.metadata["source"])).name,
                title="",
                page=int(doc.metadata["page"]) if "page" in doc.metadata else None,
                slide=int(doc.metadata["slide"]) if "slide" in doc.metadata else None,
                score=1.0 - float(distance) / 2.0,
                metadata=dict(doc.metadata),
            )
            for doc, distance in results
        ]

    def close(self) -> None:
        self.client.delete_collection(self.name)

    def __enter__(self) -> NaiveBaseline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _number(metadata: dict[str, Any]) -> Any:
    return metadata.get("page", metadata.get("slide"))


def naive_documents(corpus: Path) -> list[Any]:
    """One Document per PDF page read with pypdf (``source`` relative path, 1-based ``page``).

    Reads the same files ingest would (hidden files and ``.rbpignore`` patterns left out).
    """
    from langchain_core.documents import Document
    from pypdf import PdfReader

    from assistant.ingest import discover

    docs: list[Document] = []
    files, _ = discover([corpus])
    for root, path in files:
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() == ".pdf":
            reader = PdfReader(path)
            for number, page in enumerate(reader.pages, start=1):
                text = page.extract_text() or ""
                docs.append(Document(page_content=text, metadata={"source": rel, "page": number}))
        else:
            docs.extend(_other_documents(path, root))
    return docs


def _other_documents(path: Path, corpus: Path) -> list[Any]:
    from langchain_core.documents import Document

    from assistant.loaders import LoadError, load_file

    try:
        loaded = load_file(path, corpus)
    except LoadError:
        return []
    keep = ("source", "page", "slide")
    return [
        Document(
            page_content=d.page_content,
            metadata={k: d.metadata[k] for k in keep if k in d.metadata},
        )
        for d in loaded
    ]


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
    from assistant import eval_report

    run.out_dir.mkdir(parents=True, exist_ok=True)
    results = run.out_dir / "results.json"
    payload = {"summary": run.summary, "per_question": run.per_question}
    results.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    report = run.out_dir / "report.md"
    report.write_text(eval_report.markdown(run.summary, run.per_question), encoding="utf-8")
    chart = run.out_dir / "report.png"
    eval_report.chart(run.summary, chart)
    run.files = {"results": results, "report": report, "chart": chart}
