"""Query spelling: mend typos of words the course materials use ("supervison" -> "supervision").

A word of the question is corrected only when all of these hold, so a paraphrase or a topic the
materials do not cover is never turned into something they do cover:

- it is lower-case (or starts the question): names and acronyms ("Prochaska", "OARS") stay as
  typed, because abstention needs to see that they are unknown;
- it has at least :data:`MIN_LENGTH` letters and the index does not know it;
- it is not an English word (``pyspellchecker``'s dictionary): "hostile" or "restorative" are
  real words the materials happen not to use, not typos;
- a word of the materials is one edit away (a swap of two letters counts as one edit), or two
  edits for words of :data:`TWO_EDITS_FROM` letters or more; the most frequent one wins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

#: Shorter words are left alone: too many words of the materials are one edit away.
MIN_LENGTH = 4
#: From this length, a word may be two edits away from its correction.
TWO_EDITS_FROM = 8
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)?")


@lru_cache(maxsize=1)
def _english() -> Any:
    """pyspellchecker's English dictionary (loaded once, about 0.2 s)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


class Speller:
    """Corrects typos in questions towards the words of one index's materials."""

    def __init__(self, texts: Callable[[], Iterable[str]], knows: Callable[[str], bool]) -> None:
        """``texts()``: every passage of the materials (read at the first unknown word);
        ``knows(word)``: whether the index would match ``word`` (after its own stemming)."""
        self._texts = texts
        self._knows = knows
        self._checker: Any = None

    @property
    def ready(self) -> bool:
        """Whether the materials' words have been read."""
        return self._checker is not None

    def prepare(self) -> None:
        """Read the materials' words now (about 1 s per 20,000 passages) rather than at the
        first question with an unknown word; also loads the English dictionary."""
        self._corpus()
        _english()

    def _corpus(self) -> Any:
        """A spell checker whose dictionary is the materials' words (built at first use)."""
        if self._checker is None:
            from spellchecker import SpellChecker

            counts = Counter(w.lower() for text in self._texts() for w in _WORD.findall(text))
            checker = SpellChecker(language=None, distance=2)
            checker.word_frequency.load_json(
                {w: n for w, n in counts.items() if len(w) >= MIN_LENGTH}
            )
            self._checker = checker
        return self._checker

    def correction(self, word: str) -> str | None:
        """The word of the materials that ``word`` is a typo of, or None."""
        lower = word.lower()
        if len(lower) < MIN_LENGTH or self._knows(lower) or lower in _english():
            return None
        corpus = self._corpus()
        found = corpus.known(corpus.edit_distance_1(lower))
        if not found and len(lower) >= TWO_EDITS_FROM:
            found = corpus.known(corpus.edit_distance_2(lower))
        if not found:
            return None
        return max(sorted(found), key=lambda w: corpus.word_frequency[w])

    def correct(self, query: str) -> tuple[str, dict[str, str]]:
        """``query`` with its typos mended, and what was changed (typed word -> correction)."""
        changes: dict[str, str] = {}

        def mend(match: re.Match[str]) -> str:
            word = match.group()
            if (word[0].isupper() and match.start() > 0) or word.isupper():
                return word  # a name or an acronym
            fixed = self.correction(word)
            if fixed is None:
                return word
            changes[word] = fixed
            return fixed.capitalize() if word[0].isupper() else fixed

        return _WORD.sub(mend, query), changes


def mended_note(changes: dict[str, str]) -> str:
    """One line telling the user which words of the question were read as another."""
    pairs = ", ".join(f"“{typed}” as “{fixed}”" for typed, fixed in changes.items())
    return f"Searched reading {pairs}."
