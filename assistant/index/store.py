"""Vector store stage: chunks and their embeddings in a Chroma collection.

Chroma never embeds anything itself here (``embedding_function=None``): we always pass vectors,
otherwise it would try to download its own model. The client is injected, so tests can use an
ephemeral one and ``RBP_CHROMA_URL`` switches to a Chroma server.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlparse

from langchain_core.documents import Document

from assistant.records import Hit
from assistant.settings import Settings

#: Metadata keys copied into Chroma (values must be str/int/float/bool).
_SCALAR = (str, int, float, bool)


def make_client(settings: Settings) -> Any:
    """A Chroma client for ``settings``: a server when ``chroma_url`` is set, else the data dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def clean_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Keep only the scalar, non-None values Chroma accepts."""
    return {k: v for k, v in metadata.items() if v is not None and isinstance(v, _SCALAR)}


def hit_from_record(chunk_id: str, text: str, metadata: dict[str, Any]) -> Hit:
    """Build a :class:`Hit` (scores empty) from what Chroma or BM25 stored for a chunk."""
    page = metadata.get("page")
    slide = metadata.get("slide")
    return Hit(
        chunk_id=chunk_id,
        text=text,
        source=str(metadata.get("source", "")),
        file_name=str(metadata.get("file_name", "")),
        title=str(metadata.get("doc_title", "")),
        page=int(page) if page is not None else None,
        slide=int(slide) if slide is not None else None,
        section=str(metadata.get("slide_title") or metadata.get("section") or ""),
        metadata=dict(metadata),
    )


def batched(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ModelMismatch(RuntimeError):
    """The index was built with another embedding model than the one configured."""


#: Collection metadata key naming the embedding model whose vectors the collection holds.
MODEL_KEY = "embedding_model"
#: Collection metadata key holding the index version: a new value after every change, so every
#: process serving from the collection can tell that its derived indexes (BM25) are out of date.
VERSION_KEY = "rbp_version"


class ChunkStore:
    """The chunk collection: add, delete by source, query by vector, list everything."""

    def __init__(self, client: Any, name: str = "rbp_chunks") -> None:
        self.client = client
        self.name = name
        self.collection = client.get_or_create_collection(
            name=name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    @property
    def max_batch(self) -> int:
        try:
            return int(self.client.get_max_batch_size())
        except Exception:  # older servers do not report it
            return 1000

    def add(self, chunks: Sequence[Document], vectors: Sequence[Sequence[float]]) -> None:
        """Add chunks with precomputed vectors, in batches under Chroma's limit."""
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk is required")
        size = self.max_batch
        for docs, vecs in zip(batched(chunks, size), batched(vectors, size), strict=True):
            self.collection.add(
                ids=[d.metadata["chunk_id"] for d in docs],
                documents=[d.page_content for d in docs],
                metadatas=[clean_metadata(d.metadata) for d in docs],
                embeddings=[list(v) for v in vecs],
            )

    @property
    def model(self) -> str | None:
        """The embedding model whose vectors this collection holds (None when not recorded)."""
        metadata = self.collection.metadata or {}
        value = metadata.get(MODEL_KEY)
        return str(value) if value else None

    def check_model(self, embeddings: Any) -> None:
        """Raise :class:`ModelMismatch` when the index holds another model's vectors: comparing
        vectors of two models gives meaningless rankings."""
        from assistant.index.embedding import model_label

        built, wanted = self.model, model_label(embeddings)
        if built and built != wanted and self.count():
            raise ModelMismatch(
                f"This index was built with the embedding model '{built}', but '{wanted}' is "
                "configured. Run `rbp-assistant ingest --rebuild` to index the documents again "
                f"with '{wanted}', or set RBP_EMBEDDING_MODEL={built}."
            )

    def record_model(self, embeddings: Any) -> None:
        """Note in the collection which model's vectors it holds (before the first add)."""
        from assistant.index.embedding import model_label

        label = model_label(embeddings)
        if self.model != label:
            self._set_metadata(MODEL_KEY, label)

    def version(self) -> str:
        """The collection's version, read afresh (one small request to a Chroma server): it
        changes whenever any process changes the chunks (see :meth:`bump_version`); '' when no
        change was ever recorded."""
        collection = self.client.get_collection(self.name, embedding_function=None)
        if collection.id != self.collection.id:  # dropped and made again (``ingest --rebuild``)
            self.collection = collection
        return str((collection.metadata or {}).get(VERSION_KEY, ""))

    def bump_version(self) -> str:
        """Record that the chunks changed: a new version, unique across processes."""
        version = f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"
        self._set_metadata(VERSION_KEY, version)
        return version

    def _set_metadata(self, key: str, value: str) -> None:
        """Set one collection metadata key, keeping the others (Chroma replaces them all)."""
        self.collection = self.client.get_collection(self.name, embedding_function=None)
        metadata = dict(self.collection.metadata or {})
        metadata.pop("hnsw:space", None)  # fixed at creation; Chroma refuses to change it
        self.collection.modify(metadata={**metadata, key: value})

    def delete_source(self, source: str) -> None:
        """Remove every chunk of one file."""
        self.collection.delete(where={"source": source})

    def ids_for_source(self, source: str) -> list[str]:
        return list(self.collection.get(where={"source": source}, include=[])["ids"])

    def query(self, vector: Sequence[float], k: int) -> list[Hit]:
        """The ``k`` nearest chunks; ``scores['dense']`` is the cosine similarity."""
        if k <= 0 or self.count() == 0:
            return []
        result = self.collection.query(
            query_embeddings=[list(vector)],
            n_results=k,
            include=["documents", "metadatas", "distances"],
        )
        hits = []
        for chunk_id, text, meta, dist in zip(
            result["ids"][0],
            result["documents"][0],
            result["metadatas"][0],
            result["distances"][0],
            strict=True,
        ):
            hit = hit_from_record(chunk_id, text or "", dict(meta or {}))
            hit.scores["dense"] = 1.0 - float(dist)
            hit.score = hit.scores["dense"]
            hits.append(hit)
        return hits

    def all_chunks(self) -> list[Document]:
        """Every stored chunk as a Document (metadata includes ``chunk_id``)."""
        docs: list[Document] = []
        total = self.count()
        page = 5000
        for offset in range(0, total, page):
            got = self.collection.get(include=["documents", "metadatas"], limit=page, offset=offset)
            docs += _documents(got)
        return docs

    def chunks(self, ids: Sequence[str]) -> list[Document]:
        """The stored chunks with these ids (as :meth:`all_chunks` gives them), in batches."""
        docs: list[Document] = []
        for part in batched(list(ids), 5000):
            got = self.collection.get(ids=list(part), include=["documents", "metadatas"])
            docs += _documents(got)
        return docs

    def count(self) -> int:
        return int(self.collection.count())

    def sources(self) -> list[str]:
        metadatas = self.collection.get(include=["metadatas"])["metadatas"] or []
        return sorted({str(m.get("source")) for m in metadatas if m})

    def reset(self) -> None:
        """Drop and recreate the collection."""
        self.client.delete_collection(self.name)
        self.collection = self.client.get_or_create_collection(
            name=self.name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )


def open_store(settings: Settings, client: Any | None = None) -> ChunkStore:
    """Open the configured collection (``client`` overrides the one built from settings)."""
    return ChunkStore(client if client is not None else make_client(settings), settings.collection)


def _documents(got: Any) -> list[Document]:
    """The chunks of a Chroma ``get`` result as Documents (``chunk_id`` in their metadata)."""
    return [
        Document(page_content=text or "", metadata={**dict(meta or {}), "chunk_id": chunk_id})
        for chunk_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]
