"""The bundled corpus end to end with the real model: ingest keeps page and slide numbers, and every
glossary concept is found in the top 3 by its term."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from assistant.ingest.run import index_stats, ingest
from assistant.pipeline import Assistant
from assistant.settings import Settings, get_settings
from tests.conftest import REPO

pytestmark = pytest.mark.integration

CORPUS = REPO / "corpus"


@pytest.fixture(scope="module")
def corpus_assistant(tmp_path_factory: pytest.TempPathFactory, real_embeddings) -> Assistant:  # noqa: ANN001
    settings: Settings = get_settings(data_dir=tmp_path_factory.mktemp("corpus-index"))
    report = ingest([CORPUS], settings, embeddings=real_embeddings)
    assert report.failed == []
    return Assistant.from_settings(settings, embeddings=real_embeddings)


def _concepts() -> list[dict[str, Any]]:
    return yaml.safe_load((CORPUS / "concepts.yaml").read_text(encoding="utf-8"))["concepts"]


def test_ingest_keeps_page_and_slide_numbers(corpus_assistant: Assistant) -> None:
    stats = index_stats(corpus_assistant.settings)
    files = {f["source"]: f for f in stats["files"]}
    assert set(files) == {
        "rbp-primer.pdf",
        "rbp-slides.pdf",
        "rbp-slides.pptx",
        "supervision-handout.docx",
    }
    chunks = corpus_assistant.store.all_chunks()
    slides = {d.metadata["slide"] for d in chunks if d.metadata["source"] == "rbp-slides.pptx"}
    deck_pages = {d.metadata["page"] for d in chunks if d.metadata["source"] == "rbp-slides.pdf"}
    assert slides == deck_pages == set(range(1, files["rbp-slides.pptx"]["pages"] + 1))
    primer_pages = {d.metadata["page"] for d in chunks if d.metadata["source"] == "rbp-primer.pdf"}
    assert primer_pages == set(range(1, files["rbp-primer.pdf"]["pages"] + 1))


def test_every_glossary_concept_in_top_3_by_its_term(corpus_assistant: Assistant) -> None:
    misses = []
    for concept in _concepts():
        expected = {
            (loc["file"], loc.get("page", loc.get("slide"))) for loc in concept["locations"]
        }
        hits = corpus_assistant.search(concept["term"], k=3)
        got = [(h.file_name, h.number) for h in hits]
        if not expected & set(got):
            misses.append(f"{concept['term']}: {got}")
    assert misses == []


def test_concept_questions_get_cited_answers(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("What are Tronto's four elements of care?")
    assert not answer.abstained
    text = answer.text.lower()
    for word in ("attentiveness", "responsibility", "competence", "responsiveness"):
        assert word in text
    assert "[1]" in answer.text
    bundled = {"rbp-primer.pdf", "rbp-slides.pdf", "rbp-slides.pptx", "supervision-handout.docx"}
    assert answer.citations and all(c.file_name in bundled for c in answer.citations)


def test_out_of_corpus_question_abstains(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("What is the capital gains tax allowance for a second home?")
    assert answer.abstained
