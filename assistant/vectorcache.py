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
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def open_cache_db(path: Path, table: str) -> sqlite3.Connection:
    """A SQLite file used as a cache (shared by threads, fast, unsafe on power loss) holding
    ``table`` ("name (columns)"), created if missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, timeout=5)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # a cache: losing the tail costs nothing
    db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
    return db


class VectorCache:
    """Embed texts through ``embeddings``, remembering every vector (optionally on disk)."""

    def __init__(self, embeddings: Embeddings, path: Path | None = None, memory: int = 20000):
        self.embeddings = embeddings
        self.path = path
        self.memory = memory
        self._mem: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None:
            self._db = open_cache_db(self.path, "vectors (key TEXT PRIMARY KEY, v BLOB)")
        return self._db

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
                self._store(rows)
        out = np.stack([known[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True) if out.size else 1.0
        return out / np.where(norms == 0, 1.0, norms)

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
        db = self._conn()
        if db is None:
            return
        found = []
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            marks = ",".join("?" * len(part))
            query = f"SELECT key, v FROM vectors WHERE key IN ({marks})"  # noqa: S608
            found += [(k, np.frombuffer(v, dtype=np.float32)) for k, v in db.execute(query, part)]
        self._remember(found)

    def _store(self, rows: list[tuple[str, np.ndarray]]) -> None:
        db = self._conn()
        if db is None:
            return
        try:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, v.astype(np.float32).tobytes()) for k, v in rows],
                )
        except sqlite3.Error:
            pass  # the cache is an optimisation; a locked or read-only file must not fail answers
