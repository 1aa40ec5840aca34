"""Safeguarding signposting: disclosures are flagged, study questions are not, the reply is calm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.guards.safeguarding import RiskSignal, detect_risk, signposting_message
from tests.conftest import DEV_QUESTIONS

LABELLED = Path(__file__).parents[1] / "assistant" / "data" / "safeguarding_examples.jsonl"


def load_cases() -> list[dict]:
    cases = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    dev = [json.loads(line) for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines()]
    return cases + [{"id": q["id"], "text": q["question"], "risk": False} for q in dev if q]


def test_labelled_set_size() -> None:
    cases = load_cases()
    assert sum(c["risk"] for c in cases) >= 20
    assert sum(not c["risk"] for c in cases) >= 40 + 30


def test_disclosures_are_flagged() -> None:
    # the rule's own examples ("risk-*"); the "disclosure-*" ones teach the classifier the
    # phrasings no rule lists, many without a word for a harm
    risky = [c["text"] for c in load_cases() if c["risk"] and c["id"].startswith("risk-")]
    missed = [t for t in risky if detect_risk(t) is None]
    assert len(missed) <= 0.05 * len(risky), missed


def test_no_false_alarms_on_study_questions() -> None:
    calm = [c["text"] for c in load_cases() if not c["risk"]]
    alarms = [t for t in calm if detect_risk(t) is not None]
    assert alarms == []


@pytest.mark.parametrize(
    ("text", "about", "immediate"),
    [
        ("I think the baby is being hurt", "child", False),
        ("she told me her partner hits her", "adult", False),
        ("he said he wants to kill himself tonight", "self-harm", True),
        ("My client just texted that her boyfriend is outside with a knife", "adult", True),
    ],
)
def test_signal_fields(text: str, about: str, immediate: bool) -> None:
    signal = detect_risk(text)
    assert signal is not None
    assert (signal.about, signal.immediate) == (about, immediate)
    assert signal.cues


@pytest.mark.parametrize(
    "text",
    [
        "what is over-intervening?",
        "how should I respond to a disclosure of abuse?",
        "what is the threshold for a section 47 enquiry?",
        "What should I do if a child tells me they are being abused?",
        "In the vignette, why did the worker not see the child alone?",
        "",
    ],
)
def test_study_questions_are_not_risks(text: str) -> None:
    assert detect_risk(text) is None


def test_message_points_to_supervisor_procedures_and_999() -> None:
    message = signposting_message(RiskSignal("child", immediate=False, cues=("hurt",)))
    assert "supervisor or manager" in message
    assert "local safeguarding procedures" in message
    assert "999" in message
    assert "**If anyone is in immediate danger" not in message
    assert "Samaritans" not in message


def test_immediate_danger_puts_999_first() -> None:
    message = signposting_message(RiskSignal("self-harm", immediate=True, cues=("tonight",)))
    assert message.index("999") < message.index("supervisor")
    assert "**If anyone is in immediate danger, call 999 now.**" in message
    assert "Samaritans on 116 123" in message


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("I cut again tonight, deeper than usual, and it won't stop bleeding", "self-harm"),
        ("i have the tablets in front of me. i just wanted to tell someone", "self-harm"),
        ("my partner strangled me last night til i nearly passed out", "adult"),
        ("i dont feel safe at home anymore", "adult"),
    ],
)
def test_someone_writing_about_harm_to_themselves_is_signposted(text: str, about: str) -> None:
    signal = detect_risk(text)  # the rule alone: no model needed
    assert signal is not None and signal.immediate
    assert signal.about == about


@pytest.mark.parametrize(
    "text",
    [
        "What should I say if a young person tells me 'I want to die'?",
        "If a service user says I don't feel safe, what are my duties?",
    ],
)
def test_first_person_words_quoted_in_a_study_question_are_not_a_disclosure(text: str) -> None:
    assert detect_risk(text) is None


def test_a_question_about_a_vignette_is_not_a_disclosure_wherever_the_word_stands() -> None:
    assert (
        detect_risk("In the angry father vignette, what was behind the reported neglect?") is None
    )
    assert detect_risk("my client's partner hits her, she told me today") is not None
