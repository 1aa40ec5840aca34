"""Ingest manifest: which files are in the index, with their content hash (SQLite in the data dir).

A file moves through two states. ``pending`` is written *before* its chunks are touched in Chroma,
``done`` only *after* all of them are stored. A crash therefore leaves at most some ``pending``
rows, whose chunks the next ingest deletes and rebuilds; a ``done`` row always has all its chunks.

Files that could not be read are kept apart, in ``failures``, with the hash of the bytes that failed
and the reason: an unchanged failed file is reported again without being parsed again.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    source       TEXT PRIMARY KEY,
    root         TEXT NOT NULL,
    path         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'done')),
    kind         TEXT NOT NULL DEFAULT '',
    pages        INTEGER NOT NULL DEFAULT 0,
    chunks       INTEGER NOT NULL DEFAULT 0,
    updated_at   REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    source       TEXT PRIMARY KEY,
    path         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    reason       TEXT NOT NULL,
    updated_at   REAL NOT NULL
);
"""


@dataclass(frozen=True)
class FileRecord:
    source: str
    root: str
    path: str
    content_hash: str
    status: str
    kind: str
    pages: int
    chunks: int


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Manifest:
    """The table of ingested files. Every write is its own committed transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def get(self, source: str) -> FileRecord | None:
        row = self._db.execute(
            "SELECT source, root, path, content_hash, status, kind, pages, chunks "
            "FROM files WHERE source = ?",
            (source,),
        ).fetchone()
        return FileRecord(*row) if row else None

    def all(self) -> list[FileRecord]:
        rows = self._db.execute(
            "SELECT source, root, path, content_hash, status, kind, pages, chunks "
            "FROM files ORDER BY source"
        ).fetchall()
        return [FileRecord(*row) for row in rows]

    def mark_pending(self, sources: list[tuple[str, str, str, str]]) -> None:
        """Record ``(source, root, path, hash)`` as about to change, in one transaction."""
        now = time.time()
        with self._tx() as db:
            db.executemany(
                "INSERT INTO files (source, root, path, content_hash, status, updated_at) "
                "VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT(source) DO UPDATE SET "
                "root = excluded.root, path = excluded.path, "
                "content_hash = excluded.content_hash, status = 'pending', "
                "updated_at = excluded.updated_at",
                [(s, r, p, h, now) for s, r, p, h in sources],
            )

    def mark_all_pending(self) -> None:
        with self._tx() as db:
            db.execute("UPDATE files SET status = 'pending'")

    def mark_done(self, source: str, kind: str, pages: int, chunks: int) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE files SET status = 'done', kind = ?, pages = ?, chunks = ?, "
                "updated_at = ? WHERE source = ?",
                (kind, pages, chunks, time.time(), source),
            )

    def remove(self, source: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM files WHERE source = ?", (source,))

    # --- files that could not be read ---------------------------------------------------------
    def failure(self, source: str, content_hash: str) -> str | None:
        """The reason ``source`` failed last time, if its content is still ``content_hash``."""
        row = self._db.execute(
            "SELECT reason FROM failures WHERE source = ? AND content_hash = ?",
            (source, content_hash),
        ).fetchone()
        return str(row[0]) if row else None

    def mark_failed(self, source: str, path: str, content_hash: str, reason: str) -> None:
        """Remember that ``source`` with this content could not be read, and why."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO failures (source, path, content_hash, reason, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (source, path, content_hash, reason, time.time()),
            )

    def forget_failures(self, only_missing: bool = False) -> None:
        """Forget remembered failures: all of them, or those whose file no longer exists."""
        with self._tx() as db:
            if not only_missing:
                db.execute("DELETE FROM failures")
                return
            rows = db.execute("SELECT source, path FROM failures").fetchall()
            gone = [(source,) for source, path in rows if not Path(path).exists()]
            db.executemany("DELETE FROM failures WHERE source = ?", gone)

    def forget_failure(self, source: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM failures WHERE source = ?", (source,))

    def close(self) -> None:
        self._db.close()
