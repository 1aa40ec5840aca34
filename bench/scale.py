"""Scale benchmark: a question's cost and the app's memory as the index grows to 100,000 passages.

    .venv/bin/python bench/scale.py [--sizes 10000,30000,100000] [--data DIR] [--profile FILE]

The index grows in steps (one Chroma collection in ``--data``, reused when it already holds the
chunks). Passage text is synthetic: sentences drawn from the words of the bundled corpus sources
(``corpus/src``), so questions find words they share. Passage vectors, word-piece vectors and
answer-sentence vectors (all of which ingest computes) are deterministic random unit vectors
(embedding 100,000 passages with the real model would take hours here); only questions go through
the real model. After each step it prints:

- how long adding the new chunks to Chroma took, and the BM25 index: the update ingest makes
  after adding them (only new chunks tokenized), a full rebuild from the store for comparison,
  and the update after one document (100 chunks) is replaced, as a trainer's re-upload does;
- from a fresh serving process (as ``rbp-assistant serve`` would be): time to the first answer,
  the unavoidable cost of a question (embed it + one Chroma query, p50; measured just before
  each cold ask, so both see the same load, after one discarded pass that embeds every
  question), ``ask`` p50/p95 over questions never asked in that
  process ("cold": nothing in memory, the data dir as ingest left it) and asked again ("warm"),
  the ratio cold p50 / unavoidable (target <= 3x) and the process's RSS (target <= 1.2 GB at
  100k).

With ``--profile FILE`` the serving process writes cProfile stats of its cold asks to FILE.
Asserts nothing. The CPU may be shared: compare ratios, not only milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from langchain_core.documents import Document

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.settings import Settings, apply_offline_env, get_settings  # noqa: E402

QUESTION_FILES = [
    REPO.parent / "shared" / "eval" / "dev-questions.jsonl",
    REPO / "bench" / "calibration-questions.jsonl",
]
#: Chunks generated (and stored) per batch; vectors are seeded by the batch's first chunk number.
BATCH = 5000
DIM = 384
PAGES_PER_DOC = 20
CHUNKS_PER_PAGE = 5


def questions(n: int) -> list[str]:
    found: list[str] = []
    for path in QUESTION_FILES:
        if path.is_file():
            found += [json.loads(ln)["question"] for ln in path.read_text().splitlines() if ln]
    return found[:n] or ["What are the elements of care?", "What is supervision for?"]


def vocabulary() -> list[str]:
    """Words of the bundled corpus sources, in order of appearance (repeats kept: Zipf-like)."""
    text = " ".join(
        p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus" / "src").glob("*"))
    )
    found = re.findall(r"[A-Za-z][a-z]+(?:-[a-z]+)?", text)
    return found or ["care", "supervision", "relationship", "family", "practice", "reflection"]


def chunk_text(rng: object, pool: list[str]) -> str:
    """Five to nine sentences of 6-16 words each, drawn from ``pool``."""
    sentences = []
    for _ in range(rng.integers(5, 10)):  # type: ignore[attr-defined]
        picked = rng.choice(len(pool), rng.integers(6, 17))  # type: ignore[attr-defined]
        words = [pool[i] for i in picked]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def synthetic_batch(
    start: int, count: int, pool: list[str]
) -> tuple[list[Document], np.ndarray, list[np.ndarray]]:
    """Chunks ``start`` to ``start+count-1``: Documents, unit vectors, word-piece vectors."""
    import numpy as np
    from langchain_core.documents import Document

    from assistant.index.late import passage_text
    from assistant.index.vectorcache import unit_rows

    rng = np.random.default_rng(start)
    docs = []
    for i in range(start, start + count):
        doc, rest = divmod(i, PAGES_PER_DOC * CHUNKS_PER_PAGE)
        page, part = divmod(rest, CHUNKS_PER_PAGE)
        context = f"Synthetic document {doc} - Section {page + 1}"
        docs.append(
            Document(
                page_content=chunk_text(rng, pool),
                metadata={
                    "chunk_id": f"doc{doc:05d}.pdf#p{page + 1}-{part}",
                    "chunk_index": part,
                    "source": f"doc{doc:05d}.pdf",
                    "file_name": f"doc{doc:05d}.pdf",
                    "doc_title": f"Synthetic document {doc}",
                    "kind": "pdf",
                    "page": page + 1,
                    "section": f"Section {page + 1}",
                    "context": context,
                },
            )
        )
    vectors = unit_rows(rng.standard_normal((count, DIM)).astype(np.float32))
    pieces = [
        unit_rows(rng.standard_normal((len(passage_text(d.page_content).split()), DIM)))
        for d in docs
    ]
    return docs, vectors, pieces


def grow(settings: Settings, target: int, pool: list[str]) -> dict[str, float]:
    """Add synthetic chunks until the store holds ``target``, as ingest would, then update BM25."""
    from assistant.index import lexical
    from assistant.index.embedding import resolve_model_path
    from assistant.index.late import TokenCache, passage_text, token_cache_path
    from assistant.index.store import open_store

    store = open_store(settings)
    model = resolve_model_path(settings.embedding_model)
    cache = TokenCache(token_cache_path(settings))
    have = store.count()
    start = time.perf_counter()
    for first in range(have - have % BATCH, target, BATCH):
        docs, vectors, pieces = synthetic_batch(first, min(BATCH, target - first), pool)
        fresh = [i for i, d in enumerate(docs) if first + i >= have]
        if not fresh:
            continue
        store.add([docs[i] for i in fresh], [vectors[i].tolist() for i in fresh])
        texts = [passage_text(docs[i].page_content, docs[i].metadata["context"]) for i in fresh]
        cache.put(model, texts, [pieces[i] for i in fresh])
    added = time.perf_counter() - start
    sentences(settings, store)
    store.bump_version()  # what ingest does after a change
    start = time.perf_counter()
    lexical.update(settings, store)
    updated = time.perf_counter() - start
    start = time.perf_counter()
    lexical.rebuild(settings, store)
    rebuilt = time.perf_counter() - start
    return {
        "chunks": store.count(),
        "add_s": added,
        "bm25_update_s": updated,
        "bm25_rebuild_s": rebuilt,
        "bm25_one_doc_s": replace_one_document(settings, store, pool),
    }


def sentences(settings: Settings, store: object) -> None:
    """Give every chunk's answer sentences a vector in the data dir's cache, as ingest does
    (``RBP_INGEST_SENTENCE_VECTORS``); random unit vectors, only for those still missing."""
    import numpy as np

    from assistant.index.vectorcache import VectorCache, unit_rows
    from assistant.pipeline import UNIT_CACHE, answer_texts

    cache = VectorCache(None, settings.data_dir / UNIT_CACHE)  # type: ignore[arg-type]
    total = store.count()  # type: ignore[attr-defined]
    for offset in range(0, total, BATCH):
        got = store.collection.get(include=["documents"], limit=BATCH, offset=offset)  # type: ignore[attr-defined]
        todo = cache.missing(answer_texts(got["documents"], settings.abstain_sentence_check))
        rng = np.random.default_rng(offset)
        cache.put(todo, unit_rows(rng.standard_normal((len(todo), DIM)).astype(np.float32)))


def replace_one_document(settings: Settings, store: object, pool: list[str]) -> float:
    """Replace the first synthetic document's chunks with new text (new chunk ids) as ingest
    would (vectors, word pieces, sentences), stamp the store and time the BM25 update."""
    import numpy as np

    from assistant.index import lexical
    from assistant.index.embedding import resolve_model_path
    from assistant.index.late import TokenCache, passage_text, token_cache_path

    docs, vectors, pieces = synthetic_batch(0, PAGES_PER_DOC * CHUNKS_PER_PAGE, pool)
    version = int(time.time())
    for doc in docs:
        doc.page_content += f" Revised {version}."
        doc.metadata["chunk_id"] += f"-r{version}"
    store.delete_source(docs[0].metadata["source"])  # type: ignore[attr-defined]
    store.add(docs, [v.tolist() for v in vectors])  # type: ignore[attr-defined]
    texts = [passage_text(d.page_content, d.metadata["context"]) for d in docs]
    TokenCache(token_cache_path(settings)).put(  # what ingest stores with the vectors
        resolve_model_path(settings.embedding_model),
        texts,
        [np.resize(p, (len(t.split()), DIM)) for p, t in zip(pieces, texts, strict=True)],
    )
    sentences(settings, store)
    store.bump_version()  # type: ignore[attr-defined]
    start = time.perf_counter()
    lexical.update(settings, store)  # type: ignore[arg-type]
    return time.perf_counter() - start


def serve_measure(data_dir: Path, n_questions: int, profile: str | None) -> dict[str, float]:
    """In this (fresh) process: what serving costs over ``data_dir``."""
    import psutil

    from assistant.pipeline import Assistant

    settings = get_settings(data_dir=data_dir)
    qs = questions(n_questions)
    started = time.perf_counter()
    assistant = Assistant.from_settings(settings)
    assistant.ask("What is relationship-based practice?")
    first = time.perf_counter() - started
    emb, store, k = assistant.embeddings, assistant.store, settings.top_k
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    for q in qs:  # torch sets up its kernels per input length on first use: not a cost of asking
        emb.embed_query(q)
    unavoidable, cold_answers = [], []
    for q in qs:  # each pair back to back, so both see the same load on a shared CPU
        t = time.perf_counter()
        store.query(emb.embed_query(q), k)
        unavoidable.append(time.perf_counter() - t)
        if profiler is not None:
            profiler.enable()
        cold_answers.append(assistant.ask(q))
        if profiler is not None:
            profiler.disable()
    if profiler is not None and profile:
        profiler.dump_stats(profile)
    warm = [assistant.ask(q).timings["total"] / 1000 for q in qs]
    cold = [a.timings["total"] / 1000 for a in cold_answers]
    return {
        "first_answer_s": first,
        "unavoidable_p50_ms": 1000 * statistics.median(unavoidable),
        "cold_p50_ms": 1000 * statistics.median(cold),
        "cold_p95_ms": 1000 * pct(cold, 0.95),
        "warm_p50_ms": 1000 * statistics.median(warm),
        "answered": sum(not a.abstained for a in cold_answers),
        "questions": len(qs),
        "rss_mb": psutil.Process().memory_info().rss / 2**20,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_in_subprocess(data_dir: Path, n_questions: int, profile: str | None) -> dict:
    command = [sys.executable, __file__, "--serve", str(data_dir), "--questions", str(n_questions)]
    if profile:
        command += ["--profile", profile]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def report(row: dict) -> Iterator[str]:
    ratio = row["cold_p50_ms"] / row["unavoidable_p50_ms"]
    yield (
        f"{row['chunks']:>7} chunks | add {row['add_s']:6.1f} s | BM25 update after adding "
        f"{row['bm25_update_s']:5.1f} s, full rebuild {row['bm25_rebuild_s']:5.1f} s, after one "
        f"document replaced {row['bm25_one_doc_s']:5.1f} s | first answer "
        f"{row['first_answer_s']:5.1f} s"
    )
    yield (
        f"        unavoidable p50 {row['unavoidable_p50_ms']:6.1f} ms | cold ask p50 "
        f"{row['cold_p50_ms']:6.1f} ms (p95 {row['cold_p95_ms']:6.1f}) = {ratio:4.1f}x "
        f"(target <= 3x) | warm p50 {row['warm_p50_ms']:6.1f} ms | RSS {row['rss_mb']:5.0f} MB "
        f"(target <= 1229) | answered {row['answered']}/{row['questions']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--data", help="data dir to build in and reuse (default: a temporary one)")
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--profile", help="write cProfile stats of the cold asks here")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    apply_offline_env()
    if args.serve:
        print(json.dumps(serve_measure(Path(args.serve), args.questions, args.profile)))
        return
    tmp = None if args.data else tempfile.TemporaryDirectory(prefix="rbp-bench-scale-")
    data_dir = Path(args.data or tmp.name)  # type: ignore[union-attr]
    settings = get_settings(data_dir=data_dir)
    pool = vocabulary()
    print(f"synthetic passages over {len(set(pool))} corpus words; data dir {data_dir}")
    for size in (int(s) for s in args.sizes.split(",")):
        row = grow(settings, size, pool)
        row.update(measure_in_subprocess(data_dir, args.questions, args.profile))
        for line in report(row):
            print(line, flush=True)
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
