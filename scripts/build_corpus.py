"""Build the bundled CPD corpus from corpus/src into PDF, PPTX and DOCX files.

Usage: python scripts/build_corpus.py [--out DIR]

The build is deterministic (fixed metadata and dates, no randomness, normalised zip entries), so a
rebuild yields the same files. Sources: corpus/src/{primer.md,slides.yaml,handout.md,concepts.yaml}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "corpus" / "src"
PRIMER_PDF = "rbp-primer.pdf"
SLIDES_PPTX = "rbp-slides.pptx"
SLIDES_PDF = "rbp-slides.pdf"
HANDOUT_DOCX = "supervision-handout.docx"
CONCEPTS_YAML = "concepts.yaml"
AUTHOR = "rbp-assistant contributors"
LICENCE = "CC BY 4.0"
FIXED_DATE = dt.datetime(2026, 1, 1, 0, 0, 0)
FONT = "DejaVuSans"
VIGNETTE_PREFIX = "Practice vignette"
QUESTIONS_PREFIX = "Reflective questions"


# ---------------------------------------------------------------- text helpers


@dataclass
class Block:
    """One Markdown block: a heading (level 1-3), a paragraph (level 0) or a bullet list."""

    kind: str  # "heading" | "para" | "bullets"
    text: str = ""
    level: int = 0
    items: list[str] = field(default_factory=list)


def smart_quotes(text: str) -> str:
    """Turn straight quotes into typographic ones (UK style: ’ for apostrophes)."""
    text = re.sub(r'(^|[\s(\[—–-])"', "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(r"(^|[\s(\[—–-])'", "\\1\u2018", text)
    return text.replace("'", "\u2019")


def parse_markdown(text: str) -> list[Block]:
    """Parse the Markdown subset used in corpus/src: # and ## headings, paragraphs, - lists."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if lines[0].startswith("#"):
            hashes, _, title = lines[0].partition(" ")
            blocks.append(Block("heading", smart_quotes(title.strip()), len(hashes)))
            lines = lines[1:]
            if not lines:
                continue
        if all(line.startswith("- ") for line in lines):
            items = [smart_quotes(line[2:].strip()) for line in lines]
            blocks.append(Block("bullets", items=items))
        else:
            blocks.append(Block("para", smart_quotes(" ".join(lines))))
    return blocks


def plain(text: str) -> str:
    """Strip the inline Markdown emphasis markers."""
    return re.sub(r"\*{1,2}([^*]+)\*{1,2}", r"\1", text)


def to_markup(text: str) -> str:
    """Inline Markdown (**bold**, *italic*) to reportlab paragraph markup, escaping XML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    return re.sub(r"\*([^*]+)\*", r"<i>\1</i>", text)


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- fonts


def register_fonts() -> None:
    """Register DejaVu Sans (shipped in matplotlib): quotes, dashes and £ render and extract."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    variants = {
        FONT: ("DejaVuSans.ttf", 0, 0),
        f"{FONT}-Bold": ("DejaVuSans-Bold.ttf", 1, 0),
        f"{FONT}-Oblique": ("DejaVuSans-Oblique.ttf", 0, 1),
        f"{FONT}-BoldOblique": ("DejaVuSans-BoldOblique.ttf", 1, 1),
    }
    for name, (file_name, bold, italic) in variants.items():
        pdfmetrics.registerFont(TTFont(name, str(ttf / file_name)))
        addMapping(FONT, bold, italic, name)


# ---------------------------------------------------------------- primer PDF


def primer_styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("Body", fontName=FONT, fontSize=10.5, leading=15, spaceAfter=7)
    return {
        "body": body,
        "h1": ParagraphStyle(
            "Heading1",
            parent=body,
            fontName=f"{FONT}-Bold",
            fontSize=19,
            leading=24,
            spaceBefore=14,
            spaceAfter=12,
            keepWithNext=1,
            textColor=colors.HexColor("#1F4E79"),
        ),
        "h2": ParagraphStyle(
            "Heading2",
            parent=body,
            fontName=f"{FONT}-Bold",
            fontSize=12.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=5,
            textColor=colors.HexColor("#1F4E79"),
            keepWithNext=1,
        ),
        "vignette": ParagraphStyle(
            "Vignette",
            parent=body,
            backColor=colors.HexColor("#EEF3F8"),
            borderPadding=6,
            leftIndent=6,
            rightIndent=6,
            spaceBefore=4,
            spaceAfter=12,
        ),
        "bullet": ParagraphStyle(
            "Bullet", parent=body, leftIndent=16, bulletIndent=4, spaceAfter=4, bulletFontName=FONT
        ),
    }


