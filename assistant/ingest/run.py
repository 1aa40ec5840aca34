"""Ingest stage: files -> Documents -> chunks -> vectors -> Chroma, incrementally and crash-safely.

Unchanged files (same content hash and :data:`CHUNK_FORMAT`, marked ``done``) are skipped without
embedding anything; changed files are replaced; files gone from an ingested folder are removed. See
:mod:`assistant.ingest.manifest` for why killing the process at any moment leaves nothing half-done
after the next run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.index.late import TokenCache, TokenEncoder, token_cache_path
from assistant.index.store import ChunkStore, open_store
from assistant.ingest.discover import LINK_OUTSIDE, discover, outside
from assistant.ingest.manifest import Manifest, file_hash
from assistant.settings import Settings

log = logging.getLogger(__name__)

#: Chunks embedded per call within a group (the progress bar moves after each).
EMBED_STEP = 128
#: Bump when loading or chunking changes what an unchanged file's chunks are: every file is then
#: ingested again once, so an existing index does not keep chunks made the old way.
CHUNK_FORMAT = 3

#: What an ingest says when another ingest of the same index holds the lock.
WAITING = "waiting for another ingest of this index to finish"

#: A step run on each stored group: ``step(passages, embedder, settings)`` (the pipeline's
#: :func:`~assistant.pipeline.embed_answer_sentences`, passed in by the callers of :func:`ingest`).
SentenceStep = Callable[[list[str], Embeddings, Settings], None]


@dataclass
class IngestReport:
    """What one ingest did."""

    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: Files left out because they seem to hold personal data about a case, with the pages.
    held_back: list[tuple[str, list[Any]]] = field(default_factory=list)
    pages: int = 0
    chunks: int = 0
    seconds: float = 0.0


@dataclass
class _Prepared:
    source: str
    root: Path
    path: Path
    digest: str
    chunks: list[Document]
    kind: str
    pages: int


# --- the ingest ----------------------------------------------------------------------------------
def ingest(
    paths: list[Path],
    settings: Settings,
    *,
    rebuild: bool = False,
    progress: bool = False,
    embeddings: Embeddings | None = None,
    client: Any | None = None,
    on_event: Callable[[str], None] | None = None,
    allow_personal_data: bool = False,
    sentence_step: SentenceStep | None = None,
) -> IngestReport:
    """Bring the index in step with ``paths`` (files or folders) and return what was done.

    A file whose pages seem to hold personal data about a case is held back (listed in
    ``report.held_back`` with its pages) unless ``allow_personal_data`` is set. With
    ``settings.ingest_sentence_vectors``, ``sentence_step`` runs on the chunks of each stored group.

    ``on_event`` receives one plain line per finished file (used by the CLI when not on a
    terminal, and by the crash-safety test to know where it is). The embedding model is loaded
    only when a file needs embedding: an unchanged corpus is checked without it.
    """
    started = time.perf_counter()
    report = IngestReport()
    emit = on_event or (lambda line: None)
    with _one_ingest_at_a_time(settings, emit):
        files, folders = _discover_reported(paths, report, emit)
        store = _LazyStore(settings, client)  # Chroma is opened only when something changes
        manifest = Manifest(settings.manifest_path)
        try:
            changed = _settle(store, manifest, files, folders, report, emit, rebuild=rebuild)
            todo = _triage(files, manifest, _failure_key(settings), report, emit)
            if todo:
                with _ingest_log(settings):
                    model = _LazyModel(settings, embeddings, store.get())
                    bar = _Progress(progress, len(todo))
                    job = _Job(settings, store.get(), manifest, model, report, emit, bar)
                    job.allow_personal_data, job.sentence_step = allow_personal_data, sentence_step
                    changed |= _ingest_files(todo, job)
        finally:
            manifest.close()
        if changed or not settings.bm25_dir.exists():
            _update_lexical(settings, store.get(), changed=changed, rebuild=rebuild)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _one_ingest_at_a_time(settings: Settings, emit: Callable[[str], None]) -> Iterator[None]:
    """Hold the data folder's ingest lock, so a second ingest of the same index (another
    terminal, the trainer tab, a parallel eval) waits for the first instead of interleaving
    with it. The lock is a file, so it covers processes on this machine only."""
    from filelock import FileLock, Timeout

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(settings.data_dir / "ingest.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        emit(WAITING)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _discover_reported(
    paths: Iterable[Path], report: IngestReport, emit: Callable[[str], None]
) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """:func:`discover`, with the refused paths put in ``report`` as failures."""
    refused: list[tuple[str, str]] = []
    files, folders = discover(paths, refused)
    for source, reason in refused:
        report.failed.append((source, reason))
        emit(f"failed {source}: {reason}")
    return files, folders


def _settle(
    store: _LazyStore,
    manifest: Manifest,
    files: list[tuple[Path, Path]],
    folders: list[Path],
    report: IngestReport,
    emit: Callable[[str], None],
    *,
    rebuild: bool,
) -> bool:
    """Before loading anything: start over if asked, finish or undo an interrupted ingest and
    drop files that are gone. Whether the index changed."""
    changed = False
    if rebuild:
        manifest.mark_all_pending()
        manifest.forget_failures()
        store.get().reset()
        changed = True
    changed |= _recover(store, manifest)
    changed |= _remove_missing(store, manifest, folders, files, report, emit)
    manifest.forget_failures(only_missing=True)
    return changed


def _update_lexical(settings: Settings, store: ChunkStore, *, changed: bool, rebuild: bool) -> None:
    """Bring the BM25 index up to date with the store (only new chunks are tokenized; with
    ``rebuild`` it starts over). After a change, stamp the collection so every process serving
    from it reloads, and drop the word-piece vectors of chunks that are gone."""
    from assistant.index import lexical

    if changed:
        store.bump_version()
    index = (lexical.rebuild if rebuild else lexical.update)(settings, store)
    if changed and token_cache_path(settings).exists():
        TokenCache(token_cache_path(settings)).prune(index.passages())


def _held_back(
    source: str, docs: list[Document], report: IngestReport, emit: Callable[[str], None]
) -> bool:
    """Hold the file back if a page has personal data about a case (see
    assistant.guards.privacy)."""
    from assistant.guards.privacy.documents import page_findings

    pages = page_findings(docs)
    if pages:
        report.held_back.append((source, pages))
        emit(f"held back {source}: personal data on {', '.join(p.label for p in pages)}")
    return bool(pages)


def _failure_key(settings: Settings) -> str:
    """What a remembered failure also depends on besides the bytes: the file size limit."""
    return f"max{int(settings.max_file_mb * 1024 * 1024)}"


def _triage(
    files: list[tuple[Path, Path]],
    manifest: Manifest,
    failure_key: str,
    report: IngestReport,
    emit: Callable[[str], None],
) -> list[tuple[Path, Path, str, str]]:
    """Files to (re)load: unchanged ``done`` files and unchanged failed files are settled here,
    the failed ones reported again with their remembered reason."""
    todo: list[tuple[Path, Path, str, str]] = []
    for root, path in files:
        source = path.relative_to(root).as_posix()
        try:
            digest = f"{file_hash(path)}/{CHUNK_FORMAT}"
        except OSError as exc:
            report.failed.append((source, f"cannot read the file ({exc.strerror})"))
            continue
        record = manifest.get(source)
        reason = manifest.failure(source, f"{digest}/{failure_key}")
        if record and record.status == "done" and record.content_hash == digest:
            report.unchanged.append(source)
            report.pages += record.pages
            report.chunks += record.chunks
        elif reason is not None:
            report.failed.append((source, reason))
            emit(f"failed {source}: {reason} (unchanged since the last ingest)")
        else:
            todo.append((root, path, source, digest))
    return todo


@dataclass
class _Job:
    """What the steps of one ingest of new and changed files share."""

    settings: Settings
    store: ChunkStore
    manifest: Manifest
    model: _LazyModel
    report: IngestReport
    emit: Callable[[str], None]
    bar: _Progress
    allow_personal_data: bool = False
    sentence_step: SentenceStep | None = None


def _ingest_files(todo: list[tuple[Path, Path, str, str]], job: _Job) -> bool:
    """Load, chunk, embed and store ``todo`` in groups; True when the index changed."""
    group: list[_Prepared] = []
    changed = False
    for root, path, source, digest in todo:
        prepared = _prepare(job, root, path, source, digest)
        if prepared is None:
            job.bar.advance_file()
            continue
        group.append(prepared)
        if sum(len(p.chunks) for p in group) >= job.settings.embed_group_chunks:
            _flush(job, group)
            group, changed = [], True
    if group:
        _flush(job, group)
        changed = True
    job.bar.close()
    return changed


def _prepare(job: _Job, root: Path, path: Path, source: str, digest: str) -> _Prepared | None:
    """Load and chunk one file; None (reported) when it fails or is held back for personal data
    about a case (unless ``job.allow_personal_data``)."""
    from assistant.ingest.chunking import chunk_documents
    from assistant.ingest.loaders import layout, load_file
    from assistant.ingest.loaders.common import LoadError

    settings = job.settings
    try:
        if outside(path, root):  # became a link since it was found
            raise LoadError(LINK_OUTSIDE)
        max_bytes = int(settings.max_file_mb * 1024 * 1024)
        docs = load_file(path, root, max_bytes, layout.Rules.from_settings(settings))
        budget = job.model.budget()
        chunks = chunk_documents(docs, budget, target_tokens=settings.chunk_target_tokens)
    except LoadError as exc:
        job.report.failed.append((source, str(exc)))
        key = f"{digest}/{_failure_key(settings)}"
        job.manifest.mark_failed(source, str(path), key, str(exc))
        job.emit(f"failed {source}: {exc}")
        return None
    job.manifest.forget_failure(source)
    if not job.allow_personal_data and _held_back(source, docs, job.report, job.emit):
        return None
    return _Prepared(source, root, path, digest, chunks, _kind(docs, path), _pages(docs))


def _flush(job: _Job, group: list[_Prepared]) -> None:
    """Embed and store ``group``, then run the sentence step on it."""
    from assistant.ingest.chunking import embedding_text

    _store_group(job, group, job.model.embed(), embedding_text)
    _embed_sentences(group, job.settings, job.model, job.sentence_step)


class _LazyModel:
    """The embedder and its token budget, loaded on first use (never for files that fail)."""

    def __init__(
        self, settings: Settings, embeddings: Embeddings | None, store: ChunkStore
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.store = store
        self._embed: Callable[[list[str]], list[list[float]]] | None = None

    def model(self) -> Embeddings:
        if self.embeddings is None:
            from assistant.index.embedding import load_embeddings

            self.embeddings = load_embeddings(self.settings)
        return self.embeddings

    def budget(self) -> Any:
        from assistant.index.embedding import token_budget

        return token_budget(self.model(), self.settings)

    def embed(self) -> Callable[[list[str]], list[list[float]]]:
        if self._embed is None:
            model = self.model()
            self.store.check_model(model)  # never mix two models' vectors in one index
            self.store.record_model(model)
            self._embed = _embed_function(model, self.settings)
        return self._embed


@contextmanager
def _ingest_log(settings: Settings) -> Iterator[None]:
    """While files are loaded, the raw reasons of failures (library errors and tracebacks) go
    to ``ingest.log`` in the data dir; users see only the plain sentence."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(settings.data_dir / "ingest.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    loaders = logging.getLogger("assistant.ingest.loaders")
    loaders.addHandler(handler)
    try:
        yield
    finally:
        loaders.removeHandler(handler)
        handler.close()


