"""Fit the abstention model for one embedder and one corpus (``rbp-assistant calibrate``).

Training data is generated from the indexed corpus itself:

- answerable: for each sampled passage, a question about its most specific phrase (the run of
  content words with the highest IDF in one of its sentences), in one of a few question forms;
- (a) other topics: the questions in ``assistant/data/abstention/off-topic.txt``;
- (b) near-miss concepts: the same question forms about the concepts in
  ``assistant/data/abstention/near-miss.txt`` that no passage mentions;
- (c) left out: the answerable questions again, with the answering document (and its copies in
  other formats) left out of the index, kept only when no other document holds the phrase.

Labelled questions (``--questions``, eval format: ``source`` null when out of the materials) are
added to the training data, and the decision threshold is chosen on them: the lowest rate of
answered out-of-corpus questions with at most ``max_false`` answerable ones refused.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.guards.abstention import (
    CLIP_SD,
    DENSE_FEATURES,
    FEATURES,
    MODELS,
    AbstentionModel,
    model_slug,
    text_sentences,
)
from assistant.index.lexical import english_stopwords, spaced, words
from assistant.query.clean import QUERY_STOPWORDS
from assistant.records import twin_files

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

FORMS = (
    "What is {}?",
    "What do the materials say about {}?",
    "Why does {} matter in practice?",
    "How is {} described?",
    "Can you explain {}?",
)
#: Passages sampled for generated questions.
MAX_PASSAGES = 240
#: Questions generated from one passage at most (from different sentences).
PER_PASSAGE = 3
SEED = 23


@dataclass
class Example:
    """One training question: its features, whether the materials answer it, and the corpus it
    was asked of (``corpus``: the threshold weighs every corpus the same)."""

    question: str
    answerable: bool
    kind: str
    values: dict[str, float] = field(default_factory=dict)
    corpus: str = ""


def _lines(name: str) -> list[str]:
    text = (MODELS / name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def key_phrase(sentence: str, idf: Any) -> str | None:
    """The run of up to three consecutive content words of ``sentence`` with the highest total
    IDF (``idf`` maps a raw word to its IDF); None when no run has two words or more."""
    stop = english_stopwords() | QUERY_STOPWORDS
    runs: list[list[str]] = [[]]
    for word in words(sentence):
        if word in stop or word.isdigit() or len(word) < 3:
            runs.append([])
        else:
            runs[-1].append(word)
    windows = [run[i : i + 3] for run in runs for i in range(max(1, len(run) - 2))]
    windows = [w for w in windows if len(w) >= 2]
    if not windows:
        return None
    return " ".join(max(windows, key=lambda w: sum(idf(x) for x in w)))


def generated_questions(assistant: Assistant) -> list[tuple[str, str, str]]:
    """(question, source, phrase) for a sample of the corpus's passages."""
    index = assistant.retriever.lexical
    rng = random.Random(SEED)
    order = list(range(len(index.texts)))
    rng.shuffle(order)
    found = []
    for i in order[:MAX_PASSAGES]:
        sentences = [s for s in text_sentences(index.texts[i]) if len(s.split()) >= 6]
        if not sentences:
            continue
        source = str(index.metadatas[i].get("source", ""))
        for sentence in rng.sample(sentences, min(PER_PASSAGE, len(sentences))):
            phrase = key_phrase(sentence, index.word_idf)
            if phrase:
                found.append((rng.choice(FORMS).format(phrase), source, phrase))
    return found


def _holds(phrase: str, texts: Sequence[str]) -> bool:
    target = spaced(phrase)
    return any(target in text for text in texts)


