"""Query spelling: mend typos of words the course materials use ("supervison" -> "supervision").

A word of the question is corrected only when all of these hold, so a paraphrase or a topic the
materials do not cover is never turned into something they do cover:

- it is lower-case (or starts the question): names and acronyms ("Prochaska", "OARS") stay as
  typed, because abstention needs to see that they are unknown;
- it has at least ``spelling_min_length`` letters (the settings, :class:`SpellingLimits`) and
  the index does not know it;
- it is not an English word (``pyspellchecker``'s dictionary): "hostile" or "restorative" are
  real words the materials happen not to use, not typos;
- a word of the materials is one edit away (a swap of two letters counts as one edit), or two
  edits for words of ``spelling_two_edits_from`` letters or more; the nearest wins, then the most
  frequent. ``rapidfuzz`` compares the word with every word of the materials (a few milliseconds
  for 50,000 words); at most ``spelling_max_lookups`` words of one message are looked up;
- failing that, exactly one English word is one edit away ("oppsoite" -> "opposite"), and not
  one of the dictionary's rarest: the materials may say it differently, but the meaning search
  reads the right word. With two or more ("lundy": "lindy", "fundy"), or only a rare one
  ("maslow": "mallow"), the word is probably a name and stays. With none, exactly one word made
  of common English words may be one edit away ("coroanvirus" -> "coronavirus").
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from assistant.settings import Settings, prefixed
from assistant.settings import default as _default

#: pyspellchecker's count for its rarest words ("mallow", "psychodynamics"), by default
#: (``Settings.spelling_rarest_english``): a typo is not read as one of them, as it is more likely
#: a name ("maslow") or a form the dictionary lacks.
RAREST_ENGLISH: int = _default("spelling_rarest_english")


@dataclass(frozen=True)
class SpellingLimits:
    """When a word is mended (the ``spelling_*`` settings; defaults are the settings' defaults)."""

    #: Shorter words are left alone: too many words of the materials are one edit away.
    min_length: int = _default("spelling_min_length")
    #: From this length, a word may be two edits away from its correction.
    two_edits_from: int = _default("spelling_two_edits_from")
    #: A typo is not read as an English word counted at most this often by the dictionary.
    rarest_english: int = RAREST_ENGLISH
    #: Unknown words of one message looked up at most (a long paste is not checked in full).
    max_lookups: int = _default("spelling_max_lookups")

    @classmethod
    def from_settings(cls, settings: Settings) -> SpellingLimits:
        """The limits of ``settings``: each field from the setting ``spelling_<field>``."""
        return prefixed(cls, settings, "spelling_")


_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)?")


