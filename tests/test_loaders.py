"""Loaders: every format generated here, exact page/slide numbers and metadata, every bad input."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from assistant.answer.units import split_units
from assistant.ingest.loaders import SUPPORTED_EXTENSIONS, load_file
from assistant.ingest.loaders import common as loaders_common
from assistant.ingest.loaders.common import LoadError
from assistant.ingest.loaders.structure import read_marks

# ---------------------------------------------------------------------------------------------
# generators
# ---------------------------------------------------------------------------------------------


def make_pdf(path: Path, pages: list[list[str]], title: str | None = None) -> Path:
    """A PDF with one text line per entry; an empty list makes a page with a drawing only."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    if title:
        c.setTitle(title)
    for lines in pages:
        if not lines:
            c.rect(100, 100, 300, 300, fill=1)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 16 * i, line)
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def rewrite_pdf(src: Path, dst: Path, labels: bool = False, password: str | None = None) -> Path:
    """Copy a PDF adding roman page labels for the first two pages, or encryption."""
    writer = PdfWriter(clone_from=PdfReader(src))
    if labels:
        writer.set_page_label(0, 1, style="/r")
        writer.set_page_label(2, len(writer.pages) - 1, style="/D", start=1)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst


def make_pptx(path: Path) -> Path:
    """Four slides: bullets+notes, layout/table/group, blank (no text), title only."""
    prs = Presentation()
    s1 = prs.slides.add_slide(prs.slide_layouts[1])  # title and content
    s1.shapes.title.text = "Why relationships matter"
    body = s1.placeholders[1].text_frame
    body.text = "Trust takes time"
    p = body.add_paragraph()
    p.text = "Listening first"
    p.level = 1
    s1.notes_slide.notes_text_frame.text = "Ask the group for an example."

    s2 = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    s2.shapes.title.text = "Supervision   triangle"
    right = s2.shapes.add_textbox(Inches(5), Inches(2), Inches(3), Inches(1))
    right.text_frame.text = "Right column"
    left = s2.shapes.add_textbox(Inches(1), Inches(2), Inches(3), Inches(1))
    left.text_frame.text = "Left column"
    table = s2.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(6), Inches(1)).table
    for r, row in enumerate([["Function", "Focus"], ["Supportive", "Wellbeing"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    group = s2.shapes.add_group_shape()
    inner = group.shapes.add_textbox(Inches(1), Inches(6), Inches(2), Inches(1))
    inner.text_frame.text = "Grouped note"

    prs.slides.add_slide(prs.slide_layouts[6])  # blank: no text at all

    s4 = prs.slides.add_slide(prs.slide_layouts[5])
    s4.shapes.title.text = "Questions?"
    prs.core_properties.title = "PowerPoint Presentation"  # a tool default: ignored
    prs.save(str(path))
    return path


def make_docx(path: Path) -> Path:
    doc = DocxDocument()
    doc.add_paragraph("Handout on reflective practice", style="Title")
    doc.add_paragraph("Intro paragraph before any heading section.")
    doc.add_heading("Before the visit", level=1)
    doc.add_paragraph("Read the case notes.")
    doc.add_paragraph("Plan your questions", style="List Bullet")
    doc.add_heading("After the visit", level=1)
    doc.add_heading("Recording", level=2)
    doc.add_paragraph("Write up within a day.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Task"
    table.cell(0, 1).text = "When"
    table.cell(1, 0).text = "Reflect"
    table.cell(1, 1).text = "Weekly"
    doc.save(str(path))
    return path


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def meta(docs, key):
    return [d.metadata.get(key) for d in docs]


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def test_pdf_one_document_per_page_with_exact_numbers(tmp_path: Path) -> None:
    sub = tmp_path / "handouts"
    sub.mkdir()
    pdf = make_pdf(
        sub / "guide.pdf",
        [["Attachment theory", "Secure base matters."], [], ["Endings", "Plan endings well.", "3"]],
        title="A Guide to Relationships",
    )
    docs = load_file(pdf, tmp_path)
    assert meta(docs, "page") == [1, 3]  # the drawing-only page 2 is skipped, numbers stay true
    first = docs[0].metadata
    assert first["source"] == "handouts/guide.pdf"
    assert first["file_name"] == "guide.pdf"
    assert first["kind"] == "pdf"
    assert first["doc_title"] == "A Guide to Relationships"
    assert first["section"] == "Attachment theory"
    assert "slide" not in first and "page_label" not in first and "slide_title" not in first
    assert docs[0].page_content == "Attachment theory\nSecure base matters."
    assert docs[1].page_content == "Endings\nPlan endings well."  # lone page number dropped


def test_pdf_section_is_a_heading_never_a_sentence_carried_over(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "leaflet.pdf",
        [
            ["Why relationships matter", "Trust is built over time."],
            ["people we work with, sharing what we know.", "A new paragraph starts here."],
            ["Supervision works when it is regular and protected and when both people prepare."],
            ["Barriers to practice:", "Caseloads."],
            ["What gets in the way?", "Time."],
        ],
    )
    assert meta(load_file(pdf, tmp_path), "section") == [
        "Why relationships matter",
        "",  # starts mid-sentence
        "",  # a sentence, not a heading
        "Barriers to practice:",
        "What gets in the way?",
    ]


def test_pdf_title_falls_back_to_first_heading(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "x.pdf", [["Working with families", "Some body text here."]])
    # reportlab writes the metadata title "untitled" by default: it must not win
    assert PdfReader(pdf).metadata["/Title"] == "untitled"
    assert load_file(pdf, tmp_path)[0].metadata["doc_title"] == "Working with families"


def test_pdf_reflows_wrapped_lines_and_keeps_bullets(tmp_path: Path) -> None:
    lines = ["Heading line", "- first bullet wraps", "onto a second line", "- relation-", "based"]
    docs = load_file(make_pdf(tmp_path / "w.pdf", [lines]), tmp_path)
    assert docs[0].page_content.split("\n") == [
        "Heading line",
        "- first bullet wraps onto a second line",
        "- relation-based",
    ]


def test_pdf_page_labels_when_defined(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "src.pdf", [["Preface"], ["Contents"], ["Chapter one"], ["More"]])
    pdf = rewrite_pdf(src, tmp_path / "labelled.pdf", labels=True)
    docs = load_file(pdf, tmp_path)
    assert meta(docs, "page") == [1, 2, 3, 4]
    assert meta(docs, "page_label") == ["i", "ii", "1", "2"]


def test_pdf_encrypted_with_empty_user_password_opens(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "src.pdf", [["Open to read"]])
    pdf = rewrite_pdf(src, tmp_path / "enc.pdf", password="")
    assert load_file(pdf, tmp_path)[0].page_content == "Open to read"


def test_pdf_password_protected_is_refused(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "src.pdf", [["Secret"]])
    pdf = rewrite_pdf(src, tmp_path / "locked.pdf", password="secret")
    with pytest.raises(LoadError, match="password-protected"):
        load_file(pdf, tmp_path)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_pdf_truncated_is_refused(tmp_path: Path, fraction: float) -> None:
    data = make_pdf(tmp_path / "src.pdf", [["Page one text"], ["Page two text"]]).read_bytes()
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(LoadError, match="damaged"):
        load_file(bad, tmp_path)


def test_pdf_garbage_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "renamed.pdf"
    bad.write_bytes(b"this is a text file renamed to pdf\n" * 10)
    with pytest.raises(LoadError, match="not a PDF"):
        load_file(bad, tmp_path)


def test_pdf_without_text_says_scanned(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(LoadError, match="scanned document\\? OCR is not supported"):
        load_file(pdf, tmp_path)


# ---------------------------------------------------------------------------------------------
# PPTX
# ---------------------------------------------------------------------------------------------


def test_speaker_notes_label_and_source_lines_are_not_quotable(tmp_path: Path) -> None:
    path = make_pptx(tmp_path / "deck.pptx")
    prs = Presentation(str(path))
    frame = prs.slides[0].notes_slide.notes_text_frame
    frame.text = "Ask the group for an example.\nSources: HHS Publication No. (SMA) 14-4884."
    prs.save(str(path))
    notes = next(d for d in load_file(path, tmp_path) if d.metadata["is_notes"])
    units = split_units(notes.page_content, read_marks(notes.metadata))
    assert [u.text for u in units if u.is_body] == ["Ask the group for an example."]


def test_pptx_slides_titles_reading_order_tables_groups_notes(tmp_path: Path) -> None:
    docs = load_file(make_pptx(tmp_path / "deck.pptx"), tmp_path)
    assert [(d.metadata["slide"], d.metadata["is_notes"]) for d in docs] == [
        (1, False),
        (1, True),
        (2, False),
        (4, False),
    ]
    for d in docs:
        assert "page" not in d.metadata and "section" not in d.metadata
        assert d.metadata["kind"] == "pptx" and d.metadata["source"] == "deck.pptx"
        assert d.metadata["doc_title"] == "Why relationships matter"  # first slide title
    s1, notes, s2, s4 = docs
    assert s1.metadata["slide_title"] == "Why relationships matter"
    assert s1.page_content == "Why relationships matter\n• Trust takes time\n  • Listening first"
    assert notes.page_content == "Speaker notes:\nAsk the group for an example."
    assert notes.metadata["slide_title"] == "Why relationships matter"
    assert s2.metadata["slide_title"] == "Supervision triangle"
    assert s2.page_content.split("\n") == [
        "Supervision triangle",
        "Left column",
        "Right column",
        "Function | Focus",
        "Supportive | Wellbeing",
        "Grouped note",
    ]
    assert s4.page_content == "Questions?"


def test_pptx_core_title_wins(tmp_path: Path) -> None:
    path = make_pptx(tmp_path / "deck.pptx")
    prs = Presentation(str(path))
    prs.core_properties.title = "Module 2: Supervision"
    prs.save(str(path))
    assert {d.metadata["doc_title"] for d in load_file(path, tmp_path)} == {"Module 2: Supervision"}


@pytest.mark.parametrize("ext", ["pptx", "docx"])
def test_office_file_that_is_not_a_zip(tmp_path: Path, ext: str) -> None:
    bad = tmp_path / f"fake.{ext}"
    bad.write_bytes(b"PK but not really a zip file at all" * 20)
    with pytest.raises(LoadError, match="not a valid .* file \\(not a zip archive\\)"):
        load_file(bad, tmp_path)


@pytest.mark.parametrize("ext", ["pptx", "docx"])
def test_zip_that_is_not_an_office_file(tmp_path: Path, ext: str) -> None:
    bad = make_zip(tmp_path / f"other.{ext}", {"hello.txt": b"hello"})
    with pytest.raises(LoadError, match="not a valid"):
        load_file(bad, tmp_path)


@pytest.mark.parametrize("ext", ["pptx", "docx"])
def test_zip_bomb_ratio_is_refused_before_opening(
    tmp_path: Path, ext: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = make_zip(tmp_path / f"bomb.{ext}", {"ppt/slides/slide1.xml": b"\0" * (8 << 20)})
    assert bomb.stat().st_size < 100_000
    opened = []
    monkeypatch.setattr("pptx.Presentation", lambda *a: opened.append(a))
    monkeypatch.setattr("docx.Document", lambda *a: opened.append(a))
    with pytest.raises(LoadError, match="zip bomb"):
        load_file(bomb, tmp_path)
    assert opened == []


def test_zip_bomb_total_size_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_pptx(tmp_path / "deck.pptx")
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(loaders_common, "MAX_UNZIPPED_BYTES", total - 1)
    with pytest.raises(LoadError, match="would unpack to .* zip bomb"):
        load_file(path, tmp_path)


# ---------------------------------------------------------------------------------------------
# DOCX, Markdown, text
# ---------------------------------------------------------------------------------------------


def test_docx_headings_start_sections_and_tables_are_kept(tmp_path: Path) -> None:
    docs = load_file(make_docx(tmp_path / "handout.docx"), tmp_path)
    assert meta(docs, "page") == [1, 2, 3]
    assert meta(docs, "section") == [
        "Handout on reflective practice",
        "Before the visit",
        "Recording",
    ]
    assert {d.metadata["doc_title"] for d in docs} == {"Handout on reflective practice"}
    assert {d.metadata["kind"] for d in docs} == {"docx"}
    assert docs[1].page_content == "Before the visit\nRead the case notes.\n\n• Plan your questions"
    # the heading-only section "After the visit" is folded into the next one, not dropped
    assert docs[2].page_content.split("\n") == [
        "After the visit",
        "Recording",
        "Write up within a day.",
        "",
        "Task | When",
        "Reflect | Weekly",
    ]


def test_markdown_sections(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text(
        "Preamble line.\n\n# Using supervision\n\nBring a case.\n\n"
        "```\n# not a heading\n```\n\n## Boundaries ##\n- one\n- two\n",
        encoding="utf-8",
    )
    docs = load_file(md, tmp_path)
    assert meta(docs, "page") == [1, 2, 3]
    assert meta(docs, "section") == ["", "Using supervision", "Boundaries"]
    assert docs[0].metadata["doc_title"] == "Using supervision"
    assert docs[0].metadata["kind"] == "md"
    assert "# not a heading" in docs[1].page_content
    assert docs[2].page_content == "## Boundaries ##\n- one\n- two"


def test_markdown_front_matter_title_and_ligatures(tmp_path: Path) -> None:
    md = tmp_path / "fm.md"
    md.write_text(
        '---\ntitle: "Reflective supervision"\ntags: [cpd]\n---\n\n'
        "# Part one\n\nE\ufb03cient re\ufb02ection.\n",
        encoding="utf-8",
    )
    docs = load_file(md, tmp_path)
    assert [d.metadata["doc_title"] for d in docs] == ["Reflective supervision"]
    assert docs[0].metadata["section"] == "Part one"
    assert docs[0].page_content == "# Part one\n\nEfficient reflection."


def test_markdown_extension_alias(tmp_path: Path) -> None:
    path = tmp_path / "a.markdown"
    path.write_text("# Title\n\ntext\n", encoding="utf-8")
    assert load_file(path, tmp_path)[0].metadata["kind"] == "md"


def test_text_setext_sections_and_bom(tmp_path: Path) -> None:
    txt = tmp_path / "plain.txt"
    txt.write_bytes(
        "\ufeffReflective practice\n===================\n\nIntro.\n\n"
        "Endings\n-------\nClose well.\n".encode()
    )
    docs = load_file(txt, tmp_path)
    assert meta(docs, "section") == ["Reflective practice", "Endings"]
    assert meta(docs, "page") == [1, 2]
    assert docs[0].metadata["doc_title"] == "Reflective practice"
    assert docs[1].page_content == "Endings\n-------\nClose well."


def test_text_without_headings_is_one_section(tmp_path: Path) -> None:
    txt = tmp_path / "memo_notes.txt"
    txt.write_text("just some words. and more words.\n", encoding="utf-8")
    docs = load_file(txt, tmp_path)
    assert len(docs) == 1 and docs[0].metadata["page"] == 1
    assert docs[0].metadata["doc_title"] == "memo notes"


# ---------------------------------------------------------------------------------------------
# generic bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["pdf", "pptx", "docx", "md", "txt"])
def test_empty_file(tmp_path: Path, ext: str) -> None:
    empty = tmp_path / f"empty.{ext}"
    empty.write_bytes(b"")
    with pytest.raises(LoadError, match="the file is empty"):
        load_file(empty, tmp_path)


def test_whitespace_only_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("  \n\n \t\n", encoding="utf-8")
    with pytest.raises(LoadError, match="no text"):
        load_file(path, tmp_path)


def test_unsupported_extension_lists_supported(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(LoadError) as err:
        load_file(path, tmp_path)
    message = str(err.value)
    assert "unsupported file type .xlsx" in message
    for ext in SUPPORTED_EXTENSIONS:
        assert ext in message


def test_old_powerpoint_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "old.ppt"
    path.write_bytes(b"x")
    with pytest.raises(LoadError, match="save it as .pptx"):
        load_file(path, tmp_path)


def test_non_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 notes".encode("latin-1"))
    with pytest.raises(LoadError, match="not UTF-8"):
        load_file(path, tmp_path)


def test_binary_text_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.md"
    path.write_bytes(b"abc\x00def")
    with pytest.raises(LoadError, match="binary"):
        load_file(path, tmp_path)


def test_file_over_size_limit_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(LoadError, match="too large"):
        load_file(path, tmp_path, max_bytes=1000)
    assert load_file(path, tmp_path, max_bytes=10_000)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot open"):
        load_file(tmp_path / "nope.pdf", tmp_path)


def test_load_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"\x00garbage\n" * 50)
    with pytest.raises(LoadError) as err:
        load_file(bad, tmp_path)
    assert "\n" not in str(err.value) and str(err.value)


def test_supported_extensions_are_dotted() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {".pdf", ".pptx", ".docx", ".md", ".markdown", ".txt"}


def test_chroma_safe_metadata(tmp_path: Path) -> None:
    paths = [
        make_pdf(tmp_path / "a.pdf", [["Title", "text"]]),
        make_pptx(tmp_path / "b.pptx"),
        make_docx(tmp_path / "c.docx"),
    ]
    for path in paths:
        for doc in load_file(path, tmp_path):
            for key, value in doc.metadata.items():
                assert isinstance(value, str | int | float | bool), (key, value)
            assert ("page" in doc.metadata) != ("slide" in doc.metadata)


def test_pdf_sections_come_from_bookmarks(tmp_path: Path) -> None:
    """Whole headings from the PDF outline; a page without one keeps the heading in force."""
    path = tmp_path / "outlined.pdf"
    c = canvas.Canvas(str(path))
    pages = [
        ("Ethic of care and its four", "intro", "Ethic of care and its four elements"),
        ("continued text on care", None, None),
        ("Kadushin on supervision", "sup", "Supervision functions"),
    ]
    for first_line, key, heading in pages:
        c.drawString(72, 720, first_line)
        c.drawString(72, 700, "Body text of the page.")
        if key and heading:
            c.bookmarkPage(key)
            c.addOutlineEntry(heading, key, level=0)
        c.showPage()
    c.save()
    docs = load_file(path, tmp_path)
    assert [d.metadata["section"] for d in docs] == [
        "Ethic of care and its four elements",
        "Ethic of care and its four elements",
        "Supervision functions",
    ]


def test_a_damaged_docx_gets_a_plain_sentence_and_the_raw_error_goes_to_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.test_ingest import _damaged_docx

    path = _damaged_docx(tmp_path / "damaged.docx")
    with (
        caplog.at_level("WARNING", logger="assistant.ingest.loaders"),
        pytest.raises(LoadError) as err,
    ):
        load_file(path, tmp_path)
    message = str(err.value)
    assert message.startswith("could not read this DOCX file: it looks damaged")
    assert "save it again" in message
    assert not re.search(r"[A-Z]\w*(Error|Exception)\b|lxml|_Element|overrides", message)
    assert "AttributeError" in caplog.text and "overrides" in caplog.text


def test_no_loader_message_names_a_python_exception(tmp_path: Path) -> None:
    """Damaged files of every format: the reason is a plain sentence ending in what to do."""
    samples = {
        "a.pdf": b"%PDF-1.4\n1 0 obj <<",
        "b.pptx": b"PK\x03\x04 not really a zip",
        "c.docx": b"\x00\x01\x02 not a zip",
        "d.txt": "caf\xe9".encode("latin-1"),
    }
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(LoadError) as err:
            load_file(tmp_path / name, tmp_path)
        message = str(err.value)
        assert not re.search(r"\b[A-Z]\w*(Error|Exception)\b|Traceback", message), message
        assert re.search(r"\b(save|open)\b", message, re.I), message
