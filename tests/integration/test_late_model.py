"""Late interaction with the real MiniLM: word-piece vectors and spans, one model pass at ingest
filling the token cache, and a paraphrase found by word-piece matching."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.index.late import TokenCache, token_cache_path
from assistant.ingest.run import ingest
from assistant.pipeline import Assistant
from assistant.settings import get_settings

pytestmark = pytest.mark.integration


def test_token_vectors_and_spans_line_up_with_words(real_embeddings) -> None:  # noqa: ANN001
    text = "Reflective supervision, again!"
    found = real_embeddings.token_vectors([text], spans=True)[0]
    pieces = [text[a:b] for a, b in found.spans]
    assert "".join(pieces).replace(" ", "") == "Reflectivesupervisionagain"  # no punctuation
    assert found.vectors.shape == (len(pieces), 384)
    np.testing.assert_allclose(np.linalg.norm(found.vectors, axis=1), 1.0, atol=1e-5)


def test_embed_with_tokens_gives_the_same_passage_vectors(real_embeddings) -> None:  # noqa: ANN001
    texts = ["Containment in supervision.\nA second line.", "Short"]
    vectors, tokens = real_embeddings.embed_with_tokens(texts)
    np.testing.assert_allclose(vectors, real_embeddings.embed_documents(texts), atol=1e-5)
    assert [t.vectors.shape[0] for t in tokens] == [
        t.vectors.shape[0] for t in real_embeddings.token_vectors(texts)
    ]


def test_ingest_fills_the_cache_and_late_interaction_finds_a_paraphrase(
    tmp_path: Path,
    real_embeddings,  # noqa: ANN001
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "time.md").write_text(
        "# Working week\n\nPractitioners told us that most of their hours go on admin and "
        "recording tasks instead of direct contact with families.\n",
        encoding="utf-8",
    )
    (folder / "play.md").write_text(
        "# Play\n\nPlay-based sessions help younger children show feelings they cannot name.\n",
        encoding="utf-8",
    )
    (folder / "law.md").write_text(
        "# Duties\n\nThe local authority must assess needs and publish its eligibility rules.\n",
        encoding="utf-8",
    )
    settings = get_settings(data_dir=tmp_path / "data")
    assert ingest([folder], settings, embeddings=real_embeddings).failed == []
    chunks = Assistant.from_settings(settings, embeddings=real_embeddings).store.all_chunks()
    texts = [f"{c.metadata['context']}\n{c.page_content}" for c in chunks]
    cached = TokenCache(token_cache_path(settings)).get(real_embeddings.name, texts)
    assert len(cached) == len(chunks) == 3

    assistant = Assistant.from_settings(settings, embeddings=real_embeddings)
    late = assistant.retriever.late
    assert late is not None
    scores = late.scores("How much of the week is swallowed by paperwork?", texts)
    admin = next(i for i, t in enumerate(texts) if "admin" in t)
    assert scores[admin] > max(s for i, s in enumerate(scores) if i != admin)
    hits = assistant.search("How much of the week is swallowed by paperwork?", k=3)
    assert hits[0].file_name == "time.md"
    assert "late" in hits[0].scores

    # removing a document also drops its word pieces from the cache
    (folder / "law.md").unlink()
    assert ingest([folder], settings, embeddings=real_embeddings).removed == ["law.md"]
    left = TokenCache(token_cache_path(settings)).get(real_embeddings.name, texts)
    assert len(left) == 2
    assert not any("eligibility" in t for t in left)


def test_query_vector_and_pieces_come_from_one_pass(real_embeddings) -> None:  # noqa: ANN001
    question = "What does containment mean in supervision?"
    vector, pieces = real_embeddings.embed_query_with_tokens(question)
    np.testing.assert_allclose(vector, real_embeddings.embed_query(question), atol=1e-5)
    alone = real_embeddings.token_vectors([question], spans=True)[0]
    assert pieces.spans == alone.spans
    np.testing.assert_allclose(pieces.vectors, alone.vectors, atol=1e-5)
