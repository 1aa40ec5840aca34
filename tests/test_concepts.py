"""Trainer mode: glossary search, concept cards from the index, quizzes, handouts and the CLI.

The bundled corpus is indexed once with the keyword fake embedder (no model): cards read the index
by file and page/slide, so the embedder does not matter. The primer's Markdown source is the oracle
for the passage each card shows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.records import Hit
from assistant.settings import Settings, get_settings
from assistant.teach.concepts import (
    Concept,
    Glossary,
    GlossaryError,
    Location,
    StorePages,
    build_card,
    card_markdown,
    fold,
    join_lines,
    load_glossary,
    md_escape,
)
from assistant.teach.quiz import LETTERS, build_quiz, check_answer, masked_definition, quiz_markdown
from tests.conftest import REPO
from tests.fakes import KeywordEmbeddings

CORPUS = REPO / "corpus"
GLOSSARY = CORPUS / "concepts.yaml"
INDEXED = ("rbp-primer.pdf", "rbp-slides.pptx", "rbp-slides.pdf")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(GLOSSARY)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data dir holds the bundled primer and slides, indexed."""
    from assistant.ingest.run import ingest

    settings = get_settings(data_dir=tmp_path_factory.mktemp("index"), corpus_dir=CORPUS)
    report = ingest([CORPUS / f for f in INDEXED], settings, embeddings=KeywordEmbeddings(["x"]))
    assert report.failed == [] and sorted(report.ingested) == sorted(INDEXED)
    return settings


@pytest.fixture(scope="module")
def pages(indexed: Settings) -> StorePages:
    from assistant.index.store import open_store

    return StorePages(open_store(indexed))


