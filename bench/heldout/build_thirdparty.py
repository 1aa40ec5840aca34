"""Render the third-party corpus (texts in ``tp_texts.py``) to PDF, DOCX and Markdown files.

PDFs (reportlab): a title, "Source:" and date lines, larger bold headings, paragraphs and real
bullet/numbered lists, explicit page breaks, and on some files a running header and page-number
footer, as real documents have. DOCX (python-docx): Title and Heading 1 styles, List Bullet and
List Number paragraphs. Markdown: ``#`` headings and ``-`` lists. Usage::

    python bench/heldout/build_thirdparty.py [OUT_DIR]
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path
from typing import Any

from tp_texts import DOCS

OUT = Path(__file__).resolve().parent / "thirdparty-corpus"


def build_pdf(path: Path, doc: dict[str, Any]) -> None:
    """One PDF; a ``header`` entry adds a running header and a page-number footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontSize, body.leading, body.spaceAfter = 11, 15, 8
    meta = styles["Italic"]
    meta.fontSize = 9
    quote = styles["BodyText"].clone(
        "Quote", leftIndent=24, rightIndent=24, fontName="Times-Italic"
    )
    header = doc.get("header")

    def furniture(canvas: Any, template: Any) -> None:
        if not header:
            return
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, header)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {template.page}")
        canvas.restoreState()

    story: list[Any] = []
    for block in doc["blocks"]:
        kind = block[0]
        if kind == "break":
            story.append(PageBreak())
        elif kind in ("ul", "ol"):
            items = [ListItem(Paragraph(escape(t), body)) for t in block[1]]
            bullet = "bullet" if kind == "ul" else "1"
            story.append(ListFlowable(items, bulletType=bullet, leftIndent=18))
        else:
            style = {
                "title": styles["Title"],
                "h": styles["Heading2"],
                "meta": meta,
                "quote": quote,
            }.get(kind, body)
            story.append(Paragraph(escape(block[1]), style))
    pdf = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title=doc["blocks"][0][1],
        author=doc["publisher"],
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    pdf.build(story, onFirstPage=furniture, onLaterPages=furniture)


def build_docx(path: Path, doc: dict[str, Any]) -> None:
    """One Word file with Title / Heading 1 styles and list-style paragraphs."""
    import docx

    word = docx.Document()
    word.core_properties.title = doc["blocks"][0][1]
    word.core_properties.author = doc["publisher"]
    for block in doc["blocks"]:
        kind = block[0]
        if kind == "title":
            word.add_paragraph(block[1], style="Title")
        elif kind == "h":
            word.add_heading(block[1], level=1)
        elif kind in ("ul", "ol"):
            style = "List Bullet" if kind == "ul" else "List Number"
            for item in block[1]:
                word.add_paragraph(item, style=style)
        elif kind == "meta":
            word.add_paragraph().add_run(block[1]).italic = True
        elif kind == "quote":
            word.add_paragraph(block[1], style="Quote")
        elif kind == "p":
            word.add_paragraph(block[1])
    word.save(str(path))


def build_md(path: Path, doc: dict[str, Any]) -> None:
    """One Markdown file: ``#`` title, ``##`` headings, ``-`` / ``1.`` lists."""
    lines: list[str] = []
    for block in doc["blocks"]:
        kind = block[0]
        if kind == "title":
            lines += [f"# {block[1]}", ""]
        elif kind == "h":
            lines += [f"## {block[1]}", ""]
        elif kind == "ul":
            lines += [f"- {t}" for t in block[1]] + [""]
        elif kind == "ol":
            lines += [f"{i}. {t}" for i, t in enumerate(block[1], 1)] + [""]
        elif kind == "meta":
            lines += [f"*{block[1]}*", ""]
        elif kind == "quote":
            lines += [f"> {block[1]}", ""]
        elif kind == "p":
            lines += [block[1], ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    builders = {".pdf": build_pdf, ".docx": build_docx, ".md": build_md}
    for name, doc in DOCS.items():
        builders[Path(name).suffix](out / name, doc)
        print(f"{name}: {(out / name).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
