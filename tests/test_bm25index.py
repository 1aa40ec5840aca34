"""The numpy BM25 matrix gives bm25s's own scores, bit for bit, and keeps tokens between builds."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from assistant.index.bm25index import Corpus, to_bm25

WORDS = [f"w{i}" for i in range(400)]


def corpus(seed: int, n: int) -> list[list[str]]:
    """Zipf-like documents of 0-60 tokens (empty ones included)."""
    rng = np.random.default_rng(seed)
    p = 1 / np.arange(1, len(WORDS) + 1)
    return [list(rng.choice(WORDS, rng.integers(0, 60), p=p / p.sum())) for _ in range(n)]


def reference(docs: list[list[str]]) -> bm25s.BM25:
    bm25 = bm25s.BM25()
    bm25.index(docs, show_progress=False)
    return bm25


def same_scores(a: bm25s.BM25, b: bm25s.BM25, queries: list[list[str]]) -> None:
    assert set(a.vocab_dict) == set(b.vocab_dict)
    for query in queries:
        known = [t for t in query if t in a.vocab_dict]
        if known:
            assert np.array_equal(a.get_scores(known), b.get_scores(known))


@pytest.mark.parametrize("seed", [0, 1])
def test_matrix_equals_bm25s(seed: int) -> None:
    docs = corpus(seed, 300)
    ours, theirs = to_bm25(Corpus.from_tokens(docs)), reference(docs)
    same_scores(ours, theirs, corpus(seed + 10, 50))
    for word in WORDS[:50]:
        if word in theirs.vocab_dict:
            i, j = theirs.vocab_dict[word], ours.vocab_dict[word]
            t, o = theirs.scores, ours.scores
            span_t, span_o = (
                slice(t["indptr"][i], t["indptr"][i + 1]),
                slice(o["indptr"][j], o["indptr"][j + 1]),
            )
            assert np.array_equal(t["data"][span_t], o["data"][span_o])
            assert np.array_equal(t["indices"][span_t], o["indices"][span_o])


def test_selected_and_extended_corpus_equals_a_fresh_build() -> None:
    docs, more = corpus(2, 200), corpus(3, 40)
    keep = list(range(0, 200, 3))[::-1]  # a subset, in another order
    built = Corpus.from_tokens(docs).extended(more).select([*keep, *range(200, 240)])
    fresh = [docs[i] for i in keep] + more
    assert built.vocab.keys() == {t for d in fresh for t in d}  # unused words dropped
    same_scores(to_bm25(built), reference(fresh), corpus(4, 50))
    assert [len(d) for d in fresh] == built.lengths.tolist()
