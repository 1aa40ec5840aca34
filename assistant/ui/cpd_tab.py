"""The "Save as CPD record" tab: a Social Work England CPD record from the current chat session.

Only facts are filled in for the user (title, date, type, the questions asked, the sources cited).
The reflective fields start empty, with prompts beside them, and are only ever the user's words.
Nothing is written until the user presses "Check and save"; the files then go to
``<data dir>/cpd/`` and are offered for download.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from assistant.teach.cpd import (
    ACTIVITY_TYPES,
    DEFAULT_ACTIVITY,
    PROMPTS,
    STANDARDS,
    CPDError,
    CPDRecord,
    DataWarning,
    SourceRef,
    missing_fields,
    parse_date,
    personal_data_warnings,
    prefill,
    remove_personal_data,
    session_answers,
)
from assistant.teach.cpd_export import save_record
from assistant.ui import render
from assistant.ui.chat import Session

INTRO = (
    "Turn what you looked up in this conversation into a record for your Social Work England "
    "CPD log. The title, date, questions and sources are filled in for you; **the reflective "
    "sections are yours to write** — the assistant never writes them. Nothing is saved until "
    "you press *Check and save*."
)
NO_SESSION = "Ask some questions in the Ask tab first; then fill the record in from them here."


@dataclass
class Draft:
    """What the form holds, as plain values (the Gradio handlers map components onto this)."""

    title: str = ""
    when: str = ""
    activity_type: str = DEFAULT_ACTIVITY
    description: str = ""
    learnt: str = ""
    impact: str = ""
    peer_reflection: str = ""
    standards: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    def record(self) -> CPDRecord:
        try:
            when = parse_date(self.when) if self.when.strip() else date.today()
        except ValueError as exc:
            raise CPDError(f"Date: {exc}.") from exc
        return CPDRecord(
            title=self.title.strip(),
            date=when,
            activity_type=self.activity_type.strip() or DEFAULT_ACTIVITY,
            description=self.description,
            learnt=self.learnt,
            impact=self.impact,
            peer_reflection=self.peer_reflection,
            standards=list(self.standards),
            questions=list(self.questions),
            sources=list(self.sources),
        )


def from_session(session: Session, terms_of: Any = None, today: date | None = None) -> CPDRecord:
    """The prefilled record for a chat session (``terms_of(text)`` names concepts for the title)."""
    answers = session_answers(session.answers, session.flagged)
    terms: list[str] = []
    if terms_of is not None:
        for answer in answers:
            terms += terms_of(answer.question)
    return prefill(answers, today=today, terms=terms)


@dataclass
class Outcome:
    """What pressing "Check and save" led to."""

    message: str
    paths: list[Path] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)


def check_and_save(draft: Draft, folder: Path, anyway: bool = False) -> Outcome:
    """Save the record as Markdown and PDF, unless it needs fixing or may hold personal data."""
    try:
        record = draft.record()
        warnings = personal_data_warnings(record)
        if warnings and not anyway:
            return Outcome(
                "Your record may contain details that could identify someone. Please check the "
                "parts listed below: remove them yourself, let us remove them, or save anyway.",
                warnings=warnings,
            )
        paths = save_record(record, folder, ("md", "pdf"))
    except CPDError as exc:
        return Outcome(str(exc))
    message = "Saved. Download your record below."
    missing = missing_fields(record)
    if missing:
        message += " Still to write: " + ", ".join(missing) + "."
    return Outcome(message, paths=paths)


def warnings_html(warnings: list[DataWarning]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{render.inert(w.message())}</li>" for w in warnings)
    return f'<div class="rbp-notice"><strong>Please check</strong><ul>{items}</ul></div>'


def source_choices(sources: list[SourceRef]) -> list[tuple[str, int]]:
    return [(s.label(), i) for i, s in enumerate(sources)]


# --- the tab -------------------------------------------------------------------------------------
REFLECTIVE_LABELS = (
    ("description", "Description and why it is relevant"),
    ("learnt", "What I learnt"),
    ("impact", "Impact on my practice and on the people I work with"),
    ("peer_reflection", "Reflection with a peer (optional)"),
)


@dataclass
class Form:
    """The tab's components (Gradio objects), in the order the handlers read them."""

    fill_btn: Any
    fill_msg: Any
    sources_state: Any
    title: Any
    when: Any
    kind: Any
    questions: Any
    sources: Any
    boxes: dict[str, Any]
    standards: Any
    save_btn: Any
    status: Any
    warning: Any
    fix_row: Any
    remove_btn: Any
    anyway_btn: Any
    md_file: Any
    pdf_file: Any

    @property
    def inputs(self) -> list[Any]:
        """What :func:`draft` reads, in its order."""
        return [
            self.title,
            self.when,
            self.kind,
            *self.boxes.values(),
            self.standards,
            self.questions,
            self.sources,
            self.sources_state,
        ]


