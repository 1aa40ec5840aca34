"""Test sets for the evaluation harness: JSON Lines or CSV, one question per row.

Columns: ``id``, ``question``, ``source`` (file name, or null when the documents do not answer
it), ``pages`` (1-based page or slide numbers), optional ``answer_keywords`` and ``kind``. Any
problem raises :class:`TestSetError` naming the file and line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.evaluate.metrics import Key
from assistant.records import twin_files

#: Columns a CSV test set must have.
REQUIRED_COLUMNS = ("id", "question", "source", "pages")


class EvalError(Exception):
    """A problem with the evaluation's input; the message is one line for the user."""


class TestSetError(EvalError):
    """A malformed test set; the message names the file and line."""

    __test__ = False  # not a pytest test class


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
        if self.source is not None and same_document(self.source, file_name, source):
            return (self.source, number)
        return (file_name, number)


def same_document(expected: str, file_name: str, source: str) -> bool:
    """Whether a hit from ``file_name`` (at path ``source``) is the test set's ``expected`` file:
    the same name or path, or its twin in another format (a deck's .pptx and its .pdf export have
    the same slides), as retrieval treats them (:func:`assistant.records.twin_files`)."""
    return expected in (file_name, source) or twin_files(expected, source)


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
