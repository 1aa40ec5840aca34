"""Incremental, crash-safe ingest with a fake embedder (no model): exact, fast checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.index.store import open_store
from assistant.ingest.discover import discover
from assistant.ingest.manifest import Manifest
from assistant.ingest.run import index_stats, ingest
from assistant.settings import Settings
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
    monkeypatch.setattr("assistant.ingest.run.CHUNK_FORMAT", 999)
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
    from assistant.ingest.run import _embed_in_steps

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


# --- failed files are remembered; the model loads only when something needs embedding ----------
def _damaged_docx(path: Path) -> Path:
    """A .docx whose content-types part has the wrong namespace: python-docx fails inside with
    ``AttributeError: 'lxml.etree._Element' object has no attribute 'overrides'``."""
    import zipfile

    good = Path(__file__).resolve().parents[1] / "corpus" / "supervision-handout.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"http://schemas.openxmlformats.org/package/2006/content-types",
                    b"http://example.invalid/not-content-types",
                )
            out.writestr(info, data)
    return path


class _NoModel(KeywordEmbeddings):
    """Fails the test if anything asks it for a token count or a vector."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise AssertionError("embedded on an unchanged re-ingest")

    def count_tokens(self, text: str) -> int:
        raise AssertionError("the model was used on an unchanged re-ingest")


def test_unchanged_failed_file_is_reported_again_without_parsing_or_model(
    tmp_path: Path, settings: Settings, fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.index.embedding
    import assistant.ingest.loaders

    corpus = _corpus(tmp_path / "corpus")
    _damaged_docx(corpus / "damaged.docx")
    first = ingest([corpus], settings, embeddings=fake)
    reason = dict(first.failed)["damaged.docx"]
    assert "damaged" in reason and "save it again" in reason

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file was parsed again")

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedding model was loaded")

    monkeypatch.setattr(assistant.ingest.loaders, "load_file", no_load)
    monkeypatch.setattr(assistant.index.embedding, "load_embeddings", no_model)
    lines: list[str] = []
    again = ingest([corpus], settings, on_event=lines.append)  # no embedder given
    assert again.failed == [("damaged.docx", reason)]
    assert len(again.unchanged) == 3 and again.ingested == []
    assert lines == [f"failed damaged.docx: {reason} (unchanged since the last ingest)"]
    assert ingest([corpus], settings, embeddings=_NoModel(VOCAB)).failed == again.failed


def test_a_mended_failed_file_is_ingested_and_forgotten_as_failed(
    tmp_path: Path, settings: Settings, fake
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    (corpus / "late.md").write_text("")
    assert [s for s, _ in ingest([corpus], settings, embeddings=fake).failed] == ["late.md"]
    (corpus / "late.md").write_text("# Late\n\nTrust takes time.\n")
    report = ingest([corpus], settings, embeddings=fake)
    assert report.ingested == ["late.md"] and report.failed == []
    manifest = Manifest(settings.manifest_path)
    assert manifest._db.execute("SELECT count(*) FROM failures").fetchone() == (0,)


def test_a_new_file_that_fails_does_not_load_the_model(
    tmp_path: Path, settings: Settings, fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.index.embedding

    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], settings, embeddings=fake)
    _damaged_docx(corpus / "damaged.docx")

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedding model was loaded")

    monkeypatch.setattr(assistant.index.embedding, "load_embeddings", no_model)
    report = ingest([corpus], settings)
    assert [s for s, _ in report.failed] == ["damaged.docx"]
    log = (settings.data_dir / "ingest.log").read_text()
    assert "AttributeError" in log and "overrides" in log  # the raw error is in the log


def test_a_raised_size_limit_retries_a_file_refused_as_too_large(
    tmp_path: Path, settings: Settings, fake
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    (corpus / "big.md").write_text("# Big\n\nTrust " + "care " * 60_000)
    small = settings.model_copy(update={"max_file_mb": 0.1})
    assert "too large" in dict(ingest([corpus], small, embeddings=fake).failed)["big.md"]
    assert ingest([corpus], settings, embeddings=fake).ingested == ["big.md"]


# --- no escapes: links out of the course folder are refused ---------------------------------------
def test_a_link_to_a_file_outside_the_corpus_is_refused_and_never_indexed(
    tmp_path: Path, settings: Settings, fake
) -> None:
    from assistant.ingest.discover import LINK_FOLDER, LINK_OUTSIDE

    corpus = _corpus(tmp_path / "corpus")
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("zebracorn password hunter2\n")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "elsewhere").symlink_to(secret.parent, target_is_directory=True)
    (corpus / "notes" / "again.md").symlink_to(corpus / "care.md")  # inside -> inside: followed
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    lines: list[str] = []
    report = ingest([corpus], settings, embeddings=fake, on_event=lines.append)
    failed = dict(report.failed)
    assert failed["passwd.txt"] == LINK_OUTSIDE
    assert failed["elsewhere"] == LINK_FOLDER and failed["loop"] == LINK_FOLDER
    assert f"failed passwd.txt: {LINK_OUTSIDE}" in lines
    assert "notes/again.md" in report.ingested
    texts = [text for _, text in _chunk_set(settings)]
    assert texts and not any("zebracorn" in t or "hunter2" in t for t in texts)


def test_a_file_that_became_a_link_out_is_removed_from_the_index(
    tmp_path: Path, settings: Settings, fake
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], settings, embeddings=fake)
    secret = tmp_path / "secret.txt"
    secret.write_text("zebracorn\n")
    (corpus / "supervision.txt").unlink()
    (corpus / "supervision.txt").symlink_to(secret)
    report = ingest([corpus], settings, embeddings=fake)
    assert report.removed == ["supervision.txt"] and "supervision.txt" in dict(report.failed)
    assert not any("zebracorn" in text for _, text in _chunk_set(settings))


