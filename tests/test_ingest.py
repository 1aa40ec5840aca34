"""Incremental, crash-safe ingest with a fake embedder (no model): exact, fast checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.ingest import discover, index_stats, ingest
from assistant.manifest import Manifest
from assistant.settings import Settings
from assistant.store import open_store
from tests.fakes import KeywordEmbeddings

VOCAB = ["care", "supervision", "attachment", "empathy", "trust"]


def _corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "care.md").write_text(
        "# Ethic of care\n\nCare is attentive and responsive.\n\n# Trust\n\nTrust takes time.\n"
    )
    (root / "supervision.txt").write_text("Supervision supports reflection and empathy.\n")
    (root / "notes").mkdir(exist_ok=True)
    (root / "notes" / "attachment.md").write_text(
        "# Attachment\n\nAttachment shapes relationships.\n"
    )
    return root


def _chunk_set(settings: Settings) -> set[tuple[str, str]]:
    return {(d.metadata["chunk_id"], d.page_content) for d in open_store(settings).all_chunks()}


@pytest.fixture
def fake() -> KeywordEmbeddings:
    return KeywordEmbeddings(VOCAB)


def test_first_ingest_then_unchanged_embeds_nothing(
    tmp_path: Path, settings: Settings, fake
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    first = ingest([corpus], settings, embeddings=fake)
    assert sorted(first.ingested) == ["care.md", "notes/attachment.md", "supervision.txt"]
    assert first.failed == [] and first.chunks == open_store(settings).count() > 0
    chunks = _chunk_set(settings)

    fake.calls = 0
    second = ingest([corpus], settings, embeddings=fake)
    assert second.ingested == [] and len(second.unchanged) == 3
    assert fake.calls == 0  # nothing embedded for unchanged files
    assert _chunk_set(settings) == chunks


def test_a_new_chunk_format_ingests_unchanged_files_again(
    tmp_path: Path, settings: Settings, fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], settings, embeddings=fake)
    count = open_store(settings).count()
    monkeypatch.setattr("assistant.ingest.CHUNK_FORMAT", 999)
    again = ingest([corpus], settings, embeddings=fake)
    assert len(again.ingested) == 3 and again.unchanged == []
    assert open_store(settings).count() == count  # replaced, not duplicated
    assert len(ingest([corpus], settings, embeddings=fake).unchanged) == 3


def test_changed_file_replaced_and_deleted_file_removed(
    tmp_path: Path, settings: Settings, fake
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], settings, embeddings=fake)
    (corpus / "supervision.txt").write_text("Supervision has three functions.\n")
    (corpus / "notes" / "attachment.md").unlink()
    report = ingest([corpus], settings, embeddings=fake)
    assert report.ingested == ["supervision.txt"]
    assert report.removed == ["notes/attachment.md"]
    texts = {d.metadata["source"]: d.page_content for d in open_store(settings).all_chunks()}
    assert "notes/attachment.md" not in texts
    assert texts["supervision.txt"] == "Supervision has three functions."
    # the index equals a clean ingest of the same folder
    clean = settings.model_copy(update={"data_dir": tmp_path / "clean"})
    ingest([corpus], clean, embeddings=KeywordEmbeddings(VOCAB))
    assert _chunk_set(settings) == _chunk_set(clean)


def test_bad_files_reported_and_the_rest_ingested(tmp_path: Path, settings: Settings, fake) -> None:
    corpus = _corpus(tmp_path / "corpus")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (corpus / "empty.md").write_text("")
    (corpus / "latin1.txt").write_bytes("caf\xe9 \xa3".encode("latin-1"))
    (corpus / "table.xlsx").write_bytes(b"PK\x03\x04")
    report = ingest([corpus], settings, embeddings=fake)
    failed = dict(report.failed)
    assert set(failed) == {"broken.pdf", "empty.md", "latin1.txt", "table.xlsx"}
    assert all(reason and "\n" not in reason for reason in failed.values())
    assert sorted(report.ingested) == ["care.md", "notes/attachment.md", "supervision.txt"]
    manifest = Manifest(settings.manifest_path)
    assert sorted(r.source for r in manifest.all()) == sorted(report.ingested)


def test_failed_update_keeps_previous_version(tmp_path: Path, settings: Settings, fake) -> None:
    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], settings, embeddings=fake)
    before = _chunk_set(settings)
    (corpus / "care.md").write_text("")  # now unreadable: the old chunks stay
    report = ingest([corpus], settings, embeddings=fake)
    assert [s for s, _ in report.failed] == ["care.md"]
    assert _chunk_set(settings) == before


def test_interrupted_file_is_redone(tmp_path: Path, settings: Settings, fake) -> None:
    """A file left 'pending' with stray chunks (a killed run) is cleaned and ingested again."""
    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], settings, embeddings=fake)
    expected = _chunk_set(settings)
    manifest = Manifest(settings.manifest_path)
    record = manifest.get("care.md")
    assert record is not None
    manifest.mark_pending([(record.source, record.root, record.path, record.content_hash)])
    manifest.close()
    store = open_store(settings)
    from langchain_core.documents import Document

    store.add(
        [Document(page_content="stray", metadata={"chunk_id": "stray", "source": "care.md"})],
        [[1.0] + [0.0] * len(VOCAB)],
    )
    report = ingest([corpus], settings, embeddings=fake)
    assert report.ingested == ["care.md"]
    assert _chunk_set(settings) == expected


def test_rebuild_and_ignore_file(tmp_path: Path, settings: Settings, fake) -> None:
    corpus = _corpus(tmp_path / "corpus")
    (corpus / ".rbpignore").write_text("notes/\n*.txt\n")
    (corpus / ".hidden.md").write_text("# Hidden\n\nnot ingested\n")
    files, folders = discover([corpus])
    assert [p.name for _, p in files] == ["care.md"]
    assert folders == [corpus.resolve()]
    ingest([corpus], settings, embeddings=fake)
    report = ingest([corpus], settings, embeddings=fake, rebuild=True)
    assert report.ingested == ["care.md"] and report.unchanged == []
    assert {s["source"] for s in index_stats(settings)["files"]} == {"care.md"}


def test_missing_path_is_an_error(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(FileNotFoundError):
        ingest([tmp_path / "nope"], settings, embeddings=KeywordEmbeddings(VOCAB))


def test_cli_help_is_instant_and_lists_commands() -> None:
    from assistant.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "ingest" in result.output and "stats" in result.output


def test_cli_missing_folder_one_line_error(tmp_path: Path) -> None:
    from assistant.cli import app

    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "No such file or folder" in result.output
    assert "Traceback" not in result.output


def test_a_group_is_embedded_shortest_first_in_steps_and_put_back_in_order() -> None:
    from assistant.ingest import _embed_in_steps

    texts = ["a a a a", "b", "c c c", "d d", "e e e e e"]
    calls: list[list[str]] = []

    def embed(batch: list[str]) -> list[list[float]]:
        calls.append(batch)
        return [[float(len(t))] for t in batch]

    steps: list[int] = []
    vectors = _embed_in_steps(texts, embed, steps.append, step=2)
    assert vectors == [[float(len(t))] for t in texts]  # each text gets its own vector back
    assert calls == [["b", "d d"], ["c c c", "a a a a"], ["e e e e e"]]
    assert steps == [2, 2, 1]
    assert _embed_in_steps([], embed, steps.append) == []
