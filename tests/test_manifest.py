from pathlib import Path

from assistant.ingest.manifest import Manifest, file_hash


def test_pending_then_done_round_trip(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "m.sqlite")
    manifest.mark_pending([("a.pdf", "/root", "/root/a.pdf", "h1")])
    record = manifest.get("a.pdf")
    assert record is not None and record.status == "pending" and record.content_hash == "h1"

    manifest.mark_done("a.pdf", "pdf", pages=3, chunks=7)
    record = manifest.get("a.pdf")
    assert record is not None
    assert (record.status, record.kind, record.pages, record.chunks) == ("done", "pdf", 3, 7)

    manifest.mark_pending([("a.pdf", "/root", "/root/a.pdf", "h2")])
    record = manifest.get("a.pdf")
    assert record is not None and (record.status, record.content_hash) == ("pending", "h2")


def test_survives_reopen_and_remove(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    first = Manifest(path)
    first.mark_pending([("b.md", "/r", "/r/b.md", "h")])
    first.mark_done("b.md", "md", 1, 1)
    first.close()
    second = Manifest(path)
    assert [r.source for r in second.all()] == ["b.md"]
    second.mark_all_pending()
    assert second.get("b.md").status == "pending"  # type: ignore[union-attr]
    second.remove("b.md")
    assert second.all() == []


def test_file_hash_changes_with_content(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("one")
    h1 = file_hash(f)
    f.write_text("two")
    assert file_hash(f) != h1
    assert len(h1) == 64
