"""Follow-up questions in a conversation: "Who wrote about it?", "Can you say more about the
second one?".

Such a question has no topic of its own: it points back ("it", "the second one", "and?") and none
of its words is a topic the materials know. Searched alone it finds nothing and the assistant
would wrongly say the materials do not cover it. In the web chat it is searched together with the
last question that had a topic of its own, and the answer says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.index.lexical import tokenize
from assistant.query.clean import QUERY_STOPWORDS, clean_query
from assistant.words import word_list

#: Words that point back at what was asked before.
_BACK = re.compile(
    r"\b(?:it|its|this|that|these|those|they|them|their|he|him|his|she|her|the same"
    r"|the (?:first|second|third|fourth|fifth|last|other|next) (?:one|ones|part|point|bit|step))\b"
    r"|^\s*(?:and|so|but|also)\b|^\s*(?:what|how) about\b|\b(?:more|else|examples?)\b",
    re.IGNORECASE,
)
#: Words that ask for more of the same, not about a new topic (the pointing words included).
GENERIC = word_list("follow-up-words")


def is_follow_up(question: str, knows: Callable[[str], bool], stemming: bool = True) -> bool:
    """Whether ``question`` points back and names no topic the index knows (``knows(term)`` for
    a stemmed term)."""
    cleaned = clean_query(question)
    if not _BACK.search(cleaned):
        return False
    terms = tokenize(cleaned, stemming, QUERY_STOPWORDS | GENERIC)
    return not any(knows(term) for term in terms)


def with_previous(question: str, previous: str) -> str:
    """The text searched for a follow-up: the earlier question, then this one."""
    return f"{previous.strip()} {question.strip()}"


def follow_up_note(previous: str) -> str:
    """The line under an answer that was read together with the earlier question."""
    return f"Read together with your earlier question: “{previous.strip()}”"
