"""Metric functions against cases computed by hand."""

from __future__ import annotations

import math

import pytest

from assistant.evaluate import metrics

A1, A2, A3 = ("a.pdf", 1), ("a.pdf", 2), ("a.pdf", 3)
B1, B2 = ("b.pdf", 1), ("b.pdf", 2)


def test_first_relevant_rank_is_position_of_first_match() -> None:
    assert metrics.first_relevant_rank([B1, A3, A2, A1], {A2, A1}) == 3
    assert metrics.first_relevant_rank([A1], {A1}) == 1


def test_no_match_gives_no_rank_and_zero_scores() -> None:
    scores = metrics.retrieval_scores([B1, B2, A3], {A1})
    assert metrics.first_relevant_rank([B1, B2, A3], {A1}) is None
    assert set(scores.values()) == {0.0}


def test_same_page_of_another_file_does_not_match() -> None:
    assert metrics.first_relevant_rank([B1], {A1}) is None


def test_duplicate_chunks_of_one_page_each_take_a_position() -> None:
    # two chunks of b.pdf p1 before the relevant page: rank 3, not 2
    assert metrics.first_relevant_rank([B1, B1, A1], {A1}) == 3


def test_recall_at_k_thresholds() -> None:
    assert metrics.recall_at_k(3, 1) == 0.0
    assert metrics.recall_at_k(3, 3) == 1.0
    assert metrics.recall_at_k(3, 5) == 1.0
    assert metrics.recall_at_k(None, 10) == 0.0


def test_reciprocal_rank_is_cut_at_k() -> None:
    assert metrics.reciprocal_rank(4) == 0.25
    assert metrics.reciprocal_rank(11, k=10) == 0.0


def test_retrieval_scores_rank_two() -> None:
    scores = metrics.retrieval_scores([B1, A1, B2], {A1})
    assert scores["recall@1"] == 0.0
    assert scores["recall@3"] == scores["recall@5"] == scores["recall@10"] == 1.0
    assert scores["mrr@10"] == 0.5
    # one relevant key: ideal DCG = 1; DCG = 1/log2(3)
    assert scores["ndcg@10"] == pytest.approx(1 / math.log2(3))


def test_ndcg_multi_page_answer() -> None:
    # relevant {A1, A2}; found at positions 1 and 3
    dcg = 1 / math.log2(2) + 1 / math.log2(4)
    ideal = 1 / math.log2(2) + 1 / math.log2(3)
    assert metrics.ndcg_at_k([A1, B1, A2], {A1, A2}) == pytest.approx(dcg / ideal)
    # only one of two pages found at rank 1: 1 / (1 + 1/log2(3))
    assert metrics.ndcg_at_k([A2, B1], {A1, A2}) == pytest.approx(1 / ideal)


def test_ndcg_duplicates_earn_no_gain_and_stay_at_most_one() -> None:
    assert metrics.ndcg_at_k([A1, A1, A1], {A1}) == 1.0
    assert metrics.ndcg_at_k([B1, A1, A1], {A1}) == pytest.approx(1 / math.log2(3))


def test_ndcg_ideal_is_capped_at_k() -> None:
    relevant = {("a.pdf", p) for p in range(1, 6)}
    # k=2 with 5 relevant pages: perfect top-2 is a perfect score
    assert metrics.ndcg_at_k([A1, A2, B1], relevant, k=2) == pytest.approx(1.0)
    # a relevant page beyond k does not count
    assert metrics.ndcg_at_k([B1, B2, A1], {A1}, k=2) == 0.0


def test_ties_in_score_are_resolved_by_list_order() -> None:
    # metrics never see scores: equal-scored hits keep the retriever's order
    assert metrics.first_relevant_rank([B1, A1], {A1}) == 2
    assert metrics.first_relevant_rank([A1, B1], {A1}) == 1


def test_ndcg_without_relevant_pages_is_zero() -> None:
    assert metrics.ndcg_at_k([A1], set()) == 0.0


def test_mean_of_empty_is_zero() -> None:
    assert metrics.mean([]) == 0.0
    assert metrics.mean([1.0, 0.0, 0.5]) == 0.5


def test_keyword_coverage_case_and_whitespace_insensitive() -> None:
    text = "Supervision is\nAdministrative, educative   and Supportive [1]."
    assert metrics.keyword_coverage(text, ["administrative", "Educative and supportive"]) == 1.0
    assert metrics.keyword_coverage(text, ["Administrative", "Mediative", "x", "y"]) == 0.25
    assert metrics.keyword_coverage("anything", []) == 1.0


