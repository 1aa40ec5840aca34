"""Feedback store, conversation log and the ``feedback export`` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.records import Answer, Citation
from assistant.settings import Settings
from assistant.ui.feedback import EXPORT_COLUMNS, ConversationLog, FeedbackStore


def _answer(question: str = "What is transference?") -> Answer:
    cite = Citation(
        n=1,
        chunk_id="c1",
        source="decks/theory.pdf",
        file_name="theory.pdf",
        title="Theory",
        page=4,
        slide=None,
        section="Psychodynamic ideas",
        snippet='Transference, "feelings", carried over;\nfrom earlier relationships',
        score=0.9,
    )
    return Answer(question=question, text="Transference is ... [1]", citations=[cite])


def test_record_and_read_back(settings: Settings) -> None:
    store = FeedbackStore(settings.feedback_path)
    row_id = store.record(_answer(), "like")
    [row] = store.rows()
    assert row.id == row_id
    assert (row.rating, row.question, row.answer) == (
        "like",
        "What is transference?",
        _answer().text,
    )
    assert row.citations[0]["source"] == "decks/theory.pdf"
    assert row.citations[0]["location"] == "page 4"
    assert row.abstained is False


def test_rating_comment_and_delete(settings: Settings) -> None:
    store = FeedbackStore(settings.feedback_path)
    first = store.record(_answer("one?"), "like")
    second = store.record(_answer("two?"), "dislike")
    store.set_rating(first, "dislike")
    store.set_comment(second, "  missed the page on supervision  ")
    rows = {r.id: r for r in store.rows()}
    assert rows[first].rating == "dislike"
    assert rows[second].comment == "missed the page on supervision"
    store.delete(first)
    assert [r.id for r in store.rows()] == [second]


def test_bad_rating_is_refused(settings: Settings) -> None:
    store = FeedbackStore(settings.feedback_path)
    with pytest.raises(ValueError):
        store.record(_answer(), "meh")
    assert store.rows() == []


def test_no_database_until_something_is_stored(settings: Settings) -> None:
    store = FeedbackStore(settings.feedback_path)
    assert store.rows() == []
    assert not settings.feedback_path.exists()


def test_export_csv_round_trips_awkward_text(settings: Settings) -> None:
    store = FeedbackStore(settings.feedback_path)
    store.record(_answer('Commas, "quotes"\nand a new line?'), "dislike", comment="a, b")
    out = io.StringIO()
    assert store.export_csv(out) == 1
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["question"] == 'Commas, "quotes"\nand a new line?'
    assert record["rating"] == "dislike"
    assert record["comment"] == "a, b"
    assert record["citations"] == "[1] decks/theory.pdf, page 4"


def test_cli_feedback_export(settings: Settings, tmp_path: Path) -> None:
    FeedbackStore(settings.feedback_path).record(_answer(), "like", comment="clear")
    target = tmp_path / "feedback.csv"
    result = CliRunner().invoke(app, ["feedback", "export", "--output", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["rating"], r["comment"], r["question"]) for r in rows] == [
        ("like", "clear", "What is transference?")
    ]
    to_stdout = CliRunner().invoke(app, ["feedback", "export"])
    assert to_stdout.exit_code == 0
    assert "What is transference?" in to_stdout.stdout


def test_conversation_log_is_off_unless_enabled(tmp_path: Path) -> None:
    off = ConversationLog(tmp_path / "off.jsonl", enabled=False)
    assert off.write(_answer()) is False
    assert not (tmp_path / "off.jsonl").exists()
    on = ConversationLog(tmp_path / "on.jsonl", enabled=True)
    assert on.write(_answer()) is True
    [line] = (tmp_path / "on.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["question"] == "What is transference?"


def test_settings_default_logging_off(settings: Settings) -> None:
    assert settings.log_conversations is False
