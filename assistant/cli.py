"""Command line: ``rbp-assistant COMMAND``. A thin shell that wires the pipeline stages together.

Heavy modules (models, Chroma, Gradio) are imported inside commands, so ``--help`` is instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

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
def _waiting_notice(line: str) -> None:
    """On a terminal the progress bar shows the files; only a wait for another ingest is said."""
    from assistant.ingest.run import WAITING

    if line == WAITING:
        print(line, flush=True)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to ingest (default: corpus/).")
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and start over.")
    ] = False,
    allow_personal_data: Annotated[
        bool,
        typer.Option(
            "--allow-personal-data",
            help="Ingest files even if they seem to hold personal data about a case.",
        ),
    ] = False,
) -> None:
    """Load, chunk and embed documents into the index (skips files that have not changed).

    Files that seem to hold personal data about a case are held back and reported by page.
    """
    from assistant.ingest.report import print_ingest_report
    from assistant.ingest.run import ingest as run_ingest
    from assistant.pipeline import embed_answer_sentences

    settings = _settings()
    interactive = sys.stdout.isatty()
    try:
        report = run_ingest(
            paths or [settings.corpus_dir],
            settings,
            rebuild=rebuild,
            progress=interactive,
            on_event=_waiting_notice if interactive else lambda line: print(line, flush=True),
            allow_personal_data=allow_personal_data,
            sentence_step=embed_answer_sentences,
        )
    except FileNotFoundError as exc:
        _fail(str(exc))
    print_ingest_report(report)
    _print_held_back(report.held_back)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def stats() -> None:
    """Show documents, pages/slides and chunks in the index, the model and the data dir."""
    from assistant.ingest.report import print_stats
    from assistant.ingest.run import index_stats

    print_stats(index_stats(_settings()))


def _print_held_back(held: list[tuple[str, list[Any]]]) -> None:
    from assistant.guards.privacy.documents import held_back_lines

    for source, pages in held:
        for line in held_back_lines(source, pages):
            typer.secho(line, fg=typer.colors.YELLOW, err=True)


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
    from dataclasses import replace

    from pydantic import ValidationError

    from assistant.answer.base import AnswererError
    from assistant.guards.privacy import find_personal_data
    from assistant.guards.safeguarding import signposting_message
    from assistant.pipeline import Assistant
    from assistant.retrieve.retriever import UnknownMode

    try:
        assistant = Assistant.from_settings(_settings())
        if assistant.store.count() == 0:
            _fail("The index is empty: run `rbp-assistant ingest` first.")
        findings = find_personal_data(question)
        signal = assistant.check_risk(question)
        answer = assistant.ask(question, mode=mode, k=k)
    except ValidationError as exc:
        _fail(f"bad setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    except (UnknownMode, AnswererError) as exc:
        _fail(str(exc))
    if signal is not None:  # a disclosure gets signposting; the material is offered separately
        answer = replace(answer, text=signposting_message(signal), note="signposting")
    if findings:
        _warn_personal_data(findings)
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_answer(answer, signposted=signal is not None)


def _warn_personal_data(findings: list[Any]) -> None:
    kinds = ", ".join(sorted({f.kind.replace("_", " ") for f in findings}))
    typer.secho(
        f"Note: your question seems to contain personal details ({kinds}). Nothing is "
        "stored, but please leave out details about the people you work with.",
        fg=typer.colors.YELLOW,
        err=True,
    )


def _print_answer(answer: Any, *, signposted: bool) -> None:
    """The answer's text, its note and the sources under a heading that fits the reply."""
    typer.echo(answer.text)
    if answer.note and answer.note != "signposting":
        typer.echo(f"\n{answer.note}")
    if answer.citations:
        heading = "Sources:"
        if answer.abstained or signposted:
            heading = "You might look at:" if not signposted else "Related course material:"
        typer.echo(f"\n{heading}")
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
        str, typer.Option("--modes", "--mode", help="Retrieval modes to score, comma-separated.")
    ] = "hybrid,dense,bm25",
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

    from assistant.evaluate.report import print_summary
    from assistant.evaluate.run import run_eval
    from assistant.evaluate.testset import EvalError

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


