"""Page and slide references in questions: what they name, what is left after removing them, and
how retrieval, abstention and answers use them."""

from __future__ import annotations

import pytest

from assistant.guards.abstention import rule_decision
from assistant.query.locations import named_locations, strip_locations
from assistant.records import Locations, last_numbers
from assistant.retrieve.retriever import Retriever, quotable
from assistant.settings import Settings
from tests.test_retrieval import retriever  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    ("question", "numbers", "last"),
    [
        ("What is on slide 14?", {14}, False),
        ("Summarise slides 11 and 12", {11, 12}, False),
        ("What do pages 2-4 say?", {2, 3, 4}, False),
        ("Compare slides 3, 5 & 8", {3, 5, 8}, False),
        ("See p. 7", {7}, False),
        ("Which questions does the first slide raise?", {1}, False),
        ("What does the opening slide ask?", {1}, False),
        ("Who is named on the title slide?", {1}, False),
        ("What is on the 3rd slide?", {3}, False),
        ("What does the closing slide list?", set(), True),
        ("What does the last page say about pay?", set(), True),
    ],
)
def test_named_locations(question: str, numbers: set[int], last: bool) -> None:
    where = named_locations(question)
    assert where.numbers == numbers and where.last is last and bool(where)


@pytest.mark.parametrize(
    "question",
    [
        "When was the book first published?",  # "first" without slide/page
        "Which magazine, page and issue?",  # "page" without a number
        "What does the 80:20 slide deck say?",  # a ratio, not a slide number
        "What is on slides 80:20?",
        "What do pages 1-200 cover?",  # a range this long names the whole document
        "What is the IDEAS model?",
    ],
)
def test_no_location_named(question: str) -> None:
    assert not named_locations(question)


def test_strip_locations_takes_the_words_leading_to_the_reference() -> None:
    assert strip_locations("What is on slide 14?").split() == ["What", "is", "?"]
    assert strip_locations("What does the opening slide ask?").split() == ["What", "does", "ask?"]
    assert strip_locations("What is the IDEAS model?") == "What is the IDEAS model?"


def test_last_means_each_documents_own_last_page() -> None:
    last = last_numbers([("a.pdf", 3), ("a.pdf", 9), ("b.pptx", 4), ("c.docx", None)])
    assert last == {"a.pdf": 9, "b.pptx": 4}
    where = Locations(last=True)
    assert where.matches(9, last["a.pdf"]) and not where.matches(4, last["a.pdf"])
    assert not Locations(frozenset({2})).matches(None, None)


def test_a_named_slide_comes_first_even_when_no_word_matches(retriever: Retriever) -> None:  # noqa: F811
    result = retriever.retrieve("What is on page 14?")
    assert result.query == "What is?"
    assert result.hits[0].chunk_id == "deck.pdf#p14"
    assert "location" in result.hits[0].scores
    assert [h.chunk_id for h in quotable(result.hits)] == ["deck.pdf#p14"]


def test_the_named_page_comes_before_the_one_the_words_point_at(
    retriever: Retriever,  # noqa: F811
) -> None:
    question = "What does page 2 say about Kadushin supervision?"
    hits = retriever.search(question)  # z-score fusion: the named page reaches the top
    assert hits[0].chunk_id == "deck.pdf#p2" and "location" not in hits[1].scores
    # rank fusion: dense and BM25 both rank page 12 first (1/3 + 1.5/3, plus 1.5/3 as a
    # dominant BM25 winner); the named page gets as much as both first places (2.5/3)
    retriever.settings.fusion, retriever.settings.bm25_weight = "rrf", 1.5
    hits = retriever.search(question)
    assert hits[0].chunk_id == "deck.pdf#p2"
    assert hits[1].number == 12 and "location" not in hits[1].scores


def test_without_a_location_every_hit_is_quotable(retriever: Retriever) -> None:  # noqa: F811
    hits = retriever.search("Kadushin supervision")
    assert quotable(hits) == hits and not any("location" in h.scores for h in hits)


def test_a_found_location_is_evidence_but_an_unknown_name_still_wins(
    retriever: Retriever,  # noqa: F811
) -> None:
    rules = ["located", "unknown_name"]
    located = retriever.retrieve("What is on slide 2?", both=True)
    located.hits[0].scores.setdefault("location", 1.0)
    assert rule_decision(located, retriever.lexical, rules) is False
    located.query = "What does Munro say on slide 2?"
    assert rule_decision(located, retriever.lexical, rules) is True


def test_longest_range_is_a_setting() -> None:
    assert not named_locations("What is on pages 3-30?")
    wide = named_locations("What is on pages 3-30?", max_range=30)
    assert wide.numbers == frozenset(range(3, 31))
    assert Settings().location_max_range == 20