def primer_flowables(blocks: list[Block]) -> list[Any]:
    """Turn Markdown blocks into reportlab flowables; each level-1 heading starts a new page."""
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak, Paragraph

    styles = primer_styles()
    flow: list[Any] = []
    in_vignette = False
    for block in blocks:
        if block.kind == "heading":
            if block.level == 1 and flow:
                flow.append(CondPageBreak(9 * cm))
            para = Paragraph(to_markup(block.text), styles["h1" if block.level == 1 else "h2"])
            para.heading = (block.level, plain(block.text))
            flow.append(para)
            in_vignette = block.text.startswith(VIGNETTE_PREFIX)
        elif block.kind == "para":
            flow.append(
                Paragraph(to_markup(block.text), styles["vignette" if in_vignette else "body"])
            )
        else:
            for item in block.items:
                flow.append(Paragraph(to_markup(item), styles["bullet"], bulletText="•"))
    return flow


def build_primer(blocks: list[Block], path: Path) -> tuple[dict[str, int], int]:
    """Render the primer PDF (A4, page numbers, outline); return ({heading: page}, page count)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    pages: dict[str, int] = {}

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, str(doc.page))

    class PrimerDoc(BaseDocTemplate):
        def afterFlowable(self, flowable: Any) -> None:
            heading = getattr(flowable, "heading", None)
            if heading is None:
                return
            level, title = heading
            key = f"h{len(pages)}"
            pages.setdefault(title, self.page)
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level - 1, closed=level > 1)

    doc = PrimerDoc(
        str(path),
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2.2 * cm,
        title="Relationship-based practice: a primer for CPD",
        author=AUTHOR,
        subject=f"CPD primer on relationship-based social work ({LICENCE})",
        creator="scripts/build_corpus.py",
        invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=footer)])
    doc.build(primer_flowables(blocks))
    return pages, doc.page


# ---------------------------------------------------------------- slide deck (PPTX and PDF)

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5


def bullet_size(bullets: list[str]) -> int:
    """Font size in points that keeps a slide body on the slide."""
    words = sum(len(b.split()) for b in bullets)
    return 24 if words <= 50 and len(bullets) <= 5 else 20 if words <= 75 else 18


def build_pptx(deck: dict[str, Any], path: Path) -> None:
    """Render the deck as PPTX: title placeholder, bulleted body, speaker notes where given."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    title_slide = prs.slides.add_slide(prs.slide_layouts[0])
    title_slide.shapes.title.text = smart_quotes(deck["title"])
    title_slide.placeholders[1].text = smart_quotes(deck["subtitle"])
    for shape in title_slide.placeholders:
        shape.left, shape.width = Inches(0.8), Inches(SLIDE_W_IN - 1.6)
    for spec in deck["slides"]:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        title, body = slide.shapes.title, slide.placeholders[1]
        title.left, title.top, title.width, title.height = (
            Inches(0.6),
            Inches(0.3),
            Inches(SLIDE_W_IN - 1.2),
            Inches(1.2),
        )
        body.left, body.top, body.width, body.height = (
            Inches(0.6),
            Inches(1.6),
            Inches(SLIDE_W_IN - 1.2),
            Inches(5.4),
        )
        title.text = smart_quotes(spec["title"])
        title.text_frame.paragraphs[0].font.size = Pt(32)
        size = Pt(bullet_size(spec["bullets"]))
        frame = body.text_frame
        for i, bullet in enumerate(spec["bullets"]):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = smart_quotes(bullet)
            para.font.size = size
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = smart_quotes(spec["notes"])
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = plain(deck["title"]), AUTHOR, AUTHOR
    props.subject, props.revision = LICENCE, 1
    props.created = props.modified = FIXED_DATE
    prs.save(str(path))
    normalise_zip(path)


