"""What happens when someone asks a question in the web chat, without any Gradio types.

:class:`ChatService` holds what every session shares (the assistant, the feedback store, the log);
:class:`Session` is one browser tab's state. Each step yields a :class:`View` that ``app.py`` maps
onto components, so this logic is tested without a browser.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from assistant.guards.safeguarding import RiskClassifier
from assistant.query.followup import follow_up_note
from assistant.records import Answer
from assistant.ui import guards, render
from assistant.ui.feedback import ConversationLog, FeedbackStore
from assistant.ui.inputs import MAX_QUESTION_CHARS, clean_question, strip_invisible, too_long

log = logging.getLogger(__name__)

ERROR_TEXT = (
    "Sorry, something went wrong while answering. Please try again; if it keeps happening, "
    "tell your trainer."
)


class Answering(Protocol):
    """The part of :class:`assistant.pipeline.Assistant` the chat uses."""

    @property
    def answerer_label(self) -> str: ...

    def ask(self, question: str, mode: str | None = None, k: int | None = None) -> Answer: ...

    def stream(
        self, question: str, mode: str | None = None, k: int | None = None
    ) -> Iterator[str | Answer]: ...


@dataclass
class Session:
    """One browser tab: the messages shown and what each answer was (for feedback)."""

    messages: list[dict[str, str]] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
    feedback_ids: dict[int, int] = field(default_factory=dict)
    last_rated: int | None = None
    pending: str | None = None
    trainer: bool = False
    #: The last question with a topic of its own; a follow-up ("who wrote about it?") is read
    #: together with it.
    topic: str | None = None


@dataclass
class View:
    """What the chat shows after a step."""

    messages: list[dict[str, str]]
    sources: str
    warning: str | None = None
    info: str = ""
    clear_box: bool = True


class ChatService:
    """Answers questions for any number of sessions; safe to share between threads."""

    def __init__(
        self,
        assistant: Answering,
        feedback: FeedbackStore,
        conversation_log: ConversationLog,
        corpus_dir: Path | None,
    ) -> None:
        self.assistant = assistant
        self.feedback = feedback
        self.conversation_log = conversation_log
        self.corpus_dir = corpus_dir

    def _risk_classifier(self) -> RiskClassifier | None:
        """The safeguarding classifier, sharing the assistant's embedding model when it has one."""
        return getattr(self.assistant, "risk_classifier", None)

    # --- asking ----------------------------------------------------------------------------------
    def submit(self, session: Session, question: str) -> Iterator[View]:
        """A question typed by the user: check it for personal data first, then answer it."""
        question = clean_question(question)
        if not question:
            yield self._view(session, clear_box=False)
            return
        if refusal := too_long(question):
            content = render.notice_message("Question too long", refusal)
            session.messages.append({"role": "assistant", "content": content})
            yield self._view(session, clear_box=False)
            return
        findings = guards.find_personal_data(question)
        signpost = guards.risk_signposting(question, self._risk_classifier())
        if signpost is not None:  # a disclosure is signposted at once, and never stored as typed
            session.messages.append({"role": "user", "content": render.inert(question)})
            yield from self._signpost(session, question, signpost, flagged=bool(findings))
            return
        if findings:
            session.pending = question
            yield self._view(session, warning=personal_data_warning(findings), clear_box=False)
            return
        yield from self._answer(session, question, flagged=False)

    def resolve_pending(self, session: Session, remove: bool) -> Iterator[View]:
        """The user chose "remove the details and ask" (``remove``) or "ask anyway"."""
        question, session.pending = session.pending, None
        if not question:
            yield self._view(session)
            return
        if remove:
            yield from self._answer(session, guards.redact(question), flagged=False)
        else:
            yield from self._answer(session, question, flagged=True)

    def cancel_pending(self, session: Session) -> View:
        """The user wants to edit the question: hand it back to the box."""
        session.pending = None
        return self._view(session, clear_box=False)

    def _answer(self, session: Session, question: str, flagged: bool) -> Iterator[View]:
        session.messages.append({"role": "user", "content": render.inert(question)})
        signpost = guards.risk_signposting(question, self._risk_classifier())
        if signpost is not None:
            yield from self._signpost(session, question, signpost, flagged)
            return
        session.messages.append({"role": "assistant", "content": ""})
        index = len(session.messages) - 1
        yield self._view(session, sources=render.SEARCHING)
        partial = ""
        answer: Answer | None = None
        previous = session.topic
        try:
            searched = self._follow_up(question, previous)
            if searched is None:
                searched, previous, session.topic = question, None, question
            for item in self.assistant.stream(searched):
                if isinstance(item, Answer):
                    answer = item
                    break
                partial += item
                session.messages[index]["content"] = render.streaming_message(partial)
                yield self._view(session, sources=render.SEARCHING)
        except Exception:  # the user gets a calm message; the details go to the server log
            log.exception("answering failed")
            session.messages[index]["content"] = render.notice_message("Sorry", ERROR_TEXT)
            yield self._view(session, sources=render.EMPTY_SOURCES)
            return
        if answer is None:
            answer = Answer(question=question, text=partial)
        if previous is not None:  # stored and shown as typed, with a line saying how it was read
            note = follow_up_note(previous) if answer.abstained else answer.note
            answer = replace(answer, question=question, note=note or follow_up_note(previous))
        self._finish(session, index, answer, flagged, render.answer_message(answer))
        yield self._view(session)

    def _follow_up(self, question: str, previous: str | None) -> str | None:
        """What to search for ``question`` read as a follow-up to ``previous``, or None when it
        has a topic of its own (or the assistant cannot tell)."""
        resolve = getattr(self.assistant, "follow_up", None)
        return resolve(question, previous) if resolve is not None and previous else None

    def _signpost(
        self, session: Session, question: str, signpost: str, flagged: bool
    ) -> Iterator[View]:
        """Reply to a disclosure of risk with signposting; learning material goes to Sources."""
        session.messages.append(
            {"role": "assistant", "content": render.signpost_message(signpost, False)}
        )
        index = len(session.messages) - 1
        yield self._view(session, sources=render.SEARCHING)
        try:
            material = self.assistant.ask(question)
        except Exception:
            log.exception("looking up related material failed")
            yield self._view(session, sources=render.EMPTY_SOURCES)
            return
        material = replace(material, text=signpost, note="signposting")
        content = render.signpost_message(signpost, bool(material.citations))
        self._finish(session, index, material, True, content)
        yield self._view(session)

    def _finish(
        self, session: Session, index: int, answer: Answer, flagged: bool, content: str
    ) -> None:
        session.messages[index]["content"] = content
        session.answers[index] = answer
        if flagged:
            session.flagged.add(index)
        self.conversation_log.write(self._storable(session, index))

    def _storable(self, session: Session, index: int) -> Answer:
        """The answer as it may be stored: flagged text is replaced by its redacted form."""
        answer = session.answers[index]
        if index in session.flagged:
            return replace(answer, question=guards.redact(answer.question))
        return answer

    def ask_record(self, question: str) -> dict[str, Any]:
        """For the API: the Answer record as a dict (signposting replaces it for risk disclosures).

        Kinds of personal data found in the question are listed under ``personal_data``.
        """
        question = clean_question(question)
        if refusal := too_long(question):
            return Answer(
                question=question[:200], text=refusal, abstained=True, note="too long"
            ).to_dict()
        signpost = guards.risk_signposting(question, self._risk_classifier()) if question else None
        answer = self.assistant.ask(question)
        if signpost is not None:
            answer = replace(answer, text=signpost, note="signposting")
        record = answer.to_dict()
        findings = guards.find_personal_data(question) if question else []
        if findings:
            record["personal_data"] = sorted({f.kind for f in findings})
        return record

    # --- feedback --------------------------------------------------------------------------------
    def rate(self, session: Session, index: int, liked: Any) -> str:
        """Store a like/dislike for the answer at message ``index``; returns a status line."""
        if index not in session.answers:
            return "Only answers can be rated."
        row = session.feedback_ids.get(index)
        if liked is None or liked == "":
            if row is not None:
                self.feedback.delete(row)
                del session.feedback_ids[index]
            return "Rating removed."
        rating = "like" if liked is True or str(liked).lower() == "like" else "dislike"
        if row is None:
            stored = self._storable(session, index)
            session.feedback_ids[index] = self.feedback.record(stored, rating)
        else:
            self.feedback.set_rating(row, rating)
        session.last_rated = index
        return "Thank you — your rating was saved. You can add a comment below."

    def comment(self, session: Session, text: str) -> str:
        """Attach a comment to the answer rated last."""
        text = strip_invisible(text or "").strip()[:MAX_QUESTION_CHARS]
        if not text:
            return "Write a comment first."
        if session.last_rated is None or session.last_rated not in session.feedback_ids:
            return "Rate an answer with the thumbs up or down first, then add your comment."
        if guards.find_personal_data(text):
            return (
                "Your comment seems to contain personal details, so it was not saved. "
                "Please remove them and send it again."
            )
        self.feedback.set_comment(session.feedback_ids[session.last_rated], text)
        return "Thank you — your comment was saved."

    # --- helpers ---------------------------------------------------------------------------------
    def new_conversation(self, session: Session) -> View:
        session.messages.clear()
        session.answers.clear()
        session.flagged.clear()
        session.feedback_ids.clear()
        session.last_rated = None
        session.pending = None
        session.topic = None
        return self._view(session)

    def _view(
        self,
        session: Session,
        *,
        sources: str | None = None,
        warning: str | None = None,
        clear_box: bool = True,
    ) -> View:
        if sources is None:
            sources = render.sources_html(_latest(session), self.corpus_dir)
        return View(list(session.messages), sources, warning=warning, clear_box=clear_box)


def _latest(session: Session) -> Answer | None:
    return session.answers[max(session.answers)] if session.answers else None


def personal_data_warning(findings: list[guards.Finding]) -> str:
    """Plain-text warning naming the kinds of detail found (not the details themselves)."""
    kinds = sorted({f.kind for f in findings})
    return (
        "Your question seems to contain details that could identify someone ("
        + ", ".join(kinds)
        + "). This assistant is for learning, not casework: please remove them. "
        "You can let us remove them for you, edit the question, or ask anyway "
        "(the details are then never stored)."
    )