def test_ingest_embeds_answer_sentences_and_stamps_the_store(
    tmp_path: Path, settings: Settings, fake
) -> None:
    from assistant.index.vectorcache import VectorCache
    from assistant.pipeline import UNIT_CACHE, answer_texts, embed_answer_sentences

    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], settings, embeddings=fake, sentence_step=embed_answer_sentences)
    store = open_store(settings)
    first = store.version()
    texts = answer_texts(
        [d.page_content for d in store.all_chunks()], settings.abstain_sentence_check
    )
    assert "Trust takes time." in texts
    fake.calls = 0
    assert VectorCache(fake, settings.data_dir / UNIT_CACHE).missing(texts) == []
    assert fake.calls == 0

    ingest([corpus], settings, embeddings=fake)  # unchanged: the same version
    assert store.version() == first
    (corpus / "supervision.txt").unlink()
    ingest([corpus], settings, embeddings=fake)
    assert store.version() not in ("", first)  # a removal is a change too


def test_sentence_vectors_at_ingest_can_be_switched_off(
    tmp_path: Path, settings: Settings, fake
) -> None:
    from assistant.pipeline import UNIT_CACHE, embed_answer_sentences

    off = settings.model_copy(update={"ingest_sentence_vectors": False})
    corpus = _corpus(tmp_path / "corpus")
    ingest([corpus], off, embeddings=fake, sentence_step=embed_answer_sentences)
    assert not (settings.data_dir / UNIT_CACHE).exists()


def test_a_second_ingest_of_the_same_index_waits_for_the_first(
    tmp_path: Path, settings: Settings, fake
) -> None:
    import threading

    from filelock import FileLock

    corpus = _corpus(tmp_path / "corpus")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    held = FileLock(settings.data_dir / "ingest.lock")
    held.acquire()  # another process is ingesting
    waiting = threading.Event()
    reports = []

    def run() -> None:
        events = lambda line: waiting.set() if line.startswith("waiting") else None  # noqa: E731
        reports.append(ingest([corpus], settings, embeddings=fake, on_event=events))

    worker = threading.Thread(target=run)
    worker.start()
    assert waiting.wait(timeout=30)
    assert worker.is_alive() and not settings.manifest_path.exists()  # nothing touched yet
    held.release()
    worker.join(timeout=60)
    assert not worker.is_alive() and len(reports[0].ingested) == 3
    assert len(ingest([corpus], settings, embeddings=fake).unchanged) == 3
