"""Answerers: the registry, answer units and the extractive answerer."""

from __future__ import annotations

import pytest

from assistant import answer as answer_mod
from assistant.answer import ABSTAIN_TEXT, AnswererError, abstain, make_answerer
from assistant.answerers.extractive import MAX_WORDS, ExtractiveAnswerer
from assistant.citations import markers
from assistant.records import Hit
from assistant.settings import Settings
from assistant.units import logical_lines, split_units
from tests.fakes import KeywordEmbeddings

CARE = (
    "A (feminist) Ethic of Care\n"
    "Emphasises the interdependence and reciprocity of the carer and cared-for persons.\n"
    "Elements of care (Tronto)\n"
    "■ Attentiveness\n■ Responsibility\n■ Competence\n■ Responsiveness\n"
    "Caring and Social Justice – an ethic of care moves from small scale relationships to wider "
    "social issues."
)
SUPERVISION = (
    "Kadushin Supervision Triangle (1976)\nAdministrative supervision\nEducative supervision\n"
    "Supportive supervision\nThe relationship can be thought of as a triangle because unless all "
    "sides are present it collapses."
)
PROSE = (
    "Relationship-based social work needs time and space to reflect. As social workers we need "
    "to stay connected with the emotional labour at the heart of what we do. We must create "
    "better working conditions for effective practice to flourish."
)


def hit(n: int, text: str, slide: int) -> Hit:
    return Hit(f"deck#{n}", text, "deck.pdf", "deck.pdf", "Deck", page=slide, section=f"S{slide}")


# --- registry ------------------------------------------------------------------------------------
def test_default_answerer_is_extractive(settings: Settings) -> None:
    assert isinstance(make_answerer(settings), ExtractiveAnswerer)


def test_unknown_answerer_lists_the_registry(settings: Settings) -> None:
    bad = settings.model_copy(update={"answerer": "gpt5"})
    with pytest.raises(AnswererError) as err:
        make_answerer(bad)
    for name in answer_mod.REGISTRY:
        assert name in str(err.value)


