"""Chunking rules with a word-counting budget: no page spans, lists whole, budget never exceeded."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pytest
from langchain_core.documents import Document

from assistant.ingest.chunking import chunk_documents, context_header, embedding_text
from tests.fakes import KeywordEmbeddings


@dataclass
class WordBudget:
    """Counts words plus 2 (like [CLS]/[SEP]), so counts of pieces do not simply add up."""

    max_tokens: int = 64

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2


def page(text: str, number: int = 1, **extra) -> Document:
    meta = {
        "source": "guides/guide.pdf",
        "file_name": "guide.pdf",
        "doc_title": "Guide",
        "kind": "pdf",
        "page": number,
        "section": "Intro",
        "is_notes": False,
    }
    meta.update(extra)
    return Document(page_content=text, metadata=meta)


def slide(text: str, number: int = 1, notes: bool = False) -> Document:
    meta = {
        "source": "deck.pptx",
        "file_name": "deck.pptx",
        "doc_title": "Deck",
        "kind": "pptx",
        "slide": number,
        "slide_title": "Endings",
        "is_notes": notes,
    }
    return Document(page_content=text, metadata=meta)


def words(n: int, stem: str = "w") -> str:
    return " ".join(f"{stem}{i}" for i in range(n))


def sentences(n: int, length: int = 9, stem: str = "s") -> str:
    return " ".join(f"{words(length, f'{stem}{k}x')}." for k in range(n))


def assert_within_budget(chunks: list[Document], budget) -> None:
    for c in chunks:
        assert budget.count_tokens(embedding_text(c)) <= budget.max_tokens, c.page_content


def assert_lossless(doc: Document, chunks: list[Document]) -> None:
    """Chunks are consecutive, non-overlapping slices of the page: every word once, in order."""
    assert " ".join(c.page_content for c in chunks).split() == doc.page_content.split()
    for c in chunks:
        assert c.page_content in doc.page_content


# ---------------------------------------------------------------------------------------------


def test_chunks_never_span_pages_and_keep_their_page() -> None:
    budget = WordBudget()
    docs = [page("Alpha one.\n\nAlpha two.", 1), page("Beta one.\n\nBeta two.", 2)]
    chunks = chunk_documents(docs, budget, target_tokens=40)
    assert [(c.metadata["page"], c.page_content) for c in chunks] == [
        (1, "Alpha one.\n\nAlpha two."),
        (2, "Beta one.\n\nBeta two."),
    ]


def test_short_slide_stays_whole_even_above_target() -> None:
    budget = WordBudget(max_tokens=64)
    text = "Endings\n• " + "\n• ".join(words(5, f"b{i}x") for i in range(8))  # 49 words
    chunks = chunk_documents([slide(text)], budget, target_tokens=20)
    assert [c.page_content for c in chunks] == [text]


def test_long_slide_is_split_but_stays_on_its_slide() -> None:
    budget = WordBudget(max_tokens=40)
    text = "Endings\n" + "\n\n".join(sentences(2, stem=f"p{i}") for i in range(4))
    doc = slide(text, number=7)
    chunks = chunk_documents([doc], budget, target_tokens=30)
    assert len(chunks) > 1
    assert {c.metadata["slide"] for c in chunks} == {7}
    assert [c.metadata["chunk_index"] for c in chunks] == list(range(len(chunks)))
    assert_lossless(doc, chunks)
    assert_within_budget(chunks, budget)


def test_bullet_list_kept_whole_when_it_fits() -> None:
    budget = WordBudget(max_tokens=64)
    bullets = "\n".join(f"- {words(6, f'item{i}x')}" for i in range(7))  # 49 words
    text = f"{sentences(2, stem='intro')}\n\n{bullets}\n\n{sentences(2, stem='outro')}"
    doc = page(text)
    chunks = chunk_documents([doc], budget, target_tokens=25)
    assert sum(bullets in c.page_content for c in chunks) == 1
    assert_lossless(doc, chunks)
    assert_within_budget(chunks, budget)


def test_bullet_list_found_inside_pdf_text_without_blank_lines() -> None:
    budget = WordBudget(max_tokens=64)
    bullets = "\n".join(f"• {words(6, f'item{i}x')}" for i in range(7))
    text = f"{sentences(4, stem='intro')}\n{bullets}\n{sentences(4, stem='outro')}"
    doc = page(text)
    chunks = chunk_documents([doc], budget, target_tokens=25)
    assert sum(bullets in c.page_content for c in chunks) == 1
    assert_lossless(doc, chunks)
    assert_within_budget(chunks, budget)


def test_oversize_list_is_cut_between_items_only() -> None:
    budget = WordBudget(max_tokens=30)
    items = [f"- {words(6, f'item{i}x')}" for i in range(12)]
    doc = page("\n".join(items))
    chunks = chunk_documents([doc], budget, target_tokens=25)
    assert len(chunks) > 1
    for c in chunks:
        assert all(line in items for line in c.page_content.split("\n"))
    assert_lossless(doc, chunks)
    assert_within_budget(chunks, budget)


def test_long_paragraph_split_on_sentences() -> None:
    budget = WordBudget(max_tokens=40)
    doc = page(sentences(12))
    chunks = chunk_documents([doc], budget, target_tokens=30)
    assert len(chunks) >= 4
    assert all(c.page_content.endswith(".") for c in chunks)
    assert_lossless(doc, chunks)
    assert_within_budget(chunks, budget)


def test_giant_sentence_and_giant_word_still_fit() -> None:
    budget = WordBudget(max_tokens=20)
    doc = page(words(100) + " " + "x" * 5000)
    chunks = chunk_documents([doc], budget, target_tokens=15)
    assert_within_budget(chunks, budget)
    assert_lossless(doc, chunks)


def test_heading_stays_with_following_text() -> None:
    budget = WordBudget(max_tokens=40)
    text = "\n\n".join(f"## Heading {i}\n\n{sentences(2, stem=f'h{i}')}" for i in range(4))
    doc = page(text, kind="md")
    chunks = chunk_documents([doc], budget, target_tokens=30)
    assert len(chunks) > 1
    for c in chunks:
        assert not c.page_content.split("\n")[-1].startswith("#"), c.page_content
        assert c.page_content.startswith("## Heading")
    assert_lossless(doc, chunks)


def test_small_blocks_merge_up_to_target() -> None:
    budget = WordBudget(max_tokens=64)
    doc = page("\n\n".join(words(4, f"para{i}x") for i in range(10)))  # 10 blocks of 4 words
    chunks = chunk_documents([doc], budget, target_tokens=20)
    sizes = [budget.count_tokens(embedding_text(c)) for c in chunks]
    assert len(chunks) < 10
    assert all(size <= 20 for size in sizes)
    assert_lossless(doc, chunks)


@pytest.mark.parametrize("max_tokens", [16, 24, 40, 64, 128])
def test_budget_never_exceeded_on_mixed_structure(max_tokens: int) -> None:
    budget = WordBudget(max_tokens=max_tokens)
    parts = [
        "# Title line",
        sentences(3),
        "\n".join(f"* {words(i + 2, f'l{i}x')}" for i in range(9)),
        "Setext heading\n--------------",
        sentences(1, length=60),
        "1. first numbered\n2. second numbered item\n   with indented continuation",
        words(3),
    ]
    doc = page("\n\n".join(parts), kind="md", doc_title="A rather long document title here")
    chunks = chunk_documents([doc], budget, target_tokens=max_tokens * 3 // 4)
    assert_within_budget(chunks, budget)
    assert_lossless(doc, chunks)


def test_fake_embedder_budget_is_accepted() -> None:
    fake = KeywordEmbeddings(["x"])
    doc = page(sentences(30))
    chunks = chunk_documents([doc], fake)
    assert len(chunks) > 1
    assert_within_budget(chunks, fake)


def test_metadata_ids_hashes_and_context() -> None:
    budget = WordBudget(max_tokens=40)
    doc = page(sentences(6), number=3, page_label="iii")
    chunks = chunk_documents([doc], budget, target_tokens=30)
    for i, c in enumerate(chunks):
        m = c.metadata
        digest = hashlib.sha256(c.page_content.encode()).hexdigest()
        assert m["content_hash"] == digest
        assert m["chunk_index"] == i
        assert m["chunk_id"] == f"guides/guide.pdf#p3-{i}-{digest[:12]}"
        assert m["context"] == "Guide — Intro"
        assert m["page"] == 3 and m["page_label"] == "iii" and m["section"] == "Intro"
        assert embedding_text(c) == "Guide — Intro\n" + c.page_content
    assert len({c.metadata["chunk_id"] for c in chunks}) == len(chunks)


def test_ids_are_stable_and_local_to_their_page() -> None:
    budget = WordBudget(max_tokens=40)
    docs = [page(sentences(6, stem="a"), 1), page(sentences(6, stem="b"), 2)]
    first = [c.metadata["chunk_id"] for c in chunk_documents(docs, budget)]
    again = [c.metadata["chunk_id"] for c in chunk_documents(docs, budget)]
    assert first == again
    changed = [docs[0], page(sentences(6, stem="c"), 2)]
    after = [c.metadata["chunk_id"] for c in chunk_documents(changed, budget)]
    page1 = [i for i in first if "#p1-" in i]
    assert page1 and [i for i in after if "#p1-" in i] == page1
    assert not set(i for i in first if "#p2-" in i) & set(after)


def test_speaker_notes_get_their_own_ids_and_context() -> None:
    budget = WordBudget()
    chunks = chunk_documents([slide("Endings\nSay goodbye"), slide("Say it", notes=True)], budget)
    ids = [c.metadata["chunk_id"] for c in chunks]
    assert re.fullmatch(r"deck\.pptx#s1-0-[0-9a-f]{12}", ids[0])
    assert re.fullmatch(r"deck\.pptx#s1n-0-[0-9a-f]{12}", ids[1])
    assert chunks[1].metadata["context"] == "Deck — Endings (speaker notes)"
    assert chunks[1].metadata["is_notes"] is True


def test_context_header_skips_duplicates_and_blanks() -> None:
    assert context_header({"doc_title": "Deck", "slide_title": "Deck"}) == "Deck"
    assert context_header({"doc_title": "Guide", "section": ""}) == "Guide"
    assert context_header({"file_name": "x.md", "section": "Part"}) == "x.md — Part"


def test_context_header_skips_a_first_line_that_repeats_part_of_the_title() -> None:
    title = "Relational work – for Practice Week 2019"
    assert context_header({"doc_title": title, "section": "Relational  work – for"}) == title
    assert context_header({"doc_title": "Caregiving", "section": "Care"}) == "Caregiving — Care"


def test_overlong_header_is_trimmed_to_leave_room() -> None:
    budget = WordBudget(max_tokens=20)
    doc = page(sentences(3), doc_title=words(40, "t"))
    chunks = chunk_documents([doc], budget, target_tokens=15)
    assert chunks and all(budget.count_tokens(c.metadata["context"]) <= 5 for c in chunks)
    assert_within_budget(chunks, budget)
    assert_lossless(doc, chunks)


def test_empty_document_gives_no_chunks() -> None:
    assert chunk_documents([page("  \n ")], WordBudget()) == []
