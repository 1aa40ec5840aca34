"""Late-interaction scoring: the embedding model's own token vectors, matched word by word.

One vector per passage blurs a short answer into the rest of the passage, and BM25 needs the same
words. Late interaction (MaxSim, as in ColBERT, Khattab & Zaharia 2020) keeps a vector per word
piece: each meaningful word piece of the question finds its closest piece in the passage, and the
passage scores the idf-weighted mean of those similarities. Contextual vectors match paraphrases
("paperwork" finds "admin") while rare question words count most.

The passage vectors come out of the same model pass as the passage vector at ingest and are kept in
a SQLite cache in the data dir (int8 with a scale per row, about 27 kB for a 120-token chunk), keyed
by model and text; a passage never seen before is encoded on first use. Only models that expose
token vectors (:class:`~assistant.index.embedding.LocalEmbeddings`) take part; others skip this
stage.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.index.vectorcache import CacheFile
from assistant.settings import Settings

#: File in the data dir holding the word-piece vectors of passages.
CACHE_FILE = "token-vectors.sqlite"


def token_cache_path(settings: Settings) -> Path:
    return settings.data_dir / CACHE_FILE


def passage_text(text: str, context: str = "") -> str:
    """What is embedded for a chunk (and so cached): its context header, a newline, its text."""
    return f"{context}\n{text}" if context else text


@dataclass
class TokenVectors:
    """Unit-length vectors of a text's word pieces (rows); for queries, their character spans."""

    vectors: np.ndarray
    spans: list[tuple[int, int]] | None = None


@runtime_checkable
class TokenEncoder(Protocol):
    """An embedder that can also return its word-piece vectors."""

    name: str

    def token_vectors(self, texts: Sequence[str], spans: bool = False) -> list[TokenVectors]: ...

    def embed_query_with_tokens(self, text: str) -> tuple[list[float], TokenVectors]:
        """The query vector and the query's word-piece vectors with spans, in one pass."""
        ...


def _key(model: str, text: str) -> str:
    return hashlib.sha1(f"{model}\0{text}".encode()).hexdigest()


