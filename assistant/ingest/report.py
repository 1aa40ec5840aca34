"""Terminal output for ingest and stats: a failure line per bad file, then a summary table."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from assistant.ingest.run import IngestReport


def print_ingest_report(report: IngestReport, console: Console | None = None) -> None:
    """One line per failed file with its reason, then the closing summary table."""
    console = console or Console()
    for source, reason in report.failed:
        console.print(f"[red]Skipped[/red] {source}: {reason}", highlight=False)
    table = Table(title="Ingest summary", show_header=True, header_style="bold")
    for column in ("ingested", "unchanged", "removed", "failed", "pages", "chunks", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        str(len(report.ingested)),
        str(len(report.unchanged)),
        str(len(report.removed)),
        str(len(report.failed)),
        str(report.pages),
        str(report.chunks),
        f"{report.seconds:.1f}",
    )
    console.print(table)
    if report.failed:
        console.print(
            f"[yellow]{len(report.failed)} file(s) could not be read; every other file was "
            "ingested.[/yellow]"
        )


def print_stats(stats: dict[str, Any], console: Console | None = None) -> None:
    """The index at a glance, then one row per document."""
    console = console or Console()
    console.print(
        f"[bold]{stats['documents']}[/bold] documents, {stats['pages']} pages, "
        f"{stats['slides']} slides, [bold]{stats['chunks']}[/bold] chunks",
        highlight=False,
    )
    console.print(f"Model: {stats['model']}", highlight=False)
    console.print(f"Data dir: {stats['data_dir']}", highlight=False)
    console.print(f"Index: {stats['index']}", highlight=False)
    if stats["files"]:
        table = Table(show_header=True, header_style="bold")
        table.add_column("document")
        table.add_column("kind")
        table.add_column("pages/slides", justify="right")
        table.add_column("chunks", justify="right")
        for row in stats["files"]:
            table.add_row(row["source"], row["kind"], str(row["pages"]), str(row["chunks"]))
        console.print(table)
