"""Fitting the extractive answerer's weights: features, the logistic fit, thresholds, the file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.features import (
    FEATURES,
    AnswerWeights,
    asks_definition,
    asks_list,
    load_weights,
    weights_path,
)
from assistant.evaluate import fit_answers as fitting
from assistant.records import Hit
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings

PAGES = [
    (
        "What is supervision for?",
        ("safe practice",),
        "Supervision happens monthly in most teams. Supervision is for safe practice and "
        "learning. Teams vary in how they record it.",
    ),
    (
        "What does reflection need?",
        ("time and space",),
        "Reflection is a habit. Reflection needs time and space to happen. Some teams use "
        "groups for it.",
    ),
    (
        "What do endings need?",
        ("planning",),
        "Endings are part of the work. Endings need planning with the person. Many workers find "
        "endings hard.",
    ),
    (
        "What does trust need?",
        ("reliability",),
        "Trust is built over time. Trust needs reliability above all. Families notice broken "
        "promises.",
    ),
]


def _samples(settings: Settings) -> list[fitting.Sample]:
    vocab = ["supervision", "reflection", "endings", "trust", "need", "needs", "for"]
    answerer = ExtractiveAnswerer(settings, KeywordEmbeddings(vocab), weights=fitting._unfitted())
    samples = []
    for n, (question, keywords, text) in enumerate(PAGES):
        hits = [Hit(f"c{n}", text, "a.pdf", "a.pdf", "A", page=n + 1)]
        cands, matrix = answerer.candidates(question, hits)
        labels = fitting._labels(cands, keywords)
        samples.append(fitting.Sample(question, keywords, cands, matrix, labels))
    return samples


def test_fit_learns_to_put_the_answering_sentence_first(settings: Settings) -> None:
    samples = _samples(settings)
    assert all(s.labels.sum() == 1 for s in samples)
    weights = fitting.fit(samples, "fake", ["toy.jsonl"])
    assert weights.features == list(FEATURES) and weights.fitted_on == ["toy.jsonl"]
    for s in samples:  # on its own tune data the model ranks the keyword sentence first
        assert s.labels[int(np.argmax(weights.probabilities(s.matrix)))] == 1
    assert weights.keep in fitting.KEEP_GRID and weights.budget in fitting.BUDGET_GRID
    assert weights.tune_figures["first"] == 1.0
    assert weights.tune_figures["median_words"] <= fitting.MEDIAN_WORDS


def test_ranking_pairs_weigh_each_question_once() -> None:
    first = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    second = np.array([[2.0, 2.0], [1.0, 1.0]])
    x, y, w = fitting._pairs([first, second], [np.array([1, 0, 0]), np.array([0, 1])])
    assert x.shape == (6, 2) and list(y) == [1, 1, 0, 0, 1, 0]
    assert np.allclose(x[:2], [[1.0, -1.0], [1.0, 0.0]]) and np.allclose(x[4], [-1.0, -1.0])
    assert np.isclose(w[:4].sum(), 1.0) and np.isclose(w[4:].sum(), 1.0)
    one_sided = fitting._pairs([first, second], [np.array([0, 0, 0]), np.array([0, 1])])[0]
    assert len(one_sided) == 2  # a question without an answering unit has no pairs


def test_the_pooled_fit_also_ranks_the_answer_first(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fitting, "RANKING", False)
    samples = _samples(settings)
    weights = fitting.fit(samples, "fake", ["toy.jsonl"])
    for s in samples:
        assert s.labels[int(np.argmax(weights.probabilities(s.matrix)))] == 1


def test_a_lead_in_is_labelled_by_what_it_introduces(settings: Settings) -> None:
    answerer = ExtractiveAnswerer(settings, weights=fitting._unfitted())
    text = "The guidance defines safeguarding as:\nProtecting a right to live in safety."
    cands, _ = answerer.candidates("How is safeguarding defined?", [Hit("c", text, "a", "a", "A")])
    assert list(fitting._labels(cands, ["live in safety"])) == [1, 1]


def test_weights_file_round_trip_and_names(tmp_path: Path) -> None:
    n = len(FEATURES)
    weights = AnswerWeights("e5-small", list(FEATURES), [0.0] * n, [1.0] * n, [0.5] * n, -1.0)
    path = weights_path("e5-small", tmp_path)
    assert path.name == "e5-small.json"
    assert weights_path("/models/My Model", tmp_path).name == "my-model.json"
    weights.save(path)
    again = load_weights("e5-small", tmp_path)
    assert again == weights
    probs = again.probabilities(np.ones((2, n)))
    assert probs.shape == (2,) and np.allclose(probs, 1 / (1 + np.exp(-(0.5 * n - 1.0))))
    assert load_weights("other", tmp_path / "empty") is None


def test_weights_for_other_features_are_refused() -> None:
    weights = AnswerWeights("x", ["lexical"], [0.0], [1.0], [1.0], 0.0)
    with pytest.raises(ValueError, match="refit"):
        weights.probabilities(np.ones((1, len(FEATURES))))


@pytest.mark.parametrize(
    ("question", "is_list", "is_definition"),
    [
        ("What are the six principles of safeguarding?", True, False),
        ("What are Tronto's elements of care?", True, False),
        ("What is emotional labour?", False, True),
        ("Who developed motivational interviewing?", False, False),
    ],
)
def test_question_shapes(question: str, is_list: bool, is_definition: bool) -> None:
    assert asks_list(question) is is_list
    assert asks_definition(question) is is_definition


def test_a_refit_in_the_data_dir_wins_over_the_shipped_weights(
    tmp_path: Path, settings: Settings
) -> None:
    n = len(FEATURES)
    refit = AnswerWeights("e5-small", list(FEATURES), [0.0] * n, [1.0] * n, [0.0] * n, 3.0)
    refit.save(weights_path("e5-small", settings.data_dir / "answer-weights"))
    assert load_weights("e5-small", refits=[settings.data_dir / "answer-weights"]) == refit
    assert load_weights("e5-small") != refit  # the shipped file
    e5 = settings.model_copy(update={"embedding_model": "e5-small"})
    assert ExtractiveAnswerer(e5).weights == refit
