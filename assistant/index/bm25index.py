"""BM25 score matrix built with whole-array numpy steps, from token ids kept between builds.

``bm25s.BM25.index`` loops over documents in Python (a ``Counter`` and small numpy calls per
document): about 7 s for 100,000 chunks on one core, on top of tokenizing them again. Here the
same matrix (Lucene BM25, k1 1.5, b 0.75, float32, bit-for-bit the scores bm25s computes) comes out
of a few array operations over a flat array of token ids, and the token ids of unchanged chunks are
kept from the previous build, so only new chunks are tokenized. The result is a ``bm25s.BM25``,
saved, loaded and queried as before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: The standard Okapi BM25 parameters (Robertson and Zaragoza), not tuned for this corpus.
K1 = 1.5
B = 0.75


@dataclass
class Corpus:
    """Every chunk's BM25 tokens as ids into ``vocab``: chunk ``i`` holds
    ``tokens[starts[i] : starts[i] + lengths[i]]``."""

    tokens: np.ndarray
    lengths: np.ndarray
    vocab: dict[str, int]

    @property
    def starts(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)

    @classmethod
    def from_tokens(cls, docs: Sequence[Sequence[str]]) -> Corpus:
        vocab: dict[str, int] = {}
        return cls.empty(vocab).extended(docs)

    @classmethod
    def empty(cls, vocab: dict[str, int] | None = None) -> Corpus:
        return cls(np.zeros(0, np.int32), np.zeros(0, np.int64), vocab or {})

    def extended(self, docs: Sequence[Sequence[str]]) -> Corpus:
        """This corpus plus ``docs`` (token strings), new words added to the vocabulary."""
        vocab = dict(self.vocab)
        ids = [vocab.setdefault(t, len(vocab)) for doc in docs for t in doc]
        tokens = np.concatenate([self.tokens, np.asarray(ids, dtype=np.int32)])
        lengths = np.concatenate([self.lengths, [len(doc) for doc in docs]]).astype(np.int64)
        return Corpus(tokens, lengths, vocab)

    def select(self, order: Sequence[int] | np.ndarray) -> Corpus:
        """The chunks at positions ``order``, in that order, with words no chunk uses any more
        dropped from the vocabulary (ids renumbered)."""
        order = np.asarray(order, dtype=np.int64)
        lengths = self.lengths[order]
        starts = self.starts[order]
        # position of each kept token in the old flat array, without a Python loop per chunk
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        tokens = self.tokens[np.repeat(starts, lengths) + offsets]
        used = np.zeros(len(self.vocab), dtype=bool)
        used[tokens] = True
        renumber = np.cumsum(used) - 1
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        vocab = {w: int(renumber[i]) for i, w in enumerate(words) if used[i]}
        return Corpus(renumber[tokens].astype(np.int32), lengths, vocab)


def score_matrix(corpus: Corpus) -> dict[str, Any]:
    """The CSC matrix ``bm25s`` keeps in ``BM25.scores`` (rows chunks, columns vocabulary ids).

    score(t, d) = idf(t) * tf / (k1 * (1 - b + b * |d| / avgdl) + tf), with
    idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)), computed in the same float64/float32 steps as
    ``bm25s.scoring`` so every score is the same number."""
    n_docs, n_vocab = len(corpus.lengths), len(corpus.vocab)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), corpus.lengths)
    # one sort by (word, chunk): runs of equal keys are term counts, already in CSC order
    keys = np.sort(corpus.tokens.astype(np.int64) * max(n_docs, 1) + doc_of)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if keys.size else keys
    counts = np.diff(np.append(starts, keys.size))
    pairs = keys[starts]
    words, docs = pairs // max(n_docs, 1), pairs % max(n_docs, 1)
    df = np.bincount(words, minlength=n_vocab)
    idf = np.array(
        [math.log(1 + (n_docs - f + 0.5) / (f + 0.5)) if f else 0.0 for f in df.tolist()],
        dtype=np.float32,
    )
    avg = np.asarray(corpus.lengths, dtype=np.int64).mean() if n_docs else 1.0
    norm = K1 * ((1 - B) + B * corpus.lengths.astype(np.float64) / avg)
    tf = counts.astype(np.float32)
    scores = (idf[words] * (tf / (norm[docs] + tf))).astype(np.float32)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {
        "data": scores,
        "indices": docs.astype(np.int32),
        "indptr": indptr,
        "num_docs": n_docs,
    }


def to_bm25(corpus: Corpus) -> Any:
    """A ``bm25s.BM25`` over ``corpus``, as ``BM25().index(token lists)`` would make it."""
    import bm25s

    bm25 = bm25s.BM25()
    bm25.scores = score_matrix(corpus)
    vocab = dict(corpus.vocab)
    if "" not in vocab:  # bm25s's empty token, scored by nothing
        vocab[""] = len(vocab)
    bm25.vocab_dict = vocab
    bm25.unique_token_ids_set = set(vocab.values())
    bm25.nonoccurrence_array = None
    return bm25