def _embed_function(
    embedder: Embeddings, settings: Settings
) -> Callable[[list[str]], list[list[float]]]:
    """``embed_documents``; with late interaction on and a model that has word-piece vectors,
    those come out of the same model pass and go into the token cache for retrieval."""
    both = getattr(embedder, "embed_with_tokens", None)
    if not (settings.late_interaction and both and isinstance(embedder, TokenEncoder)):
        return embedder.embed_documents
    cache = TokenCache(token_cache_path(settings))
    name = embedder.name

    def embed(texts: list[str]) -> list[list[float]]:
        vectors, tokens = both(texts)
        cache.put(name, texts, [t.vectors for t in tokens])
        return vectors

    return embed


def _store_group(
    job: _Job,
    group: list[_Prepared],
    embed: Callable[[list[str]], list[list[float]]],
    embedding_text: Callable[[Document], str],
) -> None:
    """Embed a group of files together, then store and commit them one file at a time."""
    store, manifest, report, emit, bar = job.store, job.manifest, job.report, job.emit, job.bar
    manifest.mark_pending([(p.source, str(p.root), str(p.path), p.digest) for p in group])
    texts = [embedding_text(c) for p in group for c in p.chunks]
    vectors = _embed_in_steps(texts, embed, bar.add_chunks)
    offset = 0
    for prepared in group:
        count = len(prepared.chunks)
        store.delete_source(prepared.source)
        store.add(prepared.chunks, vectors[offset : offset + count])
        offset += count
        manifest.mark_done(prepared.source, prepared.kind, prepared.pages, count)
        report.ingested.append(prepared.source)
        report.pages += prepared.pages
        report.chunks += count
        emit(f"ingested {prepared.source} ({prepared.pages} pages, {count} chunks)")
        bar.advance_file()


