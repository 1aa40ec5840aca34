"""Fit the extractive answerer's weights on tune questions (``rbp-assistant fit-answers``).

For every answerable question of each (question file, corpus) pair the corpus is indexed (the
eval index, reused), the question is retrieved as the chat would retrieve it, and every quotable
unit of the hits becomes one training row (:mod:`assistant.answer.features`), labelled 1 when
it holds one of the question's answer keywords. A logistic regression is fitted on the rows; then
the selection thresholds (``keep``, ``list_keep``, ``budget``, ``list_words``) are picked on the
same questions by simulating the answers: the highest mean of kw, kw40 and first whose median
answer stays within :data:`MEDIAN_WORDS`. Nothing here runs when answering; the result is a
small JSON file.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer.edges import ChunkTable
from assistant.answer.extractive import Candidate, ExtractiveAnswerer, introduced, render, select
from assistant.answer.features import FEATURES, AnswerWeights, asks_list
from assistant.evaluate import metrics
from assistant.evaluate.testset import load_questions
from assistant.settings import Settings

#: The fitted answers' median length stays at or below this many words.
MEDIAN_WORDS = 60
KEEP_GRID = tuple(round(x, 2) for x in np.arange(0.1, 0.96, 0.05))
LIST_KEEP_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
BUDGET_GRID = (35, 45, 55, 65, 75)
LIST_WORDS_GRID = (0, 20, 35, 50)
#: Regularisation of the logistic regression (sklearn's C).
C = 1.0
#: Fit the weights as a ranking within each question (else one pooled classification).
RANKING = True


@dataclass
class Sample:
    """One tune question: its candidates, their features and labels, its keywords."""

    question: str
    keywords: tuple[str, ...]
    candidates: list[Candidate]
    matrix: np.ndarray
    labels: np.ndarray


def collect(
    pairs: Sequence[tuple[Path, Path]], settings: Settings, embeddings: Embeddings
) -> list[Sample]:
    """Samples for the answerable questions of every (question file, corpus folder) pair."""
    from assistant.evaluate.run import build_eval_index
    from assistant.pipeline import Assistant
    from assistant.retrieve.retriever import quotable

    samples: list[Sample] = []
    for questions_file, corpus in pairs:
        index_settings = build_eval_index(corpus, settings, embeddings)
        assistant = Assistant.from_settings(index_settings, embeddings=embeddings)
        answerer = ExtractiveAnswerer(
            index_settings,
            embeddings,
            assistant.retriever.lexical.idf,
            assistant.sentence_vectors,
            weights=_unfitted(),
            pages=functools.partial(_same, assistant.retriever.lexical),
        )
        for q in load_questions(questions_file):
            if not q.answerable:
                continue
            found = assistant.retriever.retrieve(q.question, None, None, both=True)
            hits = quotable(found.hits)
            cands, matrix = answerer.candidates(found.query, hits, found.query_vector)
            if not cands:
                continue
            labels = _labels(cands, q.answer_keywords)
            samples.append(Sample(q.question, q.answer_keywords, cands, matrix, labels))
    return samples


def _same(table: ChunkTable) -> ChunkTable:
    return table


def _unfitted() -> AnswerWeights:
    n = len(FEATURES)
    return AnswerWeights("none", list(FEATURES), [0.0] * n, [1.0] * n, [0.0] * n, 0.0)


def _labels(cands: list[Candidate], keywords: Sequence[str]) -> np.ndarray:
    """1 for a unit holding an answer keyword, or leading in (':') to what holds one."""
    ordered = sorted(cands, key=lambda c: c.key)
    labels = []
    for cand in cands:
        text = cand.unit.text
        if text.endswith(":"):
            text = " ".join([text, *(c.unit.text for c in introduced(cand, ordered))])
        labels.append(1 if metrics.keyword_coverage(text, keywords) > 0 else 0)
    return np.array(labels, dtype=np.int64)


def fit(samples: Sequence[Sample], embedder: str, sources: Sequence[str]) -> AnswerWeights:
    """The logistic model over all samples' rows, then the selection thresholds."""
    x = np.vstack([s.matrix for s in samples])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    coef, intercept = _fit_model(samples, mean, scale)
    weights = AnswerWeights(
        embedder=embedder,
        features=list(FEATURES),
        mean=[round(float(v), 6) for v in mean],
        scale=[round(float(v), 6) for v in scale],
        coef=[round(float(v), 6) for v in coef],
        intercept=round(intercept, 6),
        fitted_on=list(sources),
    )
    tune_thresholds(samples, weights)
    return weights


