"""Word lists kept as data: ``assistant/data/words/NAME.txt``, read by :func:`word_list`.

A list file holds one entry a line (a word, or a phrase where the list needs phrases); ``#``
starts a comment.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

WORDS = Path(__file__).parent / "data" / "words"


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of ``data/words/<name>.txt``, in file order, comments left out."""
    lines = (WORDS / f"{name}.txt").read_text("utf-8").splitlines()
    return tuple(e for line in lines if (e := line.split("#", 1)[0].strip()))


@cache
def word_list(name: str) -> frozenset[str]:
    """The words of ``data/words/<name>.txt`` (each entry split on white space)."""
    return frozenset(w for entry in entries(name) for w in entry.split())
