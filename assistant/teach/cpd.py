"""CPD records in the shape Social Work England asks registrants to keep, from a chat session.

The assistant fills in only facts: a title, the date, the type of activity, the questions asked and
the sources cited (file and page or slide). The reflective fields (the description, what was
learnt, the impact, reflection with a peer) are only ever written by the user: this module offers
prompts for them, never text. Nothing is written to disk until
:func:`assistant.teach.cpd_export.save_record` is called.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from assistant.records import Answer, location_label

DEFAULT_ACTIVITY = "self-directed learning"
ACTIVITY_TYPES = (
    "self-directed learning",
    "reading or research",
    "course, training or e-learning",
    "supervision",
    "peer learning or group discussion",
    "conference, seminar or webinar",
    "other",
)


@dataclass(frozen=True)
class Standard:
    code: str
    title: str

    def label(self) -> str:
        return f"{self.code} {self.title}"


#: Social Work England professional standards (2019) a CPD record is often tagged with: all of
#: standard 4 ("maintain my continuing professional development") and some of standards 1-3.
#: The titles are short summaries; the full wording is on socialworkengland.org.uk.
STANDARDS = (
    Standard("1.1", "Value each person as an individual, with their strengths and abilities"),
    Standard("1.3", "Work in partnership, recognising people as experts in their own lives"),
    Standard("1.6", "Promote social justice"),
    Standard("1.7", "Use power and authority responsibly"),
    Standard("2.1", "Be open, honest, reliable and fair"),
    Standard("2.2", "Respect people's dignity and privacy"),
    Standard("2.3", "Maintain professional relationships; explain the social work role"),
    Standard("3.1", "Work within legal and ethical frameworks"),
    Standard("3.2", "Use information from a range of sources, including supervision"),
    Standard("4.1", "Feedback, including from people with lived experience"),
    Standard("4.2", "Supervision and feedback to reflect on learning needs"),
    Standard("4.3", "Research, theories and frameworks in my practice"),
    Standard("4.4", "Subject knowledge and current issues"),
    Standard("4.5", "An open and creative learning culture"),
    Standard("4.6", "Reflection on learning and its impact on practice"),
    Standard("4.7", "Recording learning and reflection regularly"),
    Standard("4.8", "Reflection on my own values"),
)
STANDARD_BY_CODE = {s.code: s for s in STANDARDS}

#: Prompts shown next to the fields only the user writes (never used as content).
PROMPTS = {
    "description": "What did you do, and why is it relevant to your role? For example, what "
    "made you look these ideas up.",
    "learnt": "What did you learn? Which idea, theory or piece of research was new to you, or "
    "clearer now? Did anything surprise you or challenge your view?",
    "impact": "How has this changed, or how will it change, your practice? What difference "
    "could it make to the people you work with? Describe people in general terms only.",
    "peer_reflection": "Optional. If you talked this over with a colleague, supervisor or "
    "peer: what did you discuss and what did you take from it? Social Work England asks for "
    "reflection with a peer in at least one record a year.",
}
FIELD_NAMES = {
    "title": "Title",
    "activity_type": "Type of activity",
    "date": "Date",
    "description": "Description and why it is relevant",
    "learnt": "What I learnt",
    "impact": "Impact on my practice and on the people I work with",
    "peer_reflection": "Reflection with a peer",
}
USER_FIELDS = ("title", "description", "learnt", "impact", "peer_reflection")
REFLECTIVE_FIELDS = ("description", "learnt", "impact", "peer_reflection")
NOT_WRITTEN = "(not written yet)"
MAX_FIELD_CHARS = 5000


class CPDError(ValueError):
    """A record that cannot be exported as it stands (message is for the user)."""


@dataclass(frozen=True)
class SourceRef:
    """A document the session cited: file, page or slide, and its heading."""

    file_name: str
    page: int | None = None
    slide: int | None = None
    heading: str = ""

    def label(self) -> str:
        where = location_label(self.page, self.slide)
        text = self.file_name + (f", {where}" if where else "")
        return text + (f" - {self.heading}" if self.heading else "")


@dataclass
class CPDRecord:
    """One CPD record; every reflective field is empty until the user writes it."""

    title: str
    date: date
    activity_type: str = DEFAULT_ACTIVITY
    description: str = ""
    learnt: str = ""
    impact: str = ""
    peer_reflection: str = ""
    standards: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CPDRecord:
        """A record from JSON-like data (as written by :meth:`to_dict` or by hand)."""
        try:
            when = parse_date(str(data.get("date") or date.today().isoformat()))
            sources = [SourceRef(**s) for s in data.get("sources") or []]
        except (TypeError, ValueError) as exc:
            raise CPDError(f"The record could not be read: {exc}") from exc
        return cls(
            title=str(data.get("title") or ""),
            date=when,
            activity_type=str(data.get("activity_type") or DEFAULT_ACTIVITY),
            description=str(data.get("description") or ""),
            learnt=str(data.get("learnt") or ""),
            impact=str(data.get("impact") or ""),
            peer_reflection=str(data.get("peer_reflection") or ""),
            standards=[str(s) for s in data.get("standards") or []],
            questions=[str(q) for q in data.get("questions") or []],
            sources=sources,
        )


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"the date {text!r} is not in the form YYYY-MM-DD")


# --- prefilling from a chat session --------------------------------------------------------------
def sources_from_answers(answers: Iterable[Answer]) -> list[SourceRef]:
    """Distinct cited sources in order of first citation (abstentions cite nothing)."""
    seen: dict[SourceRef, None] = {}
    for answer in answers:
        if answer.abstained:
            continue
        for c in answer.citations:
            ref = SourceRef(c.file_name or c.source, c.page, c.slide, c.section or c.title)
            seen.setdefault(ref, None)
    return list(seen)


def session_answers(answers: dict[int, Answer], flagged: Iterable[int] = ()) -> list[Answer]:
    """A chat session's answers as a CPD record may use them.

    Replies to risk disclosures (``note == 'signposting'``) are left out: they are about a
    situation, not learning. Questions flagged for personal data are redacted.
    """
    from assistant.guards import privacy

    flagged = set(flagged)
    out: list[Answer] = []
    for index in sorted(answers):
        answer = answers[index]
        if answer.note == "signposting":
            continue
        question = answer.question
        if index in flagged or privacy.find_personal_data(question):
            question = privacy.redact(question, privacy.find_personal_data(question))
        out.append(Answer(**{**vars(answer), "question": question}))
    return out


def prefill(
    answers: Sequence[Answer], today: date | None = None, terms: Sequence[str] = ()
) -> CPDRecord:
    """A record with only facts filled in: title, date, type, questions and sources.

    ``terms`` (e.g. glossary concepts the questions mention) go into the title.
    """
    today = today or date.today()
    questions = list(dict.fromkeys(a.question.strip() for a in answers if a.question.strip()))
    title = "Self-directed learning: relationship-based practice"
    if terms:
        title += " (" + ", ".join(list(dict.fromkeys(terms))[:3]) + ")"
    return CPDRecord(
        title=title, date=today, questions=questions, sources=sources_from_answers(answers)
    )


# --- checks --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataWarning:
    field: str
    kind: str
    text: str

    def message(self) -> str:
        name = FIELD_NAMES.get(self.field, self.field)
        return f"{name}: {self.kind.replace('_', ' ')} “{self.text}”"


def personal_data_warnings(record: CPDRecord) -> list[DataWarning]:
    """Likely personal data about the people worked with, in the fields the user wrote."""
    from assistant.guards import privacy

    return [
        DataWarning(name, f.kind, f.text)
        for name in USER_FIELDS
        for f in privacy.find_personal_data(getattr(record, name))
    ]


def remove_personal_data(record: CPDRecord) -> CPDRecord:
    """A copy with the likely personal data in the user's fields replaced by labels."""
    from assistant.guards import privacy

    changes = {
        name: privacy.redact(
            getattr(record, name), privacy.find_personal_data(getattr(record, name))
        )
        for name in USER_FIELDS
    }
    return CPDRecord(**{**vars(record), **changes})