def build_slides_pdf(deck: dict[str, Any], path: Path) -> None:
    """Render the same deck as a landscape PDF, one slide per page, with the same text."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame, Paragraph

    size = (SLIDE_W_IN * inch, SLIDE_H_IN * inch)
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    canvas.setTitle(plain(deck["title"]))
    canvas.setAuthor(AUTHOR)
    canvas.setSubject(f"Slide deck on relationship-based social work ({LICENCE})")
    canvas.setCreator("scripts/build_corpus.py")
    blue = colors.HexColor("#1F4E79")
    title_style = ParagraphStyle(
        "SlideTitle", fontName=f"{FONT}-Bold", fontSize=30, leading=36, textColor=blue
    )
    pages = [(deck["title"], [deck["subtitle"]])] + [
        (s["title"], s["bullets"]) for s in deck["slides"]
    ]
    for number, (title, bullets) in enumerate(pages, start=1):
        pt = bullet_size(bullets)
        body_style = ParagraphStyle(
            "SlideBody",
            fontName=FONT,
            fontSize=pt,
            leading=pt * 1.3,
            leftIndent=pt,
            bulletIndent=0,
            spaceAfter=pt * 0.5,
            bulletFontName=FONT,
            bulletFontSize=pt,
        )
        heading: list[Any] = [Paragraph(to_markup(smart_quotes(title)), title_style)]
        bullet_text = None if number == 1 else "•"
        flow = [
            Paragraph(to_markup(smart_quotes(b)), body_style, bulletText=bullet_text)
            for b in bullets
        ]
        canvas.setFillColor(blue)
        canvas.rect(0, size[1] - 0.15 * inch, size[0], 0.15 * inch, stroke=0, fill=1)
        title_y, body_h = (3.6, 2.9) if number == 1 else (5.9, 5.3)  # title slide: centred
        top = Frame(0.6 * inch, title_y * inch, size[0] - 1.2 * inch, 1.3 * inch, showBoundary=0)
        top.addFromList(heading, canvas)
        body = Frame(0.6 * inch, 0.6 * inch, size[0] - 1.2 * inch, body_h * inch, showBoundary=0)
        body.addFromList(flow, canvas)
        if heading or flow:
            raise ValueError(f"slide {number} ({title!r}) does not fit on one page")
        canvas.setFont(FONT, 11)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(size[0] - 0.5 * inch, 0.3 * inch, str(number))
        canvas.showPage()
    canvas.save()


# ---------------------------------------------------------------- handout DOCX


def add_runs(paragraph: Any, text: str) -> None:
    """Add text to a python-docx paragraph, honouring **bold** and *italic*."""
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if part.startswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*"):
            paragraph.add_run(part[1:-1]).italic = True
        elif part:
            paragraph.add_run(part)


def build_docx(blocks: list[Block], path: Path) -> None:
    """Render the handout as DOCX with real Heading 1/Heading 2 styles and bulleted questions."""
    from docx import Document

    doc = Document()
    for block in blocks:
        if block.kind == "heading":
            doc.add_heading(plain(block.text), level=block.level)
        elif block.kind == "para":
            add_runs(doc.add_paragraph(), block.text)
        else:
            for item in block.items:
                add_runs(doc.add_paragraph(style="List Bullet"), item)
    props = doc.core_properties
    props.title = plain(blocks[0].text)
    props.author = props.last_modified_by = AUTHOR
    props.subject, props.revision = LICENCE, 1
    props.created = props.modified = FIXED_DATE
    doc.save(str(path))
    normalise_zip(path)


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed timestamps so rebuilds are byte-identical."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, data)
    path.write_bytes(buffer.getvalue())


# ---------------------------------------------------------------- glossary


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plain(text).lower().replace("’", "")).strip("-")


def primer_chapters(blocks: list[Block], pages: dict[str, int]) -> list[dict[str, Any]]:
    """One record per primer chapter: id, title, page, sections, vignette and questions."""
    chapters: list[dict[str, Any]] = []
    section = ""
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            title = plain(block.text)
            chapters.append(
                {
                    "id": slugify(title),
                    "title": title,
                    "file": PRIMER_PDF,
                    "page": pages[title],
                    "sections": [],
                }
            )
        elif block.kind == "heading":
            section = plain(block.text)
            chapters[-1]["sections"].append(section)
            if section.startswith(VIGNETTE_PREFIX):
                chapters[-1]["vignette"] = {
                    "title": section,
                    "file": PRIMER_PDF,
                    "page": pages[section],
                    "text": "",
                }
        elif section.startswith(VIGNETTE_PREFIX) and block.kind == "para":
            vignette = chapters[-1]["vignette"]
            vignette["text"] = " ".join(filter(None, [vignette["text"], plain(block.text)]))
        elif section.startswith(QUESTIONS_PREFIX) and block.kind == "bullets":
            chapters[-1]["questions"] = [plain(item) for item in block.items]
    return chapters


def resolve_concepts(
    concepts: list[dict[str, Any]],
    chapters: list[dict[str, Any]],
    pages: dict[str, int],
    slides: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Replace heading and slide-id pointers with file/page and file/slide locations."""
    chapter_of = {section: ch["id"] for ch in chapters for section in ch["sections"]}
    slide_of = {s["id"]: (number, smart_quotes(s["title"])) for number, s in enumerate(slides, 2)}
    resolved = []
    for concept in concepts:
        heading = plain(smart_quotes(concept["primer"]))
        if heading not in chapter_of:
            raise KeyError(f"concept {concept['id']}: no primer section {heading!r}")
        if concept["slide"] not in slide_of:
            raise KeyError(f"concept {concept['id']}: no slide {concept['slide']!r}")
        number, title = slide_of[concept["slide"]]
        entry = {k: concept[k] for k in ("id", "term", "aliases", "topic", "definition")}
        entry["chapter"] = chapter_of[heading]
        entry["locations"] = [
            {"file": PRIMER_PDF, "page": pages[heading], "section": heading},
            {"file": SLIDES_PPTX, "slide": number, "title": title},
            {"file": SLIDES_PDF, "page": number, "title": title},
        ]
        resolved.append(entry)
    return resolved


