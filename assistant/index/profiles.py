"""Settings profiles per embedding model: the numbers that depend on a model's score scale.

Cosine similarities of e5-small bunch near 0.8, MiniLM's spread from 0.1 to 0.7, so fusion weights
fitted for one are wrong for the other. Each model's fitted numbers live in
``assistant/data/profiles/<model>.json`` (written by ``bench/fit_fusion.py``, with the question
files and split they were fitted on and the figures they reached on the test split).
Settings override any field (``RBP_BM25_WEIGHT=0.4``); a model without a profile gets
:data:`DEFAULT`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from assistant.settings import Settings

PROFILE_DIR = Path(__file__).parents[1] / "data" / "profiles"
Fusion = Literal["zscore", "rrf"]


@dataclass(frozen=True)
class Profile:
    """How one embedding model's signals are fused (see :mod:`assistant.retrieve.fusion`)."""

    #: 'zscore': weighted sum of standardised scores; 'rrf': weighted reciprocal rank fusion.
    fusion: Fusion = "zscore"
    dense_weight: float = 1.0
    bm25_weight: float = 0.3
    late_weight: float = 0.0
    #: RRF constant (rrf fusion only).
    rrf_k: int = 2
    #: Fused-score bonus of a passage holding the kind of answer asked for (a year, a number).
    answer_type_weight: float = 0.0


DEFAULT = Profile()
#: Settings fields that override the profile field of the same name when set.
_OVERRIDES = ("fusion", "dense_weight", "bm25_weight", "late_weight", "rrf_k")


@lru_cache(maxsize=16)
def stored_profile(model: str) -> Profile:
    """The fitted profile of ``model`` (its registry name), or :data:`DEFAULT`."""
    path = profile_path(model)
    if not path.is_file():
        return DEFAULT
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Profile)}
    return Profile(**{k: v for k, v in data.get("profile", {}).items() if k in known})


def profile_path(model: str) -> Path:
    """Where the profile of ``model`` is kept (folder names are reduced to their last part)."""
    return PROFILE_DIR / f"{Path(model).name}.json"


def profile_for(settings: Settings) -> Profile:
    """The configured model's profile with any settings overrides applied."""
    from assistant.index.embedding import canonical_name

    profile = stored_profile(canonical_name(settings.embedding_model))
    changes = {k: getattr(settings, k) for k in _OVERRIDES if getattr(settings, k) is not None}
    return replace(profile, **changes) if changes else profile


def write_profile(model: str, profile: Profile, provenance: dict[str, Any]) -> Path:
    """Store ``profile`` for ``model`` with where its numbers came from."""
    path = profile_path(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"model": model, "profile": asdict(profile), **provenance}
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    stored_profile.cache_clear()
    return path
