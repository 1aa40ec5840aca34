"""Late interaction: idf weights of question words, MaxSim by hand, the token cache, and hybrid
retrieval ranking a paraphrase first with a fake encoder whose word vectors are known."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings
from langchain_core.documents import Document

from assistant.index import lexical
from assistant.index.late import (
    LateInteraction,
    TokenCache,
    TokenEncoder,
    TokenVectors,
    maxsim,
    passage_matrices,
    query_weights,
)
from assistant.index.store import ChunkStore
from assistant.retrieve.retriever import Retriever
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings

_WORD = re.compile(r"[A-Za-z0-9]+")

#: Words that mean the same for the fake encoder: each group shares one direction.
SYNONYMS = [("paperwork", "admin"), ("unique", "apart"), ("carers", "families")]


class FakeTokenEncoder(KeywordEmbeddings):
    """KeywordEmbeddings whose word pieces are whole words; synonyms share one unit vector."""

    name = "fake-token-encoder"

    def __init__(self, vocabulary: list[str]) -> None:
        super().__init__(vocabulary)
        self.encoded: list[str] = []
        groups = {w: i for i, group in enumerate(SYNONYMS) for w in group}
        words = sorted(set(vocabulary) | set(groups))
        self.dim = len(SYNONYMS) + len(words) + 1
        self.direction = {
            w: groups[w] if w in groups else len(SYNONYMS) + i for i, w in enumerate(words)
        }

    def _piece(self, word: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        vec[self.direction.get(word.lower(), self.dim - 1)] = 1.0
        return vec

    def embed_query_with_tokens(self, text: str) -> tuple[list[float], TokenVectors]:
        return self.embed_query(text), self.token_vectors([text], spans=True)[0]

    def token_vectors(self, texts: Sequence[str], spans: bool = False) -> list[TokenVectors]:
        out = []
        for text in texts:
            self.encoded.append(text)
            found = list(_WORD.finditer(text))
            matrix = (
                np.stack([self._piece(m.group()) for m in found]) if found else np.zeros((0, 1))
            )
            out.append(TokenVectors(matrix, [m.span() for m in found] if spans else None))
        return out


def test_fake_encoder_is_a_token_encoder() -> None:
    assert isinstance(FakeTokenEncoder(["a"]), TokenEncoder)
    assert not isinstance(KeywordEmbeddings(["a"]), TokenEncoder)


def test_query_weights_use_whole_word_idf_and_skip_stopwords() -> None:
    query = "What is paperwork, reading?"
    spans = [(0, 4), (5, 7), (8, 13), (13, 17), (19, 26)]  # "pape"+"rwork" are two pieces
    idf = {"paperwork": 3.0, "reading": 1.0, "is": 0.0}
    weights = query_weights(query, spans, lambda w: idf.get(w, 0.0), frozenset({"what"}))
    assert weights == [(2, pytest.approx(3 / 7)), (3, pytest.approx(3 / 7)), (4, 1 / 7)]
    assert query_weights("what", [(0, 4)], lambda w: 1.0, frozenset({"what"})) == []


def test_maxsim_by_hand() -> None:
    query = np.array([[1.0, 0.0], [0.0, 1.0]])
    passage = np.array([[0.6, 0.8], [1.0, 0.0]])
    # piece 1 best matches passage row 2 (1.0), piece 2 row 1 (0.8)
    assert maxsim(query, np.array([0.25, 0.75]), passage) == pytest.approx(0.25 * 1.0 + 0.75 * 0.8)
    assert maxsim(query, np.array([0.5, 0.5]), np.zeros((0, 2))) == 0.0


def test_token_cache_round_trip_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "tokens.sqlite"
    matrix = np.array([[0.5, -0.25], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    TokenCache(path).put("m", ["text"], [matrix])
    fresh = TokenCache(path)
    got = fresh.get("m", ["text", "other"])
    assert set(got) == {"text"}
    np.testing.assert_allclose(got["text"], matrix, atol=0.01)  # stored as int8
    assert fresh.get("another-model", ["text"]) == {}


def test_token_cache_keeps_a_passage_without_word_pieces(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "t.sqlite")
    cache.put("m", ["...", "x"], [np.zeros((0, 3)), np.ones((1, 3))])
    got = TokenCache(tmp_path / "t.sqlite").get("m", ["...", "x"])
    assert got["..."].shape[0] == 0
    assert maxsim(np.ones((1, 3)), np.ones(1), got["..."]) == 0.0


def test_prune_keeps_only_the_index_passages_for_every_model(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    cache = TokenCache(path)
    one = np.ones((1, 2))
    cache.put("m1", ["kept", "removed"], [one, one])
    cache.put("m2", ["kept", "old"], [one, one])
    assert cache.prune(t for t in ["kept", "new"]) == 2
    fresh = TokenCache(path)
    assert set(fresh.get("m1", ["kept", "removed"])) == {"kept"}
    assert set(fresh.get("m2", ["kept", "old"])) == {"kept"}


def test_passage_matrices_encode_only_unseen_passages(tmp_path: Path) -> None:
    encoder = FakeTokenEncoder(["admin", "time"])
    cache = TokenCache(tmp_path / "t.sqlite")
    passage_matrices(encoder, cache, ["admin time", "time"])
    assert encoder.encoded == ["admin time", "time"]
    matrices = passage_matrices(encoder, cache, ["time", "admin time", "new one"])
    assert encoder.encoded == ["admin time", "time", "new one"]
    assert [m.shape[0] for m in matrices] == [1, 2, 2]


def test_paraphrase_outscores_a_passage_sharing_only_common_words(tmp_path: Path) -> None:
    encoder = FakeTokenEncoder(["admin", "paperwork", "time", "week", "workers"])
    idf = {"paperwork": 2.0, "week": 1.0, "workers": 0.2}
    late = LateInteraction(
        encoder, TokenCache(None), lambda w: idf.get(w, 0.0), frozenset({"what", "how"})
    )
    scores = late.scores(
        "How much of the week goes on paperwork for workers?",
        ["workers spend the week on admin", "workers like the week", "nothing here"],
    )
    # weights: paperwork 2/3.2, week 1/3.2, workers 0.2/3.2 (others have no idf)
    assert scores == pytest.approx([1.0, 1.2 / 3.2, 0.0])


# --- hybrid retrieval with late interaction ---------------------------------------------------

VOCAB = ["social", "work", "professions", "unique", "apart", "sets", "time", "training"]
CHUNKS = {
    "other.pdf#p1-0": "Social work and other professions share training time.",
    "basw.pdf#p2-0": "This is what makes social work unique: human encounters.",
    "notes.pdf#p3-0": "Professions set out time for training.",
}


@pytest.fixture
def late_retriever(settings: Settings) -> tuple[Retriever, FakeTokenEncoder]:
    encoder = FakeTokenEncoder(VOCAB)
    client = chromadb.EphemeralClient(ChromaSettings(anonymized_telemetry=False, allow_reset=True))
    client.reset()
    store = ChunkStore(client, "late_test")
    docs = []
    for chunk_id, text in CHUNKS.items():
        source, where = chunk_id.split("#")
        meta = {"chunk_id": chunk_id, "source": source, "file_name": source, "doc_title": source}
        meta["page"] = int(where[1])
        meta["context"] = f"{source} header"
        docs.append(Document(page_content=text, metadata=meta))
    store.add(docs, encoder.embed_documents([d.page_content for d in docs]))
    lexical.rebuild(settings, store)
    return Retriever(settings, store, encoder), encoder


def test_hybrid_ranks_the_paraphrase_first_only_with_late_interaction(
    late_retriever: tuple[Retriever, FakeTokenEncoder], settings: Settings
) -> None:
    retriever, _ = late_retriever
    question = "What sets social work apart from other professions?"
    settings.late_interaction = False
    without = retriever.search(question, "hybrid", 3)
    assert without[0].chunk_id == "other.pdf#p1-0"  # shares the most words
    # at the default weights, first for both dense and BM25 beats first for late interaction
    # alone; a heavy late weight makes the late ranking decide
    settings.late_interaction, settings.late_weight = True, 6.0
    with_late = retriever.search(question, "hybrid", 3)
    assert with_late[0].chunk_id == "basw.pdf#p2-0"  # "apart" matches "unique"
    assert all("late" in h.scores for h in with_late)
    assert with_late[0].scores["late"] > with_late[1].scores["late"]


def test_dense_and_bm25_modes_skip_late_interaction(
    late_retriever: tuple[Retriever, FakeTokenEncoder],
) -> None:
    retriever, encoder = late_retriever
    for mode in ("dense", "bm25"):
        hits = retriever.search("What sets social work apart?", mode, 3)
        assert all("late" not in h.scores for h in hits)
    assert encoder.encoded == []


def test_late_uses_the_context_header_like_ingest(
    late_retriever: tuple[Retriever, FakeTokenEncoder], settings: Settings
) -> None:
    retriever, encoder = late_retriever
    settings.late_weight = 1.0  # a profile weight of 0 skips late interaction
    retriever.search("unique professions", "hybrid", 3)
    assert encoder.encoded[0] == "unique professions"  # the query, then the candidates
    expected = {f"{cid.split('#')[0]} header\n{text}" for cid, text in CHUNKS.items()}
    assert set(encoder.encoded[1:]) == expected
