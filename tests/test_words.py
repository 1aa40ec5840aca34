"""Word lists kept as data (``assistant/data/words``), read by one helper."""

from __future__ import annotations

import pytest

from assistant.words import WORDS, word_list


def test_comments_are_not_words() -> None:
    words = word_list("follow-up-words")
    assert {"it", "elaborate", "summarize"} <= words
    assert not any(w.startswith("#") for w in words)


@pytest.mark.parametrize("path", sorted(WORDS.glob("*.txt")), ids=lambda p: p.name)
def test_each_list_names_each_word_once(path) -> None:  # noqa: ANN001
    lines = path.read_text("utf-8").splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    repeated = sorted({e for e in entries if entries.count(e) > 1})  # an entry may be a phrase
    assert entries and repeated == []