def training_examples(
    assistant: Assistant, labelled: Sequence[tuple[str, bool]] = ()
) -> list[Example]:
    """Generated answerable and unanswerable questions, plus ``labelled`` (question, answerable),
    each with its :func:`~assistant.guards.abstention.features`."""
    index = assistant.retriever.lexical
    sources = [str(m.get("source", "")) for m in index.metadatas]
    texts = [spaced(t) for t in index.texts]
    rng = random.Random(SEED)
    examples: list[Example] = []
    for question, source, phrase in generated_questions(assistant):
        left_out = frozenset(s for s in set(sources) if s == source or twin_files(s, source))
        retrieval = assistant.retriever.retrieve(question, both=True)
        values = assistant.evidence(retrieval)
        examples.append(Example(question, True, "generated", values))
        elsewhere = [t for t, s in zip(texts, sources, strict=True) if s not in left_out]
        if not _holds(phrase, elsewhere):
            held = assistant.evidence(retrieval, left_out)
            examples.append(Example(question, False, "left-out", held))
    for question in _lines("off-topic.txt"):
        examples.append(Example(question, False, "other-topic", _values(assistant, question)))
    for concept in _lines("near-miss.txt"):
        if not _holds(concept, texts):
            question = rng.choice(FORMS).format(concept)
            examples.append(Example(question, False, "near-miss", _values(assistant, question)))
    return examples + labelled_examples(assistant, labelled)


def labelled_examples(assistant: Assistant, labelled: Sequence[tuple[str, bool]]) -> list[Example]:
    """``labelled`` (question, answerable) with their features."""
    return [Example(q, answerable, "labelled", _values(assistant, q)) for q, answerable in labelled]


def _values(assistant: Assistant, question: str) -> dict[str, float]:
    retrieval = assistant.retriever.retrieve(question, both=True)
    return assistant.evidence(retrieval)


def fit(
    examples: Sequence[Example],
    names: Sequence[str],
    tune: Sequence[Example],
    max_false: float,
    clip_sd: float = CLIP_SD,
) -> AbstentionModel:
    """A logistic regression on ``examples`` over ``names`` (standardised, clipped to
    ``clip_sd``), each (corpus, answerable) cell weighing the same; threshold chosen on ``tune``
    (or on the examples when there is none)."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[e.values[n] for n in names] for e in examples])
    y = np.array([e.answerable for e in examples])
    mean, scale = np.nanmean(x, axis=0), np.nanstd(x, axis=0)
    scale[scale < 1e-9] = 1.0
    x = np.where(np.isnan(x), mean, x)  # unmeasured features count as the mean
    lr = LogisticRegression(C=1.0, max_iter=5000)
    z = np.clip((x - mean) / scale, -clip_sd, clip_sd)
    lr.fit(z, y, sample_weight=cell_weights(examples))
    model = AbstentionModel(
        tuple(names), tuple(mean), tuple(scale), tuple(lr.coef_[0]), float(lr.intercept_[0]), 0.5
    )
    threshold = choose_threshold(model, tune or examples, max_false, clip_sd)
    return AbstentionModel(**{**model.__dict__, "threshold": threshold})


def cell_weights(examples: Sequence[Example]) -> np.ndarray:
    """Sample weights giving every (corpus, answerable) cell the same total weight (mean 1), so
    neither a large corpus nor the more numerous class dominates the fit."""
    cells = [(e.corpus, e.answerable) for e in examples]
    counts = {cell: cells.count(cell) for cell in set(cells)}
    return np.array([len(cells) / (len(counts) * counts[cell]) for cell in cells])


def choose_threshold(
    model: AbstentionModel, tune: Sequence[Example], max_false: float, clip_sd: float = CLIP_SD
) -> float:
    """The threshold refusing at most ``max_false`` of the answerable ``tune`` questions that
    answers the fewest unanswerable ones (the lowest such threshold on ties). Both rates are
    means over the corpora of ``tune`` (:attr:`Example.corpus`), each corpus weighing the same:
    a corpus with more labelled questions must not set the threshold for all."""
    probs = np.array([model.probability(e.values, clip_sd) for e in tune])
    labels = np.array([e.answerable for e in tune])
    groups = np.array([e.corpus for e in tune])
    best = (float("inf"), 0.5)
    for t in np.unique(np.concatenate([probs, [0.5]])):
        refused = probs < t
        false, answered_out = _macro(refused, labels, groups)
        if false <= max_false and (answered_out, -t) < (best[0], -best[1]):
            best = (answered_out, float(t))
    return best[1]


def _macro(refused: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
    """(answerable questions refused, unanswerable ones answered): each the mean over the
    groups that have such questions."""
    false, answered = [], []
    for group in np.unique(groups):
        mine = groups == group
        if (labels & mine).any():
            false.append(refused[labels & mine].mean())
        if (~labels & mine).any():
            answered.append((~refused[~labels & mine]).mean())
    return (float(np.mean(false)) if false else 0.0, float(np.mean(answered)) if answered else 0.0)


def fitted_data(
    examples: Sequence[Example],
    embedder: str,
    max_false: float,
    source_note: str,
    threshold_only: Sequence[Example] = (),
    clip_sd: float = CLIP_SD,
) -> dict[str, Any]:
    """The model file's data for ``examples``: the "full" and "dense" models for ``embedder``.
    The thresholds are chosen on the labelled examples plus ``threshold_only`` (labelled
    questions of other corpora, not fitted on)."""
    tune = [e for e in examples if e.kind == "labelled"] + list(threshold_only)
    models = {
        "full": fit(examples, FEATURES, tune, max_false, clip_sd),
        "dense": fit(examples, DENSE_FEATURES, tune, max_false, clip_sd),
    }
    counts: dict[str, int] = {}
    for e in [*examples, *threshold_only]:
        key = f"{e.kind}:{'answerable' if e.answerable else 'unanswerable'}"
        counts[key] = counts.get(key, 0) + 1
    return {
        "embedder": embedder,
        "fitted": datetime.now().isoformat(timespec="seconds"),
        "data": {
            "corpus": source_note,
            "examples": counts,
            "max_false_abstention": max_false,
            "threshold": "rates averaged over corpora, each weighing the same",
        },
        "models": {k: m.to_dict() for k, m in models.items()},
    }


def write(data: dict[str, Any], folder: Path) -> Path:
    """Save ``data`` as ``folder/<embedder>.json``; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{model_slug(str(data['embedder']))}.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def labelled_questions(paths: Sequence[Path]) -> list[tuple[str, bool]]:
    """(question, answerable) from eval-format test sets; a null ``source`` is unanswerable."""
    from assistant.evaluate.testset import load_questions

    return [(q.question, q.source is not None) for p in paths for q in load_questions(p)]