@lru_cache(maxsize=1)
def _english() -> Any:
    """pyspellchecker's English dictionary (loaded once, about 0.2 s)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def common_english(lower: str, rarest: int = RAREST_ENGLISH) -> bool:
    """Whether ``lower`` is an English word the dictionary counts more than ``rarest`` times."""
    english = _english()
    return lower in english and english.word_frequency[lower] > rarest


def english_compound(lower: str, rarest: int = RAREST_ENGLISH) -> bool:
    """Whether ``lower`` is made of common English words: "mid-century", "psychodynamic"
    ("psycho" + "dynamic"; each part at least 4 letters)."""
    parts = [part for part in re.split(r"[-'\u2019]", lower) if len(part) > 1]
    if len(parts) > 1:
        return all(common_english(part, rarest) for part in parts)
    return any(
        common_english(lower[:i], rarest) and common_english(lower[i:], rarest)
        for i in range(4, len(lower) - 3)
    )


def _english_word(lower: str, rarest: int = RAREST_ENGLISH) -> str | None:
    """The one English word one edit from ``lower``, if there is exactly one and it is not among
    the dictionary's rarest words (about 1 ms); failing that, the one word made of English words
    one edit away ("coroanvirus" -> "coronavirus", which the dictionary lacks)."""
    english = _english()
    found = english.candidates(lower) or set()
    if lower in found:
        return None
    if len(found) == 1:
        word = str(next(iter(found)))
        return word if english.word_frequency[word] > rarest else None
    if found:
        return None
    compounds = {w for w in english.edit_distance_1(lower) if english_compound(w, rarest)}
    return str(next(iter(compounds))) if len(compounds) == 1 else None


class Speller:
    """Corrects typos in questions towards the words of one index's materials."""

    def __init__(
        self,
        texts: Callable[[], Iterable[str]],
        knows: Callable[[str], bool],
        limits: SpellingLimits | None = None,
    ) -> None:
        """``texts()``: every passage of the materials (read at the first unknown word);
        ``knows(word)``: whether the index would match ``word`` (after its own stemming);
        ``limits``: when a word is mended."""
        self._texts = texts
        self._knows = knows
        self.limits = limits or SpellingLimits()
        self._counts: dict[str, int] | None = None
        self._vocabulary: list[str] = []

    @property
    def ready(self) -> bool:
        """Whether the materials' words have been read."""
        return self._counts is not None

    def prepare(self) -> None:
        """Read the materials' words now (about 1 s per 20,000 passages) rather than at the
        first question with an unknown word; also loads the English dictionary."""
        self._words()
        _english()

    def _words(self) -> dict[str, int]:
        """How often each word of the materials occurs (words of at least ``min_length``
        letters)."""
        if self._counts is None:
            counts = Counter(w.lower() for text in self._texts() for w in _WORD.findall(text))
            shortest = self.limits.min_length
            self._counts = {w: n for w, n in counts.items() if len(w) >= shortest}
            self._vocabulary = list(self._counts)
        return self._counts

    def _unknown(self, word: str) -> bool:
        """Whether ``word`` might be a typo: long enough, not in the index, not English."""
        lower = word.lower()
        shortest = self.limits.min_length
        return len(lower) >= shortest and not self._knows(lower) and lower not in _english()

    def correction(self, word: str) -> str | None:
        """The word of the materials that ``word`` is a typo of, or None."""
        if not self._unknown(word):
            return None
        return self._nearest(word.lower()) or _english_word(
            word.lower(), self.limits.rarest_english
        )

    def _nearest(self, lower: str) -> str | None:
        """The nearest word of the materials within the allowed edits; ties go to the more
        frequent word, then the first in alphabetical order."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        counts = self._words()
        edits = 2 if len(lower) >= self.limits.two_edits_from else 1
        found = process.extract(
            lower, self._vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=None
        )
        if not found:
            return None
        best = min(found, key=lambda f: (f[1], -counts[f[0]], f[0]))
        return str(best[0])

    def correct(self, query: str) -> tuple[str, dict[str, str]]:
        """``query`` with its typos mended, and what was changed (typed word -> correction)."""
        changes: dict[str, str] = {}
        lookups = 0

        def mend(match: re.Match[str]) -> str:
            nonlocal lookups
            word = match.group()
            if (word[0].isupper() and match.start() > 0) or word.isupper():
                return word  # a name or an acronym
            if lookups >= self.limits.max_lookups or not self._unknown(word):
                return word
            lookups += 1
            fixed = self._nearest(word.lower()) or _english_word(
                word.lower(), self.limits.rarest_english
            )
            if fixed is None:
                return word
            changes[word] = fixed
            return fixed.capitalize() if word[0].isupper() else fixed

        return _WORD.sub(mend, query), changes


class Materials(Protocol):
    """What a speller reads from an index (:class:`assistant.index.lexical.LexicalIndex`)."""

    def passages(self) -> list[str]: ...

    def knows_word(self, word: str) -> bool: ...


_SPELLERS: weakref.WeakKeyDictionary[Materials, Speller] = weakref.WeakKeyDictionary()
_SPELLERS_LOCK = threading.Lock()


def speller_for(index: Materials, limits: SpellingLimits | None = None) -> Speller:
    """The speller of ``index``'s words with ``limits``, made once per index (a reloaded index,
    or other limits, get a new one)."""
    limits = limits or SpellingLimits()
    with _SPELLERS_LOCK:
        speller = _SPELLERS.get(index)
        if speller is None or speller.limits != limits:
            speller = _SPELLERS[index] = Speller(index.passages, index.knows_word, limits)
        return speller


def mended_note(changes: dict[str, str]) -> str:
    """One line telling the user which words of the question were read as another."""
    pairs = ", ".join(f"“{typed}” as “{fixed}”" for typed, fixed in changes.items())
    return f"Searched reading {pairs}."
