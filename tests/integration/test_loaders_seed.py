"""Seed corpus with the real MiniLM tokenizer: exact page/slide numbers, no chunk over its limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.chunking import chunk_documents, embedding_text
from assistant.ingest.loaders import load_file
from tests.conftest import SEED_CORPUS, SEED_PPTX

pytestmark = pytest.mark.integration

DECK_PDF = SEED_CORPUS / "basw-8020-rbp-slides.pdf"
WEB_PDF = SEED_CORPUS / "basw-rbp-campaign-2019.pdf"
DECK_PPTX = SEED_PPTX / "basw-8020-rbp-slides.pptx"


def _need(*paths: Path) -> None:
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"seed corpus not present: {missing}")


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def test_web_page_pdf_has_exactly_three_pages() -> None:
    _need(WEB_PDF)
    docs = load_file(WEB_PDF, SEED_CORPUS)
    assert [d.metadata["page"] for d in docs] == [1, 2, 3]
    assert {d.metadata["source"] for d in docs} == {WEB_PDF.name}
    assert all(d.metadata["doc_title"] for d in docs)


def test_deck_pdf_and_pptx_have_thirty_matching_slides() -> None:
    _need(DECK_PDF, DECK_PPTX)
    pdf_pages = load_file(DECK_PDF, SEED_CORPUS)
    pptx_docs = load_file(DECK_PPTX, SEED_PPTX)
    slides = [d for d in pptx_docs if not d.metadata["is_notes"]]
    assert [d.metadata["page"] for d in pdf_pages] == list(range(1, 31))
    assert [d.metadata["slide"] for d in slides] == list(range(1, 31))
    for pdf_page, pptx_slide in zip(pdf_pages, slides, strict=True):
        title = pptx_slide.metadata["slide_title"]
        assert title, f"slide {pptx_slide.metadata['slide']} has no title"
        assert _flat(title) in _flat(pdf_page.page_content)
        # the same slide body: most of the slide's lines appear on the PDF page of that number
        lines = [ln for ln in pptx_slide.page_content.split("\n") if len(ln.split()) >= 3]
        found = [ln for ln in lines if _flat(ln.lstrip("• ")) in _flat(pdf_page.page_content)]
        assert len(found) >= 0.8 * len(lines), pptx_slide.metadata["slide"]


@pytest.mark.parametrize("path", [WEB_PDF, DECK_PDF, DECK_PPTX], ids=lambda p: p.name)
def test_no_chunk_exceeds_the_model_limit(path: Path, real_embeddings) -> None:
    _need(path)
    docs = load_file(path, path.parent)
    chunks = chunk_documents(docs, real_embeddings)
    limit = real_embeddings._client.max_seq_length
    assert real_embeddings.max_tokens == limit == 256
    counts = [real_embeddings.count_tokens(embedding_text(c)) for c in chunks]
    assert max(counts) <= limit
    assert len({c.metadata["chunk_id"] for c in chunks}) == len(chunks)
    numbers = {d.metadata.get("page", d.metadata.get("slide")) for d in docs}
    assert {c.metadata.get("page", c.metadata.get("slide")) for c in chunks} == numbers
    for chunk in chunks:  # stored text is the original page/slide text
        source = next(
            d
            for d in docs
            if d.metadata.get("page") == chunk.metadata.get("page")
            and d.metadata.get("slide") == chunk.metadata.get("slide")
            and d.metadata["is_notes"] == chunk.metadata["is_notes"]
        )
        assert chunk.page_content in source.page_content


def test_long_awkward_text_fits_the_real_tokenizer(real_embeddings) -> None:
    """Word pieces do not add up across pieces; every chunk is still checked with the model."""
    from langchain_core.documents import Document

    url = "https://example.org/" + "abcdefghij" * 80
    body = " ".join(
        f"Kadushin’s supervision triangle (1976) – item {i}: reflective-practice, co-production."
        for i in range(150)
    )
    text = f"# Heading\n\n{body}\n\n{url}\n\n" + "\n".join(
        f"• bullet {i} ünïcödé" for i in range(80)
    )
    meta = {
        "source": "x.md",
        "file_name": "x.md",
        "doc_title": "Très long titre " * 3,
        "kind": "md",
        "page": 1,
        "section": "Heading",
        "is_notes": False,
    }
    doc = Document(page_content=text, metadata=meta)
    chunks = chunk_documents([doc], real_embeddings)
    assert len(chunks) > 5
    for chunk in chunks:
        assert real_embeddings.count_tokens(embedding_text(chunk)) <= real_embeddings.max_tokens
    assert " ".join(c.page_content for c in chunks).split() == text.split()
