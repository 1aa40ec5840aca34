"""Write a CPD record to files: Markdown, PDF or JSON in a folder, never over an older file."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from assistant.teach.cpd import CPDError, CPDRecord, to_markdown, validate
from assistant.teach.cpd_pdf import write_pdf


def to_pdf(record: CPDRecord, path: Path) -> Path:
    """Write the record as an A4 PDF (DejaVu Sans, so quotes, dashes and £ print)."""
    return write_pdf(record, path)


def slug(text: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return words[:50].rstrip("-") or "cpd-record"


def save_record(
    record: CPDRecord, folder: Path, formats: Sequence[str] = ("md", "pdf")
) -> list[Path]:
    """Export the record into ``folder`` (created now); the only place anything is written."""
    validate(record)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{record.date.isoformat()}-{slug(record.title)}"
    paths: list[Path] = []
    for fmt in formats:
        path = _free_path(folder / f"{stem}.{fmt}")
        if fmt == "md":
            path.write_text(to_markdown(record), encoding="utf-8")
        elif fmt == "pdf":
            to_pdf(record, path)
        elif fmt == "json":
            path.write_text(json.dumps(record.to_dict(), ensure_ascii=False, indent=2), "utf-8")
        else:
            raise CPDError(f"Unknown export format {fmt!r}: use md, pdf or json.")
        paths.append(path)
    return paths


def _free_path(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
