"""The naive baseline of the evaluation harness: the textbook LangChain set-up, for comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.evaluate.testset import EvalError
from assistant.records import Hit


class NaiveBaseline:
    """The textbook LangChain set-up, for comparison.

    pypdf pages as Documents, ``RecursiveCharacterTextSplitter(chunk_size=1000,
    chunk_overlap=200)``, the same embedder, ``langchain_chroma.Chroma`` on an ephemeral Chroma
    client (explicit ids, telemetry off, default L2 space) and plain top-k similarity search.
    Non-PDF files are read with :func:`assistant.ingest.loaders.load_file`.
    """

    def __init__(self, store: Any, client: Any, name: str) -> None:
        self.store = store
        self.client = client
        self.name = name

    @classmethod
    def build(cls, corpus: Path, embeddings: Embeddings) -> NaiveBaseline:
        import uuid

        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        docs = naive_documents(corpus)
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        chunks = splitter.split_documents(docs)
        if not chunks:
            raise EvalError(f"The naive baseline found no text in {corpus}")
        client = chromadb.EphemeralClient(
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        )
        name = f"naive-{uuid.uuid4().hex[:12]}"
        store = Chroma(collection_name=name, embedding_function=embeddings, client=client)
        ids = [f"{c.metadata['source']}#{_number(c.metadata)}#{i}" for i, c in enumerate(chunks)]
        store.add_documents(chunks, ids=ids)
        return cls(store, client, name)

    def search(self, query: str, k: int) -> list[Hit]:
        """Top-k chunks; ``score`` is the cosine similarity (``1 - d / 2`` for the squared L2
        distance ``d`` of normalised vectors)."""
        results = self.store.similarity_search_with_score(query, k=k)
        return [
            Hit(
                chunk_id=str(doc.id or ""),
                text=doc.page_content,
                source=str(doc.metadata["source"]),
                file_name=Path(str(doc.metadata["source"])).name,
                title="",
                page=int(doc.metadata["page"]) if "page" in doc.metadata else None,
                slide=int(doc.metadata["slide"]) if "slide" in doc.metadata else None,
                score=1.0 - float(distance) / 2.0,
                metadata=dict(doc.metadata),
            )
            for doc, distance in results
        ]

    def close(self) -> None:
        self.client.delete_collection(self.name)

    def __enter__(self) -> NaiveBaseline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _number(metadata: dict[str, Any]) -> Any:
    return metadata.get("page", metadata.get("slide"))


def naive_documents(corpus: Path) -> list[Any]:
    """One Document per PDF page read with pypdf (``source`` relative path, 1-based ``page``).

    Reads the same files ingest would (hidden files and ``.rbpignore`` patterns left out).
    """
    from langchain_core.documents import Document
    from pypdf import PdfReader

    from assistant.ingest.discover import discover

    docs: list[Document] = []
    files, _ = discover([corpus])
    for root, path in files:
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() == ".pdf":
            reader = PdfReader(path)
            for number, page in enumerate(reader.pages, start=1):
                text = page.extract_text() or ""
                docs.append(Document(page_content=text, metadata={"source": rel, "page": number}))
        else:
            docs.extend(_other_documents(path, root))
    return docs


def _other_documents(path: Path, corpus: Path) -> list[Any]:
    from langchain_core.documents import Document

    from assistant.ingest.loaders import load_file
    from assistant.ingest.loaders.common import LoadError

    try:
        loaded = load_file(path, corpus)
    except LoadError:
        return []
    keep = ("source", "page", "slide")
    return [
        Document(
            page_content=d.page_content,
            metadata={k: d.metadata[k] for k in keep if k in d.metadata},
        )
        for d in loaded
    ]
