"""Follow-up questions: searched together with the last question that had a topic of its own."""

from __future__ import annotations

import pytest

from assistant.query.followup import follow_up_note, is_follow_up, with_previous

#: Stemmed terms the fake index knows.
KNOWN = {"tronto", "element", "care", "carer", "respons", "idea", "model"}


def knows(term: str) -> bool:
    return term in KNOWN


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote about it?",
        "Who wrote about them?",  # "them" is no stopword of the index
        "Can you say more about the second one?",
        "Tell me more",
        "what does it stand for",
        "And an example?",
        "Hi, could you explain that again?",
    ],
)
def test_questions_without_a_topic_that_point_back_are_follow_ups(question: str) -> None:
    assert is_follow_up(question, knows)


@pytest.mark.parametrize(
    "question",
    [
        "What about responsiveness?",  # points back, but names a topic the index knows
        "What is it like to be a carer?",
        "And the IDEAS model?",
        "What is mentalisation?",  # no topic the index knows, but nothing points back
        "Who developed attachment theory?",
    ],
)
def test_questions_with_a_topic_or_no_pointer_stand_alone(question: str) -> None:
    assert not is_follow_up(question, knows)


def test_the_earlier_question_comes_first_and_the_note_names_it() -> None:
    searched = with_previous(" Who wrote about it? ", "What are Tronto's elements of care? ")
    assert searched == "What are Tronto's elements of care? Who wrote about it?"
    assert "What are Tronto's elements of care?" in follow_up_note(
        "What are Tronto's elements of care?"
    )
