"""Word lists kept as data: ``assistant/data/words/NAME.txt``, read by :func:`word_list`.

A list file holds words separated by spaces or new lines; lines starting with ``#`` are comments.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

WORDS = Path(__file__).parent / "data" / "words"


@cache
def word_list(name: str) -> frozenset[str]:
    """The words of ``data/words/<name>.txt``."""
    lines = (WORDS / f"{name}.txt").read_text("utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())
