"""The "Explore concepts" tab: glossary search, concept cards, a presentation view and quizzes.

The functions above ``build_concepts_tab`` turn records into HTML (every corpus string goes
through :func:`render.inert`) and are tested without a browser; the builder only wires them up.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.records import Citation
from assistant.teach.concepts import (
    GLOSSARY_FILE,
    ConceptCard,
    Glossary,
    GlossaryError,
    PageSource,
    build_card,
    card_markdown,
    load_glossary,
    page_source_for,
)
from assistant.teach.quiz import KINDS, LETTERS, Quiz, build_quiz, quiz_markdown
from assistant.ui import render

log = logging.getLogger(__name__)

ALL_TOPICS = "All topics"
EMPTY_CARD = '<div class="rbp-sources-empty">Search or choose a concept to see its card.</div>'
KIND_LABELS = {
    "term": "Which term fits this definition?",
    "definition": "Which definition fits this term?",
    "gap": "Fill the gap",
}

CSS = """
.rbp-card h2 { font-size: 1.5rem; margin: 0 0 0.2rem; }
.rbp-card h3 { font-size: 1.05rem; margin: 1rem 0 0.3rem; color: #17393b; }
.rbp-card .rbp-meta { color: var(--body-text-color-subdued); font-size: 0.92rem; }
.rbp-card .rbp-definition { font-size: 1.1rem; line-height: 1.5; }
.rbp-card blockquote { margin: 0.2rem 0 0.6rem; padding: 0.3rem 0.7rem;
  border-left: 3px solid #b9dcdc; line-height: 1.45; }
.rbp-card .rbp-notes { color: var(--body-text-color-subdued); font-style: italic; }
.rbp-card .rbp-cite, .rbp-present .rbp-cite { color: #0f5f63; font-weight: 700; }
.rbp-card .rbp-vignette { background: #f6f8fa; border-radius: 6px; padding: 0.5rem 0.8rem; }
.rbp-present { padding: 1.5rem 2rem; min-height: 420px; border-radius: 10px;
  background: #fbfdfd; border: 1px solid #b9dcdc; }
.rbp-present .rbp-present-topic { font-size: 1.2rem; color: #45676a; }
.rbp-present h2 { font-size: 2.8rem; line-height: 1.15; margin: 0.3rem 0 1rem; }
.rbp-present .rbp-present-def { font-size: 1.9rem; line-height: 1.4; }
.rbp-present ul { font-size: 1.5rem; line-height: 1.4; }
.rbp-present .rbp-present-src { font-size: 1.05rem; color: #45676a; margin-top: 1.2rem; }
.rbp-quiz li { margin: 0.15rem 0; }
.rbp-quiz .rbp-answer { color: #0f5f63; }
"""


# --- HTML ----------------------------------------------------------------------------------------
def _refs(numbers: list[int | None]) -> str:
    return "".join(f'<span class="rbp-cite">[{int(n)}]</span>' for n in numbers if n is not None)


def _lines_html(text: str) -> str:
    return "<br>".join(render.inert(line) for line in text.split("\n"))


def _source_item(citation: Citation, corpus_dir: Path | None) -> str:
    url = render.file_url(citation, corpus_dir)
    label = render.inert(citation.label())
    if url is None:
        return f"<li>{label}</li>"
    return (
        f'<li>{label} · <a class="rbp-open" href="{url}" target="_blank" '
        f'rel="noopener noreferrer">open</a></li>'
    )


def card_html(card: ConceptCard, corpus_dir: Path | None) -> str:
    """The concept card: definition, source text, vignette, questions and sources, all cited."""
    c = card.concept
    meta = [c.topic] if c.topic else []
    if c.aliases:
        meta.append("Also called: " + ", ".join(c.aliases))
    parts = [
        f'<article class="rbp-card" aria-label="{render.inert(c.term)}">',
        f"<h2>{render.inert(c.term)}</h2>",
        f'<div class="rbp-meta">{render.inert(" · ".join(meta))}</div>',
        "<h3>Definition</h3>",
        f'<p class="rbp-definition">{render.inert(c.definition)} '
        f"{_refs(list(card.definition_refs))}</p>",
    ]
    if card.passages:
        parts.append("<h3>In the course materials</h3>")
        labels = {cite.n: cite.label() for cite in card.citations}
        for p in card.passages:
            head = f"{_refs([p.n])} {render.inert(labels[p.n].split('] ', 1)[-1])}"
            if p.same_as is not None:
                parts.append(f"<div>{head}: the same text as {_refs([p.same_as])}</div>")
                continue
            notes = f'<div class="rbp-notes">{_lines_html(p.notes)}</div>' if p.notes else ""
            parts.append(f"<div>{head}</div><blockquote>{_lines_html(p.text)}{notes}</blockquote>")
    elif card.missing:
        parts.append(
            '<p class="rbp-meta">The source text is not in the index yet: ask a trainer to '
            "index the course folder.</p>"
        )
    if card.vignette is not None:
        parts.append(f"<h3>{render.inert(card.vignette.title)} {_refs([card.vignette_ref])}</h3>")
        parts.append(f'<p class="rbp-vignette">{render.inert(card.vignette.text)}</p>')
    if card.questions:
        parts.append(f"<h3>Questions for discussion {_refs([card.questions_ref])}</h3><ul>")
        parts += [f"<li>{render.inert(q)}</li>" for q in card.questions]
        parts.append("</ul>")
    parts.append("<h3>Sources</h3><ul>")
    parts += [_source_item(cite, corpus_dir) for cite in card.citations]
    parts.append("</ul></article>")
    return "".join(parts)


def present_html(card: ConceptCard, position: int, total: int, questions: bool) -> str:
    """One concept in large type for projecting: term, definition, (questions), where to read."""
    c = card.concept
    sources = "; ".join(cite.label() for cite in card.citations if cite.n in card.definition_refs)
    body = [
        '<section class="rbp-present" aria-live="polite">',
        f'<div class="rbp-present-topic">{render.inert(c.topic)} · {position} of {total}</div>',
        f"<h2>{render.inert(c.term)}</h2>",
        f'<p class="rbp-present-def">{render.inert(c.definition)}</p>',
    ]
    if questions and card.questions:
        body.append("<ul>" + "".join(f"<li>{render.inert(q)}</li>" for q in card.questions))
        body.append("</ul>")
    body.append(f'<div class="rbp-present-src">{render.inert(sources)}</div></section>')
    return "".join(body)


def quiz_html(quiz: Quiz, answers: bool) -> str:
    """The quiz on screen, with the answers and citations when ``answers``."""
    items = []
    for q in quiz.questions:
        options = "".join(
            f"<li>{LETTERS[i]}. {render.inert(opt)}</li>" for i, opt in enumerate(q.options)
        )
        answer = ""
        if answers:
            where = "; ".join(loc.label() for loc in q.sources[:2])
            answer = (
                f'<div class="rbp-answer">Answer: <strong>{render.inert(q.answer_label)}</strong>'
                f" · check: {render.inert(where)}</div>"
            )
        items.append(
            f"<li><p>{render.inert(q.prompt)}</p>"
            + (
                f'<ol type="A" style="list-style:none;padding-left:0.5rem">{options}</ol>'
                if options
                else ""
            )
            + answer
            + "</li>"
        )
    return f'<ol class="rbp-quiz">{"".join(items)}</ol><p class="rbp-meta">Seed {quiz.seed}</p>'


# --- state ---------------------------------------------------------------------------------------
@dataclass
class Trainer:
    """The glossary and the index for the tab (loaded once; the glossary may be missing)."""

    glossary: Glossary | None
    pages: PageSource | None
    corpus_dir: Path | None
    problem: str = ""

    @classmethod
    def from_context(cls, ctx: Any) -> Trainer:
        corpus_dir = ctx.settings.corpus_dir
        pages = page_source_for(ctx.service.assistant)
        try:
            glossary = load_glossary(corpus_dir / GLOSSARY_FILE, ctx.settings.concept_min_score)
            return cls(glossary, pages, corpus_dir)
        except GlossaryError as exc:
            return cls(None, pages, corpus_dir, str(exc))

    def choices(self, query: str, topic: str | None) -> list[tuple[str, str]]:
        """(label, id) of the concepts matching ``query`` within ``topic``, for the picker."""
        if self.glossary is None:
            return []
        topic = None if topic in (None, "", ALL_TOPICS) else topic
        found = self.glossary.search(query, limit=60) if query.strip() else self.glossary.concepts
        return [(c.term, c.id) for c in found if topic is None or c.topic == topic]

    def card(self, concept_id: str | None, with_text: bool = True) -> ConceptCard | None:
        """The card for ``concept_id``; ``with_text`` False skips reading the index."""
        if self.glossary is None or not concept_id:
            return None
        concept = self.glossary.get(concept_id)
        if concept is None:
            return None
        if not with_text:
            return build_card(self.glossary, concept, None)
        try:
            return build_card(self.glossary, concept, self.pages)
        except Exception:  # the index may be unavailable; the card still has its citations
            log.exception("reading the source text for %s failed", concept_id)
            return build_card(self.glossary, concept, None)


def write_handout(text: str, name: str) -> str:
    """A handout file for download (course material only, never personal data)."""
    folder = Path(tempfile.mkdtemp(prefix="rbp-handout-"))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- the tab -------------------------------------------------------------------------------------
def build_concepts_tab(ctx: Any) -> None:
    """Add the "Explore concepts" tab to the enclosing ``gr.Tabs``."""
    import gradio as gr

    trainer = Trainer.from_context(ctx)
    with gr.Tab("Explore concepts", id="concepts"):
        if trainer.glossary is None:
            gr.Markdown(render.inert(trainer.problem), elem_id="rbp-concepts-missing")
            return
        topics = [ALL_TOPICS, *trainer.glossary.topics()]
        with gr.Tabs():
            with gr.Tab("Concept cards", id="cards"):
                _build_cards(gr, trainer, topics)
            with gr.Tab("Presentation", id="present"):
                _build_presentation(gr, trainer, topics)
            with gr.Tab("Quiz", id="quiz"):
                _build_quiz(gr, trainer, topics)


def _build_cards(gr: Any, trainer: Trainer, topics: list[str]) -> None:
    first = trainer.choices("", None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=260):
            query = gr.Textbox(
                label="Search the glossary",
                placeholder="e.g. transference, Kadushin, containment",
                max_length=200,
                elem_id="rbp-concept-search",
            )
            topic = gr.Dropdown(topics, value=ALL_TOPICS, label="Topic", elem_id="rbp-topic")
            picker = gr.Radio(first, value=None, label="Concepts", elem_id="rbp-concept-list")
        with gr.Column(scale=3, min_width=360):
            card = gr.HTML(
                EMPTY_CARD,
                elem_id="rbp-concept-card",
                css_template=CSS,
                js_on_load=None,
                padding=True,
            )
            download = gr.DownloadButton(
                "Download this card (Markdown)", visible=False, elem_id="rbp-card-download"
            )

    def filter_list(text: str, chosen_topic: str) -> Any:
        return gr.update(choices=trainer.choices(text or "", chosen_topic), value=None)

    def pick_first(text: str, chosen_topic: str) -> tuple[Any, ...]:
        found = trainer.choices(text or "", chosen_topic)
        if not found:
            return (
                gr.update(choices=[], value=None),
                "No concept matches that search.",
                gr.update(visible=False),
            )
        return (gr.update(choices=found, value=found[0][1]), *show(found[0][1]))

    def show(concept_id: str | None) -> tuple[Any, Any]:
        made = trainer.card(concept_id)
        if made is None:
            return EMPTY_CARD, gr.update(visible=False)
        path = write_handout(card_markdown(made), f"{made.concept.id}.md")
        return card_html(made, trainer.corpus_dir), gr.update(value=path, visible=True)

    private: dict[str, Any] = {"api_visibility": "private"}
    query.change(filter_list, [query, topic], [picker], **private)
    query.submit(pick_first, [query, topic], [picker, card, download], **private)
    topic.change(filter_list, [query, topic], [picker], **private)
    picker.change(show, [picker], [card, download], **private)


def _build_presentation(gr: Any, trainer: Trainer, topics: list[str]) -> None:
    def view(index: int, chosen_topic: str, with_questions: bool) -> tuple[str, int]:
        ids = [cid for _, cid in trainer.choices("", chosen_topic)]
        if not ids:
            return EMPTY_CARD, 0
        index %= len(ids)
        made = trainer.card(ids[index], with_text=False)
        assert made is not None
        return present_html(made, index + 1, len(ids), with_questions), index

    gr.Markdown("One concept at a time in large type, for projecting in a session.")
    with gr.Row():
        topic = gr.Dropdown(topics, value=ALL_TOPICS, label="Topic", scale=2)
        questions = gr.Checkbox(label="Show the discussion questions", value=False, scale=1)
    position = gr.State(0)
    slide = gr.HTML(
        view(0, ALL_TOPICS, False)[0],
        elem_id="rbp-present",
        css_template=CSS,
        js_on_load=None,
    )
    with gr.Row():
        prev_btn = gr.Button("◀ Previous", elem_id="rbp-present-prev")
        next_btn = gr.Button("Next ▶", variant="primary", elem_id="rbp-present-next")

    def step(delta: int) -> Any:
        def move(index: int, chosen_topic: str, with_questions: bool) -> tuple[str, int]:
            return view(index + delta, chosen_topic, with_questions)

        return move

    inputs = [position, topic, questions]
    private: dict[str, Any] = {"api_visibility": "private"}
    prev_btn.click(step(-1), inputs, [slide, position], **private)
    next_btn.click(step(1), inputs, [slide, position], **private)
    topic.change(lambda t, q: view(0, t, q), [topic, questions], [slide, position], **private)
    questions.change(view, inputs, [slide, position], **private)


def _build_quiz(gr: Any, trainer: Trainer, topics: list[str]) -> None:
    gr.Markdown(
        "Build a short quiz from the glossary. Each answer names the page or slide to check it "
        "against. The same seed gives the same quiz."
    )
    with gr.Row():
        count = gr.Slider(3, 20, value=10, step=1, label="Questions", elem_id="rbp-quiz-n")
        topic = gr.Dropdown(topics, value=ALL_TOPICS, label="Topic")
        seed = gr.Number(
            None, label="Seed (optional)", precision=0, minimum=0, elem_id="rbp-quiz-seed"
        )
    kinds = gr.CheckboxGroup(
        [(KIND_LABELS[k], k) for k in KINDS], value=list(KINDS), label="Kinds of question"
    )
    show_answers = gr.Checkbox(label="Show the answers on screen", value=False)
    build_btn = gr.Button("Build the quiz", variant="primary", elem_id="rbp-quiz-build")
    shown = gr.HTML(elem_id="rbp-quiz", css_template=CSS, js_on_load=None, padding=True)
    download = gr.DownloadButton(
        "Download the quiz with answers (Markdown)", visible=False, elem_id="rbp-quiz-download"
    )
    made_quiz = gr.State(None)

    def make(
        n: float, chosen_topic: str, chosen_seed: float | None, chosen: list[str], answers: bool
    ) -> tuple[Any, ...]:
        assert trainer.glossary is not None
        try:
            made = build_quiz(
                trainer.glossary,
                n=int(n),
                seed=int(chosen_seed) if chosen_seed else None,
                kinds=tuple(chosen) or KINDS,
                topic=None if chosen_topic == ALL_TOPICS else chosen_topic,
            )
        except ValueError as exc:
            return render.inert(str(exc)), gr.update(visible=False), None
        path = write_handout(quiz_markdown(made), f"quiz-seed-{made.seed}.md")
        return quiz_html(made, answers), gr.update(value=path, visible=True), made

    def toggle(made: Quiz | None, answers: bool) -> str:
        return quiz_html(made, answers) if made is not None else ""

    private: dict[str, Any] = {"api_visibility": "private"}
    build_btn.click(
        make, [count, topic, seed, kinds, show_answers], [shown, download, made_quiz], **private
    )
    show_answers.change(toggle, [made_quiz, show_answers], [shown], **private)