def test_keyword_coverage_treats_curly_apostrophe_as_straight() -> None:
    assert metrics.keyword_coverage("the child\u2019s voice", ["child's voice"]) == 1.0


def test_cites_expected() -> None:
    assert metrics.cites_expected([B1, A2], [A1, A2])
    assert not metrics.cites_expected([B1], [A1])
    assert not metrics.cites_expected([], [A1])


def test_abstention_scores() -> None:
    # answered/answerable, abstained/answerable, abstained/unanswerable, answered/unanswerable
    scores = metrics.abstention_scores([False, True, True, False], [True, True, False, False])
    assert scores == {
        "abstention_precision": 0.5,
        "abstention_recall": 0.5,
        "false_abstention_rate": 0.5,
    }


def test_abstention_scores_undefined_parts_are_none() -> None:
    scores = metrics.abstention_scores([False, False], [True, True])
    assert scores["abstention_precision"] is None
    assert scores["abstention_recall"] is None
    assert scores["false_abstention_rate"] == 0.0


def test_abstention_scores_length_mismatch() -> None:
    with pytest.raises(ValueError):
        metrics.abstention_scores([True], [True, False])


def test_percentile_nearest_rank() -> None:
    assert metrics.percentile([40, 10, 30, 20], 50) == 20
    assert metrics.percentile([40, 10, 30, 20], 95) == 40
    assert metrics.percentile(list(range(1, 21)), 95) == 19
    assert metrics.percentile([7], 50) == 7
    assert metrics.percentile([], 50) is None
    with pytest.raises(ValueError):
        metrics.percentile([1], 0)


# --- answer quality ----------------------------------------------------------------------------
def test_answer_quality_on_a_hand_made_answer() -> None:
    text = (
        "Relationship-based social work – for World Social Work Day 2019 [1] Relationship-based "
        "social work is not new. [1] Word " + " ".join(["word"] * 40) + " best of practice. [1]"
    )
    q = metrics.answer_quality(
        text,
        ["is not new", "best of practice"],
        ["Relationship-based social work – for World Social Work Day 2019"],
    )
    assert q["kw"] == 1.0 and q["kw40"] == 0.5  # the second fact comes after word 40
    assert q["first"] == 0.0  # the opening "sentence" is the title
    assert q["opens_with_heading"] and q["has_heading"]
    assert q["words"] == len(metrics.answer_words(text))
    assert not q["has_source_line"] and not q["has_fragment"]


def test_list_items_lead_ins_fragments_and_source_lines() -> None:
    text = "The four elements are: [1]\n- Attentiveness [1]\n- Responsibility [1]"
    pieces = metrics.answer_pieces(text)
    assert pieces[0] == "The four elements are: - Attentiveness"  # a lead-in and its first item
    q = metrics.answer_quality(text, ["Attentiveness"])
    assert q["first"] == 1.0 and not q["has_heading"] and not q["has_fragment"]
    cut = metrics.answer_quality("people who may have common issues and causes [1]", ["x"])
    assert cut["has_fragment"]
    source = metrics.answer_quality("Care matters. [1] Source: https://x.org [1]", ["care"])
    assert source["has_source_line"]
    assert metrics.answer_quality("12 March 2024 [1] Care matters. [1]", [])["opens_with_heading"]


def test_an_initial_does_not_end_the_first_sentence() -> None:
    text = "MI was developed by William R. Miller and Stephen Rollnick. [1] It grew. [1]"
    assert metrics.answer_pieces(text)[0].endswith("Stephen Rollnick.")
    assert metrics.answer_quality(text, ["Stephen Rollnick"])["first"] == 1.0


def test_quality_summary_medians_and_shares() -> None:
    rows = [
        metrics.answer_quality("Alpha beta. [1]", ["alpha"]),
        metrics.answer_quality("Gamma delta epsilon. [1]", ["alpha"]),
        metrics.answer_quality("# Heading [1] Alpha. [1]", ["alpha"]),
    ]
    summary = metrics.quality_summary(rows)
    assert summary["kw"] == pytest.approx(2 / 3) and summary["first"] == pytest.approx(1 / 3)
    assert summary["median_words"] == 3 and summary["opens_with_heading_share"] == pytest.approx(
        1 / 3
    )
    assert metrics.quality_summary([]) == {"n": 0}
