"""Answers as a reader sees them in a real Chromium: a list question gets a rendered bullet list
whose every item carries its citation, and a prose answer opens with a sentence, never the page's
heading. The app is ``python app.py`` over a generated deck and PDF with the real embedding model.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.webapp import WAIT_MS, RunningApp, running_app, write_pdf

pytestmark = [pytest.mark.integration, pytest.mark.browser]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ELEMENTS = ["Attentiveness", "Responsibility", "Competence", "Responsiveness"]


def write_deck(path: Path) -> None:
    """A slide whose body placeholder holds Tronto's four elements as bullets."""
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Elements of care (Tronto)"
    body = slide.placeholders[1].text_frame
    body.text = ELEMENTS[0]
    for element in ELEMENTS[1:]:
        body.add_paragraph().text = element
    other = deck.slides.add_slide(deck.slide_layouts[1])
    other.shapes.title.text = "Supervision"
    other.placeholders[1].text = "Supervision gives a reflective space to think about feelings."
    deck.save(str(path))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    workdir = tmp_path_factory.mktemp("web-answers")
    corpus = workdir / "corpus"
    corpus.mkdir()
    write_deck(corpus / "care.pptx")
    write_pdf(corpus / "theory.pdf")
    with running_app(workdir, corpus=corpus) as running:
        yield running


@pytest.fixture
def page(browser, app: RunningApp):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    tab = context.new_page()
    tab.goto(app.url)
    expect(tab.locator("#rbp-status")).to_contain_text("documents", timeout=WAIT_MS)
    yield tab
    context.close()


def _ask(page, question: str) -> None:  # noqa: ANN001
    page.locator("#rbp-question textarea").fill(question)
    page.locator("#rbp-ask").click()
    expect(page.locator("#rbp-chat .rbp-cite").first).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#rbp-ask")).to_be_enabled(timeout=WAIT_MS)


def test_a_list_answer_renders_as_bullets_with_citations(page) -> None:  # noqa: ANN001
    _ask(page, "What are Tronto's four elements of care?")
    items = page.locator("#rbp-chat ul").first.locator("> li")  # the list answering the question
    expect(items).to_have_count(len(ELEMENTS), timeout=WAIT_MS)
    texts = items.all_inner_texts()
    for element, text in zip(ELEMENTS, texts, strict=True):
        assert text.startswith(element) and text.rstrip().endswith("[1]"), texts
    # the citation marker is our styled span inside each item, not literal brackets
    expect(items.locator(".rbp-cite")).to_have_count(len(ELEMENTS))
    assert "- Attentiveness" not in page.locator("#rbp-chat").inner_text()
    expect(page.locator("#rbp-sources")).to_contain_text("care.pptx")


def test_a_prose_answer_opens_with_a_sentence_not_the_heading(page) -> None:  # noqa: ANN001
    _ask(page, "What is transference?")
    bot = page.locator("#rbp-chat .message.bot, #rbp-chat [data-testid='bot']").last
    text = bot.inner_text().strip()
    assert text.startswith("Transference is the unconscious redirection"), text
    assert not text.startswith("Transference\n") and "[1]" in text
