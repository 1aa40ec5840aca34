"""Citation check of generated answers, with LangChain's fake chat models as the LLM."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

from assistant.answer.base import ABSTAIN_TEXT
from assistant.answer.citations import UNCITED_FLAG, check, format_sources, markers, renumber
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.llm import (
    FALLBACK_NOTE,
    LLMAnswerer,
    LLMUnavailable,
    PromptError,
    load_prompt,
)
from assistant.ingest.loaders import structure
from assistant.records import Answer, AnswerRequest, Hit
from assistant.settings import Settings

HITS = [
    Hit("d#11", "Elements of care (Tronto): attentiveness, responsibility, competence, "
        "responsiveness.", "deck.pdf", "deck.pdf", "Deck", page=11, section="Ethic of care"),
    Hit("d#12", "Kadushin: administrative, educative and supportive supervision.",
        "deck.pdf", "deck.pdf", "Deck", page=12, section="Supervision"),
    Hit("d#14", "IDEAS: influence, delivery, expertise, alliance, support.",
        "deck.pptx", "deck.pptx", "Deck", slide=14, section="The IDEAS Model"),
]  # fmt: skip


# --- the pure check -------------------------------------------------------------------------------
def test_markers_in_all_spellings() -> None:
    assert markers("A [1]. B [2, 3] C [4][5] and [Source 6].") == [1, 2, 3, 4, 5, 6]


def test_good_answer_passes() -> None:
    result = check("Care has four elements [1]. Supervision has three functions [2][3].", 3)
    assert result.ok and result.cited == [1, 2, 3] and not result.dropped


def test_invalid_markers_are_removed_and_uncited_sentences_dropped() -> None:
    text = "Care has four elements [1]. Supervision has functions [2][9]. The moon is cheese."
    result = check(text, 3)
    assert result.invalid == [9]
    assert result.dropped == ["The moon is cheese."]
    assert result.text == "Care has four elements [1]. Supervision has functions [2]."
    assert result.ok  # one of three sentences dropped


def test_mark_policy_keeps_and_flags() -> None:
    result = check("Care [1]. Unsupported claim.", 3, policy="mark")
    assert result.text.endswith(f"Unsupported claim. {UNCITED_FLAG}")


def test_answer_with_only_bad_citations_fails() -> None:
    assert not check("Care has four elements [7]. Supervision [8].", 3).ok
    assert not check("No citations at all. None here either.", 3).ok
    assert not check("", 3).ok


def test_mostly_uncited_answer_fails() -> None:
    assert not check("One [1]. Two. Three. Four.", 3).ok


def test_lead_in_needs_no_citation() -> None:
    result = check("The four elements are:\n- attentiveness [1]\n- competence [1]", 3)
    assert result.ok and not result.dropped


def test_renumber_in_order_of_use() -> None:
    assert renumber("A [3]. B [1][3].", [3, 1]) == "A [1]. B [2][1]."


def test_format_sources_numbers_and_labels() -> None:
    text = format_sources(HITS)
    assert text.startswith("[1] deck.pdf, page 11 - Ethic of care\nElements of care")
    assert "[3] deck.pptx, slide 14 - The IDEAS Model" in text


# --- the LLM answerer with fake chat models -----------------------------------------------------
def llm(settings: Settings, reply: str) -> LLMAnswerer:
    chat = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    return LLMAnswerer(chat, "fake", ExtractiveAnswerer(settings))


def test_streams_deltas_then_checked_answer(settings: Settings) -> None:
    reply = "Tronto names four elements of care [3]. Kadushin names three functions [1]."
    parts = list(llm(settings, reply).stream(AnswerRequest("elements of care?", HITS)))
    deltas, final = parts[:-1], parts[-1]
    assert all(isinstance(d, str) for d in deltas) and len(deltas) > 3
    assert "".join(deltas) == reply
    assert isinstance(final, Answer) and final.mode == "fake"
    # renumbered in order of use: source 3 becomes [1], source 1 becomes [2]
    assert (
        final.text == "Tronto names four elements of care [1]. Kadushin names three functions [2]."
    )
    assert [(c.n, c.chunk_id) for c in final.citations] == [(1, "d#14"), (2, "d#11")]
    assert final.note == ""


def test_uncited_sentence_is_dropped_with_a_note(settings: Settings) -> None:
    reply = "Care has four elements [1]. Supervision has three functions [2]. Also bananas."
    final = llm(settings, reply).answer(AnswerRequest("q", HITS))
    assert "bananas" not in final.text and "1 sentence" in final.note
    assert not final.abstained


def test_failed_answer_falls_back_to_extractive(settings: Settings) -> None:
    final = llm(settings, "Care is nice [7]. It is good [9].").answer(
        AnswerRequest("Kadushin supervision", HITS)
    )
    assert final.note == FALLBACK_NOTE and final.mode == "extractive"
    assert "[1]" in final.text and final.citations


def test_model_saying_it_cannot_find_abstains(settings: Settings) -> None:
    final = llm(settings, ABSTAIN_TEXT).answer(AnswerRequest("What is the Care Act?", HITS))
    assert final.abstained and final.text == ABSTAIN_TEXT and len(final.citations) == 3


def test_prompt_contains_numbered_sources_and_question(settings: Settings) -> None:
    chat = FakeListChatModel(responses=["Care [1]."])
    answerer = LLMAnswerer(chat, "fake", ExtractiveAnswerer(settings))
    messages = answerer.messages("What are the elements of care?", HITS)
    prompt = "\n".join(str(m.content) for m in messages)
    assert "[2] deck.pdf, page 12 - Supervision" in prompt
    assert "Question: What are the elements of care?" in prompt
    assert answerer.answer(AnswerRequest("q", HITS)).citations[0].chunk_id == "d#11"


def test_endpoint_errors_become_one_line(settings: Settings) -> None:
    class Broken(FakeListChatModel):
        def _stream(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise ConnectionRefusedError("[Errno 111] Connection refused")

    answerer = LLMAnswerer(Broken(responses=["x"]), "fake", ExtractiveAnswerer(settings),
                           endpoint="http://127.0.0.1:9")  # fmt: skip
    with pytest.raises(LLMUnavailable) as err:
        answerer.answer(AnswerRequest("q", HITS))
    assert "http://127.0.0.1:9" in str(err.value) and "\n" not in str(err.value)


# --- prompt template ------------------------------------------------------------------------------
def test_shipped_prompt_loads() -> None:
    system, user = load_prompt()
    assert "{sources}" in user and "{question}" in user and "cite" in system.lower()


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("Answer {question}", "missing: sources"),
        ("{sources} {question} {audience}", "unknown: audience"),
        ("{sources} {question", "malformed"),
    ],
)
def test_bad_prompt_is_rejected(tmp_path: Path, template: str, problem: str) -> None:
    path = tmp_path / "answer.md"
    path.write_text(template, encoding="utf-8")
    with pytest.raises(PromptError, match=problem):
        load_prompt(path)


def test_missing_prompt_file(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="not found"):
        load_prompt(tmp_path / "nope.md")


# --- the answer contract for the LLM answerer -----------------------------------------------------
def test_prompt_asks_for_the_answer_first_and_lists_as_bullets(settings: Settings) -> None:
    answerer = LLMAnswerer(FakeListChatModel(responses=["x"]), "fake", ExtractiveAnswerer(settings))
    prompt = "\n".join(str(m.content) for m in answerer.messages("What are the stages?", HITS))
    assert "Answer first" in prompt and "Markdown bullet list" in prompt
    assert "150 words" not in prompt  # no padding towards a length


def test_sources_shown_to_the_model_leave_out_marked_headings() -> None:
    marked = Hit(
        "d#3",
        "Reflective practice\nSource: Iriss 2019\nReflection is learning from experience.",
        "r.pdf", "r.pdf", "Reader", page=3, section="Reflective practice",
        metadata={"structure": structure.marks_json(
            [("title", "Reflective practice"), ("source", "Source: Iriss 2019")]
        )},
    )  # fmt: skip
    text = format_sources([marked])
    assert (
        text == "[1] r.pdf, page 3 - Reflective practice\nReflection is learning from experience."
    )


def test_a_bullet_list_answer_keeps_its_lines_and_citations(settings: Settings) -> None:
    reply = (
        "## Elements of care\nTronto names four elements of care: [1]\n- Attentiveness [1]\n"
        "- Responsibility [1]\n- Competence [1]\n- Responsiveness [1]\nSource: deck.pdf"
    )
    final = llm(settings, reply).answer(AnswerRequest("What are the elements of care?", HITS))
    assert final.text.splitlines() == [
        "Tronto names four elements of care: [1]",
        "- Attentiveness [1]",
        "- Responsibility [1]",
        "- Competence [1]",
        "- Responsiveness [1]",
    ]  # the copied heading and "Source:" line are left out; the answer opens with a sentence
    assert [c.page for c in final.citations] == [11] and final.note == ""