def primer_sections() -> dict[str, str]:
    """Each ``##`` section of the primer's Markdown source, folded (the oracle for passages)."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in (CORPUS / "src" / "primer.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^#{1,3} (.*)", line)
        if heading:
            current = fold(heading.group(1))
            sections.setdefault(current, [])
        elif current and line.strip():
            sections[current].append(line)
    return {k: fold(" ".join(v)) for k, v in sections.items()}


# --- glossary and search -------------------------------------------------------------------------
def test_glossary_loads_every_concept_with_locations(glossary: Glossary) -> None:
    assert len(glossary.concepts) == 48
    assert len({c.id for c in glossary.concepts}) == 48
    for c in glossary.concepts:
        assert c.definition and c.locations and glossary.chapter_of(c) is not None
        assert all(loc.page is not None or loc.slide is not None for loc in c.locations)
    assert "Psychodynamic ideas" in glossary.topics()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("transference", "transference"),
        ("TRANSFERENCE", "transference"),
        ("  Splitting ", "splitting"),
        ("counter-transference", "countertransference"),
        ("preparatory empathy", "tuning-in"),  # alias
        ("kadushn", "kadushin-functions"),  # misspelt
        ("Tronto’s four elements of care", "tronto-elements"),  # curly apostrophe
        ("emotional labor", "emotional-labour"),
        ("ideas-model", "ideas-model"),  # an id
    ],
)
def test_find_by_term_alias_or_close_spelling(
    glossary: Glossary, query: str, expected: str
) -> None:
    found = glossary.find(query)
    assert found is not None and found.id == expected


def test_search_ranks_exact_first_and_rejects_nonsense(glossary: Glossary) -> None:
    ids = [c.id for c in glossary.search("transference")]
    assert ids[:2] == ["transference", "countertransference"]
    assert glossary.search("zzqx") == [] and glossary.find("zzqx") is None
    assert glossary.search("") == []


def test_mentioned_in_reads_terms_and_only_capitalised_acronyms(glossary: Glossary) -> None:
    ids = {c.id for c in glossary.mentioned_in("How does containment relate to the IDEAS model?")}
    assert {"containment", "ideas-model"} <= ids
    ids = {c.id for c in glossary.mentioned_in("Some ideas about psychodynamic theory")}
    assert "ideas-model" not in ids


def test_missing_or_broken_glossary_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="No glossary"):
        load_glossary(tmp_path / "concepts.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("concepts:\n- term: no id or definition\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="could not be read"):
        load_glossary(bad)


# --- cards over a fake page source ---------------------------------------------------------------
class FakePages:
    """Chunks per (file, page, slide), as the index would return them."""

    def __init__(self, pages: dict[tuple[str, int | None, int | None], list[str]]) -> None:
        self.pages = pages
        self.asked: list[tuple[str, int | None, int | None]] = []

    def chunks(self, file: str, page: int | None, slide: int | None) -> list[Hit]:
        self.asked.append((file, page, slide))
        texts = self.pages.get((file, page, slide), [])
        return [
            Hit(
                chunk_id=f"{file}#{page or slide}-{i}",
                text=t.removeprefix("NOTES:"),
                source=file,
                file_name=file,
                title="Doc",
                page=page,
                slide=slide,
                metadata={"chunk_index": i, "is_notes": t.startswith("NOTES:")},
            )
            for i, t in enumerate(texts)
        ]


def _tiny_glossary() -> Glossary:
    from assistant.teach.concepts import Chapter, Vignette

    primer = Location("primer.pdf", page=3, heading="Holding")
    slide = Location("deck.pptx", slide=7, heading="Holding on a slide")
    slide_pdf = Location("deck.pdf", page=7, heading="Holding on a slide")
    chapter = Chapter(
        id="ch",
        title="Holding and letting go",
        location=Location("primer.pdf", page=3, heading="Holding and letting go"),
        sections=(
            "Holding",
            "Letting go",
            "Practice vignette (fictional): Ana",
            "Reflective questions: holding",
        ),
        vignette=Vignette(
            "Practice vignette (fictional): Ana",
            "Ana, a fictional worker, holds.",
            Location("primer.pdf", page=4, heading="Practice vignette (fictional): Ana"),
        ),
        questions=("What do you hold?",),
    )
    concept = Concept(
        id="holding",
        term="Holding",
        definition="Holding is keeping someone in mind.",
        topic="Care",
        chapter="ch",
        locations=(primer, slide, slide_pdf),
    )
    return Glossary([concept], {"ch": chapter})


TINY_PAGES = {
    ("primer.pdf", 3, None): [
        "Holding and letting go\nHolding",
        "Holding is keeping someone in mind. It starts",
        "before the visit.\nLetting go",
        "Letting go is ending well.",
    ],
    ("deck.pptx", None, 7): [
        "Holding on a slide\n• Keep the person in mind.",
        "NOTES:Ask the group.",
    ],
    ("deck.pdf", 7, None): ["Holding on a slide\n• Keep the person in mind."],
    ("primer.pdf", 4, None): [
        "Practice vignette (fictional): Ana\nAna, a fictional worker, holds.",
        "Reflective questions: holding\n• What do you hold?",
    ],
}


def test_card_cuts_the_cited_section_and_numbers_citations() -> None:
    g = _tiny_glossary()
    card = build_card(g, g.concepts[0], FakePages(TINY_PAGES))
    labels = [c.label() for c in card.citations]
    assert labels == [
        "[1] primer.pdf, page 3 - Holding",
        "[2] deck.pptx, slide 7 - Holding on a slide",
        "[3] deck.pdf, page 7 - Holding on a slide",
        "[4] primer.pdf, page 4 - Practice vignette (fictional): Ana",
        "[5] primer.pdf, page 4 - Reflective questions: holding",
    ]
    assert card.definition_refs == [1, 2, 3]
    first, second, third = card.passages
    # only the "Holding" section, with the sentence split across chunks joined again
    assert first.text == "Holding is keeping someone in mind. It starts before the visit."
    assert (
        second.text == "Holding on a slide\n• Keep the person in mind."
        and second.notes == "Ask the group."
    )
    assert third.same_as == 2 and third.text == ""  # the slide PDF repeats the deck
    assert (card.vignette_ref, card.questions_ref) == (4, 5)
    assert card.questions == ["What do you hold?"] and card.missing == []
    assert (
        card.citations[0].chunk_id == "primer.pdf#3-1" and card.citations[0].snippet == first.text
    )


def test_section_running_onto_the_next_page_is_followed() -> None:
    g = _tiny_glossary()
    pages = dict(TINY_PAGES)
    pages[("primer.pdf", 3, None)] = ["Holding and letting go\nHolding", "Holding is keeping"]
    pages[("primer.pdf", 4, None)] = ["someone in mind.\nLetting go", "Letting go is ending well."]
    card = build_card(g, g.concepts[0], FakePages(pages))
    assert card.passages[0].text == "Holding is keeping someone in mind."


def test_card_without_an_index_still_cites_every_location() -> None:
    g = _tiny_glossary()
    card = build_card(g, g.concepts[0], None)
    assert [c.n for c in card.citations] == [1, 2, 3, 4, 5]
    assert card.passages == [] and len(card.missing) == 3
    assert card.vignette is not None and card.vignette.text == "Ana, a fictional worker, holds."
    assert card.citations[4].page == 4  # questions fall back to the vignette's page


def test_join_lines_keeps_bullets_and_sentences_apart() -> None:
    lines = ["A sentence that", "goes on.", "• a bullet that", "wraps.", "Next para.", "• b"]
    assert join_lines(lines) == "A sentence that goes on.\n• a bullet that wraps.\nNext para.\n• b"


# --- cards over the real bundled corpus ----------------------------------------------------------
def test_every_card_cites_the_locations_in_concepts_yaml(
    glossary: Glossary, pages: StorePages
) -> None:
    import yaml

    raw = {c["id"]: c for c in yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["concepts"]}
    for concept in glossary.concepts:
        card = build_card(glossary, concept, pages)
        cited = [(c.file_name, c.page, c.slide) for c in card.citations[: len(concept.locations)]]
        expected = [
            (loc["file"], loc.get("page"), loc.get("slide")) for loc in raw[concept.id]["locations"]
        ]
        assert cited == expected, concept.id
        assert card.definition_refs == list(range(1, len(expected) + 1))
        assert card.missing == [], concept.id
        assert all(c.chunk_id for c in card.citations), concept.id


def test_every_primer_passage_is_exactly_its_section(glossary: Glossary, pages: StorePages) -> None:
    sections = primer_sections()
    for concept in glossary.concepts:
        card = build_card(glossary, concept, pages)
        primer = next(loc for loc in concept.locations if loc.file == "rbp-primer.pdf")
        passage = card.passages[concept.locations.index(primer)]
        assert fold(passage.text) == sections[fold(primer.heading)], concept.id


def test_vignette_and_questions_are_on_the_cited_pages(
    glossary: Glossary, pages: StorePages
) -> None:
    for concept in glossary.concepts[::5]:
        card = build_card(glossary, concept, pages)
        assert card.vignette is not None and card.questions
        for ref, text in (
            (card.vignette_ref, card.vignette.text),
            (card.questions_ref, card.questions[0]),
        ):
            cite = card.citations[(ref or 0) - 1]
            hits = pages.chunks(cite.file_name, cite.page, None) + pages.chunks(
                cite.file_name, (cite.page or 0) + 1, None
            )
            page_text = fold(" ".join(h.text for h in hits))
            assert fold(text)[:60] in page_text, (concept.id, cite.label())
            on_page = fold(" ".join(h.text for h in pages.chunks(cite.file_name, cite.page, None)))
            assert fold(cite.section) in on_page, (concept.id, cite.label())


def test_slide_passage_has_the_slide_text_and_notes(glossary: Glossary, pages: StorePages) -> None:
    card = build_card(glossary, glossary.find("tronto"), pages)  # type: ignore[arg-type]
    deck = next(p for p in card.passages if card.citations[p.n - 1].slide is not None)
    assert deck.text.startswith("Tronto’s four elements of care")
    assert "Attentiveness: noticing that a need exists." in deck.text
    assert deck.notes.startswith("Speaker notes:")


# --- Markdown handout ----------------------------------------------------------------------------
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) **bold** # heading"


def test_card_markdown_is_cited_and_inert(glossary: Glossary, pages: StorePages) -> None:
    text = card_markdown(build_card(glossary, glossary.find("containment"), pages))  # type: ignore[arg-type]
    assert text.startswith("# Containment\n")
    assert "## Definition" in text and "[1][2][3]" in text
    assert "rbp-primer.pdf, page 9 - Containment" in text
    assert "## Questions for discussion" in text

    g = _tiny_glossary()
    c = g.concepts[0]
    evil = Concept(c.id, HOSTILE, HOSTILE, c.topic, (), c.chapter, c.locations)
    out = card_markdown(build_card(Glossary([evil], g.chapters), evil, None))
    for unescaped in (r"(?<!\\)<", r"(?<!\\)\]\(", r"(?<!\\)\*\*", r"^(?<!\\)# heading"):
        assert re.search(unescaped, out, re.MULTILINE) is None, unescaped
    assert "\\<script\\>" in out
    assert md_escape("a_b*c") == "a\\_b\\*c"


# --- quiz ----------------------------------------------------------------------------------------
def test_quiz_is_deterministic_with_a_seed(glossary: Glossary) -> None:
    a = build_quiz(glossary, n=12, seed=7).to_dict()
    b = build_quiz(glossary, n=12, seed=7).to_dict()
    c = build_quiz(glossary, n=12, seed=8).to_dict()
    assert a == b and a != c
    assert len(a["questions"]) == 12
    assert len({q["concept_id"] for q in a["questions"]}) == 12


def test_every_quiz_answer_is_right_unique_and_cited(glossary: Glossary) -> None:
    quiz = build_quiz(glossary, n=48, seed=3)
    assert len(quiz.questions) == 48
    assert Counter(q.kind for q in quiz.questions).keys() == {"term", "definition", "gap"}
    for q in quiz.questions:
        concept = glossary.get(q.concept_id)
        assert concept is not None
        assert (
            q.sources == list(concept.locations) and q.sources
        )  # cited where the corpus explains it
        masked, gaps = masked_definition(concept)
        if q.kind == "term":
            assert q.options[q.answer_index] == concept.term  # type: ignore[index]
            assert masked in q.prompt and concept.term.lower() not in q.prompt.lower()
        elif q.kind == "definition":
            assert q.options[q.answer_index] == masked  # type: ignore[index]
            assert concept.term in q.prompt
        else:
            assert gaps >= 1 and q.answer == concept.term and masked in q.prompt
            assert concept.term.lower() not in q.prompt.lower()
            assert check_answer(q, concept.term.upper()) and not check_answer(q, "nonsense")
        if q.options:
            assert len(q.options) == 4 and len(set(q.options)) == 4
            others = [glossary.get(o) for o in q.options]
            assert q.options.count(q.options[q.answer_index]) == 1  # type: ignore[index]
            assert check_answer(q, LETTERS[q.answer_index])  # type: ignore[index]
            assert others  # options are other concepts' terms or definitions


def test_distractors_prefer_the_same_topic(glossary: Glossary) -> None:
    quiz = build_quiz(glossary, n=20, seed=11, kinds=("term",))
    by_term = {c.term: c for c in glossary.concepts}
    for q in quiz.questions:
        topic = glossary.get(q.concept_id).topic  # type: ignore[union-attr]
        same = [o for o in q.options if by_term[o].topic == topic]
        available = len(glossary.in_topic(topic))
        assert len(same) == min(4, available)


def test_quiz_topic_and_bad_arguments(glossary: Glossary) -> None:
    quiz = build_quiz(glossary, n=10, seed=1, topic="Supervision")
    assert {glossary.get(q.concept_id).topic for q in quiz.questions} == {"Supervision"}  # type: ignore[union-attr]
    assert len(quiz.questions) == len(glossary.in_topic("Supervision"))
    with pytest.raises(ValueError):
        build_quiz(glossary, topic="No such topic")
    with pytest.raises(ValueError):
        build_quiz(glossary, kinds=("essay",))


def test_quiz_markdown_has_questions_then_cited_answers(glossary: Glossary) -> None:
    from datetime import date

    quiz = build_quiz(glossary, n=6, seed=5)
    text = quiz_markdown(quiz, made=date(2026, 1, 2))
    head, answers = text.split("## Answers")
    assert "seed 5" in head and "2026-01-02" in head
    for q in quiz.questions:
        assert f"**{q.number}.**" in head
        line = next(ln for ln in answers.splitlines() if ln.startswith(f"{q.number}. "))
        assert md_escape(q.answer_label) in line and md_escape(q.sources[0].label()) in line


# --- CLI -----------------------------------------------------------------------------------------
@pytest.fixture
def cli_env(indexed: Settings) -> dict[str, str]:
    return {"RBP_DATA_DIR": str(indexed.data_dir), "RBP_CORPUS_DIR": str(CORPUS)}


def test_cli_concept_json_cites_the_right_pages(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["concept", "Counter-Transference", "--json"], env=cli_env)
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["id"] == "countertransference"
    labels = [c["label"] for c in card["citations"]]
    assert labels[0] == "[1] rbp-primer.pdf, page 9 - Countertransference"
    assert labels[1].startswith("[2] rbp-slides.pptx, slide 15")
    assert card["passages"][0]["text"].startswith("Countertransference is the practitioner’s")
    assert card["vignette"]["ref"] and card["questions"]


def test_cli_concept_text_list_and_unknown(cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["concept", "mindfulness"], env=cli_env)
    assert text.exit_code == 0 and text.output.startswith("# Mindfulness")
    listing = runner.invoke(app, ["concept"], env=cli_env)
    assert (
        listing.exit_code == 0
        and "Self-care: " in listing.output
        and "Mindfulness" in listing.output
    )
    unknown = runner.invoke(app, ["concept", "zzqx"], env=cli_env)
    assert unknown.exit_code == 1 and "No concept matches" in unknown.output


def test_cli_concept_without_index_says_so(tmp_path: Path) -> None:
    env = {"RBP_DATA_DIR": str(tmp_path / "empty"), "RBP_CORPUS_DIR": str(CORPUS)}
    result = CliRunner().invoke(app, ["concept", "splitting"], env=env)
    assert result.exit_code == 0
    assert "rbp-primer.pdf, page 8 - Splitting" in result.output
    assert "rbp-assistant ingest" in result.output


def test_cli_quiz_seed_out_and_json(tmp_path: Path) -> None:
    env = {"RBP_CORPUS_DIR": str(CORPUS)}
    runner = CliRunner()
    out = tmp_path / "quiz.md"
    first = runner.invoke(app, ["quiz", "--n", "5", "--seed", "42", "--out", str(out)], env=env)
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["quiz", "--n", "5", "--seed", "42"], env=env)
    strip = lambda s: re.sub(r"made \d{4}-\d\d-\d\d", "", s)  # noqa: E731
    assert strip(out.read_text(encoding="utf-8")) == strip(again.output.rstrip("\n") + "\n")
    data = json.loads(
        runner.invoke(app, ["quiz", "--n", "3", "--seed", "42", "--json"], env=env).output
    )
    assert data["seed"] == 42 and len(data["questions"]) == 3
    bad = runner.invoke(app, ["quiz", "--topic", "Nope"], env=env)
    assert bad.exit_code == 1 and "Topics:" in bad.output


def test_cli_without_glossary_fails_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["quiz"], env={"RBP_CORPUS_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "No glossary" in result.output


def test_help_lists_trainer_commands() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert all(name in result.output for name in ("concept", "quiz", "cpd"))


# --- the tab's HTML (no browser) -----------------------------------------------------------------
def _visible_text(markup: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_card_html_is_inert_and_cited(tmp_path: Path) -> None:
    from assistant.ui.concepts_tab import card_html, present_html

    g = _tiny_glossary()
    c = g.concepts[0]
    evil = Concept(c.id, HOSTILE, HOSTILE, c.topic, ("<b>alias</b>",), c.chapter, c.locations)
    pages = dict(TINY_PAGES)
    pages[("primer.pdf", 3, None)] = [f"{HOSTILE}\nHolding", "<img src=x onerror=alert(1)>"]
    card = build_card(Glossary([evil], g.chapters), evil, FakePages(pages))
    for markup in (card_html(card, tmp_path), present_html(card, 1, 1, questions=True)):
        assert "<script" not in markup and "<img" not in markup and "<b>" not in markup
        assert 'href="javascript' not in markup
        assert "<script>alert(1)</script>" in _visible_text(markup)
    shown = _visible_text(card_html(card, tmp_path))
    assert "[1] primer.pdf, page 3 - Holding" in shown and "What do you hold?" in shown


def test_card_html_links_only_files_in_the_corpus(glossary: Glossary, pages: StorePages) -> None:
    from assistant.ui.concepts_tab import card_html

    card = build_card(glossary, glossary.find("containment"), pages)  # type: ignore[arg-type]
    markup = card_html(card, CORPUS)
    assert "rbp-primer.pdf#page=9" in markup
    assert "href" not in card_html(card, CORPUS / "elsewhere")


def test_quiz_html_hides_answers_until_asked(glossary: Glossary) -> None:
    from assistant.ui.concepts_tab import quiz_html

    quiz = build_quiz(glossary, n=4, seed=2)
    hidden, shown = _visible_text(quiz_html(quiz, False)), _visible_text(quiz_html(quiz, True))
    assert "Answer:" not in hidden and shown.count("Answer:") == 4
    assert quiz.questions[0].sources[0].label() in shown


def test_tabs_build_with_a_fake_assistant(settings: Settings) -> None:
    import types

    import gradio as gr

    from assistant.ui.chat import Session
    from assistant.ui.concepts_tab import Trainer, build_concepts_tab
    from assistant.ui.cpd_tab import build_cpd_tab

    settings = settings.model_copy(update={"corpus_dir": CORPUS})
    ctx = types.SimpleNamespace(
        settings=settings, service=types.SimpleNamespace(assistant=object())
    )
    trainer = Trainer.from_context(ctx)
    assert trainer.pages is None and trainer.glossary is not None
    assert trainer.choices("kadushin", None)[0] == (
        "Kadushin's three functions of supervision",
        "kadushin-functions",
    )
    assert {cid for _, cid in trainer.choices("", "Supervision")} == {
        c.id for c in trainer.glossary.in_topic("Supervision")
    }
    with gr.Blocks() as demo:
        session = gr.State(Session())
        with gr.Tabs():
            build_concepts_tab(ctx)
            build_cpd_tab(ctx, session)
    assert demo.get_api_info()["named_endpoints"] == {}
    assert not settings.data_dir.exists()  # building the tabs stores nothing