def test_missing_extra_names_the_install_command(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = dict(answer_mod.REGISTRY)
    registry["remote"] = ("not_installed_pkg_xyz.module:make", "llm")
    monkeypatch.setattr(answer_mod, "REGISTRY", registry)
    with pytest.raises(AnswererError, match=r"pip install 'rbp-assistant\[llm\]'"):
        make_answerer(settings.model_copy(update={"answerer": "remote"}))


def test_abstain_points_at_closest_sources() -> None:
    reply = abstain("q", [hit(1, CARE, 11), hit(2, PROSE, 2)], "extractive", "hybrid")
    assert reply.abstained and reply.text == ABSTAIN_TEXT
    assert [c.n for c in reply.citations] == [1, 2] and reply.note


# --- units -------------------------------------------------------------------------------------
def test_wrapped_lines_are_joined() -> None:
    text = "anxiety, fear, sadness,\nprotectiveness, shame\nTime is required:\nestablish"
    assert logical_lines(text) == [
        "anxiety, fear, sadness, protectiveness, shame",
        "Time is required: establish",
    ]


def test_list_is_one_group_with_its_heading() -> None:
    units = split_units(CARE)
    items = [u for u in units if u.text.startswith("■")]
    heading = next(u for u in units if u.text == "Elements of care (Tronto)")
    assert len(items) == 4 and {u.group for u in items} == {heading.group}
    prose = next(u for u in units if u.text.startswith("Emphasises"))
    assert prose.group != heading.group and not prose.is_item


def test_prose_is_split_into_sentences() -> None:
    assert [u.text.split()[0] for u in split_units(PROSE)] == ["Relationship-based", "As", "We"]


def test_urls_are_not_quoted() -> None:
    assert "http" not in " ".join(u.text for u in split_units("See https://x.org/a page"))


# --- extractive answers --------------------------------------------------------------------------
@pytest.fixture
def answerer(settings: Settings) -> ExtractiveAnswerer:
    vocab = ["tronto", "elements", "care", "kadushin", "supervision", "reflect", "time"]
    return ExtractiveAnswerer(settings, KeywordEmbeddings(vocab))


def test_keeps_a_list_whole_and_cites_it(answerer: ExtractiveAnswerer) -> None:
    hits = [hit(1, CARE, 11), hit(2, SUPERVISION, 12)]
    reply = answerer.answer("What are Tronto's elements of care?", hits)
    for element in ("Attentiveness", "Responsibility", "Competence", "Responsiveness"):
        assert element in reply.text
    assert reply.citations[0].page == 11 and "[1]" in reply.text
    assert not reply.abstained and reply.mode == "extractive"


def test_every_piece_is_verbatim_and_cited(answerer: ExtractiveAnswerer) -> None:
    hits = [hit(1, PROSE, 2), hit(2, SUPERVISION, 12)]
    reply = answerer.answer("Why do social workers need time to reflect?", hits)
    pieces = [p.strip() for p in reply.text.replace("]", "]\n").splitlines() if p.strip()]
    by_page = {2: " ".join(PROSE.split()), 12: " ".join(SUPERVISION.split())}
    for piece in pieces:
        (n,) = markers(piece)
        quoted = piece.rsplit("[", 1)[0].strip()
        for part in quoted.replace(": ", "; ").split("; "):
            assert part in by_page[reply.citations[n - 1].page]
    assert reply.citations[0].page == 2


def test_citations_are_numbered_in_order_of_use(answerer: ExtractiveAnswerer) -> None:
    hits = [hit(1, SUPERVISION, 12), hit(2, CARE, 11)]
    reply = answerer.answer("Kadushin supervision and Tronto's elements of care", hits)
    assert [c.n for c in reply.citations] == list(range(1, len(reply.citations) + 1))
    assert all(f"[{c.n}]" in reply.text for c in reply.citations)
    first = reply.text.index("[1]")
    assert all(reply.text.index(f"[{c.n}]") >= first for c in reply.citations)


def test_stays_within_the_word_budget(answerer: ExtractiveAnswerer) -> None:
    words = [f"Word{j}" for j in range(600)]
    long = "\n".join(" ".join(words[8 * i : 8 * i + 8]) + " care and time." for i in range(60))
    reply = answerer.answer("care and time", [hit(1, long, 3)])
    assert 40 <= len(reply.text.split()) <= MAX_WORDS + 20


def test_a_run_on_paragraph_is_cut_to_the_budget(answerer: ExtractiveAnswerer) -> None:
    run_on = " ".join(f"care{j} and time" for j in range(100))
    reply = answerer.answer("care and time", [hit(1, run_on, 3)])
    assert len(reply.text.split()) <= MAX_WORDS + 2 and reply.text.endswith("… [1]")


def test_units_are_scored_against_the_question_as_searched(settings: Settings) -> None:
    answerer = ExtractiveAnswerer(settings)  # words only, so the scoring is plain to see
    hits = [hit(1, PROSE, 2), hit(2, SUPERVISION, 12)]
    typed = "Morning all! Which jobs does Kadushin's triangel give a supervisor?"
    searched = "Which jobs does Kadushin's triangle give a supervisor?"
    reply = answerer.answer(typed, hits, searched=searched)
    assert reply.question == typed and [c.page for c in reply.citations] == [12]
    assert reply.text.startswith("Kadushin Supervision Triangle")
    # scored as typed, "all" and the typo make the first hit's prose score close enough to quote
    assert "Relationship-based social work" in answerer.answer(typed, hits).text


def test_a_unit_of_the_kind_asked_for_is_preferred(settings: Settings) -> None:
    answerer = ExtractiveAnswerer(settings)  # words only, so the scoring is plain to see
    hits = [
        hit(1, "Paperwork takes much of the week.", 2),
        hit(2, "Paperwork takes 80% of the week.", 5),
    ]
    best = answerer.score("What percentage of the week does paperwork take?", hits)[0]
    assert best.unit.text == "Paperwork takes 80% of the week."
    # asked without a cue, the same words in the first hit come first
    best = answerer.score("Does paperwork take the week?", hits)[0]
    assert best.unit.text == "Paperwork takes much of the week."


def test_works_without_embeddings(settings: Settings) -> None:
    reply = ExtractiveAnswerer(settings).answer("Kadushin supervision", [hit(1, SUPERVISION, 12)])
    assert "Educative supervision" in reply.text


def test_no_text_means_abstain(answerer: ExtractiveAnswerer) -> None:
    assert answerer.answer("anything", [hit(1, "   ", 4)]).abstained


def test_stream_yields_text_then_answer(answerer: ExtractiveAnswerer) -> None:
    parts = list(answerer.stream("Kadushin supervision", [hit(1, SUPERVISION, 12)]))
    assert isinstance(parts[0], str) and parts[-1].text == parts[0]


def test_sentence_vectors_persist_across_instances(tmp_path) -> None:  # noqa: ANN001
    from assistant.vectorcache import VectorCache

    emb = KeywordEmbeddings(["care", "time"])
    first = VectorCache(emb, tmp_path / "v.sqlite")
    vecs = first.vectors(["care time", "time", "care time"])
    assert vecs.shape == (3, 3) and emb.calls == 1
    assert (vecs[0] == vecs[2]).all()
    again = VectorCache(emb, tmp_path / "v.sqlite")
    assert again.missing(["care time", "new text"]) == ["new text"]
    assert (again.vectors(["time"]) == vecs[1]).all() and emb.calls == 1