def write_concepts(
    chapters: list[dict[str, Any]], concepts: list[dict[str, Any]], path: Path
) -> None:
    header = (
        "# Glossary of the bundled corpus, generated by scripts/build_corpus.py from\n"
        "# corpus/src/concepts.yaml and primer.md: edit those, then run `make corpus`.\n"
        "# chapters: primer chapters with their fictional vignette and reflective questions.\n"
        "# concepts: term, aliases, topic, one-sentence definition, chapter (an id in\n"
        "# chapters) and locations (file + page or slide) where the concept is explained.\n"
    )
    data = {"chapters": chapters, "concepts": concepts}
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")


# ---------------------------------------------------------------- main


def build(out: Path) -> dict[str, Any]:
    """Build every corpus file into `out`; return a short summary."""
    out.mkdir(parents=True, exist_ok=True)
    register_fonts()
    primer_blocks = parse_markdown((SRC / "primer.md").read_text(encoding="utf-8"))
    primer_pages, page_count = build_primer(primer_blocks, out / PRIMER_PDF)
    deck = read_yaml(SRC / "slides.yaml")
    build_pptx(deck, out / SLIDES_PPTX)
    build_slides_pdf(deck, out / SLIDES_PDF)
    build_docx(parse_markdown((SRC / "handout.md").read_text(encoding="utf-8")), out / HANDOUT_DOCX)
    chapters = primer_chapters(primer_blocks, primer_pages)
    sources = read_yaml(SRC / "concepts.yaml")["concepts"]
    concepts = resolve_concepts(sources, chapters, primer_pages, deck["slides"])
    write_concepts(chapters, concepts, out / CONCEPTS_YAML)
    return {
        "primer_pages": page_count,
        "slides": len(deck["slides"]) + 1,
        "concepts": len(concepts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "corpus", help="output folder")
    args = parser.parse_args()
    summary = build(args.out)
    print(f"Built corpus in {args.out}: {summary}")


if __name__ == "__main__":
    main()
