"""Start the web chat: ``python app.py [--host H] [--port P]``.

Brings the index in step with the corpus folder first (unchanged files are skipped in moments),
then serves on http://127.0.0.1:7860 by default (``RBP_HOST`` / ``RBP_PORT`` or the options).
"""

from __future__ import annotations

import argparse
import sys

from assistant.settings import Settings, apply_offline_env, get_settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1, or RBP_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (default 7860, or RBP_PORT)")
    parser.add_argument(
        "--no-ingest", action="store_true", help="serve the index as it is (skip the corpus check)"
    )
    return parser.parse_args(argv)


def prepare_index(settings: Settings) -> None:
    """Ingest the corpus folder if anything is new, changed or gone (progress in the console)."""
    from assistant.ingest import ingest

    if not settings.corpus_dir.is_dir():
        print(f"No corpus folder at {settings.corpus_dir}; serving the index as it is.")
        return
    report = ingest([settings.corpus_dir], settings, progress=True)
    changed = len(report.ingested) + len(report.removed)
    print(
        f"Index ready: {len(report.ingested) + len(report.unchanged)} documents, "
        f"{report.chunks} passages ({changed} changed, {report.seconds:.1f} s)."
    )
    for source, reason in report.failed:
        print(f"  could not read {source}: {reason}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    overrides = {"host": args.host, "port": args.port}
    settings = get_settings(**{k: v for k, v in overrides.items() if v})
    if not settings.allow_hub:
        apply_offline_env()
    if not args.no_ingest:
        prepare_index(settings)
    from assistant.ui.server import serve

    print(f"Web chat on http://{settings.host}:{settings.port} (Ctrl+C to stop)")
    serve(settings)


if __name__ == "__main__":
    main()