# --- abstention --------------------------------------------------------------------------------
@app.command()
def calibrate(
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="Calibrate on a separate index of this folder.")
    ] = None,
    questions: Annotated[
        list[Path] | None,
        typer.Option("--questions", help="Labelled questions (eval format) to set the threshold."),
    ] = None,
    max_false: Annotated[
        float, typer.Option("--max-false", help="Share of answerable questions allowed refused.")
    ] = 0.02,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the model (default data_dir/abstention)."),
    ] = None,
) -> None:
    """Refit when to say "the materials do not cover this" for your own corpus and embedder."""
    from assistant.evaluate.calibrate import run

    path = run(_settings(), corpus, questions or [], max_false=max_false, out=out)
    typer.echo(f"Abstention model written to {path}")


# --- answers -----------------------------------------------------------------------------------
@app.command("fit-answers")
def fit_answers(
    questions: Annotated[
        list[Path], typer.Option("--questions", help="Tune questions (repeat, one per corpus).")
    ],
    corpus: Annotated[
        list[Path], typer.Option("--corpus", help="The folder each question file is about.")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Weights file (default: data_dir/answer-weights/<embedder>.json, which the "
            "answerer then uses instead of the shipped file).",
        ),
    ] = None,
) -> None:
    """Refit the extractive answerer's sentence weights for the configured embedding model."""
    from assistant.answer.features import weights_path
    from assistant.evaluate.fit_answers import collect, fit
    from assistant.index.embedding import canonical_name, load_embeddings

    if len(questions) != len(corpus):
        _fail("give one --corpus for each --questions file, in the same order")
    settings = _settings()
    embedder = canonical_name(settings.embedding_model)
    embeddings = load_embeddings(settings)
    samples = collect(list(zip(questions, corpus, strict=True)), settings, embeddings)
    if not samples:
        _fail("no answerable questions with retrieved passages to fit on")
    pairs = zip(questions, corpus, strict=True)
    sources = [f"{q.as_posix()} over {c.as_posix()}" for q, c in pairs]
    weights = fit(samples, embedder, sources)
    target = out or weights_path(embedder, settings.data_dir / "answer-weights")
    weights.save(target)
    figures = ", ".join(f"{k} {v}" for k, v in weights.tune_figures.items())
    typer.echo(f"Wrote {target} ({len(samples)} questions; on them: {figures})")


# --- privacy -----------------------------------------------------------------------------------
@app.command("check-privacy")
def check_privacy(
    text: Annotated[str, typer.Argument(help="Text to check, or - to read it from stdin.")],
) -> None:
    """Print likely personal data in TEXT as JSON (kind, start, end, text, score). Exits 0."""
    import sys

    from assistant.guards.privacy import find_personal_data, findings_json

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
    from assistant.ui.server import serve_forever

    serve_forever(_settings(host=host, port=port), ingest_first=not no_ingest)


