"""Feedback on answers (like/dislike and an optional comment), kept in SQLite in the data dir.

Each row holds the question, the answer text and its citations, so trainers can see what worked.
Nothing else from a conversation is stored unless ``settings.log_conversations`` is switched on
(:class:`ConversationLog`). Callers pass text that has already been checked for personal data.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from assistant.records import Answer

RATINGS = ("like", "dislike")

#: Columns written by :meth:`FeedbackStore.export_csv`, in order.
EXPORT_COLUMNS = (
    "id",
    "created_at",
    "rating",
    "comment",
    "question",
    "answer",
    "citations",
    "abstained",
    "mode",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('like', 'dislike')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    mode TEXT NOT NULL
)
"""


@dataclass
class FeedbackRow:
    """One stored piece of feedback."""

    id: int
    created_at: str
    rating: str
    comment: str
    question: str
    answer: str
    citations: list[dict[str, Any]]
    abstained: bool
    mode: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def citation_summary(answer: Answer) -> list[dict[str, Any]]:
    """The citation fields kept with feedback (no scores, no chunk text beyond the snippet)."""
    return [
        {
            "n": c.n,
            "source": c.source,
            "title": c.title,
            "location": c.location,
            "section": c.section,
            "snippet": c.snippet,
        }
        for c in answer.citations
    ]


class FeedbackStore:
    """Thread-safe SQLite store; one short connection per call, so it is safe across sessions."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            conn = sqlite3.connect(self.path, timeout=10)
            try:
                conn.execute(_SCHEMA)
                with conn:
                    yield conn
            finally:
                conn.close()

    def record(self, answer: Answer, rating: str, comment: str = "") -> int:
        """Store a rating for ``answer``; returns the new row id."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, rating, comment, question, answer, citations,"
                " abstained, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    rating,
                    comment.strip(),
                    answer.question,
                    answer.text,
                    json.dumps(citation_summary(answer), ensure_ascii=False),
                    int(answer.abstained),
                    answer.mode,
                ),
            )
            return int(cur.lastrowid or 0)

    def set_rating(self, row_id: int, rating: str) -> None:
        """Change the rating of an existing row (the user changed their mind)."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        with self._connect() as conn:
            conn.execute("UPDATE feedback SET rating = ? WHERE id = ?", (rating, row_id))

    def set_comment(self, row_id: int, comment: str) -> None:
        """Attach (or replace) the optional comment of a row."""
        with self._connect() as conn:
            conn.execute("UPDATE feedback SET comment = ? WHERE id = ?", (comment.strip(), row_id))

    def delete(self, row_id: int) -> None:
        """Remove a row (the user took their rating back)."""
        with self._connect() as conn:
            conn.execute("DELETE FROM feedback WHERE id = ?", (row_id,))

    def rows(self) -> list[FeedbackRow]:
        """All rows, oldest first."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            cur = conn.execute(f"SELECT {', '.join(EXPORT_COLUMNS)} FROM feedback ORDER BY id")
            return [_to_row(raw) for raw in cur.fetchall()]

    def export_csv(self, out: IO[str]) -> int:
        """Write every row as CSV (citations as their labels); returns the number of rows."""
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        rows = self.rows()
        for row in rows:
            cites = "; ".join(_citation_label(c) for c in row.citations)
            writer.writerow(
                [
                    row.id,
                    row.created_at,
                    row.rating,
                    row.comment,
                    row.question,
                    row.answer,
                    cites,
                    int(row.abstained),
                    row.mode,
                ]
            )
        return len(rows)


def _to_row(raw: tuple[Any, ...]) -> FeedbackRow:
    rid, created, rating, comment, question, answer, cites, abstained, mode = raw
    return FeedbackRow(
        id=int(rid),
        created_at=str(created),
        rating=str(rating),
        comment=str(comment),
        question=str(question),
        answer=str(answer),
        citations=json.loads(cites),
        abstained=bool(abstained),
        mode=str(mode),
    )


def _citation_label(cite: dict[str, Any]) -> str:
    where = f", {cite['location']}" if cite.get("location") else ""
    return f"[{cite.get('n')}] {cite.get('source', '')}{where}"


class ConversationLog:
    """Optional JSON-lines log of questions and answers; only used when the user switches it on."""

    def __init__(self, path: Path, enabled: bool) -> None:
        self.path = Path(path)
        self.enabled = enabled
        self._lock = threading.Lock()

    def write(self, answer: Answer) -> bool:
        """Append one exchange if logging is on; returns whether anything was written."""
        if not self.enabled:
            return False
        record = {
            "at": _now(),
            "question": answer.question,
            "answer": answer.text,
            "abstained": answer.abstained,
            "citations": citation_summary(answer),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return True
