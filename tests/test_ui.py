"""Web chat logic without a browser: rendering, chat service, uploads, auth and app config."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer.base import ABSTAIN_NOTE
from assistant.query.followup import is_follow_up, with_previous
from assistant.records import Answer, Citation
from assistant.settings import Settings
from assistant.ui import render
from assistant.ui.chat import ERROR_TEXT, ChatService, Session
from assistant.ui.feedback import ConversationLog, FeedbackStore
from assistant.ui.trainer import (
    UploadError,
    check_login,
    parse_auth,
    remove_upload,
    safe_filename,
    save_upload,
    trainer_access,
    uploaded_files,
)

XSS = [
    "<script>window.__x=1</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    "$$\\alert$$ ${alert(1)} {{x}} www.example.com",
    "    indented <b>bold</b> & &amp; entity",
]


def _text(markup: str) -> str:
    """What a browser would show for ``markup`` (tags dropped, references decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _cite(n: int = 1, **kw: object) -> Citation:
    data: dict[str, object] = {
        "n": n,
        "chunk_id": f"c{n}",
        "source": "theory.pdf",
        "file_name": "theory.pdf",
        "title": "Theory for practice",
        "page": 2,
        "slide": None,
        "section": "Transference",
        "snippet": "Transference is when feelings from earlier relationships are transferred.",
        "score": 0.8,
    }
    data.update(kw)
    return Citation(**data)  # type: ignore[arg-type]


def _answer(question: str = "What is transference?", **kw: object) -> Answer:
    data: dict[str, object] = {
        "question": question,
        "text": "Transference is when feelings from earlier relationships are transferred [1].",
        "citations": [_cite()],
    }
    data.update(kw)
    return Answer(**data)  # type: ignore[arg-type]


class FakeAssistant:
    """The Pipeline API with canned output; records the questions it was asked."""

    answerer_label = "extractive"

    def __init__(self, answer: Answer | None = None, fail: bool = False) -> None:
        self.answer = answer or _answer()
        self.fail = fail
        self.questions: list[str] = []

    def stream(self, question: str, mode: str | None = None, k: int | None = None) -> Iterator:
        self.questions.append(question)
        if self.fail:
            raise RuntimeError("boom")
        words = self.answer.text.split(" ")
        for i, word in enumerate(words):
            yield word + (" " if i < len(words) - 1 else "")
        yield replace(self.answer, question=question)

    def ask(self, question: str, mode: str | None = None, k: int | None = None) -> Answer:
        *_, final = self.stream(question)
        return final


def _service(
    settings: Settings, assistant: FakeAssistant | None = None, log: bool = False
) -> ChatService:
    return ChatService(
        assistant or FakeAssistant(),
        FeedbackStore(settings.feedback_path),
        ConversationLog(settings.data_dir / "log.jsonl", log),
        None,
    )


# --- rendering -------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", XSS)
def test_inert_leaves_no_markup_and_round_trips(payload: str) -> None:
    out = render.inert(payload)
    assert not re.search(r"[<>\[\]()`*_$\\{}]", out)
    assert html.unescape(out) == payload.lstrip()


def test_highlight_marks_terms_and_escapes_the_rest() -> None:
    text = "Supervisor <b>and</b> supervisors; not supervision."
    out = render.highlight(text, ["supervisors"])
    assert re.findall(r"<mark>(.*?)</mark>", out) == ["Supervisor", "supervisors"]
    assert "<b>" not in out
    assert html.unescape(re.sub(r"</?mark>", "", out)) == text


def test_query_terms_skip_stopwords() -> None:
    assert render.query_terms("What does the course say about the ethic of care?") == [
        "ethic",
        "care",
    ]


def test_answer_message_keeps_markers_and_escapes_text() -> None:
    answer = _answer(text="Use <script>x</script> carefully [1] and [2].")
    out = render.answer_message(answer)
    assert '<span class="rbp-cite">[1]</span>' in out
    assert "<script>" not in out
    assert "rbp-abstain" not in out


def test_answer_list_lines_stay_markdown_list_items_and_their_text_stays_inert() -> None:
    answer = _answer(
        text="Tronto names four: [1]\n- Attentiveness [1]\n- <b>Care</b> [1]\n2. Two [1]"
    )
    lines = render.answer_message(answer).splitlines()
    assert lines[1] == '- Attentiveness <span class="rbp-cite">[1]</span>'
    assert lines[2].startswith("- ") and "<b>" not in lines[2]
    assert lines[3].startswith("2. ")
    # a hyphen inside a sentence is text, not a list
    assert render.answer_markdown("Use - carefully") == render.inert("Use - carefully")


def test_abstention_looks_different() -> None:
    answer = _answer(text="I can't find this in the course materials.", abstained=True)
    out = render.answer_message(answer)
    assert out.startswith('<div class="rbp-abstain">')
    assert render.ABSTAIN_HEADING in out
    panel = render.sources_html(answer, None)
    assert "rbp-sources-abstain" in panel and "Closest passages" in panel
    assert "Theory for practice" in panel
    assert render.answer_message(replace(answer, note=ABSTAIN_NOTE)) == out  # said once already
    read = replace(answer, note="Read together with your earlier question: “What is it?”")
    assert "earlier question" in _text(render.answer_message(read))  # refused, but says how read


def test_sources_panel_names_file_page_section_and_links_to_pdf_page(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "theory.pdf").write_bytes(b"%PDF-1.4")
    panel = render.sources_html(_answer(), corpus)
    assert "Theory for practice" in panel
    assert "theory.pdf · page 2 · Transference" in _text(panel)
    assert "<mark>Transference</mark>" in panel
    expected = "gradio_api/file=" + str((corpus / "theory.pdf").resolve()) + "#page=2"
    assert f'href="{expected}"' in panel


def test_pptx_source_shows_slide_without_page_anchor(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "deck.pptx").write_bytes(b"PK\x03\x04")
    cite = _cite(source="deck.pptx", file_name="deck.pptx", page=None, slide=14, section="IDEAS")
    panel = render.sources_html(_answer(citations=[cite]), corpus)
    assert "deck.pptx · slide 14 · IDEAS" in _text(panel)
    assert "#page=" not in panel and 'deck.pptx"' in panel


def test_no_link_outside_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4")
    cite = _cite(source="../secret.pdf", file_name="secret.pdf")
    assert render.file_url(cite, corpus) is None
    assert render.file_url(_cite(source="missing.pdf"), corpus) is None
    assert "href" not in render.sources_html(_answer(citations=[cite]), corpus)


@pytest.mark.parametrize("payload", XSS)
def test_sources_panel_is_inert_for_hostile_documents(payload: str, tmp_path: Path) -> None:
    cite = _cite(title=payload, section=payload, snippet=payload, file_name=payload)
    panel = render.sources_html(_answer(question=payload, citations=[cite]), tmp_path)
    tags = set(re.findall(r"<\s*([a-zA-Z]+)", panel))
    assert tags <= {"section", "div", "article", "span", "strong", "blockquote", "mark"}
    assert "javascript:" not in panel and "onerror=" not in panel


def test_status_line() -> None:
    line = render.status_line("extractive", {"documents": 3, "chunks": 120})
    assert line == "Answers: extractive · 3 documents · 120 passages indexed"
    assert "not available" in render.status_line("extractive", None)


# --- the chat service ------------------------------------------------------------------------
def test_answer_streams_then_shows_sources(settings: Settings) -> None:
    fake = FakeAssistant()
    session = Session()
    views = list(_service(settings, fake).submit(session, "  What is transference?  "))
    assert fake.questions == ["What is transference?"]
    assert len(views) > 3  # the empty bubble, several deltas, the final answer
    partial = [v.messages[-1]["content"] for v in views[1:-1]]
    assert all(len(a) <= len(b) for a, b in zip(partial, partial[1:], strict=False))
    final = views[-1]
    assert final.messages[0] == {"role": "user", "content": "What is transference&#63;"}
    assert '<span class="rbp-cite">[1]</span>' in final.messages[1]["content"]
    assert "Theory for practice" in final.sources and "page 2" in final.sources
    assert session.answers[1].question == "What is transference?"


def test_empty_question_does_nothing(settings: Settings) -> None:
    fake = FakeAssistant()
    [view] = list(_service(settings, fake).submit(Session(), "   "))
    assert view.messages == [] and fake.questions == []


def test_failure_gives_a_calm_message(settings: Settings) -> None:
    views = list(_service(settings, FakeAssistant(fail=True)).submit(Session(), "Anything?"))
    assert render.inert(ERROR_TEXT) in views[-1].messages[-1]["content"]


def test_like_dislike_comment_and_unrate(settings: Settings) -> None:
    service = _service(settings)
    session = Session()
    list(service.submit(session, "What is transference?"))
    assert service.rate(session, 0, True) == "Only answers can be rated."
    assert "saved" in service.rate(session, 1, True)
    store = FeedbackStore(settings.feedback_path)
    [row] = store.rows()
    assert (row.rating, row.question) == ("like", "What is transference?")
    assert row.citations[0]["location"] == "page 2"
    service.rate(session, 1, False)
    assert store.rows()[0].rating == "dislike"
    assert "saved" in service.comment(session, "Helpful, thanks")
    assert store.rows()[0].comment == "Helpful, thanks"
    service.rate(session, 1, None)
    assert store.rows() == []


class FollowingAssistant(FakeAssistant):
    """A fake that also reads follow-ups, as :meth:`Assistant.follow_up` does."""

    def follow_up(self, question: str, previous: str | None) -> str | None:
        knows = {"transfer", "countertransfer"}.__contains__
        if previous and is_follow_up(question, knows):
            return with_previous(question, previous)
        return None


def test_a_follow_up_is_searched_with_the_last_question_that_had_a_topic(
    settings: Settings,
) -> None:
    fake = FollowingAssistant()
    service = _service(settings, fake)
    session = Session()
    list(service.submit(session, "What is transference?"))
    views = list(service.submit(session, "Who wrote about it?"))
    list(service.submit(session, "Can you give an example?"))
    assert fake.questions == [
        "What is transference?",
        "What is transference? Who wrote about it?",
        "What is transference? Can you give an example?",  # not the follow-up before it
    ]
    latest = _latest_answer(session)
    assert latest.question == "Can you give an example?"  # stored as typed
    assert "earlier question: “What is transference?”" in latest.note
    assert "earlier question" in _text(views[-1].messages[-1]["content"])
    fake.answer = _answer(text="I can't find this.", abstained=True, note=ABSTAIN_NOTE)
    list(service.submit(session, "And who wrote about it?"))
    assert _latest_answer(session).note.startswith("Read together with your earlier question")
    list(service.submit(session, "What is countertransference?"))  # a topic of its own
    assert fake.questions[-1] == "What is countertransference?"
    service.new_conversation(session)
    list(service.submit(session, "Who wrote about it?"))
    assert fake.questions[-1] == "Who wrote about it?"  # nothing to follow after a new start


def _latest_answer(session: Session) -> Answer:
    return session.answers[max(session.answers)]


def test_comment_needs_a_rating_first(settings: Settings) -> None:
    service = _service(settings)
    session = Session()
    list(service.submit(session, "What is transference?"))
    assert "first" in service.comment(session, "no rating yet")
    assert FeedbackStore(settings.feedback_path).rows() == []


QUESTION_WITH_PD = (
    "My client Sarah Jones (NHS 943 476 5919) keeps testing me. What is transference?"
)


def test_personal_data_is_caught_before_answering(settings: Settings) -> None:
    fake = FakeAssistant()
    session = Session()
    [view] = list(_service(settings, fake).submit(session, QUESTION_WITH_PD))
    assert view.warning is not None and "an NHS number" in view.warning
    assert "Sarah" not in view.warning and "943" not in view.warning
    assert view.messages == [] and fake.questions == [] and view.clear_box is False
    assert session.pending == QUESTION_WITH_PD


def test_remove_details_then_ask(settings: Settings) -> None:
    fake = FakeAssistant()
    service = _service(settings, fake)
    session = Session()
    list(service.submit(session, QUESTION_WITH_PD))
    list(service.resolve_pending(session, remove=True))
    [asked] = fake.questions
    assert "Sarah" not in asked and "943" not in asked and "transference" in asked
    assert session.pending is None


def test_ask_anyway_never_stores_the_details(settings: Settings) -> None:
    fake = FakeAssistant()
    service = _service(settings, fake, log=True)
    session = Session()
    list(service.submit(session, QUESTION_WITH_PD))
    list(service.resolve_pending(session, remove=False))
    assert fake.questions == [QUESTION_WITH_PD]
    service.rate(session, 1, True)
    stored = FeedbackStore(settings.feedback_path).rows()[0].question
    logged = (settings.data_dir / "log.jsonl").read_text(encoding="utf-8")
    for text in (stored, logged):
        assert "Sarah" not in text and "943 476 5919" not in text
    assert "[name removed]" in stored


def test_comment_with_personal_data_is_not_saved(settings: Settings) -> None:
    service = _service(settings)
    session = Session()
    list(service.submit(session, "What is transference?"))
    service.rate(session, 1, True)
    assert "not saved" in service.comment(session, "Like my client Mrs Patel, DOB 01/02/1980")
    assert FeedbackStore(settings.feedback_path).rows()[0].comment == ""


def test_risk_disclosure_gets_signposting_and_material(settings: Settings) -> None:
    fake = FakeAssistant()
    session = Session()
    views = list(
        _service(settings, fake).submit(
            session, "I visited today and I think the baby is being hurt by her dad"
        )
    )
    final = views[-1]
    assert "supervisor" in final.messages[-1]["content"]
    assert '<div class="rbp-notice">' in final.messages[-1]["content"]
    assert "Related learning material" in final.sources
    assert session.answers[1].note == "signposting"


def test_disclosure_with_personal_data_is_signposted_at_once_and_not_stored(
    settings: Settings,
) -> None:
    fake = FakeAssistant()
    service = _service(settings, fake, log=True)
    session = Session()
    text = "My client Sarah Jones told me today that her partner hits her"
    views = list(service.submit(session, text))
    assert session.pending is None and views[-1].warning is None  # no privacy detour first
    assert "supervisor" in views[-1].messages[-1]["content"]
    service.rate(session, 1, True)
    stored = FeedbackStore(settings.feedback_path).rows()[0].question
    assert "Sarah" not in stored and "Jones" not in stored


def test_study_question_about_abuse_is_answered_normally(settings: Settings) -> None:
    views = list(_service(settings).submit(Session(), "What is over-intervening?"))
    assert "rbp-notice" not in views[-1].messages[-1]["content"]


def test_conversation_log_off_by_default(settings: Settings) -> None:
    list(_service(settings).submit(Session(), "What is transference?"))
    assert list(settings.data_dir.glob("*.jsonl")) == []


def test_api_record_is_the_answer_as_json(settings: Settings) -> None:
    record = _service(settings).ask_record("What is transference?")
    assert record["question"] == "What is transference?"
    assert record["citations"][0]["label"] == "[1] theory.pdf, page 2 - Transference"
    assert "personal_data" not in record
    flagged = _service(settings).ask_record(QUESTION_WITH_PD)
    assert "an NHS number" in flagged["personal_data"]


def test_new_conversation_clears_the_session(settings: Settings) -> None:
    service = _service(settings)
    session = Session()
    list(service.submit(session, "What is transference?"))
    view = service.new_conversation(session)
    assert view.messages == [] and session.answers == {}
    assert view.sources == render.EMPTY_SOURCES


# --- uploads and auth ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Theory Notes.pdf", "Theory Notes.pdf"),
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\..\\windows\\evil.DOCX", "evil.docx"),
        (".hidden.pptx", "hidden.pptx"),
        ("rép<o>rt;$(rm -rf).pdf", "r_p_o_rt_rm -rf.pdf"),
        ("....pdf", "document.pdf"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["run.exe", "notes", "slides.ppt", "x.pdf.sh", ""])
def test_unsupported_names_are_refused(name: str) -> None:
    with pytest.raises(UploadError):
        safe_filename(name)


def test_save_upload_lands_in_the_uploads_folder(tmp_path: Path) -> None:
    src = tmp_path / "tmp-upload"
    src.write_bytes(b"%PDF-1.4 minimal")
    corpus = tmp_path / "corpus"
    dest = save_upload(src, "../../../outside.pdf", corpus, max_mb=1)
    assert dest == (corpus / "uploads" / "outside.pdf").resolve()
    assert dest.read_bytes() == b"%PDF-1.4 minimal"
    assert not (tmp_path / "outside.pdf").exists()
    assert [p.name for p in (corpus / "uploads").iterdir()] == ["outside.pdf"]


def test_save_upload_checks_size_and_content(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"%PDF-" + b"0" * 2_000_000)
    with pytest.raises(UploadError, match="limit"):
        save_upload(big, "big.pdf", tmp_path / "corpus", max_mb=1)
    fake = tmp_path / "fake"
    fake.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(UploadError, match="real PDF"):
        save_upload(fake, "fake.pdf", tmp_path / "corpus", max_mb=1)
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(UploadError, match="UTF-8"):
        save_upload(binary, "notes.md", tmp_path / "corpus", max_mb=1)


def test_remove_upload_moves_it_out_and_keeps_a_copy(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    src = tmp_path / "src"
    src.write_bytes(b"%PDF-1.4 minimal")
    save_upload(src, "wrong deck.pdf", corpus, max_mb=1)
    save_upload(src, "right deck.pdf", corpus, max_mb=1)
    (corpus / "bundled.pdf").write_bytes(b"%PDF-1.4 bundled")
    assert uploaded_files(corpus) == ["right deck.pdf", "wrong deck.pdf"]
    kept = remove_upload("wrong deck.pdf", corpus, data)
    assert kept.parent == data / "removed" and kept.name.endswith("-wrong deck.pdf")
    assert kept.read_bytes() == b"%PDF-1.4 minimal"
    assert uploaded_files(corpus) == ["right deck.pdf"]
    save_upload(src, "wrong deck.pdf", corpus, max_mb=1)  # removed twice: both copies kept
    assert remove_upload("wrong deck.pdf", corpus, data) != kept and kept.is_file()
    # only documents added in the tab can be removed, and nothing outside the uploads folder
    for name in ("bundled.pdf", "../bundled.pdf", "wrong deck.pdf", ""):
        with pytest.raises(UploadError):
            remove_upload(name, corpus, data)
    assert (corpus / "bundled.pdf").is_file()


def test_remove_handler_requires_login_and_reindexes(settings: Settings, tmp_path: Path) -> None:
    from assistant.ui.trainer_tab import remove_handler

    settings = settings.model_copy(
        update={"corpus_dir": tmp_path / "corpus", "data_dir": tmp_path / "data"}
    )
    ingested: list = []
    ctx = _context(settings, users={"ann": "one"}, ingested=ingested)
    src = tmp_path / "notes.md"
    src.write_text("# Notes\n\nSome text.", encoding="utf-8")
    save_upload(src, "notes.md", settings.corpus_dir, max_mb=1)
    remove = remove_handler(ctx)
    progress = lambda *a, **k: None  # noqa: E731
    assert "log in" in remove("notes.md", Session(), progress)
    assert uploaded_files(settings.corpus_dir) == ["notes.md"] and ingested == []
    assert "Choose" in remove(None, Session(trainer=True), progress)
    out = _text(remove("notes.md", Session(trainer=True), progress))
    assert "Removed notes.md" in out and "Indexed" in out and ingested == [True]
    assert uploaded_files(settings.corpus_dir) == []
    assert "no added document" in _text(remove("notes.md", Session(trainer=True), progress))


def test_parse_auth_from_value_and_file(tmp_path: Path) -> None:
    from assistant.ui.logins import hash_password

    ann, bob = hash_password("one-secret"), hash_password("two-secret")
    assert parse_auth(None) == {}
    assert parse_auth(f"trainer:{ann}") == {"trainer": ann}
    users = tmp_path / "users.txt"
    users.write_text(f"# trainers\nann:{ann}\n\nbob:{bob}\n", encoding="utf-8")
    assert parse_auth(str(users)) == {"ann": ann, "bob": bob}
    with pytest.raises(ValueError):
        parse_auth("no-colon-here")


def test_a_plain_text_password_is_refused_with_how_to_hash_it(tmp_path: Path) -> None:
    from assistant.ui.logins import PlainPasswordError

    users = tmp_path / "users.txt"
    users.write_text("# trainers\nann:correct horse\n", encoding="utf-8")
    for value, where in ((str(users), str(users)), ("ann:correct horse", "RBP_AUTH")):
        with pytest.raises(PlainPasswordError) as err:
            parse_auth(value)
        message = str(err.value)
        assert "'ann'" in message and where in message and "plain text" in message
        assert "rbp-assistant add-trainer NAME --users FILE" in message
        assert "correct horse" not in message


def test_check_login() -> None:
    from assistant.ui.logins import hash_password

    users = {"ann": hash_password("one-secret")}
    assert users["ann"].startswith("$argon2id$") and "one-secret" not in users["ann"]
    assert hash_password("one-secret") != users["ann"]  # salted: a new hash every time
    assert check_login(users, "ann", "one-secret")
    assert check_login(users, " ann ", "one-secret")
    assert not check_login(users, "ann", "two-secret")
    assert not check_login(users, "bob", "one-secret")
    assert not check_login(users, "", "")
    assert not check_login({"ann": "not-a-hash"}, "ann", "not-a-hash")


def test_login_guard_locks_a_user_and_an_address_after_five_failures() -> None:
    from assistant.ui.logins import LoginGuard

    now = [1000.0]
    guard = LoginGuard(max_failures=5, window_s=900, lockout_s=900, clock=lambda: now[0])
    for _ in range(4):
        guard.failed("ann", "10.0.0.1")
    assert guard.locked_for("ann", "10.0.0.1") == 0
    guard.failed("ann", "10.0.0.1")
    assert guard.locked_for("ann", "10.0.0.9") == 900  # the user name, from any address
    assert guard.locked_for("bob", "10.0.0.1") == 900  # the address, for any user name
    assert guard.locked_for("bob", "10.0.0.9") == 0
    now[0] += 901
    assert guard.locked_for("ann", "10.0.0.1") == 0
    for i in range(5):  # spraying many names from one address locks the address
        guard.failed(f"user{i}", "10.0.0.2")
    assert guard.locked_for("carol", "10.0.0.2") > 0
    guard.failed("dan", "10.0.0.3")
    now[0] += 901  # failures older than the window are forgotten
    for _ in range(4):
        guard.failed("dan", "10.0.0.3")
    assert guard.locked_for("dan", "10.0.0.3") == 0


def test_login_handler_locks_out_and_reports_it_plainly(settings: Settings) -> None:
    import assistant.ui.trainer_tab as tab
    from assistant.ui.logins import LoginGuard, hash_password

    settings = settings.model_copy(update={"login_delay_s": 0.0})
    ctx = _context(settings, users={"ann": hash_password("right-secret")})
    login = tab.login_handler(ctx, LoginGuard(max_failures=3))
    request = type("Req", (), {"client": type("C", (), {"host": "192.0.2.7"})()})()
    for _ in range(3):
        assert "not recognised" in login("ann", "wrong", Session(), request)[2]
    session = Session()
    out = login("ann", "right-secret", session, request)  # right, but locked: refused
    assert "Too many failed logins" in out[2] and not session.trainer
    other = type("Req", (), {"client": type("C", (), {"host": "192.0.2.8"})()})()
    assert "Too many" in login("ann", "right-secret", Session(), other)[2]


def test_add_trainer_writes_a_hash_that_logs_in(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    users = tmp_path / "trainers.txt"
    runner = CliRunner()
    for password in ("first password", "second password"):
        result = runner.invoke(
            app,
            ["add-trainer", "ann", "--users", str(users), "--password-stdin"],
            input=password + "\n",
        )
        assert result.exit_code == 0, result.output
    text = users.read_text(encoding="utf-8")
    assert "password" not in text.split("\n", 1)[1] and text.count("ann:$argon2id$") == 1
    assert (users.stat().st_mode & 0o777) == 0o600
    parsed = parse_auth(str(users))
    assert check_login(parsed, "ann", "second password")
    assert not check_login(parsed, "ann", "first password")
    short = runner.invoke(
        app, ["add-trainer", "bob", "--users", str(users), "--password-stdin"], input="abc\n"
    )
    assert short.exit_code == 1 and "at least 8" in short.output


def test_serve_refuses_plain_text_passwords(settings: Settings, tmp_path: Path) -> None:
    from assistant.ui.server import serve_forever

    users = tmp_path / "users.txt"
    users.write_text("ann:hunter22\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        serve_forever(settings.model_copy(update={"auth": str(users)}))
    assert "plain text" in str(stop.value) and "add-trainer" in str(stop.value)


def test_trainer_access() -> None:
    assert trainer_access({"a": "b"}, "0.0.0.0").needs_login
    local = trainer_access({}, "127.0.0.1")
    assert local.enabled and not local.needs_login
    shared = trainer_access({}, "0.0.0.0")
    assert not shared.enabled and "RBP_AUTH" in shared.reason


# --- the Gradio app --------------------------------------------------------------------------
def _context(settings: Settings, users: dict[str, str] | None = None, ingested: list | None = None):
    from assistant.ui.context import UIContext

    def ingest(on_event):  # noqa: ANN001, ANN202
        on_event("ingested uploads/x.pdf")
        (ingested if ingested is not None else []).append(True)
        return type("Report", (), {"ingested": ["uploads/x.pdf"], "chunks": 7, "failed": []})()

    users = users or {}
    return UIContext(
        settings=settings,
        service=_service(settings),
        stats=lambda: {"documents": 2, "chunks": 9},
        ingest=ingest,
        users=users,
        access=trainer_access(users, settings.host),
    )


def test_build_demo_exposes_only_the_ask_api(settings: Settings) -> None:
    from assistant.ui.app import build_demo

    demo = build_demo(_context(settings))
    info = demo.get_api_info()
    assert list(info["named_endpoints"]) == ["/ask"]
    assert "/ask" in str(info)


def test_gradio_deletes_its_copies_of_uploads(settings: Settings) -> None:
    from assistant.ui.app import build_demo

    settings = settings.model_copy(update={"upload_cache_minutes": 5})
    assert build_demo(_context(settings)).delete_cache == (300, 300)


def test_upload_handler_requires_login_when_auth_is_on(settings: Settings, tmp_path: Path) -> None:
    from assistant.ui.trainer_tab import upload_handler

    settings = settings.model_copy(update={"corpus_dir": tmp_path / "corpus"})
    ingested: list = []
    ctx = _context(settings, users={"ann": "one"}, ingested=ingested)
    upload = upload_handler(ctx)
    doc = tmp_path / "notes.md"
    doc.write_text("# Notes\n\nSome text.", encoding="utf-8")
    progress = lambda *a, **k: None  # noqa: E731
    assert "log in" in upload([str(doc)], Session(), progress)
    assert not (tmp_path / "corpus").exists() and ingested == []
    out = upload([str(doc)], Session(trainer=True), progress)
    assert "Added notes.md" in _text(out) and ingested == [True]
    assert (tmp_path / "corpus" / "uploads" / "notes.md").is_file()


def test_launch_settings_stay_local(settings: Settings, tmp_path: Path) -> None:
    import gradio as gr

    from assistant.ui.app import launch_kwargs

    settings = settings.model_copy(update={"corpus_dir": tmp_path / "corpus"})
    kwargs = launch_kwargs(settings)
    assert kwargs["share"] is False and kwargs["server_name"] == "127.0.0.1"
    assert kwargs["allowed_paths"] == [str((tmp_path / "corpus").resolve())]
    assert "gradio" not in kwargs["footer_links"]
    assert kwargs["run_history"] is False and kwargs["mcp_server"] is False
    fonts = kwargs["theme"]._font + kwargs["theme"]._font_mono
    assert not any(isinstance(f, gr.themes.GoogleFont) for f in fonts)
    local = [f for f in fonts if isinstance(f, gr.themes.LocalFont)]
    assert local and all(600 not in f.weights for f in local)


# --- bad input at the chat --------------------------------------------------------------------
def test_a_100_kb_question_is_refused_clearly_and_never_searched(settings: Settings) -> None:
    fake = FakeAssistant()
    service = _service(settings, fake)
    session = Session()
    [view] = list(service.submit(session, "What is care? " * 7500))  # about 100 KB
    shown = _text(view.messages[-1]["content"])
    assert "104,999 characters long" in shown and "up to 2,000 characters" in shown
    assert fake.questions == [] and not view.clear_box  # left in the box to shorten
    record = service.ask_record("x" * 100_000)
    assert record["abstained"] and "100,000 characters" in record["text"]
    assert fake.questions == [] and len(record["question"]) == 200


def test_control_and_invisible_characters_are_removed_from_questions(settings: Settings) -> None:
    from assistant.ui.inputs import clean_question

    typed = "What\x00 is\u202e trans\u200bference?\x1b[31m\r\n\x07 \ud800 "
    assert clean_question(typed) == "What is transference?[31m"
    fake = FakeAssistant()
    list(_service(settings, fake).submit(Session(), typed))
    assert fake.questions == ["What is transference?[31m"]
    assert _service(settings, fake).ask_record("\x00\x01 care\x7f")["question"] == "care"
    # a question of only control characters is treated as empty
    [view] = list(_service(settings, fake).submit(Session(), "\x00\x1b\u200b"))
    assert view.messages == [] and len(fake.questions) == 2


def test_rendered_text_has_no_control_or_bidi_characters() -> None:
    out = render.inert("safe\u202etxt.exe\x00<b>")
    assert "\u202e" not in out and "\x00" not in out and "<" not in out
    assert _text(out) == "safetxt.exe<b>"


def test_document_text_loses_control_characters(tmp_path: Path) -> None:
    from assistant.ingest.loaders import load_file

    (tmp_path / "notes.md").write_text("# Notes\n\nCare\x1b[2J and \u202etrust\x07.\n")
    [doc] = load_file(tmp_path / "notes.md", tmp_path)
    assert "Care[2J and trust." in doc.page_content and "\x1b" not in doc.page_content
