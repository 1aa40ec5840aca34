"""Load benchmark: 20 concurrent clients x 10 questions through gradio_client against the web chat.

    .venv/bin/python bench/load.py [--url http://127.0.0.1:7860] [--clients 20] [--questions 10]

Without ``--url`` it starts ``app.py`` on a free loopback port over the bundled corpus with a
fresh data dir (ingest first), using the default ``RBP_CONCURRENCY``. Prints errors (target 0),
throughput and p50/p95 latency per question. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
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


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the value at rank ceil(q/100 * n) of the sorted values."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def run_client(url: str, questions: list[str]) -> tuple[list[float], list[str]]:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # a failed connection counts as an error for every question
        return [], [f"connect: {exc}"] * len(questions)
    for question in questions:
        start = time.perf_counter()
        try:
            record = client.predict(question, api_name="/ask")
            if not isinstance(record, dict) or "text" not in record:
                raise ValueError(f"unexpected reply {record!r:.80}")
            latencies.append(time.perf_counter() - start)
        except Exception as exc:
            errors.append(f"{question}: {exc}")
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running web chat (default: start one)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }.items():
        os.environ.setdefault(key, value)

    from tests.integration.webapp import running_app

    workdir = tempfile.TemporaryDirectory(prefix="rbp-load-")
    server = (
        nullcontext(None) if args.url else running_app(Path(workdir.name), corpus=REPO / "corpus")
    )
    with server as app:
        url = args.url or app.url
        concurrency = os.environ.get("RBP_CONCURRENCY", "4 (default)")
        print(f"web chat at {url}; queue concurrency {concurrency}")
        run_client(url, QUESTIONS[:1])  # warm-up, not counted
        plan = [
            [QUESTIONS[(c + i) % len(QUESTIONS)] for i in range(args.questions)]
            for c in range(args.clients)
        ]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(lambda qs: run_client(url, qs), plan))
        wall = time.perf_counter() - start
    workdir.cleanup()

    latencies = [t for lat, _ in results for t in lat]
    errors = [e for _, errs in results for e in errs]
    total = args.clients * args.questions
    print(f"{args.clients} clients x {args.questions} questions = {total} requests")
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


if __name__ == "__main__":
    main()
