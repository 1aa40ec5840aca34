"""The bundled corpus: reproducible build, shapes, glossary locations, no lifted text."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
import yaml
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from tests.conftest import REPO, SEED_CORPUS

CORPUS = REPO / "corpus"
PRIMER, SLIDES_PPTX, SLIDES_PDF = "rbp-primer.pdf", "rbp-slides.pptx", "rbp-slides.pdf"
HANDOUT, CONCEPTS = "supervision-handout.docx", "concepts.yaml"
BUILT_FILES = [PRIMER, SLIDES_PPTX, SLIDES_PDF, HANDOUT, CONCEPTS]
NGRAM = 8


# ---------------------------------------------------------------- extraction helpers


@cache
def pdf_pages(path: Path) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


@cache
def pptx_slides(path: Path) -> tuple[str, ...]:
    """Text of each slide's shapes (not notes), in slide order."""
    slides = []
    for slide in Presentation(str(path)).slides:
        parts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        slides.append("\n".join(parts))
    return tuple(slides)


def pptx_notes(path: Path) -> list[str]:
    return [
        slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        for slide in Presentation(str(path)).slides
    ]


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def extracted(path: Path) -> list[str]:
    """The text a loader would see in a built file, one string per page/slide."""
    if path.suffix == ".pdf":
        return list(pdf_pages(path))
    if path.suffix == ".pptx":
        return list(pptx_slides(path)) + pptx_notes(path)
    if path.suffix == ".docx":
        return [docx_text(path)]
    return [path.read_text(encoding="utf-8")]


def normalise(text: str) -> str:
    """Lower case, straight quotes, single spaces: for 'does this term appear here' checks."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-")
    return " ".join(text.lower().split())


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£%]+", normalise(text).replace("'", ""))


def ngrams(tokens: list[str], n: int = NGRAM) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def shared_passages(ours: Iterable[str], theirs: Iterable[str], skip: Iterable[str]) -> set[str]:
    """Word n-grams that occur in both texts, after removing the `skip` phrases (titles, names)."""

    def tokens(texts: Iterable[str]) -> list[list[str]]:
        result = []
        for text in texts:
            text = normalise(text)
            for phrase in skip:
                text = text.replace(normalise(phrase), " | ")
            result.append(words(text))
        return result

    seed = set().union(*(ngrams(t) for t in tokens(theirs)))
    return {" ".join(g) for t in tokens(ours) for g in ngrams(t) & seed}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the corpus into a temporary folder (about 3 s)."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_corpus.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


@pytest.fixture(scope="session")
def glossary() -> dict:
    return yaml.safe_load((CORPUS / CONCEPTS).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- reproducibility


@pytest.mark.parametrize("name", BUILT_FILES)
def test_rebuild_gives_the_committed_text(built: Path, name: str) -> None:
    assert (CORPUS / name).exists(), f"{name} is not committed: run `make corpus`"
    assert extracted(built / name) == extracted(CORPUS / name), f"{name} is out of date"


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_corpus.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    for name in BUILT_FILES:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


# ---------------------------------------------------------------- shapes


def test_primer_is_an_a4_document_with_headings_and_page_numbers() -> None:
    reader = PdfReader(CORPUS / PRIMER)
    assert 15 <= len(reader.pages) <= 25
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)
    assert reader.metadata is not None and "primer" in (reader.metadata.title or "").lower()
    for number, text in enumerate(pdf_pages(CORPUS / PRIMER), start=1):
        assert text.split()[-1] == str(number), f"page {number} has no page number"
    outline_titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "The ethic of care" in outline_titles and "References" in outline_titles


def test_deck_has_one_slide_per_pdf_page_with_the_same_text() -> None:
    slides, pages = pptx_slides(CORPUS / SLIDES_PPTX), pdf_pages(CORPUS / SLIDES_PDF)
    assert 25 <= len(slides) <= 35
    assert len(pages) == len(slides)
    first = PdfReader(CORPUS / SLIDES_PDF).pages[0].mediabox
    assert first.width > first.height, "the deck PDF should be landscape"
    for number, (slide, page) in enumerate(zip(slides, pages, strict=True), start=1):
        for line in slide.splitlines():
            assert normalise(line) in normalise(page), f"slide {number}: {line!r} not in PDF"


def test_slides_have_a_title_a_short_body_and_some_notes() -> None:
    prs = Presentation(str(CORPUS / SLIDES_PPTX))
    for number, slide in enumerate(prs.slides, start=1):
        assert slide.shapes.title is not None and slide.shapes.title.text.strip(), number
        body = [s.text_frame.text for s in slide.placeholders if s.placeholder_format.idx != 0]
        assert 0 < len(" ".join(body).split()) < 120, f"slide {number} body length"
    assert sum(1 for note in pptx_notes(CORPUS / SLIDES_PPTX) if note.strip()) >= 5


def test_handout_uses_heading_styles_and_asks_questions() -> None:
    doc = Document(str(CORPUS / HANDOUT))
    styles = [p.style.name for p in doc.paragraphs if p.text.strip()]
    assert styles.count("Heading 1") == 1 and styles.count("Heading 2") >= 5
    assert sum(p.text.strip().endswith("?") for p in doc.paragraphs) >= 15


def test_typography_survives_extraction() -> None:
    primer = "".join(pdf_pages(CORPUS / PRIMER))
    for char in "\u2019\u201c\u201d\u2013£":
        assert char in primer, f"{char!r} lost in the primer PDF"
    assert "Rogers\u2019 core conditions" in "".join(pdf_pages(CORPUS / SLIDES_PDF))


def test_primer_paragraphs_stay_short() -> None:
    """Sections in short paragraphs, so each fits the embedding model's ~250 word pieces."""
    source = (CORPUS / "src" / "primer.md").read_text(encoding="utf-8")
    blocks = [b for b in re.split(r"\n\s*\n", source) if not b.lstrip().startswith(("#", "-"))]
    assert max(len(block.split()) for block in blocks) <= 150