@app.command("add-trainer")
def add_trainer(
    name: Annotated[str, typer.Argument(help="The trainer's user name.")],
    users: Annotated[
        Path | None,
        typer.Option(
            help="Users file to write (default: RBP_AUTH's file, or trainers.txt in the data dir)."
        ),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a trainer (or change their password) in the users file, as a salted argon2id hash."""
    from assistant.ui.users_file import default_users_file, write_trainer

    settings = _settings()
    path = users or default_users_file(settings)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        write_trainer(path, name, password)
    except ValueError as exc:
        _fail(str(exc))
    typer.echo(f"Saved the password of '{name.strip()}' (hashed) in {path}")
    typer.echo(f"Start the web chat with RBP_AUTH={path} to ask trainers to log in.")


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

    from assistant.ui.feedback import FeedbackStore

    store = FeedbackStore(_settings().feedback_path)
    if output is None:
        store.export_csv(sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as fh:
        count = store.export_csv(fh)
    typer.echo(f"Wrote {count} feedback row(s) to {output}", err=True)


# --- trainer mode and CPD records --------------------------------------------------------------
def _glossary(settings):  # noqa: ANN001, ANN202 - Settings -> Glossary, imported lazily
    from assistant.teach.concepts import GLOSSARY_FILE, GlossaryError, load_glossary

    try:
        return load_glossary(settings.corpus_dir / GLOSSARY_FILE, settings.concept_min_score)
    except GlossaryError as exc:
        _fail(str(exc))


@app.command()
def concept(
    term: Annotated[
        str | None, typer.Argument(help="A term or alias (any case; close spellings work).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
) -> None:
    """Show a glossary concept: definition, source text, vignette and questions, all cited.

    Without TERM, list the glossary by topic.
    """
    import json

    from assistant.index.store import open_store
    from assistant.teach.concepts import StorePages, build_card, card_markdown

    settings = _settings()
    glossary = _glossary(settings)
    if term is None:
        for topic in glossary.topics():
            typer.echo(f"{topic}: " + ", ".join(c.term for c in glossary.in_topic(topic)))
        return
    found = glossary.find(term)
    if found is None:
        _fail(f"No concept matches {term!r}. Run `rbp-assistant concept` to list them all.")
    store = open_store(settings)
    card = build_card(glossary, found, StorePages(store) if store.count() else None)
    if as_json:
        typer.echo(json.dumps(card.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(card_markdown(card))
    if card.missing:
        typer.secho(
            "Source text not found in the index for: "
            + "; ".join(card.missing)
            + ". Run `rbp-assistant ingest` to index the course folder.",
            err=True,
        )


@app.command()
def quiz(
    n: Annotated[int, typer.Option("--n", min=1, max=100, help="Number of questions.")] = 10,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Same seed, same quiz (default: random).")
    ] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Only this glossary topic.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the Markdown here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the quiz as JSON.")] = False,
) -> None:
    """Build a quiz (multiple choice and fill-the-gap) from the glossary, with cited answers."""
    import json

    from assistant.teach.quiz import build_quiz, quiz_markdown

    glossary = _glossary(_settings())
    try:
        made = build_quiz(glossary, n=n, seed=seed, topic=topic)
    except ValueError as exc:
        _fail(f"{exc}. Topics: {', '.join(glossary.topics())}")
    if as_json:
        typer.echo(json.dumps(made.to_dict(), ensure_ascii=False, indent=2))
        return
    text = quiz_markdown(made)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {len(made.questions)} questions (seed {made.seed}) to {out}", err=True)


@app.command()
def cpd(
    record: Annotated[
        Path | None, typer.Argument(help="A CPD record as JSON (see --template).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write: .md or .pdf (default: print).")
    ] = None,
    template: Annotated[
        bool, typer.Option("--template", help="Print an empty record with writing prompts.")
    ] = False,
) -> None:
    """Export a CPD record (Social Work England fields) as Markdown or PDF."""
    import json

    from assistant.teach.cpd import (
        CPDError,
        CPDRecord,
        missing_fields,
        personal_data_warnings,
        to_markdown,
        validate,
    )
    from assistant.teach.cpd import template as empty_record
    from assistant.teach.cpd_export import to_pdf

    if template or record is None:
        typer.echo(json.dumps(empty_record(), ensure_ascii=False, indent=2))
        return
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        rec = CPDRecord.from_dict({k: v for k, v in data.items() if not k.startswith("_")})
        validate(rec)
    except (OSError, json.JSONDecodeError, CPDError) as exc:
        _fail(f"{record}: {exc}")
    for warning in personal_data_warnings(rec):
        typer.secho(f"Check for personal data: {warning.message()}", fg="yellow", err=True)
    if missing_fields(rec):
        typer.secho("Not written yet: " + ", ".join(missing_fields(rec)), err=True)
    if out is None:
        typer.echo(to_markdown(rec))
    elif out.suffix.lower() == ".pdf":
        to_pdf(rec, out)
        typer.echo(f"Wrote {out}", err=True)
    else:
        out.write_text(to_markdown(rec), encoding="utf-8")
        typer.echo(f"Wrote {out}", err=True)


def main() -> None:
    """Console-script entry point."""
    import logging

    # a damaged PDF is reported on one line by ingest; pypdf's own warnings would only repeat it
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        app()
    except RuntimeError as exc:  # imported only here, so that --help stays instant
        from assistant.index.embedding import ModelNotFound
        from assistant.index.store import ModelMismatch

        if not isinstance(exc, ModelNotFound | ModelMismatch):
            raise
        typer.secho(f"Error: {exc}", fg=typer.colors.RED, err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
