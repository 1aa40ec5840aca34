"""The PDF form of a CPD record (reportlab), set in DejaVu Sans from matplotlib's bundled fonts.

The built-in PDF fonts cannot print curly quotes, dashes or £ reliably; DejaVu Sans can, and it
ships inside the matplotlib wheel, so no font is downloaded.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from assistant.teach.cpd import STANDARD_BY_CODE, CPDRecord, record_sections

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


def font_dir() -> Path:
    """matplotlib's folder of TrueType fonts (found without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: it provides the DejaVu Sans font")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = font_dir()
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _text(value: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def write_pdf(record: CPDRecord, path: Path) -> Path:
    """Write ``record`` to ``path`` as an A4 PDF and return the path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    story = _story(record, _styles())
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=record.title,
        author="",
        creator="rbp-assistant",
        invariant=1,
    )
    doc.build(story)
    return path


def _styles() -> dict[str, Any]:
    """Paragraph styles: body, small print, title and section heading."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, spaceAfter=5)
    return {
        "body": body,
        "small": ParagraphStyle(
            "small", parent=body, fontSize=9, leading=12, textColor=colors.grey
        ),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=9
        ),
    }


def _story(record: CPDRecord, styles: dict[str, Any]) -> list[Any]:
    """The record's flowables: title, facts, the reflective sections, questions and sources."""
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

    body, heading = styles["body"], styles["heading"]

    def bullets(items: list[str]) -> ListFlowable:
        return ListFlowable(
            [ListItem(Paragraph(_text(i), body), leftIndent=12) for i in items],
            bulletType="bullet",
            bulletFontName=FONT,
            leftIndent=12,
        )

    story: list[Any] = [Paragraph(_text(record.title), styles["title"]), Spacer(1, 4 * mm)]
    story += [Paragraph(f, body) for f in _facts(record)]
    for head, paragraphs in record_sections(record):
        story.append(Paragraph(_text(head), heading))
        story += [Paragraph(_text(p), body) for p in paragraphs]
    if record.questions:
        story += [Paragraph("Questions I explored", heading), bullets(record.questions)]
    if record.sources:
        story += [
            Paragraph("Sources consulted", heading),
            bullets([s.label() for s in record.sources]),
        ]
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            "Recorded with the rbp-assistant course assistant: questions and sources from the "
            "session; the reflective sections are my own words.",
            styles["small"],
        ),
    ]
    return story


def _facts(record: CPDRecord) -> list[str]:
    facts = [
        f"<b>Date:</b> {record.date.strftime('%d %B %Y')}",
        f"<b>Type of activity:</b> {_text(record.activity_type)}",
    ]
    if record.standards:
        tags = "; ".join(_text(STANDARD_BY_CODE[s].label()) for s in record.standards)
        facts.append(f"<b>Social Work England professional standards:</b> {tags}")
    return facts
