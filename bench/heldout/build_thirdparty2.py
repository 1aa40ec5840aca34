"""Render the second third-party corpus (texts in ``tp2_texts.py``) to PDF, DOCX and PPTX files.

PDFs and DOCX files are made by the renderers of ``build_thirdparty.py`` (title, ``Source:``
lines, bold headings, real lists, running header and page footer). The deck (python-pptx) has a
title slide and title-and-content slides with bulleted bodies, and speaker notes on some slides.
Output is deterministic: reportlab runs in invariant mode, and the Office files get fixed
document and zip-member dates. Usage::

    python bench/heldout/build_thirdparty2.py [OUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path
from typing import Any

from build_thirdparty import build_docx, build_pdf
from tp2_texts import DOCS

OUT = Path(__file__).resolve().parent / "thirdparty2-corpus"
FIXED_DATE = dt.datetime(2026, 1, 1, 12, 0, 0)


def fix_zip(path: Path) -> None:
    """Rewrite an Office file with fixed member dates (zip entries otherwise carry the time)."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)


def build_pptx(path: Path, doc: dict[str, Any]) -> None:
    """One deck: slide 1 uses the title layout, the rest title-and-content with bullets."""
    from pptx import Presentation

    prs = Presentation()
    props = prs.core_properties
    props.title, props.author = doc["title"], doc["publisher"]
    props.created = props.modified = FIXED_DATE
    props.last_modified_by = doc["publisher"][:60]
    for number, spec in enumerate(doc["slides"], start=1):
        layout = prs.slide_layouts[0 if number == 1 else 1]
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = spec["title"]
        body = slide.placeholders[1].text_frame
        lines = [spec["subtitle"]] if number == 1 else spec["bullets"]
        body.text = lines[0]
        for line in lines[1:]:
            body.add_paragraph().text = line
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = spec["notes"]
    prs.save(str(path))
    fix_zip(path)


def build_fixed_docx(path: Path, doc: dict[str, Any]) -> None:
    """``build_docx`` with fixed core-property dates, so rebuilds give the same file."""
    import docx

    build_docx(path, doc)
    word = docx.Document(str(path))
    word.core_properties.created = word.core_properties.modified = FIXED_DATE
    word.core_properties.last_modified_by = doc["publisher"][:60]
    word.save(str(path))
    fix_zip(path)


def main(out: Path = OUT) -> None:
    from reportlab import rl_config

    rl_config.invariant = 1
    out.mkdir(parents=True, exist_ok=True)
    builders = {".pdf": build_pdf, ".docx": build_fixed_docx, ".pptx": build_pptx}
    for name, doc in DOCS.items():
        builders[Path(name).suffix](out / name, doc)
        print(f"{name}: {(out / name).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