class TokenCache:
    """Word-piece vectors of passages by (model, text): memory first, then SQLite (int8)."""

    def __init__(self, path: Path | None, memory: int = 1000) -> None:
        self.memory = memory
        self._mem: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._file = CacheFile(path, "pieces", "key TEXT PRIMARY KEY, model TEXT, dim INT, v BLOB")

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached matrices of those ``texts`` that have one, by text."""
        keys = {_key(model, t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        with self._lock:
            todo = []
            for key, text in keys.items():
                if key in self._mem:
                    found[text] = self._mem[key]
                else:
                    todo.append(key)
            for key, dim, blob in self._file.rows(todo, "key, dim, v"):
                matrix = _unpack(blob, dim)
                self._remember(key, matrix)
                found[keys[key]] = matrix
        return found

    def put(self, model: str, texts: Sequence[str], matrices: Sequence[np.ndarray]) -> None:
        """Remember ``matrices`` (one per text) in memory and on disk."""
        rows = [
            (_key(model, t), np.asarray(m, dtype=np.float32))
            for t, m in zip(texts, matrices, strict=True)
        ]
        with self._lock:
            for key, matrix in rows:
                self._remember(key, matrix)
            self._file.insert([(k, model, int(m.shape[1]), _pack(m)) for k, m in rows])

    def prune(self, texts: Iterable[str]) -> int:
        """Forget every passage not in ``texts`` (the index's chunks); returns how many."""
        wanted = set(texts)
        with self._lock:
            self._mem.clear()
            db = self._file.connection()
            if db is None:
                return 0
            try:
                with db:
                    models = [m for (m,) in db.execute("SELECT DISTINCT model FROM pieces")]
                    keep = [(_key(m, t),) for m in models for t in wanted]
                    db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                    db.execute("DELETE FROM keep")
                    db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", keep)
                    gone = db.execute("DELETE FROM pieces WHERE key NOT IN (SELECT key FROM keep)")
                    return int(gone.rowcount)
            except sqlite3.Error:
                return 0

    def _remember(self, key: str, matrix: np.ndarray) -> None:
        if len(self._mem) >= self.memory:
            self._mem.pop(next(iter(self._mem)))
        self._mem[key] = matrix.astype(np.float16)  # half the memory; scores need no more


def _pack(matrix: np.ndarray) -> bytes:
    """Rows as int8 with one float32 scale each: a quarter of float32, cosine error about 0.01."""
    scale = np.abs(matrix).max(axis=1, keepdims=True) / 127.0 if matrix.size else np.zeros((0, 1))
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    quantised = np.round(matrix / scale).astype(np.int8)
    return scale.tobytes() + quantised.tobytes()


def _unpack(blob: bytes, dim: int) -> np.ndarray:
    rows = len(blob) // (4 + dim) if dim else 0
    scale = np.frombuffer(blob[: 4 * rows], dtype=np.float32).reshape(rows, 1)
    quantised = np.frombuffer(blob[4 * rows :], dtype=np.int8).reshape(rows, dim)
    return quantised.astype(np.float32) * scale


def passage_matrices(
    encoder: TokenEncoder, cache: TokenCache, texts: Sequence[str]
) -> list[np.ndarray]:
    """Word-piece vectors of each passage, encoding (and caching) only the unseen ones."""
    known = cache.get(encoder.name, texts)
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        fresh = [tv.vectors for tv in encoder.token_vectors(missing)]
        cache.put(encoder.name, missing, fresh)
        known.update(zip(missing, fresh, strict=True))
    return [np.asarray(known[t], dtype=np.float32) for t in texts]


def query_weights(
    query: str,
    spans: Iterable[tuple[int, int]],
    idf: Callable[[str], float],
    stopwords: frozenset[str],
) -> list[tuple[int, float]]:
    """(piece index, weight) for the pieces that count: the idf of the whole word each belongs
    to, skipping stopwords and question words. Weights sum to 1."""
    out: list[tuple[int, float]] = []
    for i, (start, end) in enumerate(spans):
        while start > 0 and query[start - 1].isalnum():
            start -= 1
        while end < len(query) and query[end].isalnum():
            end += 1
        word = query[start:end].lower()
        if word and word not in stopwords:
            weight = idf(word)
            if weight > 0:
                out.append((i, weight))
    total = sum(w for _, w in out)
    return [(i, w / total) for i, w in out] if total else []


def maxsim(query: np.ndarray, weights: np.ndarray, passage: np.ndarray) -> float:
    """``sum_i weights_i * max_j <query_i, passage_j>`` over unit-length piece vectors."""
    if not len(query) or not len(passage):
        return 0.0
    return float(weights @ (query @ passage.T).max(axis=1))


class LateInteraction:
    """Scores passages for a query by idf-weighted MaxSim of word-piece vectors."""

    def __init__(
        self,
        encoder: TokenEncoder,
        cache: TokenCache,
        idf: Callable[[str], float],
        stopwords: frozenset[str],
    ) -> None:
        self.encoder = encoder
        self.cache = cache
        self.idf = idf
        self.stopwords = stopwords

    def scores(
        self, query: str, passages: Sequence[str], encoded: TokenVectors | None = None
    ) -> list[float]:
        """One score per passage (all 0.0 when no question word carries weight); ``encoded`` is
        the query's word pieces with spans when the caller already has them."""
        if not passages:
            return []
        encoded = encoded or self.encoder.token_vectors([query], spans=True)[0]
        chosen = query_weights(query, encoded.spans or [], self.idf, self.stopwords)
        if not chosen:
            return [0.0] * len(passages)
        rows = encoded.vectors[[i for i, _ in chosen]]
        weights = np.array([w for _, w in chosen], dtype=np.float32)
        matrices = passage_matrices(self.encoder, self.cache, passages)
        return [maxsim(rows, weights, m) for m in matrices]
