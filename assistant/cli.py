"""Command line: ``rbp-assistant COMMAND``. A thin shell that wires the pipeline stages together.

Heavy modules (models, Chroma, Gradio) are imported inside commands, so ``--help`` is instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="rbp-assistant",
    help="A teaching assistant for relationship-based social work: answers cite the page or slide.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _settings(**overrides: object):  # noqa: ANN202 - returns Settings, imported lazily
    from assistant.settings import apply_offline_env, get_settings

    settings = get_settings(**{k: v for k, v in overrides.items() if v is not None})
    if not settings.allow_hub:
        apply_offline_env()
    return settings


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


# --- ingest ------------------------------------------------------------------------------------
@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to ingest (default: corpus/).")
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and start over.")
    ] = False,
) -> None:
    """Load, chunk and embed documents into the index (skips files that have not changed)."""
    from assistant.ingest import ingest as run_ingest
    from assistant.reporting import print_ingest_report

    settings = _settings()
    interactive = sys.stdout.isatty()
    try:
        report = run_ingest(
            paths or [settings.corpus_dir],
            settings,
            rebuild=rebuild,
            progress=interactive,
            on_event=None if interactive else lambda line: print(line, flush=True),
        )
    except FileNotFoundError as exc:
        _fail(str(exc))
    print_ingest_report(report)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def stats() -> None:
    """Show documents, pages/slides and chunks in the index, the model and the data dir."""
    from assistant.ingest import index_stats
    from assistant.reporting import print_stats

    print_stats(index_stats(_settings()))


# --- ask ---------------------------------------------------------------------------------------
@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    mode: Annotated[
        str | None, typer.Option("--mode", help="Retrieval: dense, bm25 or hybrid.")
    ] = None,
    k: Annotated[int | None, typer.Option("--k", min=1, help="Passages to answer from.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
) -> None:
    """Answer a question from the course materials, citing document and page/slide."""
    import json

    from pydantic import ValidationError

    from assistant.answer import AnswererError
    from assistant.pipeline import Assistant
    from assistant.retrieval import UnknownMode

    try:
        answer = Assistant.from_settings(_settings()).ask(question, mode=mode, k=k)
    except ValidationError as exc:
        _fail(f"bad setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    except (UnknownMode, AnswererError) as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.text)
    if answer.note:
        typer.echo(f"\n{answer.note}")
    if answer.citations:
        typer.echo("\nYou might look at:" if answer.abstained else "\nSources:")
        for citation in answer.citations:
            typer.echo(citation.label())


# --- eval --------------------------------------------------------------------------------------
@app.command("eval")
def eval_command(
    test_set: Annotated[Path, typer.Argument(help="Test questions: JSON Lines or .csv.")],
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Evaluate on a separate index of this folder."),
    ] = None,
    mode: Annotated[
        str, typer.Option("--mode", help="Retrieval modes to score, comma-separated.")
    ] = "dense,bm25,hybrid",
    answers: Annotated[
        bool, typer.Option("--answers", help="Also ask every question and score the answers.")
    ] = False,
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="Also run a baseline: naive.")
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Hits scored per question.")] = 10,
    out: Annotated[
        Path | None, typer.Option("--out", help="Run folder (default data_dir/eval/runs/TIME).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Score retrieval (and answers) on a test set; writes results.json, report.md, report.png."""
    import json

    from pydantic import ValidationError

    from assistant.eval_report import print_summary
    from assistant.evaluate import EvalError, run_eval

    modes = [m.strip() for m in mode.split(",") if m.strip()]
    try:
        run = run_eval(
            test_set,
            _settings(),
            modes=modes,
            k=k,
            answers=answers,
            baseline=baseline,
            corpus=corpus,
            out=out,
            progress=not as_json,
        )
    except ValidationError as exc:
        _fail(f"bad setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    except EvalError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(run.summary, ensure_ascii=False, indent=2))
    else:
        print_summary(run.summary, run.files)


# --- privacy -----------------------------------------------------------------------------------
@app.command("check-privacy")
def check_privacy(
    text: Annotated[str, typer.Argument(help="Text to check, or - to read it from stdin.")],
) -> None:
    """Print likely personal data in TEXT as JSON (kind, start, end, text). Always exits 0."""
    import sys

    from assistant.privacy import find_personal_data, findings_json

    if text == "-":
        text = sys.stdin.read()
    typer.echo(findings_json(find_personal_data(text)))


# --- web chat ----------------------------------------------------------------------------------
@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (RBP_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (RBP_PORT).")] = None,
    no_ingest: Annotated[
        bool, typer.Option("--no-ingest", help="Serve the index as it is (skip the corpus check).")
    ] = False,
) -> None:
    """Serve the web chat (ingests new or changed corpus files first)."""
    from assistant.ui.server import prepare_index, serve_forever

    settings = _settings(host=host, port=port)
    if not no_ingest:
        prepare_index(settings)
    serve_forever(settings)


feedback_app = typer.Typer(help="Ratings and comments left on answers in the web chat.")
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV file to write (default: stdout).")
    ] = None,
) -> None:
    """Write all feedback (question, answer, citations, rating, comment) as CSV."""
    import sys

    from assistant.feedback import FeedbackStore

    store = FeedbackStore(_settings().feedback_path)
    if output is None:
        store.export_csv(sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as fh:
        count = store.export_csv(fh)
    typer.echo(f"Wrote {count} feedback row(s) to {output}", err=True)


def main() -> None:
    """Console-script entry point."""
    import logging

    # a damaged PDF is reported on one line by ingest; pypdf's own warnings would only repeat it
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    app()


if __name__ == "__main__":
    main()
