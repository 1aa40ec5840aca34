"""Start the web chat (after bringing the index in step with the corpus folder).

    python app.py [--host H] [--port P] [--no-ingest]

Brings the index in step with the corpus folder first (unchanged files are skipped in moments),
then serves on http://127.0.0.1:7860 by default (``RBP_HOST`` / ``RBP_PORT`` or the options).
"""

from __future__ import annotations

import argparse

from assistant.settings import apply_offline_env, get_settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1, or RBP_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (default 7860, or RBP_PORT)")
    parser.add_argument(
        "--no-ingest", action="store_true", help="serve the index as it is (skip the corpus check)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    overrides = {"host": args.host, "port": args.port}
    settings = get_settings(**{k: v for k, v in overrides.items() if v})
    if not settings.allow_hub:
        apply_offline_env()
    from assistant.ui.server import serve_forever

    serve_forever(settings, ingest_first=not args.no_ingest)


if __name__ == "__main__":
    main()