def missing_fields(record: CPDRecord) -> list[str]:
    """Required fields still empty (reflection with a peer is optional)."""
    required = ("title", "description", "learnt", "impact")
    return [FIELD_NAMES[n] for n in required if not getattr(record, n).strip()]


def validate(record: CPDRecord) -> None:
    """Raise :class:`CPDError` for a record that cannot be exported."""
    if not record.title.strip():
        raise CPDError("Give the record a title.")
    unknown = [s for s in record.standards if s not in STANDARD_BY_CODE]
    if unknown:
        raise CPDError(f"Unknown professional standard(s): {', '.join(unknown)}.")
    for name in USER_FIELDS:
        if len(getattr(record, name)) > MAX_FIELD_CHARS:
            raise CPDError(f"{FIELD_NAMES[name]} is longer than {MAX_FIELD_CHARS} characters.")


# --- export --------------------------------------------------------------------------------------
def _md(text: str) -> str:
    from assistant.teach.concepts import md_escape

    return md_escape(text)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def record_sections(record: CPDRecord) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) in the order both exports use; plain text, not escaped."""
    sections: list[tuple[str, list[str]]] = []
    for name in REFLECTIVE_FIELDS:
        text = getattr(record, name)
        if name == "peer_reflection" and not text.strip():
            continue
        sections.append((FIELD_NAMES[name], _paragraphs(text) or [NOT_WRITTEN]))
    return sections


def to_markdown(record: CPDRecord) -> str:
    """The record as Markdown; everything the user or the corpus wrote is escaped."""
    out = [f"# {_md(record.title)}", ""]
    out += [
        f"- **Date:** {record.date.isoformat()}",
        f"- **Type of activity:** {_md(record.activity_type)}",
    ]
    if record.standards:
        tags = "; ".join(_md(STANDARD_BY_CODE[s].label()) for s in record.standards)
        out.append(f"- **Social Work England professional standards:** {tags}")
    out.append("")
    for heading, paragraphs in record_sections(record):
        out += [f"## {heading}", ""]
        for p in paragraphs:
            out += [_md(p), ""]
    if record.questions:
        out += ["## Questions I explored", ""] + [f"- {_md(q)}" for q in record.questions] + [""]
    if record.sources:
        out += ["## Sources consulted", ""] + [f"- {_md(s.label())}" for s in record.sources]
        out.append("")
    out.append(
        "*Recorded with the rbp-assistant course assistant: questions and sources from the "
        "session; the reflective sections are my own words.*"
    )
    return "\n".join(out) + "\n"


def template() -> dict[str, Any]:
    """An empty record with the prompts, for ``rbp-assistant cpd --template``."""
    data = CPDRecord(title="", date=date.today()).to_dict()
    data["_prompts"] = dict(PROMPTS)
    data["_standards"] = {s.code: s.title for s in STANDARDS}
    return data
