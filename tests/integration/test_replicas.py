"""Two app processes on one real Chroma server stay consistent (issue 21, part 3).

Replica A ingests; replica B, already serving (its BM25 index loaded), must answer from the new
text on its next question, through BM25 as well as the dense side, and never quote a passage A
has changed. Each replica is a real process running this file as a driver: it builds the real
pipeline (real MiniLM model, ``RBP_CHROMA_URL`` set) and takes one JSON command per line on stdin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

SUPERVISION = """# Supervision agreements

Every new practitioner agrees a supervision contract in their first month. The Harbour protocol
sets out how supervision sessions are recorded: the supervisor writes a short summary and both
people sign it within five working days.

# Reflective groups

Reflective practice groups meet monthly. A senior practitioner who manages nobody in the group
facilitates it, so that people can speak openly about their work with families.
"""

HOME_VISITS = """# Joint home visits

When a family asks for a different worker, the first visit with the new worker is a joint home
visit, arranged within ten working days, so that the family meets both practitioners together and
nobody has to tell their story again from the beginning.
"""

OLD_QUESTION = "What does the Harbour protocol say about recording supervision?"


def flat(text: str) -> str:
    """``text`` lower-cased on one line (passages keep the files' line breaks)."""
    return " ".join(text.lower().split())


class Replica:
    """One app process (this file run as a driver) with its own data dir."""

    def __init__(self, data_dir: Path, chroma_url: str) -> None:
        env = {**os.environ, "RBP_DATA_DIR": str(data_dir), "RBP_CHROMA_URL": chroma_url}
        env["PYTHONPATH"] = str(REPO)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.test_replicas"],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def call(self, **command: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the replica process died"
        return dict(json.loads(line))

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def test_second_replica_serves_what_the_first_ingested(tmp_path: Path, chroma_url: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "supervision.md").write_text(SUPERVISION, encoding="utf-8")
    a = Replica(tmp_path / "a", chroma_url)
    b = Replica(tmp_path / "b", chroma_url)
    try:
        assert a.call(op="ingest", path=str(corpus))["ingested"] == ["supervision.md"]
        before = b.call(op="ask", q=OLD_QUESTION)
        assert before["sources"] == ["supervision.md"] and "harbour" in flat(before["bm25"][0])

        (corpus / "home-visits.md").write_text(HOME_VISITS, encoding="utf-8")
        assert a.call(op="ingest", path=str(corpus))["ingested"] == ["home-visits.md"]
        started = time.perf_counter()
        new = b.call(op="ask", q="How soon is a joint home visit arranged for a new worker?")
        assert time.perf_counter() - started < 20  # a shared 2-core machine; about 1 s when idle
        assert not new["abstained"] and new["sources"] == ["home-visits.md"]
        assert "ten working days" in flat(new["text"])
        assert "joint home visit" in flat(new["bm25"][0])  # BM25 has the new text, not only Chroma

        renamed = SUPERVISION.replace("Harbour", "Lighthouse")
        (corpus / "supervision.md").write_text(renamed, encoding="utf-8")
        assert a.call(op="ingest", path=str(corpus))["ingested"] == ["supervision.md"]
        after = b.call(op="ask", q="What does the Lighthouse protocol say about recording?")
        assert not after["abstained"] and after["sources"] == ["supervision.md"]
        assert "lighthouse" in flat(after["text"]) and "lighthouse" in flat(after["bm25"][0])
        old = b.call(op="ask", q=OLD_QUESTION)
        seen = [old["text"], *old["snippets"], *old["bm25"], *old["dense"]]
        seen += [*after["snippets"], *after["bm25"], *after["dense"]]
        assert not any("harbour" in flat(text) for text in seen)  # nothing stale, nothing mixed
    finally:
        a.close()
        b.close()


def _serve(lines: Any) -> None:
    """The driver: one JSON command per line in, one JSON reply per line out."""
    from assistant.ingest.run import ingest
    from assistant.pipeline import Assistant
    from assistant.settings import apply_offline_env, get_settings

    apply_offline_env()
    settings = get_settings()
    assistant = Assistant.from_settings(settings)
    for line in lines:
        command = json.loads(line)
        if command["op"] == "ingest":
            report = ingest([Path(command["path"])], settings, embeddings=assistant.embeddings)
            reply: dict[str, Any] = {"ingested": report.ingested, "failed": report.failed}
        else:
            answer = assistant.ask(command["q"])
            reply = {
                "text": answer.text,
                "abstained": answer.abstained,
                "sources": sorted({c.file_name for c in answer.citations}),
                "snippets": [c.snippet for c in answer.citations],
                "bm25": [h.text for h in assistant.search(command["q"], mode="bm25")],
                "dense": [h.text for h in assistant.search(command["q"], mode="dense")],
            }
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    _serve(sys.stdin)
