"""Query spelling: typos of the materials' words are mended; names, real words and short words
are left as typed."""

from __future__ import annotations

import pytest

from assistant.query.spelling import Speller, SpellingLimits
from assistant.settings import Settings

TEXTS = [
    "Kadushin supervision triangle: administrative, educative and supportive supervision.",
    "The IDEAS model. Compassionate mind and mindfulness. Countertransference and projection.",
    "Supervision supports reflection. Model, model, model.",
]
KNOWN = {w.strip(".,:").lower() for text in TEXTS for w in text.split()}


@pytest.fixture
def speller() -> Speller:
    return Speller(lambda: TEXTS, lambda word: word.lower() in KNOWN)


@pytest.mark.parametrize(
    ("typed", "mended"),
    [
        ("supervison", "supervision"),  # one letter missing
        ("modle", "model"),  # two letters swapped: one edit
        ("idaes", "ideas"),
        ("compasionate", "compassionate"),
        ("countertransferance", "countertransference"),
        ("supervisn", "supervision"),  # two edits, allowed from 8 letters
    ],
)
def test_typos_of_the_materials_words_are_mended(speller: Speller, typed: str, mended: str) -> None:
    assert speller.correction(typed) == mended


@pytest.mark.parametrize(
    ("typed", "mended"),
    [
        ("oppsoite", "opposite"),
        ("desrcibe", "describe"),
        ("coroanvirus", "coronavirus"),  # not in the dictionary, but "corona" + "virus"
    ],
)
def test_typos_of_other_english_words_are_mended(speller: Speller, typed: str, mended: str) -> None:
    # no word of the materials is near, but exactly one English word (or compound) is
    assert speller.correction(typed) == mended


@pytest.mark.parametrize(
    "word",
    [
        "hostile",  # an English word the materials do not use: a paraphrase, not a typo
        "restorative",  # an English word for a topic the materials do not cover
        "model",  # known
        "mdl",  # too short
        "modlee",  # two edits from "model", which is under 8 letters
        "zzzzzz",  # nothing near
        "lundy",  # two English words one edit away ("lindy", "fundy"): probably a name
        "maslow",  # one, but among the dictionary's rarest ("mallow"): probably a name
        "bronfenbrenner",  # no English word or compound near: a name
        "psychdoynamic",  # two compounds one edit away ("psychodynamic", "psychdynamic")
    ],
)
def test_other_words_are_left_alone(speller: Speller, word: str) -> None:
    assert speller.correction(word) is None


def test_correct_keeps_names_acronyms_and_the_question_shape(speller: Speller) -> None:
    text, changes = speller.correct("Supervison in the IDAES modle of Kadushinn?")
    assert text == "Supervision in the IDAES model of Kadushinn?"
    assert changes == {"Supervison": "supervision", "modle": "model"}


def test_the_materials_are_read_only_when_a_word_is_unknown() -> None:
    def texts() -> list[str]:
        raise AssertionError("no word needed mending")

    speller = Speller(texts, lambda word: True)
    assert speller.correct("What is supervision?") == ("What is supervision?", {})
    assert not speller.ready


def test_a_long_paste_is_not_looked_up_word_by_word(
    speller: Speller, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    nearest = speller._nearest
    monkeypatch.setattr(speller, "_nearest", lambda w: looked_up.append(w) or nearest(w))
    text, changes = speller.correct(" ".join(["modle"] * 3 + ["qzkv" + "x" * i for i in range(30)]))
    assert len(looked_up) == SpellingLimits().max_lookups and changes == {"modle": "model"}
    assert text.startswith("model model model qzkv")


def test_spelling_min_length_leaves_shorter_typos_alone() -> None:
    knows = lambda word: word.lower() in KNOWN  # noqa: E731
    longer = SpellingLimits.from_settings(Settings(spelling_min_length=6))
    assert Speller(lambda: TEXTS, knows).correct("a modle") == ("a model", {"modle": "model"})
    assert Speller(lambda: TEXTS, knows, longer).correct("a modle") == ("a modle", {})
