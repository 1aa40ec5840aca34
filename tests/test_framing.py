"""How a question is framed, apart from what it asks: removed before searching, and never a
reason to refuse."""

from __future__ import annotations

import pytest

from assistant.guards.abstention import anchors
from assistant.query.clean import clean_query
from assistant.query.framing import strip_framing, without_asker

ASKED = "What is countertransference?"


@pytest.mark.parametrize(
    "framed",
    [
        f"hi, quick question for my CPD log - {ASKED}",
        f"Hello! {ASKED} Thanks",
        f"Hey there, for my ASYE portfolio: {ASKED}",
        f"Sorry if this is basic but {ASKED.lower()}",
        f"{ASKED} - asking for my NQSW supervision",
        f"I'm a newly qualified AMHP. {ASKED}",
        f"My practice educator asked me this. {ASKED}",
        f"As an ASYE in a children's team, {ASKED.lower()}",
        f"Quick one: {ASKED}",
        f"{ASKED[:-1]} (for my essay)?",
        f"Morning all! {ASKED}",
        f"Good morning, team. {ASKED}",
        f"Hiya everyone! Bit of a random one - {ASKED.lower()}",
        f"Right, next one. {ASKED}",
        f"Odd question maybe, but {ASKED.lower()}",
        f"Bit of a daft question but {ASKED.lower()}",
        f"Sorry if this is a daft question, but {ASKED.lower()}",
    ],
)
def test_framing_is_removed_before_searching(framed: str) -> None:
    assert clean_query(framed).lower() == ASKED.lower()


@pytest.mark.parametrize(
    "question",
    [
        # a dash or colon before the real question, with the topic before it
        "The 80:20 idea appears in the focus areas - who is the extra direct time meant for?",
        "The adults section promises to cover Kittay's 'Nested Dependencies' - which edition?",
        # a question after a dash is the question, even with "I" in it
        "Call Childline on 0800 1111 - is that something I can suggest to a young person?",
        # first person inside the question itself
        "How do I complete a carer's assessment under the Care Act?",
        "Where can I read 'No more jerking the system' - which magazine?",
        # a sentence about what the asker reads names the topic, so it stays
        "I'm reading about Munro's review. What did it recommend?",
        "What is a question of balance in risk work?",
        # openings that look like small talk but name the topic
        "Morning routines - what does the deck say about them?",
        "Right to reply: what is it?",
        "Another one of Tronto's elements?",
        "Hi-fi empathy: what is it?",
    ],
)
def test_questions_and_their_topics_are_kept(question: str) -> None:
    assert without_asker(strip_framing(question)) == question


def test_nothing_left_means_the_question_is_kept() -> None:
    assert strip_framing("Thanks!") == "Thanks!"
    assert without_asker("I'm a student.") == "I'm a student."


def test_a_word_starting_a_sentence_is_no_name() -> None:
    assert anchors("Quick one: Drawing on Ruch, what does BASW say?") == ["Ruch", "BASW"]
    assert anchors("Thanks! What does OARS stand for?") == ["OARS"]
    assert anchors('What did "Baby P" show?') == ["Baby", "P"]
