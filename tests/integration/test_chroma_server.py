"""Ingest into a real Chroma server (the one shipped in the chromadb wheel) on loopback."""

from __future__ import annotations

import pytest

from assistant.index.store import open_store
from assistant.ingest.run import index_stats, ingest
from tests.conftest import SEED_CORPUS

pytestmark = pytest.mark.integration


def test_ingest_into_chroma_server(chroma_url: str, settings, real_embeddings) -> None:  # noqa: ANN001
    server_settings = settings.model_copy(update={"chroma_url": chroma_url})
    report = ingest([SEED_CORPUS], server_settings, embeddings=real_embeddings)
    assert report.failed == []
    assert sorted(report.ingested) == ["basw-8020-rbp-slides.pdf", "basw-rbp-campaign-2019.pdf"]
    store = open_store(server_settings)
    assert store.count() == report.chunks > 30
    assert not settings.chroma_dir.exists()  # nothing went to the local persistent index
    pages = {
        d.metadata["page"]
        for d in store.all_chunks()
        if d.metadata["source"] == "basw-8020-rbp-slides.pdf"
    }
    assert pages == set(range(1, 31))
    query = real_embeddings.embed_query("Kadushin supervision functions")
    assert store.query(query, k=3)[0].file_name == "basw-8020-rbp-slides.pdf"

    again = ingest([SEED_CORPUS], server_settings, embeddings=real_embeddings)
    assert again.ingested == [] and len(again.unchanged) == 2
    assert index_stats(server_settings)["chunks"] == report.chunks
