"""The fitted name model: a logistic regression over :data:`context.FEATURES`.

Weights live in ``assistant/data/privacy_name_model.json``, fitted by ``python bench/privacy.py
--fit`` on the tune split of ``tests/data/privacy_cases.jsonl`` (plus the older labelled set and
the dev questions as texts without personal data); the test split is never seen by the fit.
Scoring is a dot product, so no learning library is needed at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.guards.privacy.context import FEATURES

MODEL_FILE = Path(__file__).resolve().parents[2] / "data" / "privacy_name_model.json"
_FALLBACK = {"strong": 2.0, "weak": 1.0}  # used only if the weights file is missing


@dataclass(frozen=True)
class NameModel:
    """Weights per feature, an intercept and the score at or above which a name is reported."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def score(self, values: Sequence[float]) -> float:
        """Chance (0-1) that the candidate is the name of someone in a case."""
        z = self.intercept + sum(w * v for w, v in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_FILE) -> NameModel:
    """The fitted model; without the file, a plain rule model (strong or weak rule fired)."""
    if not path.exists():
        weights = [_FALLBACK.get(f.removeprefix("rule_"), 0.0) for f in FEATURES]
        return NameModel(tuple(weights), -1.5, 0.5)
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path.name} was fitted on other features: refit with bench/privacy.py")
    return NameModel(tuple(data["weights"]), float(data["intercept"]), float(data["threshold"]))


def fit(
    rows: Sequence[Sequence[float]], labels: Sequence[int], c: float = 1.0
) -> tuple[list[float], float]:
    """Fit the logistic regression (scikit-learn, balanced classes); returns weights, intercept."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    clf.fit(list(rows), list(labels))
    return [float(w) for w in clf.coef_[0]], float(clf.intercept_[0])


def save_model(model: NameModel, info: dict[str, Any], path: Path = MODEL_FILE) -> None:
    """Write the weights (with what they were fitted on) as JSON."""
    data = {
        "features": list(FEATURES),
        "weights": [round(w, 5) for w in model.weights],
        "intercept": round(model.intercept, 5),
        "threshold": model.threshold,
        **info,
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    load_model.cache_clear()
