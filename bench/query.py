"""Query benchmark: what a question costs us compared with the cost nobody can avoid.

    .venv/bin/python bench/query.py [--chunks 100000] [--skip-synthetic]

Prints, asserting nothing:
- on the bundled corpus (``corpus/``; the shared seed corpus if that is missing): the unavoidable
  cost of a question (one query embedding + one Chroma query), our ``ask`` latency p50/p95 with the
  extractive answerer (hybrid retrieval) when answer sentences are first seen ("cold") and after
  ``Assistant.warm()`` has cached their vectors ("warm"), and the ratio to the unavoidable cost
  (target: <= 3x);
- on a synthetic index of 100,000 chunks: Chroma and BM25 build time, memory, BM25 and dense query
  latency, and the same ``ask`` figures.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.settings import Settings, apply_offline_env, get_settings  # noqa: E402

SHARED = REPO.parent / "shared"
QUESTION_FILES = [
    SHARED / "eval" / "dev-questions.jsonl",
    REPO / "bench" / "calibration-questions.jsonl",
]


def questions() -> list[str]:
    found = []
    for path in QUESTION_FILES:
        if path.is_file():
            found += [
                json.loads(line)["question"] for line in path.read_text().splitlines() if line
            ]
    return found or ["What are the elements of care?", "What is supervision for?"]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def measure(assistant, qs: list[str], label: str) -> None:  # noqa: ANN001
    """Unavoidable cost vs our ask latency (cold, then warm) for ``qs``."""
    emb, store, k = assistant.embeddings, assistant.store, assistant.settings.top_k
    emb.embed_query("warm up")
    assistant.retriever.lexical  # noqa: B018 - load the BM25 index outside the timings

    def unavoidable_cost(q: str) -> float:
        return timed(lambda: store.query(emb.embed_query(q), k))

    unavoidable = [unavoidable_cost(q) for q in qs]
    first = [assistant.ask(q) for q in qs]
    cold = [a.timings["total"] / 1000 for a in first]
    warm_up = timed(lambda: assistant.warm(background=False))
    warm = [assistant.ask(q).timings["total"] / 1000 for q in qs]
    base = statistics.median(unavoidable)
    answered = sum(not a.abstained for a in first)
    print(f"[{label}] {len(qs)} questions, {answered} answered, {len(qs) - answered} abstained")
    p95 = ms(pct(unavoidable, 0.95))
    print(f"  unavoidable (embed query + 1 Chroma query): p50 {ms(base)} ms, p95 {p95} ms")
    print(f"  Assistant.warm() (embed the remaining answer sentences once): {warm_up:.1f} s")
    for name, values in (("cold", cold), ("warm", warm)):
        p50 = statistics.median(values)
        print(
            f"  ask extractive/hybrid {name}: p50 {ms(p50)} ms, p95 {ms(pct(values, 0.95))} ms, "
            f"ratio p50 {p50 / base:.2f}x (target <= 3x)"
        )


def bundled(root: Path) -> None:
    from assistant.ingest.run import ingest
    from assistant.pipeline import Assistant

    corpus = REPO / "corpus"
    if not any(corpus.glob("*.pdf")) and not any(corpus.glob("*.pptx")):
        corpus = SHARED / "seed-corpus"
    settings = get_settings(data_dir=root / "bundled")
    start = time.perf_counter()
    report = ingest([corpus], settings)
    took = time.perf_counter() - start
    print(f"[bundled] {corpus}: {report.chunks} chunks ingested in {took:.1f} s")
    measure(Assistant.from_settings(settings), questions(), "bundled")


def synthetic_chunks(n: int, seed: int = 7):  # noqa: ANN201
    """``n`` chunk Documents of ~80 words drawn from a Zipf-like vocabulary, 5 chunks per page."""
    from langchain_core.documents import Document

    rng = random.Random(seed)
    words = [f"w{i}" for i in range(30000)] + ["care", "supervision", "relationship", "family"]
    weights = [1 / (i + 1) for i in range(len(words))]
    pool = rng.choices(words, weights, k=400_000)
    for i in range(n):
        start = rng.randrange(len(pool) - 100)
        text = " ".join(pool[start : start + rng.randint(50, 110)])
        doc, page = divmod(i, 100)
        yield Document(
            page_content=text,
            metadata={
                "chunk_id": f"doc{doc}.pdf#p{page // 5}-{page % 5}",
                "source": f"doc{doc}.pdf",
                "file_name": f"doc{doc}.pdf",
                "doc_title": f"Synthetic document {doc}",
                "kind": "pdf",
                "page": page // 5 + 1,
                "section": f"Section {page // 5 + 1}",
                "context": f"Synthetic document {doc} — Section {page // 5 + 1}",
            },
        )


def synthetic(root: Path, n: int) -> None:
    import numpy as np

    from assistant.index import lexical
    from assistant.index.store import open_store
    from assistant.pipeline import Assistant
    from assistant.records import AnswerRequest
    from assistant.retrieve.retriever import Retrieval

    settings: Settings = get_settings(data_dir=root / "synthetic")
    store = open_store(settings)
    rng = np.random.default_rng(7)
    before = rss_mb()
    start = time.perf_counter()
    batch: list = []
    for doc in synthetic_chunks(n):
        batch.append(doc)
        if len(batch) == 5000:
            vecs = rng.standard_normal((len(batch), 384)).astype(np.float32)
            store.add(batch, (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).tolist())
            batch = []
    if batch:
        vecs = rng.standard_normal((len(batch), 384)).astype(np.float32)
        store.add(batch, (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).tolist())
    chroma_s = time.perf_counter() - start
    start = time.perf_counter()
    lexical.rebuild(settings, store)
    bm25_s = time.perf_counter() - start
    gc.collect()
    print(f"[synthetic] {store.count()} chunks, random 384-d vectors")
    print(f"  build: Chroma add {chroma_s:.1f} s, BM25 rebuild (all chunks read, indexed, saved)")
    print(f"         {bm25_s:.1f} s")
    size = sum(p.stat().st_size for p in settings.bm25_dir.rglob("*") if p.is_file()) / 2**20
    start = time.perf_counter()
    index = lexical.LexicalIndex.load(settings.bm25_dir)
    print(f"  BM25 on disk {size:.0f} MB, load {time.perf_counter() - start:.2f} s")
    qs = ["care supervision relationship", "w10 w200 w3000", "family w42 care", "w7 w77 w777 w7777"]

    def bm25_query(q: str) -> float:
        return timed(lambda: index.search(q, settings.candidates))

    bm25 = [bm25_query(q) for q in qs * 5]
    print(f"  BM25 query (top {settings.candidates}): p50 {ms(statistics.median(bm25))} ms")
    assistant = Assistant.from_settings(settings)
    measure(assistant, questions()[:20], "synthetic")
    # random texts never pass abstention, so time the answer step on its own as well
    retrieval = [assistant.retriever.retrieve(q, both=True) for q in qs]

    def answer_step(r: Retrieval) -> float:
        return timed(
            lambda: assistant.answerer.answer(
                AnswerRequest(r.query, r.hits, "hybrid", r.query_vector)
            )
        )

    step = [answer_step(r) for r in retrieval]
    print(f"  extractive answer step alone (cold vectors): p50 {ms(statistics.median(step))} ms")
    grew = rss_mb() - before
    print(f"  memory: RSS {rss_mb():.0f} MB (grew {grew:.0f} MB while building and querying)")


def main() -> None:
    apply_offline_env()
    n = int(sys.argv[sys.argv.index("--chunks") + 1]) if "--chunks" in sys.argv else 100_000
    with tempfile.TemporaryDirectory(prefix="rbp-bench-query-") as tmp:
        start = time.perf_counter()
        bundled(Path(tmp))
        if "--skip-synthetic" not in sys.argv:
            synthetic(Path(tmp), n)
        print(f"total bench time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