def corpus_examples(
    settings: Any, corpus: Path | None, questions: Sequence[Path], embeddings: Any
) -> tuple[list[Example], Assistant]:
    """:func:`training_examples` for ``corpus`` (a separate index of that folder) or, with no
    corpus, the main index; and the assistant they were measured with."""
    from assistant.evaluate.run import build_eval_index
    from assistant.pipeline import Assistant

    index_settings = settings if corpus is None else build_eval_index(corpus, settings, embeddings)
    assistant = Assistant.from_settings(index_settings, embeddings=embeddings)
    examples = training_examples(assistant, labelled_questions(questions))
    for example in examples:
        example.corpus = str(corpus or settings.corpus_dir)
    return examples, assistant


def run(
    settings: Any,
    corpus: Path | None,
    questions: Sequence[Path],
    *,
    max_false: float = 0.02,
    out: Path | None = None,
) -> Path:
    """Calibrate on ``corpus`` (or the main index) and write the model file; its path.
    By default the file goes to ``data_dir/abstention``, where the assistant looks first."""
    from assistant.index.embedding import load_embeddings

    examples, assistant = corpus_examples(settings, corpus, questions, load_embeddings(settings))
    note = str(corpus or settings.corpus_dir)
    if questions:
        note += "; labelled: " + ", ".join(p.name for p in questions)
    embedder, clip_sd = assistant.settings.embedding_model, assistant.settings.abstain_clip_sd
    data = fitted_data(examples, embedder, max_false, note, clip_sd=clip_sd)
    return write(data, out or settings.data_dir / "abstention")