# ---------------------------------------------------------------- glossary


def test_glossary_has_complete_entries(glossary: dict) -> None:
    concepts, chapters = glossary["concepts"], {c["id"]: c for c in glossary["chapters"]}
    assert len(concepts) >= 30
    assert len({c["id"] for c in concepts}) == len(concepts)
    for concept in concepts:
        assert concept["term"] and isinstance(concept["aliases"], list), concept["id"]
        definition = concept["definition"]
        assert definition.endswith(".") and not re.search(r"\. [A-Z]", definition), concept["id"]
        chapter = chapters[concept["chapter"]]
        assert "vignette" in chapter and "fictional" in chapter["vignette"]["title"]
        assert 2 <= len(chapter["questions"]) <= 3, chapter["id"]
        assert {loc["file"] for loc in concept["locations"]} >= {PRIMER, SLIDES_PPTX}


def test_every_glossary_location_shows_the_term(glossary: dict) -> None:
    texts = {
        PRIMER: pdf_pages(CORPUS / PRIMER),
        SLIDES_PDF: pdf_pages(CORPUS / SLIDES_PDF),
        SLIDES_PPTX: pptx_slides(CORPUS / SLIDES_PPTX),
    }
    missing = []
    for concept in glossary["concepts"]:
        names = [normalise(n) for n in [concept["term"], *concept["aliases"]]]
        for loc in concept["locations"]:
            text = normalise(texts[loc["file"]][(loc.get("page") or loc["slide"]) - 1])
            if not any(name in text for name in names):
                missing.append(f"{concept['term']} @ {loc}")
    assert not missing


def test_definitions_are_explained_on_the_primer_page(glossary: dict) -> None:
    """The named primer page has the section heading and fits the definition best of all pages."""
    pages = pdf_pages(CORPUS / PRIMER)
    vocab = [set(words(page)) for page in pages]
    for concept in glossary["concepts"]:
        loc = next(loc for loc in concept["locations"] if loc["file"] == PRIMER)
        assert normalise(loc["section"]) in normalise(pages[loc["page"] - 1]), concept["id"]
        content = {w for w in words(concept["definition"]) if len(w) > 3}
        scores = [len(content & page) / len(content) for page in vocab]
        assert scores[loc["page"] - 1] >= 0.7, f"{concept['id']}: definition not on its page"
        assert scores[loc["page"] - 1] == max(scores), f"{concept['id']}: another page fits better"


def test_vignette_pages_are_right(glossary: dict) -> None:
    pages = pdf_pages(CORPUS / PRIMER)
    used = {concept["chapter"] for concept in glossary["concepts"]}
    for chapter in (c for c in glossary["chapters"] if c["id"] in used):
        vignette = chapter["vignette"]
        page = normalise(pages[vignette["page"] - 1])
        assert normalise(vignette["title"]) in page and normalise(vignette["text"])[:60] in page


# ---------------------------------------------------------------- originality


def reference_titles() -> list[str]:
    """Titles from the primer's reference list, skipped when comparing with the seed documents."""
    source = (CORPUS / "src" / "primer.md").read_text(encoding="utf-8")
    references = source.split("# References", 1)[1]
    return re.findall(r"\(\d{4}\) ([^.]+)\.", references) + ["BASW England", "80:20 campaign"]


def our_texts() -> list[str]:
    primer = list(pdf_pages(CORPUS / PRIMER))
    start = next(i for i, page in enumerate(primer) if page.startswith("References"))
    return (
        primer[:start]
        + extracted(CORPUS / SLIDES_PPTX)
        + list(pdf_pages(CORPUS / SLIDES_PDF))
        + [docx_text(CORPUS / HANDOUT)]
    )


def seed_texts() -> list[str]:
    """Seed PDF pages without their reference lists (link lines)."""
    pages = [text for pdf in sorted(SEED_CORPUS.glob("*.pdf")) for text in pdf_pages(pdf)]
    return [
        "\n".join(ln for ln in p.splitlines() if "http" not in ln and "www." not in ln)
        for p in pages
    ]


def test_overlap_check_catches_a_copied_sentence() -> None:
    theirs = ["They said the quick brown fox jumps over the lazy dog every single morning."]
    copied = ["Our text: the quick brown fox jumps over the lazy dog every day."]
    assert shared_passages(copied, theirs, skip=[])
    assert not shared_passages(copied, theirs, skip=["quick brown fox"])
    assert not shared_passages(["A quick fox and a lazy dog met in the morning."], theirs, skip=[])


@pytest.mark.skipif(not SEED_CORPUS.is_dir(), reason="shared seed corpus not available")
def test_no_passage_is_lifted_from_the_seed_documents() -> None:
    overlaps = shared_passages(our_texts(), seed_texts(), skip=reference_titles())
    assert not overlaps, sorted(overlaps)


def test_ingest_skips_the_sources_readme_and_glossary() -> None:
    """`rbp-assistant ingest corpus` sees only the built course material (corpus/.rbpignore)."""
    from assistant.ingest.run import discover

    found, _ = discover([CORPUS])
    names = sorted(path.relative_to(root).as_posix() for root, path in found)
    assert names == sorted([PRIMER, SLIDES_PPTX, SLIDES_PDF, HANDOUT])