def _embed_sentences(
    group: list[_Prepared], settings: Settings, model: _LazyModel, step: SentenceStep | None
) -> None:
    """Run ``step`` on the new chunks (when ``settings.ingest_sentence_vectors``)."""
    if step is None or not settings.ingest_sentence_vectors:
        return
    step([c.page_content for p in group for c in p.chunks], model.model(), settings)


def _embed_in_steps(
    texts: list[str],
    embed: Callable[[list[str]], list[list[float]]],
    done: Callable[[int], None],
    step: int = EMBED_STEP,
) -> list[list[float]]:
    """``embed(texts)``, shortest texts first in steps of ``step``, reporting each step to
    ``done``. Sorting the whole group by length keeps padding low (the model pads each batch to
    its longest passage); the steps keep the progress bar moving."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors: list[list[float]] = [[] for _ in texts]
    for start in range(0, len(order), step):
        part = order[start : start + step]
        for i, vector in zip(part, embed([texts[i] for i in part]), strict=True):
            vectors[i] = vector
        done(len(part))
    return vectors


class _LazyStore:
    """The chunk store, opened on first use: an unchanged re-ingest never imports Chroma."""

    def __init__(self, settings: Settings, client: Any | None) -> None:
        self.settings = settings
        self.client = client
        self._store: ChunkStore | None = None

    def get(self) -> ChunkStore:
        if self._store is None:
            self._store = open_store(self.settings, self.client)
        return self._store


def _recover(store: _LazyStore, manifest: Manifest) -> bool:
    """Forget files a previous run left ``pending`` (it was interrupted): drop their chunks and
    their row, so they count as new and are ingested again from scratch."""
    pending = [r for r in manifest.all() if r.status == "pending"]
    for record in pending:
        store.get().delete_source(record.source)
        manifest.remove(record.source)
    return bool(pending)


def _remove_missing(
    store: _LazyStore,
    manifest: Manifest,
    folders: list[Path],
    files: list[tuple[Path, Path]],
    report: IngestReport,
    emit: Callable[[str], None],
) -> bool:
    """Remove files ingested from one of ``folders`` that are gone (or now ignored) there."""
    roots = {str(f) for f in folders}
    present = {str(path) for _, path in files}
    removed = False
    for record in manifest.all():
        if record.root in roots and record.path not in present:
            store.get().delete_source(record.source)
            manifest.remove(record.source)
            report.removed.append(record.source)
            emit(f"removed {record.source}")
            removed = True
    return removed


def _kind(docs: list[Document], path: Path) -> str:
    if docs:
        return str(docs[0].metadata.get("kind", ""))
    return path.suffix.lower().lstrip(".")


def _pages(docs: list[Document]) -> int:
    numbers = {d.metadata.get("slide", d.metadata.get("page")) for d in docs}
    return len(numbers - {None})


# --- progress ------------------------------------------------------------------------------------
class _Progress:
    """A rich progress bar over files and chunks (silent when ``enabled`` is False)."""

    def __init__(self, enabled: bool, files: int) -> None:
        self.progress = None
        if enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(
                TextColumn("[bold]Ingesting[/bold]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files · {task.fields[chunks]} chunks embedded"),
                TimeElapsedColumn(),
            )
            self.task = self.progress.add_task("ingest", total=files, chunks=0)
            self.chunks = 0
            self.progress.start()

    def add_chunks(self, chunks: int) -> None:
        """``chunks`` more chunks embedded."""
        if self.progress is not None:
            self.chunks += chunks
            self.progress.update(self.task, chunks=self.chunks)

    def advance_file(self) -> None:
        """One more file stored (or skipped)."""
        if self.progress is not None:
            self.progress.update(self.task, advance=1)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


# --- stats ---------------------------------------------------------------------------------------
def index_stats(settings: Settings, client: Any | None = None) -> dict[str, Any]:
    """Documents, pages/slides and chunks in the index, plus the model and data dir."""
    manifest = Manifest(settings.manifest_path)
    try:
        records = [r for r in manifest.all() if r.status == "done"]
    finally:
        manifest.close()
    store = open_store(settings, client)
    return {
        "documents": len(records),
        "pages": sum(r.pages for r in records if r.kind != "pptx"),
        "slides": sum(r.pages for r in records if r.kind == "pptx"),
        "chunks": store.count(),
        "files": [
            {"source": r.source, "kind": r.kind, "pages": r.pages, "chunks": r.chunks}
            for r in records
        ],
        "model": settings.embedding_model,
        "data_dir": str(settings.data_dir.resolve()),
        "index": settings.chroma_url or str(settings.chroma_dir.resolve()),
    }