def build_cpd_tab(ctx: Any, session: Any) -> None:
    """Add the "Save as CPD record" tab; ``session`` is the chat's ``gr.State(Session())``."""
    import gradio as gr

    with gr.Tab("Save as CPD record", id="cpd"):
        gr.Markdown(INTRO)
        form = _build_form()
    _wire(form, session, ctx.settings.data_dir / "cpd", _glossary_terms(ctx.settings))


def _glossary_terms(settings: Any) -> Any:
    """``text -> glossary terms it mentions``, or None without a readable glossary."""
    from assistant.teach.concepts import GLOSSARY_FILE, GlossaryError, load_glossary

    try:
        glossary = load_glossary(settings.corpus_dir / GLOSSARY_FILE, settings.concept_min_score)
    except GlossaryError:
        return None
    return lambda text: [c.term for c in glossary.mentioned_in(text)]


def _build_form() -> Form:
    import gradio as gr

    fill_btn = gr.Button("Fill in from this conversation", elem_id="rbp-cpd-fill")
    fill_msg = gr.Markdown(elem_id="rbp-cpd-fill-msg")
    sources_state = gr.State([])
    title, when, kind = _header_fields()
    questions = gr.CheckboxGroup(
        [],
        label="Questions you explored (untick any to leave out)",
        visible=False,
        elem_id="rbp-cpd-questions",
    )
    sources = gr.CheckboxGroup(
        [],
        type="value",
        label="Sources cited (untick any to leave out)",
        visible=False,
        elem_id="rbp-cpd-sources",
    )
    gr.Markdown("### In your own words")
    boxes = {name: _reflective_box(name, label) for name, label in REFLECTIVE_LABELS}
    standards = gr.CheckboxGroup(
        [(s.label(), s.code) for s in STANDARDS],
        label="Social Work England professional standards this relates to (optional)",
        elem_id="rbp-cpd-standards",
    )
    save_btn = gr.Button("Check and save", variant="primary", elem_id="rbp-cpd-save")
    status = gr.Markdown(elem_id="rbp-cpd-status")
    warning = gr.HTML(elem_id="rbp-cpd-warning", js_on_load=None)
    with gr.Row(visible=False) as fix_row:
        remove_btn = gr.Button("Remove the details for me", elem_id="rbp-cpd-remove")
        anyway_btn = gr.Button("Save anyway", elem_id="rbp-cpd-anyway")
    with gr.Row():
        md_file = gr.DownloadButton("Download Markdown", visible=False, elem_id="rbp-cpd-md")
        pdf_file = gr.DownloadButton("Download PDF", visible=False, elem_id="rbp-cpd-pdf")
    return Form(
        fill_btn, fill_msg, sources_state, title, when, kind, questions, sources, boxes,
        standards, save_btn, status, warning, fix_row, remove_btn, anyway_btn, md_file, pdf_file,
    )  # fmt: skip


def _header_fields() -> tuple[Any, Any, Any]:
    """Title, date and type of activity, on one row."""
    import gradio as gr

    with gr.Row():
        title = gr.Textbox(label="Title", max_length=300, scale=3, elem_id="rbp-cpd-title")
        when = gr.Textbox(
            label="Date (YYYY-MM-DD)",
            placeholder="today",
            scale=1,
            max_length=10,
            elem_id="rbp-cpd-date",
        )
        kind = gr.Dropdown(
            list(ACTIVITY_TYPES),
            value=DEFAULT_ACTIVITY,
            label="Type of activity",
            allow_custom_value=True,
            scale=2,
            elem_id="rbp-cpd-type",
        )
    return title, when, kind


