"""The guard's word lists, each kept once in ``assistant/data/words/privacy-*.txt``, and English
word frequencies.

A list file holds one word or phrase a line (``#`` starts a comment). In a phrase turned into a
pattern by :func:`alternation`, a space or hyphen matches a space, a hyphen or nothing ("step dad"
matches "stepdad" and "step-dad"), and a trailing ``*`` matches any ending ("bruis*").
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

# the guard's names for the shared loader: a list's entries in order, and its words as a set
from assistant.words import entries as word_list
from assistant.words import word_list as word_set  # noqa: F401 - used by the guard modules


def _phrase(entry: str) -> str:
    wild = entry.endswith("*")
    parts = re.split(r"[ \-]+", entry.rstrip("*"))
    return r"[ \-]?".join(re.escape(p) for p in parts) + (r"\w*" if wild else "")


@lru_cache(maxsize=32)
def alternation(name: str) -> str:
    """A regular-expression group matching any entry of a list file (longest first)."""
    entries = sorted(word_list(name), key=len, reverse=True)
    return "(?:" + "|".join(_phrase(e) for e in entries) + ")"


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    """English word counts from the spelling checker's dictionary (pyspellchecker)."""
    from spellchecker import SpellChecker

    return dict(SpellChecker().word_frequency.dictionary)


_CONTRACTION = re.compile(r"^(\w+?)(nt|s|m|ve|ll|re|d)$")
#: British spellings the (American) dictionary lacks: "summarise", "behaviour", "centre".
_BRITISH = (
    (re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"our(s?)$"), r"or\1"),
    (re.compile(r"tre(s?)$"), r"ter\1"),
    (re.compile(r"yse(d|s)?$"), r"yze\1"),
)


def english_frequency(word: str) -> int:
    """How common a lower-case word is in English. A hyphenated word counts as its commonest
    part, a British spelling as its American one, and a contraction typed without its apostrophe
    ("wouldnt", "shes") as the contraction.
    """
    counts = _frequencies()
    parts = [word, *word.split("-")] if "-" in word else [word]
    best = max(counts.get(p, 0) for p in parts)
    for pattern, american in _BRITISH:
        if best == 0 and pattern.search(word):
            best = counts.get(pattern.sub(american, word), 0)
    m = _CONTRACTION.match(word)
    if m and m.group(2) == "nt":
        best = max(best, counts.get(f"{m.group(1)}n't", 0))
    elif m:
        best = max(best, counts.get(f"{m.group(1)}'{m.group(2)}", 0))
    return best


def log_frequency(word: str) -> float:
    """:func:`english_frequency` on a 0-1 scale (log10, the commonest words near 1)."""
    return math.log10(1 + english_frequency(word)) / 7
