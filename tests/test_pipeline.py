"""The Assistant facade and the `ask` command, with the fake embedder and a Chroma in tmp_path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from langchain_core.documents import Document
from typer.testing import CliRunner

from assistant.cli import app
from assistant.index import lexical
from assistant.index.store import make_client, open_store
from assistant.pipeline import Assistant
from assistant.query.spelling import speller_for
from assistant.records import Answer
from assistant.retrieve.retriever import UnknownMode
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings

PAGES = {
    11: "Elements of care (Tronto)\n■ Attentiveness\n■ Responsibility\n■ Competence\n"
    "■ Responsiveness",
    12: "Kadushin Supervision Triangle\nAdministrative supervision\nEducative supervision\n"
    "Supportive supervision",
    14: "The IDEAS Model\nInfluence - role\nDelivery - tools\nExpertise - knowledge\n"
    "Alliance - relationship\nSupport - containment",
    2: "Austerity has hit the whole of the UK and reduced resources in the poorest areas.",
}
#: Every word of the pages is a dimension of the fake embedder, so cosines mean word overlap.
VOCAB = sorted({w for text in PAGES.values() for w in re.findall(r"[a-z0-9]+", text.lower())})


def build_index(settings: Settings) -> None:
    """Chunks of a small deck in a persistent Chroma under the test's data dir, plus BM25."""
    docs = []
    for page, text in PAGES.items():
        title = text.splitlines()[0]
        docs.append(
            Document(
                page_content=text,
                metadata={
                    "chunk_id": f"deck.pdf#p{page}",
                    "source": "deck.pdf",
                    "file_name": "deck.pdf",
                    "doc_title": "Course deck",
                    "kind": "pdf",
                    "page": page,
                    "section": title,
                    "context": f"Course deck — {title}",
                },
            )
        )
    store = open_store(settings)
    store.add(docs, KeywordEmbeddings(VOCAB).embed_documents([d.page_content for d in docs]))
    lexical.rebuild(settings, store)


@pytest.fixture
def assistant(settings: Settings) -> Assistant:
    build_index(settings)
    return Assistant.from_settings(settings, embeddings=KeywordEmbeddings(VOCAB))


def test_ask_answers_with_citation_and_timings(assistant: Assistant) -> None:
    reply = assistant.ask("What are the elements of care according to Tronto?")
    assert isinstance(reply, Answer) and not reply.abstained
    assert "Attentiveness" in reply.text and "Responsiveness" in reply.text
    assert reply.citations[0].page == 11 and reply.citations[0].file_name == "deck.pdf"
    assert reply.retrieval_mode == "hybrid" and reply.mode == "extractive"
    assert set(reply.timings) == {"retrieve", "answer", "total"}
    assert reply.timings["total"] >= reply.timings["retrieve"] >= 0


@pytest.mark.parametrize(
    "question",
    [
        "What does the Mental Capacity Act 2005 say about the two-stage test?",
        "Who led the Munro review in 2011?",
        "zzz qqq",
    ],
)
def test_out_of_corpus_questions_abstain(assistant: Assistant, question: str) -> None:
    reply = assistant.ask(question)
    assert reply.abstained and reply.text == "I can't find this in the course materials."
    assert 1 <= len(reply.citations) <= 3 and reply.note


def test_framing_and_the_askers_role_do_not_change_the_answer(assistant: Assistant) -> None:
    plain = assistant.ask("What are the elements of care according to Tronto?")
    framed = assistant.ask(
        "Hi, I'm an ASYE in a CIN team. What are the elements of care according to Tronto? "
        "- asking for my PEL portfolio"
    )
    assert not framed.abstained  # ASYE, CIN and PEL are the asker's, not the topic
    assert framed.text == plain.text and framed.citations == plain.citations
    assert assistant.ask("I'm an ASYE. Who led the Munro review in 2011?").abstained


def test_a_question_about_a_named_slide_is_answered_from_that_slide(assistant: Assistant) -> None:
    reply = assistant.ask("What is on page 14?")
    assert not reply.abstained
    assert [c.page for c in reply.citations] == [14] and "Influence - role" in reply.text
    assert assistant.ask("What is on page 40?").abstained  # no such page


def test_modes_and_k(assistant: Assistant) -> None:
    for mode in ("dense", "bm25", "hybrid"):
        hits = assistant.search("Kadushin supervision", mode=mode, k=2)
        assert hits[0].page == 12 and len(hits) <= 2
        assert assistant.ask("Kadushin supervision", mode=mode).retrieval_mode == mode
    with pytest.raises(UnknownMode):
        assistant.ask("care", mode="fuzzy")


def test_stream_yields_text_then_the_answer(assistant: Assistant) -> None:
    parts = list(assistant.stream("IDEAS model"))
    assert all(isinstance(p, str) for p in parts[:-1]) and isinstance(parts[-1], Answer)
    assert "".join(parts[:-1]) == parts[-1].text and "Alliance" in parts[-1].text


def test_nothing_loads_until_the_first_question(settings: Settings) -> None:
    assistant = Assistant.from_settings(settings)
    assert assistant._embeddings is None and assistant._store is None
    assert assistant._answerer is None


