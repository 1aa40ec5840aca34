"""The real web chat in a real Chromium (Debian's, via Playwright; never `playwright install`).

Each app is ``python app.py`` over a generated corpus (a PDF, a PPTX and a Markdown file full of
hostile markup) with the real embedding model. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.integration.webapp import (
    ARTIFACTS,
    REPO,
    WAIT_MS,
    RunningApp,
    running_app,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser]


playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture(scope="module")
def open_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    with running_app(tmp_path_factory.mktemp("web-open")) as app:
        yield app


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    workdir = tmp_path_factory.mktemp("web-auth")
    users = workdir / "users.txt"
    from assistant.ui.logins import hash_password

    hashed = hash_password("correct horse")
    users.write_text(f"# trainers\ntrainer:{hashed}\n", encoding="utf-8")
    with running_app(workdir, auth=str(users)) as app:
        yield app


class Visit:
    """A page plus everything it requested and any dialog it tried to open."""

    def __init__(self, browser, url: str) -> None:  # noqa: ANN001
        self.context = browser.new_context(viewport={"width": 1360, "height": 1000})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        expect(self.page.locator("#rbp-status")).to_contain_text("documents", timeout=WAIT_MS)

    def _dialog(self, dialog) -> None:  # noqa: ANN001
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def ask(self, question: str) -> None:
        self.page.locator("#rbp-question textarea").fill(question)
        self.page.locator("#rbp-ask").click()

    @property
    def chat(self):  # noqa: ANN201
        return self.page.locator("#rbp-chat")

    @property
    def sources(self):  # noqa: ANN201
        return self.page.locator("#rbp-sources")

    def wait_answer(self, *texts: str) -> None:
        for text in texts:
            expect(self.chat).to_contain_text(text, timeout=WAIT_MS)
        expect(self.page.locator("#rbp-ask")).to_be_enabled(timeout=WAIT_MS)

    def foreign_hosts(self) -> set[str]:
        hosts = set()
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname != "127.0.0.1":
                hosts.add(parsed.hostname or url)
        return hosts

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, open_app: RunningApp) -> Iterator[Visit]:  # noqa: ANN001
    v = Visit(browser, open_app.url)
    yield v
    v.close()


def _feedback_rows(app: RunningApp) -> list[tuple]:
    path = app.data_dir / "feedback.sqlite"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        try:
            return conn.execute("SELECT rating, question, citations FROM feedback").fetchall()
        except sqlite3.OperationalError:  # the app has made the file but not yet its table
            return []


def _wait_for(predicate, timeout: float = 15.0):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


# --- asking --------------------------------------------------------------------------------------
def test_cited_answer_sources_and_like(visit: Visit, open_app: RunningApp) -> None:
    visit.ask("What is transference?")
    visit.wait_answer("[1]", "unconscious redirection")
    expect(visit.sources).to_contain_text("theory.pdf · page 2", timeout=WAIT_MS)
    expect(visit.sources).to_contain_text("Theory for practice")
    expect(visit.sources.locator("mark").first).to_have_text("Transference", ignore_case=True)
    link = visit.sources.locator("a.rbp-open").first
    href = link.get_attribute("href") or ""
    assert href.endswith("theory.pdf#page=2")
    pdf = visit.page.request.get(visit.page.url.rstrip("/") + "/" + href.split("#")[0])
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    visit.chat.get_by_role("button", name="Like").last.click()
    rows = _wait_for(lambda: _feedback_rows(open_app))
    assert [(r[0], r[1]) for r in rows] == [("like", "What is transference?")]
    assert "theory.pdf" in rows[0][2]
    expect(visit.page.locator("#rbp-feedback-status")).to_contain_text("saved")

    visit.screenshot("web-chat-answer.png")
    assert visit.dialogs == []
    assert visit.foreign_hosts() == set(), visit.foreign_hosts()


def test_a_follow_up_is_read_with_the_earlier_question(visit: Visit) -> None:
    visit.ask("What is transference?")
    visit.wait_answer("[1]", "unconscious redirection")
    visit.ask("Can you say more about it?")
    expect(visit.chat.locator(".rbp-note").last).to_contain_text(
        "earlier question: “What is transference?”", timeout=WAIT_MS
    )
    expect(visit.page.locator("#rbp-ask")).to_be_enabled(timeout=WAIT_MS)
    expect(visit.sources).to_contain_text("theory.pdf · page 2", timeout=WAIT_MS)


def test_slide_answer_names_the_slide(visit: Visit) -> None:
    visit.ask("What are the three functions of Kadushin's triangle of supervision?")
    visit.wait_answer("[1]", "administrative")
    expect(visit.sources).to_contain_text("supervision.pptx · slide 3", timeout=WAIT_MS)
    expect(visit.sources).to_contain_text("Kadushin's triangle")
    assert visit.foreign_hosts() == set()


def test_clicking_an_example_asks_it(visit: Visit) -> None:
    visit.page.get_by_text("What does the ethic of care involve?").click()
    visit.wait_answer("What does the ethic of care involve?", "[1]")
    expect(visit.sources).to_contain_text("theory.pdf · page 3", timeout=WAIT_MS)


def test_abstention_looks_different_and_lists_closest(visit: Visit) -> None:
    visit.ask("What is the boiling point of water at sea level?")
    expect(visit.chat.locator(".rbp-abstain")).to_contain_text(
        "Not in the course materials", timeout=WAIT_MS
    )
    visit.screenshot("web-chat-abstain.png")


def test_only_the_corpus_is_served(visit: Visit, open_app: RunningApp) -> None:
    base = visit.page.url.rstrip("/") + "/gradio_api/file="
    for secret in (open_app.data_dir / "manifest.sqlite", REPO / "app.py"):
        assert visit.page.request.get(base + str(secret)).status == 403


# --- hostile input stays inert -------------------------------------------------------------------
HOSTILE_QUESTION = (
    "What does the zephyr protocol say? <script>window.__xss=9</script> "
    '<img src=x onerror="window.__xss=8"> [tap](javascript:window.__xss=7)'
)


def test_hostile_question_and_document_render_as_text(visit: Visit) -> None:
    visit.ask(HOSTILE_QUESTION)
    visit.wait_answer("zephyr")
    expect(visit.sources).to_contain_text("zephyr-notes.md", timeout=WAIT_MS)
    visit.page.wait_for_timeout(500)
    assert visit.dialogs == []
    assert visit.page.evaluate("window.__xss") is None
    for region in (visit.chat, visit.sources):
        assert region.locator("img[src='x'], script, a[href^='javascript']").count() == 0
    chat_text = visit.chat.inner_text()
    assert "<script>window.__xss=9</script>" in chat_text
    assert "[tap](javascript:window.__xss=7)" in chat_text
    assert "onerror" in visit.sources.inner_text()
    visit.screenshot("web-chat-xss.png")


# --- privacy and safeguarding --------------------------------------------------------------------
def test_personal_data_warning_then_removal(visit: Visit) -> None:
    visit.ask("My client Sarah Jones (NHS 943 476 5919) keeps testing me. What is transference?")
    warning = visit.page.locator("#rbp-privacy-warning").first
    expect(warning).to_be_visible(timeout=WAIT_MS)
    expect(warning).to_contain_text("an NHS number")
    assert "Sarah" not in warning.inner_text()
    visit.screenshot("web-chat-privacy.png")
    visit.page.get_by_role("button", name="Remove the details and ask").click()
    visit.wait_answer("[name removed]", "[NHS number removed]")
    answered = visit.chat.locator(".rbp-cite, .rbp-abstain").first
    expect(answered).to_be_visible(timeout=WAIT_MS)  # cited or not, it was answered
    expect(warning).to_be_hidden()
    assert "Sarah" not in visit.chat.inner_text()


def test_risk_disclosure_gets_signposting(visit: Visit) -> None:
    visit.ask("I visited today and I think the baby is being hurt by her dad")
    expect(visit.chat.locator(".rbp-notice")).to_contain_text("supervisor", timeout=WAIT_MS)
    assert "[1]" not in visit.chat.inner_text()


# --- trainer uploads -----------------------------------------------------------------------------
NEW_DOC = (
    "# Mentalisation\n\n"
    "Mentalisation means holding mind in mind: seeing yourself from the outside.\n"
)


def _upload(v: Visit, path: Path) -> None:
    v.page.locator("#rbp-upload input[type=file]").set_input_files(str(path))
    # by the cell's accessible name: Gradio splits the shown name into stem and extension, and
    # the text between them sometimes renders as a space ("mentalisation notes .md")
    uploaded = v.page.locator("#rbp-upload").get_by_role("cell", name=path.name)
    expect(uploaded).to_be_visible(timeout=WAIT_MS)
    v.page.get_by_role("button", name="Add to the course materials").click()
    expect(v.page.locator("#rbp-upload-result")).to_contain_text("Indexed", timeout=WAIT_MS)


def test_upload_without_auth_on_loopback(
    visit: Visit, open_app: RunningApp, tmp_path: Path
) -> None:
    visit.page.get_by_role("tab", name="Add documents (trainers)").click()
    expect(visit.page.locator("#rbp-user")).to_be_hidden()
    doc = tmp_path / "mentalisation notes.md"
    doc.write_text(NEW_DOC, encoding="utf-8")
    _upload(visit, doc)
    assert (open_app.corpus_dir / "uploads" / "mentalisation notes.md").is_file()
    expect(visit.page.locator("#rbp-upload")).not_to_contain_text(doc.name)  # cleared for the next
    expect(visit.page.locator("#rbp-status")).to_contain_text("4 documents", timeout=WAIT_MS)
    visit.page.get_by_role("tab", name="Ask").click()
    visit.ask("What does mentalisation mean?")
    visit.wait_answer("[1]", "holding mind in mind")
    expect(visit.sources).to_contain_text("mentalisation notes.md", timeout=WAIT_MS)

    # and out again: the document leaves the index, a copy is kept in the data dir
    visit.page.get_by_role("tab", name="Add documents (trainers)").click()
    visit.page.locator("#rbp-removable input").click()
    visit.page.get_by_role("option", name="mentalisation notes.md").click()
    visit.page.get_by_role("button", name="Remove from the course materials").click()
    result = visit.page.locator("#rbp-upload-result")
    expect(result).to_contain_text("Removed mentalisation notes.md", timeout=WAIT_MS)
    expect(result).to_contain_text("1 removed", timeout=WAIT_MS)
    expect(visit.page.locator("#rbp-status")).to_contain_text("3 documents", timeout=WAIT_MS)
    assert not (open_app.corpus_dir / "uploads" / "mentalisation notes.md").exists()
    kept = list((open_app.data_dir / "removed").iterdir())
    assert [p.name.endswith("-mentalisation notes.md") for p in kept] == [True]
    expect(visit.page.locator("#rbp-documents")).not_to_contain_text("mentalisation")
    visit.screenshot("web-chat-trainer-removed.png")
    visit.page.get_by_role("tab", name="Ask").click()
    visit.page.get_by_role("button", name="New conversation").click()
    expect(visit.chat.locator(".rbp-cite, .rbp-abstain")).to_have_count(0, timeout=WAIT_MS)
    visit.ask("What does mentalisation mean?")
    answered = visit.chat.locator(".rbp-cite, .rbp-abstain").first
    expect(answered).to_be_visible(timeout=WAIT_MS)
    expect(visit.page.locator("#rbp-ask")).to_be_enabled(timeout=WAIT_MS)
    assert "holding mind in mind" not in visit.chat.inner_text()
    expect(visit.sources).not_to_contain_text("mentalisation notes.md")


def test_upload_needs_login_when_auth_is_on(browser, auth_app: RunningApp, tmp_path: Path) -> None:  # noqa: ANN001
    v = Visit(browser, auth_app.url)
    try:
        v.page.get_by_role("tab", name="Add documents (trainers)").click()
        expect(v.page.locator("#rbp-upload")).to_be_hidden()
        v.page.locator("#rbp-user").locator("textarea, input").first.fill("trainer")
        v.page.locator("#rbp-password").locator("input").first.fill("wrong")
        v.page.locator("#rbp-login").click()
        expect(v.page.get_by_text("not recognised")).to_be_visible(timeout=WAIT_MS)
        expect(v.page.locator("#rbp-upload")).to_be_hidden()
        v.page.locator("#rbp-password").locator("input").first.fill("correct horse")
        v.page.locator("#rbp-login").click()
        expect(v.page.locator("#rbp-upload")).to_be_visible(timeout=WAIT_MS)
        doc = tmp_path / "mentalisation.md"
        doc.write_text(NEW_DOC, encoding="utf-8")
        _upload(v, doc)
        assert (auth_app.corpus_dir / "uploads" / "mentalisation.md").is_file()
        v.screenshot("web-chat-trainer.png")
        assert v.foreign_hosts() == set()
    finally:
        v.close()
        shutil.rmtree(auth_app.corpus_dir / "uploads", ignore_errors=True)
