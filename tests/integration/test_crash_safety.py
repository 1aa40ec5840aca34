"""SIGKILL a real ingest subprocess at several points; the next run must equal a clean ingest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.index.store import open_store
from assistant.ingest.manifest import Manifest
from assistant.settings import get_settings
from tests.conftest import REPO

pytestmark = pytest.mark.integration

TOPICS = ["care", "trust", "supervision", "attachment", "reflection", "empathy"]


def _write_corpus(root: Path, files: int = 24) -> None:
    root.mkdir(parents=True)
    for i in range(files):
        topic = TOPICS[i % len(TOPICS)]
        sections = []
        for j in range(4):
            words = " ".join(f"{topic}{(i * 7 + j * 13 + k) % 97}" for k in range(60))
            sections.append(f"# {topic.title()} part {j}\n\nA paragraph on {topic}: {words}.\n")
        (root / f"doc{i:02d}.md").write_text("\n".join(sections))


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(RBP_DATA_DIR=str(data_dir), RBP_EMBED_GROUP_CHUNKS="12", PYTHONUNBUFFERED="1")
    return env


def _start(corpus: Path, data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), *extra],
        cwd=REPO,
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _run_and_kill(corpus: Path, data_dir: Path, after_lines: int, delay: float, *extra: str) -> int:
    """Start an ingest, wait for ``after_lines`` progress lines plus ``delay`` s, then SIGKILL."""
    proc = _start(corpus, data_dir, *extra)
    seen = 0
    assert proc.stdout is not None
    while seen < after_lines:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith(("ingested ", "removed ")):
            seen += 1
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return seen


def _run(corpus: Path, data_dir: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), *extra],
        cwd=REPO,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _snapshot(data_dir: Path) -> set[tuple[str, str, str, int]]:
    settings = get_settings(data_dir=data_dir)
    chunks = open_store(settings).all_chunks()
    rows = {
        (d.metadata["chunk_id"], d.page_content, d.metadata["source"], d.metadata["page"])
        for d in chunks
    }
    assert len(rows) == len(chunks), "duplicate chunks in the index"
    manifest = Manifest(settings.manifest_path)
    records = manifest.all()
    manifest.close()
    assert all(r.status == "done" for r in records)
    per_source: dict[str, int] = {}
    for _, _, source, _ in rows:
        per_source[source] = per_source.get(source, 0) + 1
    assert {r.source: r.chunks for r in records} == per_source, "manifest and index disagree"
    return rows


def test_sigkill_at_several_points_then_resume_equals_clean(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    clean_dir = tmp_path / "clean"
    _run(corpus, clean_dir)
    expected = _snapshot(clean_dir)
    assert len(expected) >= 48

    data_dir = tmp_path / "crashy"
    # while the model loads / the first group embeds, mid-way through storing, and later on
    for after_lines, delay in [(0, 2.0), (1, 0.0), (5, 0.3), (14, 0.05)]:
        _run_and_kill(corpus, data_dir, after_lines, delay)
    # a killed --rebuild, and a killed run that also has a removal and a change to do
    _run_and_kill(corpus, data_dir, 3, 0.0, "--rebuild")
    (corpus / "doc23.md").unlink()
    (corpus / "doc00.md").write_text("# Care\n\nChanged text about care and trust.\n")
    _run_and_kill(corpus, data_dir, 1, 0.0)

    output = _run(corpus, data_dir)
    assert "Traceback" not in output
    _run(corpus, clean_dir)  # bring the clean index to the same files
    assert _snapshot(data_dir) == _snapshot(clean_dir)
