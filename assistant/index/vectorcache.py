"""A persistent cache of sentence vectors, so each answer unit is embedded once.

The extractive answerer compares the question with every sentence of the top passages. Embedding
those sentences is the expensive part of an answer the first time a passage is used; after that
their vectors come from here (memory first, then a small SQLite file in the data dir).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def unit_rows(rows: Any) -> np.ndarray:
    """``rows`` (a matrix, or a list of vectors) with every row scaled to length 1; all-zero rows
    stay zero."""
    matrix = np.asarray(rows)
    if not matrix.size:
        return matrix
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class CacheFile:
    """One SQLite table used as a cache: opened on first use (shared by threads, fast, unsafe on
    power loss), rows looked up by ``key``, and writes that never fail the caller: a locked or
    read-only file just caches nothing. With ``path`` None nothing is stored."""

    def __init__(self, path: Path | None, table: str, columns: str) -> None:
        self.path = path
        self.table = table
        self.columns = columns
        self._db: sqlite3.Connection | None = None

    def connection(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=5)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a cache: losing the tail costs nothing
            db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({self.columns})")
            self._db = db
        return self._db

    def rows(self, keys: Sequence[str], columns: str) -> Iterator[tuple[Any, ...]]:
        """``columns`` of the stored rows whose key is one of ``keys``."""
        db = self.connection()
        if db is None:
            return
        for start in range(0, len(keys), 500):
            part = list(keys[start : start + 500])
            marks = ",".join("?" * len(part))
            query = f"SELECT {columns} FROM {self.table} WHERE key IN ({marks})"  # noqa: S608
            yield from db.execute(query, part)

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Store ``rows`` (all columns, key first), replacing rows with the same key."""
        db = self.connection()
        if db is None or not rows:
            return
        marks = ",".join("?" * len(rows[0]))
        try:
            with db:
                db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES ({marks})", rows)
        except sqlite3.Error:
            pass  # the cache is an optimisation; a locked or read-only file must not fail answers


class VectorCache:
    """Embed texts through ``embeddings``, remembering every vector (optionally on disk)."""

    def __init__(self, embeddings: Embeddings, path: Path | None = None, memory: int = 20000):
        self.embeddings = embeddings
        self.path = path
        self.memory = memory
        self._mem: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._file = CacheFile(path, "vectors", "key TEXT PRIMARY KEY, v BLOB")

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised vector per text (rows), embedding only texts never seen before."""
        keys = [_key(t) for t in texts]
        with self._lock:
            missing = [k for k in dict.fromkeys(keys) if k not in self._mem]
            if missing:
                self._load(missing)
            todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._mem}
            known = {k: self._mem[k] for k in keys if k in self._mem}
        if todo:  # embed without holding the lock, so a warm-up thread never blocks a question
            fresh = self.embeddings.embed_documents(list(todo.values()))
            rows = [(k, np.asarray(v, dtype=np.float32)) for k, v in zip(todo, fresh, strict=True)]
            known.update(rows)
            with self._lock:
                self._remember(rows)
                self._file.insert([(k, v.astype(np.float32).tobytes()) for k, v in rows])
        out = np.stack([known[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)
        return unit_rows(out)

    def put(self, texts: Sequence[str], vectors: Any) -> None:
        """Store ``vectors`` (rows, one per text) for ``texts`` as if they had been embedded."""
        rows = [
            (_key(t), np.asarray(v, dtype=np.float32)) for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock:
            self._remember(rows)
            self._file.insert([(k, v.tobytes()) for k, v in rows])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """The ``Embeddings`` call, served from the cache where possible."""
        return [list(map(float, row)) for row in self.vectors(texts)]

    def missing(self, texts: Sequence[str]) -> list[str]:
        """Texts whose vectors are neither in memory nor on disk."""
        keys = {_key(t): t for t in texts}
        with self._lock:
            self._load([k for k in keys if k not in self._mem])
            return [t for k, t in keys.items() if k not in self._mem]

    def _remember(self, rows: list[tuple[str, np.ndarray]]) -> None:
        for key, vec in rows:
            self._mem[key] = vec
            self._mem.move_to_end(key)
        while len(self._mem) > self.memory:
            self._mem.popitem(last=False)

    def _load(self, keys: list[str]) -> None:
        rows = self._file.rows(keys, "key, v")
        self._remember([(k, np.frombuffer(v, dtype=np.float32)) for k, v in rows])
