"""Load benchmark: gradio_client clients ask the web chat at once while a trainer uploads a file.

    .venv/bin/python bench/load.py [--url http://127.0.0.1:7860] [--clients 20] [--seconds 60]
        [--no-upload]

Without ``--url`` it starts ``app.py`` on a free loopback port over a copy of the bundled corpus
with a fresh data dir (ingest first), using the default ``RBP_CONCURRENCY``. Each client asks
questions through the ``/ask`` endpoint, one after another, until the time is up. Ten seconds in,
a trainer uploads a short document through the *Add documents* tab in Chromium (as in the browser
tests; skipped with ``--url`` or ``--no-upload``), and once it is indexed a question only that
document answers is asked. Prints errors (target 0), answers/s, p50/p95 latency, the upload's
time to "Indexed", the app process's peak RSS, and the CPU time the app and the load generator
used. Asserts nothing; the load generator shares the
machine's CPU with the app.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUESTIONS = [
    "What is transference?",
    "What does the ethic of care involve?",
    "What is the IDEAS model?",
    "What are the three functions in Kadushin's triangle of supervision?",
    "What is emotional labour?",
    "How can supervision support reflective practice?",
    "What is relationship-based practice?",
    "What is countertransference?",
    "Why do relationships matter in social work?",
    "What is a containing environment?",
]
UPLOAD_NAME = "mentalisation notes.md"
UPLOAD_TEXT = (
    "# Mentalisation\n\n"
    "Mentalisation means holding mind in mind: seeing yourself from the outside and others from "
    "the inside.\n"
)
UPLOAD_QUESTION = "What does mentalisation mean?"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the value at rank ceil(q/100 * n) of the sorted values."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def run_client(url: str, questions: list[str], deadline: float) -> tuple[list[float], list[str]]:
    """Ask ``questions`` in turn until ``deadline`` (at least one question)."""
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # a failed connection counts as one error
        return [], [f"connect: {exc}"]
    i = 0
    while True:
        question = questions[i % len(questions)]
        i += 1
        start = time.perf_counter()
        try:
            record = client.predict(question, api_name="/ask")
            if not isinstance(record, dict) or "text" not in record:
                raise ValueError(f"unexpected reply {record!r:.80}")
            latencies.append(time.perf_counter() - start)
        except Exception as exc:
            errors.append(f"{question}: {exc}")
        if time.perf_counter() >= deadline:
            return latencies, errors


def upload_in_browser(url: str, folder: Path) -> str:
    """Upload a short Markdown document through the trainer tab; a one-line outcome."""
    from playwright.sync_api import expect, sync_playwright

    from tests.integration.webapp import ARGS, CHROMIUM

    doc = folder / UPLOAD_NAME
    doc.write_text(UPLOAD_TEXT, encoding="utf-8")
    start = time.perf_counter()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("tab", name="Add documents (trainers)").click()
        page.locator("#rbp-upload input[type=file]").set_input_files(str(doc))
        page.get_by_role("button", name="Add to the course materials").click()
        result = page.locator("#rbp-upload-result")
        expect(result).to_contain_text("Indexed", timeout=120_000)
        browser.close()
    return f"indexed in {time.perf_counter() - start:.1f} s (browser start included)"


def check_upload(url: str) -> str:
    """Whether the uploaded document now answers its question, with a citation to it."""
    from gradio_client import Client

    record = Client(url, verbose=False).predict(UPLOAD_QUESTION, api_name="/ask")
    cited = [c.get("file_name") for c in record.get("citations", [])]
    ok = not record.get("abstained") and any(str(f).endswith(UPLOAD_NAME) for f in cited)
    return "answered from the new document" if ok else f"NOT answered from it: {record!r:.200}"


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its children; 0 if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (0 when it cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler(threading.Thread):
    """Samples the app's RSS every half second; ``peak`` holds the highest."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.peak = max(self.peak, rss_mb(self.pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running web chat (default: start one)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-upload", action="store_true")
    args = parser.parse_args()
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }.items():
        os.environ.setdefault(key, value)

    from tests.integration.webapp import running_app

    workdir = tempfile.TemporaryDirectory(prefix="rbp-load-")
    root = Path(workdir.name)
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus, ignore=shutil.ignore_patterns("uploads"))
    server = nullcontext(None) if args.url else running_app(root, corpus=corpus)
    upload = not (args.url or args.no_upload)
    with server as app:
        url = app.url if app is not None else args.url
        sampler = Sampler(app.pid if app else 0)
        sampler.start()
        concurrency = os.environ.get("RBP_CONCURRENCY", "4 (default)")
        print(f"web chat at {url}; queue concurrency {concurrency}")
        run_client(url, QUESTIONS[:1], 0.0)  # warm-up, not counted
        plans = [
            QUESTIONS[c % len(QUESTIONS) :] + QUESTIONS[: c % len(QUESTIONS)]
            for c in range(args.clients)
        ]
        app_cpu0, own_cpu0 = cpu_seconds(app.pid) if app else 0.0, time.process_time()
        start = time.perf_counter()
        deadline = start + args.seconds
        with ThreadPoolExecutor(max_workers=args.clients + 1) as pool:
            jobs = [pool.submit(run_client, url, qs, deadline) for qs in plans]
            uploaded = None
            if upload:
                time.sleep(min(10.0, args.seconds / 4))
                uploaded = pool.submit(upload_in_browser, url, root)
            results = [job.result() for job in jobs]
            upload_note = uploaded.result() if uploaded else "no upload"
        wall = time.perf_counter() - start
        app_cpu = cpu_seconds(app.pid) - app_cpu0 if app else 0.0
        own_cpu = time.process_time() - own_cpu0
        check = check_upload(url) if upload else ""
        sampler.stop.set()
    workdir.cleanup()

    latencies = [t for lat, _ in results for t in lat]
    errors = [e for _, errs in results for e in errs]
    print(
        f"{args.clients} clients for {args.seconds:.0f} s: {len(latencies) + len(errors)} requests"
    )
    print(f"errors: {len(errors)}")
    for err in errors[:5]:
        print(f"  {err}")
    print(f"wall time: {wall:.1f} s; throughput: {len(latencies) / wall:.2f} answers/s")
    if latencies:
        print(
            f"latency per answer: p50 {percentile(latencies, 50):.2f} s, "
            f"p95 {percentile(latencies, 95):.2f} s, mean {statistics.mean(latencies):.2f} s, "
            f"max {max(latencies):.2f} s"
        )
    if app_cpu and latencies:
        print(
            f"CPU over the run ({os.cpu_count()} cores, {wall:.0f} s): app {app_cpu:.0f} s "
            f"({1000 * app_cpu / len(latencies):.0f} ms per answer), load generator {own_cpu:.0f} s"
        )
    print(f"trainer upload: {upload_note}" + (f"; {check}" if check else ""))
    if sampler.peak:
        print(f"app process peak RSS: {sampler.peak:.0f} MB")


if __name__ == "__main__":
    main()
