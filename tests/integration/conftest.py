"""Fixtures shared by the integration tests: one Debian Chromium per test module, and a real
Chroma server (the ``chroma run`` shipped in the chromadb wheel) on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.webapp import ARGS, CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: apt-get install -y chromium")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """``chroma run --path DIR --host 127.0.0.1 --port N`` (the documented deployment command),
    up and answering its heartbeat; stopped after the test."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = free_port()
    command = [exe, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1"]
    proc = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("Chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
