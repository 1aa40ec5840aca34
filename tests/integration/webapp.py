"""A small generated corpus and the real web chat (``app.py``) running on a free loopback port.

Shared by the browser, API-client tests and ``bench/load.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: Browser tests: Debian's chromium, never a downloaded browser; nothing resolves but 127.0.0.1.
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
ARTIFACTS = REPO / "test-artifacts"
WAIT_MS = 90_000

XSS_DOC = """# Zephyr protocol notes

The zephyr protocol keeps scripts out: <script>window.__xss=1;alert('script')</script> is shown.

An image tag <img src=x onerror="window.__xss=2;alert('img')"> appears in the zephyr notes.

A link [open the zephyr protocol](javascript:window.__xss=3;alert('link')) is in the notes too.
"""

PDF_PAGES = [
    ("Course overview", "This course introduces relationship-based practice for social workers."),
    (
        "Transference",
        "Transference is the unconscious redirection of feelings from earlier relationships "
        "onto the worker. Countertransference is the worker's emotional response to the person.",
    ),
    (
        "The ethic of care",
        "Tronto describes the ethic of care in four phases: caring about, taking care of, "
        "care-giving and care-receiving.",
    ),
]

SLIDES = [
    ("Supervision in practice", "Why supervision matters for relationship-based work."),
    ("Reflective space", "Supervision offers a reflective space to think about feelings."),
    (
        "Kadushin's triangle",
        "Kadushin's triangle of supervision has three functions: administrative, educational "
        "and supportive.",
    ),
]


def write_pdf(path: Path) -> None:
    """A PDF with one topic per page (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Theory for practice")
    for heading, body in PDF_PAGES:
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(72, 760, heading)
        pdf.setFont("Helvetica", 11)
        text = pdf.beginText(72, 730)
        line = ""
        for word in body.split():
            if len(line) + len(word) > 85:
                text.textLine(line)
                line = ""
            line += word + " "
        text.textLine(line)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()


def write_pptx(path: Path) -> None:
    """A deck with one topic per slide (python-pptx)."""
    from pptx import Presentation

    deck = Presentation()
    deck.core_properties.title = "Supervision deck"
    for title, body in SLIDES:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    deck.save(str(path))


def make_corpus(root: Path) -> Path:
    """The test corpus: a PDF, a PPTX and a Markdown file full of markup that must stay inert."""
    root.mkdir(parents=True, exist_ok=True)
    write_pdf(root / "theory.pdf")
    write_pptx(root / "supervision.pptx")
    (root / "zephyr-notes.md").write_text(XSS_DOC, encoding="utf-8")
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningApp:
    url: str
    data_dir: Path
    corpus_dir: Path
    log: Path
    pid: int = 0


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/config", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"app.py did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_app(
    workdir: Path,
    *,
    auth: str | None = None,
    concurrency: int | None = None,
    corpus: Path | None = None,
) -> Iterator[RunningApp]:
    """Start ``python app.py`` on a free port over a fresh data dir and the generated corpus (or
    ``corpus``); stop it after."""
    corpus = corpus or make_corpus(workdir / "corpus")
    data = workdir / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RBP_")}
    env.update(
        RBP_DATA_DIR=str(data),
        RBP_CORPUS_DIR=str(corpus),
        RBP_CONFIG=str(workdir / "no-config.toml"),
        HF_HUB_OFFLINE="1",
        HF_HUB_DISABLE_TELEMETRY="1",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
    )
    if auth:
        env["RBP_AUTH"] = auth
    if concurrency:
        env["RBP_CONCURRENCY"] = str(concurrency)
    log = workdir / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc, log, timeout=240)
        yield RunningApp(url=url, data_dir=data, corpus_dir=corpus, log=log, pid=proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