def _reflective_box(name: str, label: str) -> Any:
    """A box for one reflective field: always empty, the user's own words."""
    import gradio as gr

    return gr.Textbox(
        label=label,
        info=PROMPTS[name],
        lines=4,
        max_length=5000,
        value="",
        placeholder="Write this yourself.",
        elem_id=f"rbp-cpd-{name.replace('_', '-')}",
    )


# --- what the tab's buttons do -------------------------------------------------------------------
def fill(sess: Session, terms_of: Any) -> tuple[Any, ...]:
    """The facts of the conversation into the form (the reflective fields are left alone)."""
    import gradio as gr

    record = from_session(sess, terms_of)
    if not record.questions:
        return (
            NO_SESSION,
            gr.update(),
            gr.update(),
            gr.update(choices=[], value=[], visible=False),
            gr.update(choices=[], value=[], visible=False),
            [],
        )
    return (
        f"Filled in from {len(record.questions)} question(s) and "
        f"{len(record.sources)} source(s). Now write the reflective sections.",
        record.title,
        record.date.isoformat(),
        gr.update(choices=record.questions, value=record.questions, visible=True),
        gr.update(
            choices=source_choices(record.sources),
            value=list(range(len(record.sources))),
            visible=bool(record.sources),
        ),
        record.sources,
    )


def draft(*values: Any) -> Draft:
    """The form's values (in :attr:`Form.inputs` order) as a :class:`Draft`."""
    (t, w, k, desc, learnt, impact, peer, stds, qs, chosen, all_sources) = values
    picked = [all_sources[i] for i in sorted(chosen or []) if 0 <= i < len(all_sources)]
    return Draft(
        t or "",
        w or "",
        k or "",
        desc or "",
        learnt or "",
        impact or "",
        peer or "",
        list(stds or []),
        list(qs or []),
        picked,
    )


def outcome_outputs(outcome: Outcome) -> tuple[Any, ...]:
    """Status, warning, the fix-it row and the two download buttons after a save attempt."""
    import gradio as gr

    saved = {p.suffix: str(p) for p in outcome.paths}
    return (
        render.inert(outcome.message),
        warnings_html(outcome.warnings),
        gr.update(visible=bool(outcome.warnings)),
        gr.update(value=saved.get(".md"), visible=".md" in saved),
        gr.update(value=saved.get(".pdf"), visible=".pdf" in saved),
    )


def remove(*values: Any) -> tuple[Any, ...]:
    """The form with the personal details replaced by labels, or why that failed."""
    import gradio as gr

    try:
        cleaned = remove_personal_data(draft(*values).record())
    except CPDError as exc:
        return (
            render.inert(str(exc)),
            "",
            gr.update(visible=False),
            *(gr.update() for _ in range(5)),
        )
    return (
        "The details were replaced by labels such as [name removed]. Check the text, then save.",
        "",
        gr.update(visible=False),
        cleaned.title,
        cleaned.description,
        cleaned.learnt,
        cleaned.impact,
        cleaned.peer_reflection,
    )


def _wire(form: Form, session: Any, folder: Path, terms_of: Any) -> None:
    def save(*values: Any) -> tuple[Any, ...]:
        return outcome_outputs(check_and_save(draft(*values), folder))

    def save_anyway(*values: Any) -> tuple[Any, ...]:
        return outcome_outputs(check_and_save(draft(*values), folder, anyway=True))

    def fill_form(sess: Session) -> tuple[Any, ...]:
        return fill(sess, terms_of)

    private: dict[str, Any] = {"api_visibility": "private"}
    filled = [form.fill_msg, form.title, form.when, form.questions, form.sources]
    form.fill_btn.click(fill_form, [session], [*filled, form.sources_state], **private)
    results = [form.status, form.warning, form.fix_row, form.md_file, form.pdf_file]
    form.save_btn.click(save, form.inputs, results, **private)
    form.anyway_btn.click(save_anyway, form.inputs, results, **private)
    cleaned = [form.status, form.warning, form.fix_row, form.title, *form.boxes.values()]
    form.remove_btn.click(remove, form.inputs, cleaned, **private)
