"""Trainer mode and the CPD export in a real Chromium, against the real app (``python app.py``).

The generated test corpus (a PDF, a PPTX and hostile Markdown, see ``webapp.py``) gets a small
``concepts.yaml`` pointing at its pages and slides, including one concept full of markup that must
stay inert. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from pypdf import PdfReader

from tests.integration.webapp import (
    ARTIFACTS,
    WAIT_MS,
    RunningApp,
    make_corpus,
    running_app,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser]

HOSTILE = '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [x](javascript:1)'

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


def glossary() -> dict:
    """concepts.yaml for the generated corpus (pages and slides as webapp.py writes them)."""
    return {
        "chapters": [
            {
                "id": "theory",
                "title": "Theory for practice",
                "file": "theory.pdf",
                "page": 1,
                "sections": ["Course overview", "Transference", "The ethic of care"],
                "vignette": {
                    "title": "Course overview",
                    "file": "theory.pdf",
                    "page": 1,
                    "text": "This course introduces relationship-based practice for social "
                    "workers.",
                },
                "questions": ["When did you last notice transference in a visit?"],
            }
        ],
        "concepts": [
            {
                "id": "transference",
                "term": "Transference",
                "aliases": ["transferred feelings"],
                "topic": "Theory",
                "definition": "Transference is the unconscious redirection of feelings from "
                "earlier relationships onto the worker.",
                "chapter": "theory",
                "locations": [{"file": "theory.pdf", "page": 2, "section": "Transference"}],
            },
            {
                "id": "kadushin",
                "term": "Kadushin's triangle",
                "aliases": ["Kadushin"],
                "topic": "Supervision",
                "definition": "Kadushin's triangle of supervision has three functions: "
                "administrative, educational and supportive.",
                "chapter": "theory",
                "locations": [
                    {"file": "supervision.pptx", "slide": 3, "title": "Kadushin's triangle"}
                ],
            },
            {
                "id": "zephyr",
                "term": "Zephyr protocol",
                "aliases": [],
                "topic": "Supervision",
                "definition": f"The zephyr protocol keeps scripts out: {HOSTILE}",
                "chapter": "theory",
                "locations": [{"file": "zephyr-notes.md", "page": 1}],
            },
            {
                "id": "ethic",
                "term": "Ethic of care",
                "aliases": [],
                "topic": "Theory",
                "definition": "Tronto describes the ethic of care in four phases.",
                "chapter": "theory",
                "locations": [{"file": "theory.pdf", "page": 3, "section": "The ethic of care"}],
            },
        ],
    }


@pytest.fixture(scope="module")
def trainer_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    workdir = tmp_path_factory.mktemp("web-trainer")
    corpus = make_corpus(workdir / "corpus")
    (corpus / "concepts.yaml").write_text(yaml.safe_dump(glossary()), encoding="utf-8")
    with running_app(workdir, corpus=corpus) as app:
        yield app


@pytest.fixture
def page(browser, trainer_app: RunningApp) -> Iterator:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    context.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.goto(trainer_app.url)
    expect(page.locator("#rbp-status")).to_contain_text("documents", timeout=WAIT_MS)
    yield page
    assert page.dialogs == []  # type: ignore[attr-defined]
    foreign = {
        urlparse(u).hostname
        for u in page.requests  # type: ignore[attr-defined]
        if urlparse(u).scheme in {"http", "https", "ws", "wss"}
        and urlparse(u).hostname != "127.0.0.1"
    }
    assert foreign == set()
    context.close()


def _box(page, elem_id: str):  # noqa: ANN001, ANN202
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _download(page, button) -> Path:  # noqa: ANN001
    with page.expect_download(timeout=WAIT_MS) as info:
        button.click()
    return Path(info.value.path())


# --- trainer mode --------------------------------------------------------------------------------
def test_concept_card_search_cites_page_and_downloads(page) -> None:  # noqa: ANN001
    page.get_by_role("tab", name="Explore concepts").click()
    _box(page, "rbp-concept-search").fill("transferense")  # misspelt on purpose
    _box(page, "rbp-concept-search").press("Enter")
    card = page.locator("#rbp-concept-card")
    expect(card).to_contain_text("Definition", timeout=WAIT_MS)
    expect(card.locator("h2")).to_have_text("Transference")
    expect(card).to_contain_text("[1]")
    expect(card).to_contain_text("theory.pdf, page 2 - Transference")
    # the source text comes from the index
    expect(card).to_contain_text("Countertransference is the worker's emotional response")
    expect(card).to_contain_text("When did you last notice transference in a visit?")
    href = card.locator("a.rbp-open").first.get_attribute("href") or ""
    assert href.endswith("theory.pdf#page=2")
    _shot(page, "trainer-concept-card.png")
    handout = _download(page, page.locator("#rbp-card-download"))
    text = handout.read_text(encoding="utf-8")
    assert text.startswith("# Transference") and "theory.pdf, page 2 - Transference" in text


def test_slide_concept_and_hostile_glossary_stay_inert(page) -> None:  # noqa: ANN001
    page.get_by_role("tab", name="Explore concepts").click()
    page.locator("#rbp-concept-list").get_by_text("Kadushin's triangle").click()
    card = page.locator("#rbp-concept-card")
    expect(card).to_contain_text("supervision.pptx, slide 3", timeout=WAIT_MS)
    expect(card).to_contain_text("administrative, educational and supportive")
    page.locator("#rbp-concept-list").get_by_text("Zephyr protocol").click()
    expect(card).to_contain_text("keeps scripts out", timeout=WAIT_MS)
    expect(card).to_contain_text("<script>window.__xss=2</script>")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert card.locator("img[src='x'], script, a[href^='javascript']").count() == 0


def test_presentation_view_steps_through_concepts(page) -> None:  # noqa: ANN001
    page.get_by_role("tab", name="Explore concepts").click()
    page.get_by_role("tab", name="Presentation").click()
    slide = page.locator("#rbp-present")
    expect(slide).to_contain_text("1 of 4", timeout=WAIT_MS)
    expect(slide.locator("h2")).to_have_text("Transference")
    size = slide.locator("h2").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 36  # large type for projecting
    page.locator("#rbp-present-next").click()
    expect(slide).to_contain_text("2 of 4", timeout=WAIT_MS)
    expect(slide.locator("h2")).to_have_text("Kadushin's triangle")
    page.locator("#rbp-present-prev").click()
    page.locator("#rbp-present-prev").click()
    expect(slide).to_contain_text("4 of 4", timeout=WAIT_MS)  # wraps round
    _shot(page, "trainer-presentation.png")


def test_quiz_builds_with_a_seed_and_downloads(page) -> None:  # noqa: ANN001
    page.get_by_role("tab", name="Explore concepts").click()
    page.get_by_role("tab", name="Quiz").click()
    _box(page, "rbp-quiz-seed").fill("7")
    page.locator("#rbp-quiz-build").click()
    quiz = page.locator("#rbp-quiz")
    expect(quiz).to_contain_text("Seed 7", timeout=WAIT_MS)
    expect(quiz).not_to_contain_text("processing", timeout=WAIT_MS)  # Gradio's busy overlay
    first = quiz.inner_text()
    page.locator("#rbp-quiz-build").click()
    page.wait_for_timeout(1000)
    expect(quiz).not_to_contain_text("processing", timeout=WAIT_MS)
    assert quiz.inner_text() == first  # same seed, same quiz
    text = _download(page, page.locator("#rbp-quiz-download")).read_text(encoding="utf-8")
    assert "## Answers" in text and "seed 7" in text
    assert "theory.pdf, page 2" in text or "supervision.pptx, slide 3" in text
    _shot(page, "trainer-quiz.png")


# --- CPD record from a chat session --------------------------------------------------------------
def test_cpd_record_from_chat_to_pdf(page, trainer_app: RunningApp) -> None:  # noqa: ANN001
    cpd_dir = trainer_app.data_dir / "cpd"
    page.locator("#rbp-question textarea").fill("What is transference?")
    page.locator("#rbp-ask").click()
    expect(page.locator("#rbp-chat")).to_contain_text("unconscious redirection", timeout=WAIT_MS)
    expect(page.locator("#rbp-ask")).to_be_enabled(timeout=WAIT_MS)

    page.get_by_role("tab", name="Save as CPD record").click()
    page.locator("#rbp-cpd-fill").click()
    expect(page.locator("#rbp-cpd-fill-msg")).to_contain_text("1 question(s)", timeout=WAIT_MS)
    assert "Transference" in _box(page, "rbp-cpd-title").input_value()
    expect(page.locator("#rbp-cpd-questions")).to_contain_text("What is transference?")
    expect(page.locator("#rbp-cpd-sources")).to_contain_text("theory.pdf, page 2")
    expect(_box(page, "rbp-cpd-type")).to_have_value("self-directed learning")
    for name in ("description", "learnt", "impact", "peer-reflection"):
        assert _box(page, f"rbp-cpd-{name}").input_value() == ""  # never written for the user

    _box(page, "rbp-cpd-description").fill("I looked up transference before a team discussion.")
    _box(page, "rbp-cpd-learnt").fill(
        "Feelings from earlier relationships — “transferred” — shape visits."
    )
    _box(page, "rbp-cpd-impact").fill("My client Sarah Jones calmed down when I named it.")
    page.locator("#rbp-cpd-standards").get_by_text("4.3 Research").click()
    page.locator("#rbp-cpd-save").click()
    warning = page.locator("#rbp-cpd-warning")
    expect(warning).to_contain_text("Sarah Jones", timeout=WAIT_MS)
    assert not cpd_dir.exists()  # nothing saved while the warning stands
    _shot(page, "cpd-warning.png")

    page.locator("#rbp-cpd-remove").click()
    expect(_box(page, "rbp-cpd-impact")).to_have_value(
        "My client [name removed] calmed down when I named it.", timeout=WAIT_MS
    )
    page.locator("#rbp-cpd-save").click()
    expect(page.locator("#rbp-cpd-status")).to_contain_text("Saved", timeout=WAIT_MS)
    expect(page.locator("#rbp-cpd-pdf")).to_be_visible()
    assert sorted(p.suffix for p in cpd_dir.iterdir()) == [".md", ".pdf"]
    _shot(page, "cpd-saved.png")

    pdf = _download(page, page.locator("#rbp-cpd-pdf"))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(pdf)).pages)
    for part in (
        "Feelings from earlier relationships — “transferred” — shape visits.",
        "My client [name removed] calmed down",
        "4.3 Research, theories and frameworks in my practice",
        "Type of activity: self-directed learning",
        "What is transference?",
        "theory.pdf, page 2",
    ):
        assert part in text, part
    assert "Sarah" not in text
    md = _download(page, page.locator("#rbp-cpd-md")).read_text(encoding="utf-8")
    assert md.startswith("# ") and "## What I learnt" in md
