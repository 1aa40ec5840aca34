"""Clean a question before retrieval: phrases about the materials ("according to the deck",
"slide 14"), framing (greetings, the asker's role) and attribution to the publisher go; ratios are
written one way. What is left says what the question is about."""

from __future__ import annotations

import re

from assistant.index.lexical import question_words
from assistant.query.framing import strip_framing, without_asker
from assistant.query.locations import strip_locations

#: Phrases that point at the materials rather than say what is asked ("according to the deck").
_BOILERPLATE = re.compile(
    r"\b(?:according to|as (?:described|stated|shown|set out) (?:in|on|by)|(?:in|on|from))\s+"
    r"(?:the|this|these|its|their|our)?\s*(?:course\s+)?"
    r"(?:deck|slides?|slide deck|presentation|pack|handouts?|materials?|documents?|notes|page|"
    r"training|session)\b",
    re.IGNORECASE,
)
#: "according to BASW", "According to the BASW's": attribution to one name (see without_publisher)
_ATTRIBUTION = re.compile(
    r"(?:,\s*)?\baccording to\s+(?:the\s+)?([^\W\d_]+)(?:['\u2019]s)?\b,?\s*", re.I
)
#: Question words and references to the materials (``data/words/question-words.txt``).
QUERY_STOPWORDS = question_words()


def clean_query(question: str) -> str:
    """Drop phrases that refer to the materials themselves ("according to the deck", "slide 14")
    or frame the question ("hi", "quick question for my CPD log -", "I'm a student on placement.",
    see :mod:`assistant.query.framing`) and unify ratios ("80-20" -> "80:20")."""
    text = without_asker(strip_framing(question))
    text = _BOILERPLATE.sub(" ", strip_locations(text))
    text = re.sub(r"\b(\d+)\s*[/\-\u2013]\s*(\d+)\b", r"\1:\2", text)
    text = _tidy(text)
    return text or question.strip()


def _tidy(text: str) -> str:
    """``text`` with single spaces, none before punctuation, and no stray "," or ":" at the end
    of a sentence (left by a phrase taken out)."""
    text = re.sub(r"\s+([?.!,;:])", r"\1", re.sub(r"\s+", " ", text))
    return re.sub(r"[,;:\s]+(?=[?.!]|$)", "", text).strip()


def without_publisher(question: str, publisher: frozenset[str]) -> str:
    """``question`` without "according to X" when X is a ``publisher`` word, a name in every
    document's file name: "according to BASW" then means "according to the materials", like
    "according to the deck", and only pulls the title slides that print the name.

    >>> without_publisher("What sets social work apart, according to BASW?", frozenset({"basw"}))
    'What sets social work apart?'
    """
    if not publisher:
        return question
    dropped = [m for m in _ATTRIBUTION.finditer(question) if m.group(1).lower() in publisher]
    if not dropped:
        return question
    text = question
    for match in reversed(dropped):
        text = f"{text[: match.start()]} {text[match.end() :]}"
    text = _tidy(text)
    if not text:
        return question
    # "According to BASW, what ..." keeps its capital: all-lower-case questions are read apart
    return text[:1].upper() + text[1:] if question[:1].isupper() else text