def _fit_model(
    samples: Sequence[Sample], mean: np.ndarray, scale: np.ndarray
) -> tuple[np.ndarray, float]:
    """Logistic weights over the standardised features. With :data:`RANKING` the direction is
    fitted on pairs (an answering unit against a non-answering one of the same question, each
    question weighing the same), which is what choosing the opening unit needs; then one scale
    and intercept map that score to a probability (Platt scaling on all units)."""
    from sklearn.linear_model import LogisticRegression

    z = [(s.matrix - mean) / scale for s in samples]
    labels = np.concatenate([s.labels for s in samples])
    if not RANKING:
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        model.fit(np.vstack(z), labels)
        return model.coef_[0], float(model.intercept_[0])
    x, y, w = _pairs(z, [s.labels for s in samples])
    ranker = LogisticRegression(C=C, fit_intercept=False, max_iter=5000)
    ranker.fit(x, y, sample_weight=w)
    direction = ranker.coef_[0]
    score = (np.vstack(z) @ direction)[:, None]
    platt = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(score, labels)
    return direction * float(platt.coef_[0][0]), float(platt.intercept_[0])


def _pairs(
    matrices: Sequence[np.ndarray], labels: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Differences (answering minus not, label 1; and the reverse, label 0) of every pair of
    units of one question, weighted so that each question counts once."""
    xs, ys, ws = [], [], []
    for matrix, label in zip(matrices, labels, strict=True):
        pos, neg = matrix[label == 1], matrix[label == 0]
        if not len(pos) or not len(neg):
            continue
        d = (pos[:, None, :] - neg[None, :, :]).reshape(-1, matrix.shape[1])
        xs += [d, -d]
        ys += [np.ones(len(d)), np.zeros(len(d))]
        ws += [np.full(2 * len(d), 1.0 / (2 * len(d)))]
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def simulate(samples: Sequence[Sample], weights: AnswerWeights) -> dict[str, float | int | None]:
    """Answer quality of ``weights`` on ``samples`` (as :func:`metrics.quality_summary`)."""
    return _figures(_ranked(samples, weights), weights, {})


def _ranked(samples: Sequence[Sample], weights: AnswerWeights) -> list[tuple[Sample, list]]:
    """Each sample with its candidates scored by ``weights``, best first."""
    out = []
    for s in samples:
        for cand, p in zip(s.candidates, weights.probabilities(s.matrix), strict=True):
            cand.score = float(p)
        out.append((s, sorted(s.candidates, key=lambda c: (-c.score, c.key))))
    return out


def _figures(
    ranked: list[tuple[Sample, list]], weights: AnswerWeights, memo: dict[tuple[int, str], dict]
) -> dict[str, float | int | None]:
    """Quality of the answers ``weights``' thresholds give (``memo``: figures by answer text)."""
    rows = []
    for n, (s, cands) in enumerate(ranked):
        text, _ = render(select(cands, weights, asks_list(s.question)))
        if (n, text) not in memo:
            memo[(n, text)] = metrics.answer_quality(text, s.keywords)
        rows.append(memo[(n, text)])
    summary = metrics.quality_summary(rows)
    summary["mean_words"] = float(np.mean([r["words"] for r in rows])) if rows else 0.0
    return summary


def tune_thresholds(samples: Sequence[Sample], weights: AnswerWeights) -> None:
    """Set ``keep``, ``list_keep``, ``budget`` and ``list_words`` to the grid point with the best
    mean of kw, kw40 and first whose median answer is at most :data:`MEDIAN_WORDS` words; of
    points equally good, the one giving the shortest answers (nothing is quoted that adds no
    key fact)."""
    best: tuple[tuple[float, float], dict[str, float | int | None]] | None = None
    choice = (weights.keep, weights.list_keep, weights.budget, weights.list_words)
    grid = itertools.product(KEEP_GRID, LIST_KEEP_GRID, BUDGET_GRID, LIST_WORDS_GRID)
    ranked = _ranked(samples, weights)
    memo: dict[tuple[int, str], dict] = {}
    for point in grid:
        weights.keep, weights.list_keep, weights.budget, weights.list_words = point
        figures = _figures(ranked, weights, memo)
        if float(figures["median_words"] or 0) > MEDIAN_WORDS:
            continue
        value = (
            round(sum(float(figures[k] or 0) for k in ("kw", "kw40", "first")), 6),
            -float(figures["mean_words"] or 0),
        )
        if best is None or value > best[0]:
            best, choice = (value, figures), point
    weights.keep, weights.list_keep, weights.budget, weights.list_words = choice
    if best is not None:
        weights.tune_figures = {
            k: round(float(v), 4) for k, v in best[1].items() if isinstance(v, int | float)
        }
