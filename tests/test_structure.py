"""Structure marks at ingest: which lines are titles, headings, furniture, "Source:" lines...

Each format is generated here with its real structure (PDF fonts and positions, Word styles, a
slide title placeholder, Markdown headings) and loaded with the project loaders.
"""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document as DocxDocument
from pptx import Presentation
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from assistant.ingest.loaders import load_file
from assistant.ingest.loaders.structure import label_role, mark_lines, marks_json, read_marks

WRAPPED = [
    "Reflective practice is the ability to reflect on one's actions so as to take a critical",
    "stance or attitude towards one's own practice and that of one's peers, engaging in a",
    "process of continuous adaptation and learning. It was described by Donald A. Schon",
    "(1983) as central to professional work.",
]


def _marks(doc) -> dict[str, str]:  # noqa: ANN001
    return read_marks(doc.metadata)


def make_article_pdf(path: Path) -> Path:
    """Two A4 pages like a printed article: running header, footer, title, source line, wrapped
    paragraphs, a bold heading and bullets drawn as a separate glyph."""
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for page in (1, 2):
        c.setFont("Helvetica", 8)
        c.drawString(56, height - 34, "Reflective practice | study notes")
        c.drawString(56, 34, f"Page {page}")
        y = height - 80
        if page == 1:
            c.setFont("Helvetica-Bold", 18)
            c.drawString(56, y, "Reflective practice")
            c.setFont("Helvetica-Oblique", 9)
            c.drawString(56, y - 19, "Source: https://example.org/reflective-practice")
            y -= 40
        else:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(56, y, "Types of reflection")
            y -= 21
        c.setFont("Helvetica", 11)
        for line in WRAPPED:
            c.drawString(56, y, line)
            y -= 15
        y -= 8
        for item in (
            "reflection-in-action happens during the work;",
            "reflection-on-action after.",
        ):
            c.drawString(56, y, "\u2022")
            c.drawString(70, y, item)
            y -= 15
        c.showPage()
    c.save()
    return path


def test_pdf_marks_title_source_headings_and_furniture(tmp_path: Path) -> None:
    docs = load_file(make_article_pdf(tmp_path / "article.pdf"), tmp_path)
    first, second = (_marks(d) for d in docs)
    assert first["Reflective practice"] == "title"
    assert first["Source: https://example.org/reflective-practice"] == "source"
    assert first["Reflective practice | study notes"] == "furniture"
    assert first["Page 1"] == "furniture" and second["Page 2"] == "furniture"
    assert second["Types of reflection"] == "heading"
    assert not any(text.startswith("Reflective practice is") for text in first)


def test_pdf_wrapped_lines_are_joined_and_bullet_glyphs_attached(tmp_path: Path) -> None:
    docs = load_file(make_article_pdf(tmp_path / "article.pdf"), tmp_path)
    lines = docs[0].page_content.split("\n")
    paragraph = " ".join(WRAPPED)
    assert paragraph in lines  # "(1983)" starts a line, yet it carries on the sentence
    assert "• reflection-in-action happens during the work;" in lines


def test_a_landscape_page_marks_only_its_title(tmp_path: Path) -> None:
    path = tmp_path / "deck.pdf"
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica-Bold", 30)
    c.drawString(60, 500, "Kadushin Supervision Triangle (1976)")
    c.setFont("Helvetica-Bold", 21)
    for i, line in enumerate(["Administrative supervision", "Educative supervision"]):
        c.drawString(60, 420 - 43 * i, line)
    c.setFont("Helvetica", 21)
    c.drawString(60, 300, "The relationship is a triangle.")
    c.showPage()
    c.save()
    marks = _marks(load_file(path, tmp_path)[0])
    # bold lines below a slide's title are its content, as in a slide's body placeholder
    assert marks == {"Kadushin Supervision Triangle (1976)": "heading"}


def test_docx_styles_give_the_roles(tmp_path: Path) -> None:
    doc = DocxDocument()
    doc.add_paragraph("Strength-based practice", style="Title")
    doc.add_paragraph("Source: https://example.org/sbp (CC BY-SA 4.0)")
    doc.add_paragraph("Strength-based practice is a social work practice theory.")
    doc.add_paragraph("Figure 1. The strengths wheel", style="Caption")
    doc.add_heading("References", level=1)
    doc.add_paragraph("Saleebey, D. (1996) The strengths perspective. Social Work 41(3).")
    path = tmp_path / "sbp.docx"
    doc.save(str(path))
    marks: dict[str, str] = {}
    for loaded in load_file(path, tmp_path):
        marks.update(_marks(loaded))
    assert marks["Strength-based practice"] == "title"
    assert marks["Source: https://example.org/sbp (CC BY-SA 4.0)"] == "source"
    assert marks["Figure 1. The strengths wheel"] == "caption"
    assert marks["References"] == "heading"
    assert marks["Saleebey, D. (1996) The strengths perspective. Social Work 41(3)."] == "reference"
    assert "Strength-based practice is a social work practice theory." not in marks


def test_pptx_title_placeholder_is_a_heading(tmp_path: Path) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Why relationships matter"
    slide.placeholders[1].text_frame.text = "Trust takes time"
    path = tmp_path / "deck.pptx"
    prs.save(str(path))
    marks = _marks(load_file(path, tmp_path)[0])
    assert marks == {"Why relationships matter": "heading"}


def test_markdown_headings_and_source_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Compassion fatigue\n\n*Source: https://example.org (CC BY-SA)*\n\n"
        "Compassion fatigue is a form of stress.\n\n## Who is affected\n\nHelpers are.\n",
        encoding="utf-8",
    )
    marks: dict[str, str] = {}
    for loaded in load_file(path, tmp_path):
        marks.update(_marks(loaded))
    assert marks == {
        "# Compassion fatigue": "title",
        "*Source: https://example.org (CC BY-SA)*": "source",
        "## Who is affected": "heading",
    }


def test_label_roles() -> None:
    assert label_role("Source: Iriss, http://content.iriss.org.uk") == "source"
    assert label_role("Published: 12 March 2024") == "date"
    assert label_role("November 2017") == "date"
    assert label_role("Table 2: Caseloads by team") == "caption"
    assert label_role("By Jane Smith") == "byline"
    assert label_role("By building trust, workers help people change.") is None
    assert label_role("Sources of support matter to families.") is None


def test_marks_round_trip_through_metadata() -> None:
    marks = mark_lines(["Title", "Body text.", "Source: x"], ["title", None, None])
    value = marks_json(marks)
    assert json.loads(value) == [["title", "Title"], ["source", "Source: x"]]
    assert read_marks({"structure": value}) == {"Title": "title", "Source: x": "source"}
    assert read_marks({}) == {} and read_marks({"structure": "not json"}) == {}
