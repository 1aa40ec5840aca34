"""Fusion: z-scores and their weighted sum on literal lists, exact orders."""

from __future__ import annotations

import pytest

from assistant.records import Hit
from assistant.retrieve.fusion import page_scores, standardise, zscore_fuse, zscore_page_scores


def hits(scores: dict[str, float], signal: str) -> list[Hit]:
    """Hits on page 1 of the files named by ``scores``' keys, best first."""
    found = []
    for name, value in sorted(scores.items(), key=lambda kv: -kv[1]):
        hit = Hit(f"{name}#p1-0", name, name, name, name, page=1)
        hit.scores[signal] = value
        found.append(hit)
    return found


def test_standardise_literal() -> None:
    z = standardise({"a": 1.0, "b": 2.0, "c": 3.0})
    std = (2 / 3) ** 0.5
    assert z == pytest.approx({"a": -1 / std, "b": 0.0, "c": 1 / std})
    assert standardise({"a": 5.0}) == {"a": 0.0}
    assert standardise({}) == {}


def test_page_scores_keep_the_best_chunk_of_a_page() -> None:
    first, second = (
        Hit("x#p1-0", "", "x", "x", "x", page=1),
        Hit("x#p1-1", "", "x", "x", "x", page=1),
    )
    first.scores["dense"], second.scores["dense"] = 0.2, 0.7
    assert page_scores([first, second], "dense") == {"x#1": 0.7}


def test_a_page_one_list_missed_gets_that_lists_lowest_z() -> None:
    dense = hits({"a": 0.9, "b": 0.8, "c": 0.7}, "dense")
    bm25 = hits({"b": 10.0, "c": 0.0}, "bm25")
    fused = zscore_page_scores((dense, bm25, []), (1.0, 1.0, 0.0))
    z_dense = standardise({"a#1": 0.9, "b#1": 0.8, "c#1": 0.7})
    assert fused["a#1"] == pytest.approx(z_dense["a#1"] - 1.0)  # bm25 z of c, the lowest
    assert fused["b#1"] == pytest.approx(z_dense["b#1"] + 1.0)
    assert fused["c#1"] == pytest.approx(z_dense["c#1"] - 1.0)


def test_the_weight_decides_between_signals() -> None:
    def order(bm25_weight: float) -> list[str]:
        dense = hits({"a": 0.9, "b": 0.5, "c": 0.4}, "dense")
        bm25 = hits({"a": 1.0, "b": 9.0, "c": 1.0}, "bm25")
        return [h.source for h in zscore_fuse(dense, bm25, (), (1.0, bm25_weight, 0.0))]

    assert order(0.0) == ["a", "b", "c"]
    assert order(2.0) == ["b", "a", "c"]


def test_fused_hits_keep_every_signal_and_the_fused_score() -> None:
    dense = hits({"a": 0.9, "b": 0.5}, "dense")
    bm25 = hits({"b": 3.0, "a": 1.0}, "bm25")
    top = zscore_fuse(dense, bm25, (), (1.0, 0.5, 0.0))[0]
    assert top.source == "a"
    assert set(top.scores) == {"dense", "bm25", "fused"}
    assert top.score == top.scores["fused"] == pytest.approx(1.0 - 0.5)


def _bench_fit_fusion():  # noqa: ANN202
    """bench/fit_fusion.py as a module (bench/ is not a package)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "fit_fusion.py"
    spec = importlib.util.spec_from_file_location("fit_fusion", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fit_fusion", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("dominant", [False, True])
def test_the_fusion_fit_replays_the_retrievers_rrf(dominant: bool) -> None:
    from assistant.index.profiles import Profile
    from assistant.retrieve.fusion import SIGNALS, fuse, page_key

    ff = _bench_fit_fusion()
    dense = hits({"a": 0.9, "b": 0.8, "d": 0.1}, "dense")
    bm25 = hits({"c": 12.0 if dominant else 5.0, "a": 4.5, "d": 1.0}, "bm25")
    late = hits({"b": 0.6, "a": 0.5, "d": 0.4}, "late")
    profile = Profile("rrf", 1.0, 2.0, 1.0, 3, answer_type_weight=0.0)
    expected = list(dict.fromkeys(page_key(h) for h in fuse(dense, bm25, 3, 2.0, 2.0, late, 1.0)))
    found = zip(SIGNALS, (dense, bm25, late), strict=True)
    signals = {signal: page_scores(listed, signal) for signal, listed in found}
    case = ff.Case(question=None, signals=signals, typed=set(), relevant=set())
    assert ff.fused(case, profile, dominance=2.0) == expected
    assert expected[0] == ("c#1" if dominant else "a#1")  # a BM25 winner far ahead counts twice
