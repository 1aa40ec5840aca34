"""Deterministic test doubles: rankings they produce can be computed by hand."""

from __future__ import annotations

import math
import re

from langchain_core.embeddings import Embeddings

_WORD = re.compile(r"[a-z0-9]+")


class KeywordEmbeddings(Embeddings):
    """One dimension per vocabulary word; a text's vector is its normalised word counts.

    Cosine similarity between a query and a passage is then exactly the overlap of vocabulary words,
    so a test can say which chunk must rank first. Words outside the vocabulary fall into a last
    "other" dimension so no vector is all zeros.
    """

    def __init__(self, vocabulary: list[str]) -> None:
        self.vocabulary = [w.lower() for w in vocabulary]
        self.index = {w: i for i, w in enumerate(self.vocabulary)}
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * (len(self.vocabulary) + 1)
        for word in _WORD.findall(text.lower()):
            vec[self.index.get(word, len(self.vocabulary))] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    # token budget interface used by chunking (see assistant.index.embedding.TokenBudget)
    max_tokens = 64

    def count_tokens(self, text: str) -> int:
        return len(text.split())