def test_empty_index_abstains(settings: Settings) -> None:
    assistant = Assistant.from_settings(settings, embeddings=KeywordEmbeddings(VOCAB))
    assert assistant.ask("What are the elements of care?").abstained


def test_answerer_label(assistant: Assistant) -> None:
    assert assistant.answerer_label == "extractive"


def test_bad_mode_in_settings_is_rejected(settings: Settings) -> None:
    with pytest.raises(UnknownMode):
        Assistant.from_settings(settings.model_copy(update={"retrieval_mode": "x"}))


def test_sentence_vectors_are_cached_on_disk(assistant: Assistant, settings: Settings) -> None:
    assistant.ask("Kadushin supervision")
    assert (settings.data_dir / "sentence-vectors.sqlite").is_file()


def test_works_through_a_shared_client(settings: Settings) -> None:
    build_index(settings)
    client = make_client(settings)
    assistant = Assistant.from_settings(
        settings, embeddings=KeywordEmbeddings(VOCAB), client=client
    )
    assert assistant.ask("IDEAS model").citations[0].page == 14


# --- the ask command ------------------------------------------------------------------------------
@pytest.fixture
def cli_index(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    build_index(settings)
    monkeypatch.setenv("RBP_EMBEDDING_MODEL", settings.embedding_model)
    monkeypatch.setattr(
        "assistant.index.embedding.load_embeddings", lambda s: KeywordEmbeddings(VOCAB)
    )


def test_cli_ask_prints_answer_and_sources(cli_index: None) -> None:
    result = CliRunner().invoke(app, ["ask", "What are Tronto's elements of care?"])
    assert result.exit_code == 0, result.output
    answer, sources = result.output.split("\nSources:\n")
    assert "Attentiveness" in answer
    assert sources.splitlines()[0] == "[1] deck.pdf, page 11 - Elements of care (Tronto)"


def test_cli_ask_json(cli_index: None) -> None:
    result = CliRunner().invoke(app, ["ask", "Kadushin supervision", "--json", "--mode", "bm25"])
    data = json.loads(result.output)
    assert data["retrieval_mode"] == "bm25" and data["citations"][0]["page"] == 12
    assert data["citations"][0]["label"].startswith("[1] deck.pdf, page 12")


def test_cli_ask_signposts_a_disclosure(cli_index: None) -> None:
    result = CliRunner().invoke(app, ["ask", "She told me today that her partner hits her"])
    assert result.exit_code == 0
    assert "supervisor or manager" in result.stdout and "safeguarding procedures" in result.stdout
    assert "Sources:" not in result.stdout


def test_cli_ask_warns_about_personal_data(cli_index: None) -> None:
    question = "What is supervision? My client Sarah Jones, NHS number 943 476 5919, asked"
    result = CliRunner().invoke(app, ["ask", question, "--json"])
    assert result.exit_code == 0
    assert "personal details" in result.stderr and "nhs number" in result.stderr
    assert json.loads(result.stdout)["citations"]  # still answered; nothing is stored


def test_cli_ask_abstains_politely(cli_index: None) -> None:
    result = CliRunner().invoke(app, ["ask", "What does the Care Act 2014 say?"])
    assert result.exit_code == 0
    assert result.output.startswith("I can't find this in the course materials.")
    assert "You might look at:" in result.output


def test_cli_bad_mode_is_one_line(cli_index: None) -> None:
    result = CliRunner().invoke(app, ["ask", "care", "--mode", "fuzzy"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "Unknown retrieval mode" in result.output


def test_cli_bad_setting_is_one_line(cli_index: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RBP_ANSWERER", "gpt5")
    result = CliRunner().invoke(app, ["ask", "care"])
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert "Unknown answerer 'gpt5'" in result.output


def test_cli_unreachable_llm_is_one_line(cli_index: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RBP_ANSWERER", "openai")
    monkeypatch.setenv("RBP_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("RBP_LLM_TIMEOUT_S", "5")
    result = CliRunner().invoke(app, ["ask", "What are Tronto's elements of care?"])
    assert result.exit_code == 1, result.output
    assert result.output.strip().count("\n") == 0
    assert "Cannot use the language model at http://127.0.0.1:9/v1" in result.output


def test_cli_empty_index_says_what_to_do(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["ask", "What is care?"])
    assert result.exit_code == 1 and "rbp-assistant ingest" in result.output


def test_cli_help_lists_ask() -> None:
    result = CliRunner().invoke(app, ["ask", "--help"])
    assert result.exit_code == 0 and "--mode" in result.output and "--json" in result.output


def test_data_dir_is_isolated(settings: Settings) -> None:
    assert Path(settings.data_dir).name == "data"


def test_warm_embeds_every_answer_sentence_once(settings: Settings) -> None:
    build_index(settings)
    embeddings = KeywordEmbeddings(VOCAB)
    assistant = Assistant.from_settings(settings, embeddings=embeddings)
    assert assistant.warm(background=False) is None
    assert speller_for(assistant.retriever.lexical).ready  # the materials' words are read
    calls = embeddings.calls
    assistant.ask("What are the elements of care according to Tronto?")
    assert embeddings.calls == calls  # every sentence vector came from the cache
    thread = assistant.warm()
    assert thread is not None
    thread.join(10)
    assert embeddings.calls == calls  # nothing left to embed
