"""The Gradio Blocks app: layout and wiring only; the logic lives in chat.py and trainer.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.settings import Settings
from assistant.ui import render, style
from assistant.ui.chat import Session, View
from assistant.ui.concepts_tab import build_concepts_tab
from assistant.ui.context import UIContext
from assistant.ui.cpd_tab import build_cpd_tab
from assistant.ui.trainer_tab import build_trainer_tab

TITLE = "Relationship-based practice: course assistant"
NOTICE = (
    "<strong>For learning and reflection, not for case decisions.</strong> "
    "Answers come only from the course materials and cite the page or slide. "
    "Please don't type names or other details that could identify the people you work with."
)
EXAMPLES = [
    "What is transference?",
    "What does the ethic of care involve?",
    "What is the IDEAS model?",
    "What are the three functions in Kadushin's triangle of supervision?",
    "What is emotional labour?",
    "How can supervision support reflective practice?",
]


# --- chat handlers -------------------------------------------------------------------------------
def _outputs(view: View, session: Session) -> tuple[Any, ...]:
    warning = view.warning is not None
    return (
        view.messages,
        view.sources,
        gr.update() if not view.clear_box else "",
        gr.update(visible=warning),
        render.inert(view.warning or ""),
        session,
    )


def _chat_handlers(ctx: UIContext) -> dict[str, Callable[..., Any]]:
    service = ctx.service

    def respond(question: str, session: Session) -> Iterator[tuple[Any, ...]]:
        for view in service.submit(session, question):
            yield _outputs(view, session)

    def remove_and_ask(session: Session) -> Iterator[tuple[Any, ...]]:
        for view in service.resolve_pending(session, remove=True):
            yield _outputs(view, session)

    def ask_anyway(session: Session) -> Iterator[tuple[Any, ...]]:
        for view in service.resolve_pending(session, remove=False):
            yield _outputs(view, session)

    def edit(session: Session) -> tuple[Any, ...]:
        return _outputs(service.cancel_pending(session), session)

    def new_conversation(session: Session) -> tuple[Any, ...]:
        return _outputs(service.new_conversation(session), session)

    def on_like(session: Session, data: gr.LikeData) -> tuple[str, Session]:
        index = data.index if isinstance(data.index, int) else data.index[0]
        return service.rate(session, index, data.liked), session

    def on_comment(text: str, session: Session) -> tuple[str, str, Session]:
        message = service.comment(session, text)
        saved = message.startswith("Thank you")
        return message, "" if saved else text, session

    return {
        "respond": respond,
        "remove_and_ask": remove_and_ask,
        "ask_anyway": ask_anyway,
        "edit": edit,
        "new_conversation": new_conversation,
        "on_like": on_like,
        "on_comment": on_comment,
    }


def _build_chat_tab(ctx: UIContext, session: gr.State) -> None:
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            parts = _conversation()
            parts |= _feedback_controls()
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### Sources")
            parts["sources"] = gr.HTML(render.EMPTY_SOURCES, elem_id="rbp-sources", js_on_load=None)
    _wire_chat(_chat_handlers(ctx), parts, session, ctx.settings.concurrency)


def _conversation() -> dict[str, Any]:
    """The chat, the personal-data warning with its three choices, the question box and the
    example questions."""
    parts: dict[str, Any] = {}
    parts["chatbot"] = gr.Chatbot(
        label="Conversation",
        elem_id="rbp-chat",
        height=480,
        buttons=["copy"],
        sanitize_html=True,
        allow_tags=False,
        latex_delimiters=[],
        render_markdown=True,
        placeholder="Ask a question about the course materials. Every answer cites "
        "the document and the page or slide it comes from.",
    )
    with gr.Column(visible=False, elem_id="rbp-privacy-warning") as parts["warning_box"]:
        parts["warning_text"] = gr.HTML(js_on_load=None)
        with gr.Row():
            parts["remove_btn"] = gr.Button(
                "Remove the details and ask", variant="primary", size="sm"
            )
            parts["anyway_btn"] = gr.Button("Ask anyway (details never stored)", size="sm")
            parts["edit_btn"] = gr.Button("Edit my question", size="sm")
    with gr.Row(equal_height=False):
        parts["question"] = gr.Textbox(
            label="Your question",
            placeholder="e.g. What is transference?",
            max_length=2000,
            scale=5,
            elem_id="rbp-question",
            autofocus=True,
        )
        parts["ask_btn"] = gr.Button(
            "Ask", variant="primary", scale=1, min_width=90, elem_id="rbp-ask"
        )
    parts["examples"] = gr.Examples(
        EXAMPLES, inputs=[parts["question"]], label="Example questions (click one to ask it)"
    )
    return parts


def _feedback_controls() -> dict[str, Any]:
    """ "New conversation", the optional comment on a rated answer and the feedback line."""
    parts: dict[str, Any] = {}
    with gr.Row():
        parts["new_btn"] = gr.Button("New conversation", size="sm")
    with gr.Accordion("Comment on the answer you rated (optional)", open=False):
        parts["comment"] = gr.Textbox(
            label="Your comment",
            lines=2,
            max_length=2000,
            placeholder="What was helpful or missing? Please leave out personal details.",
            elem_id="rbp-comment",
        )
        parts["comment_btn"] = gr.Button("Send comment", size="sm")
    parts["feedback_status"] = gr.Markdown(elem_id="rbp-feedback-status")
    return parts


def _wire_chat(
    h: dict[str, Callable[..., Any]], parts: dict[str, Any], session: gr.State, limit: int
) -> None:
    p = parts
    outputs = [p["chatbot"], p["sources"], p["question"], p["warning_box"], p["warning_text"]]
    outputs.append(session)
    common: dict[str, Any] = {
        "outputs": outputs,
        "concurrency_limit": limit,
        "concurrency_id": "answer",
        "api_visibility": "private",
    }
    asked = [p["question"], session]
    p["ask_btn"].click(h["respond"], asked, **common)
    p["question"].submit(h["respond"], asked, **common)
    p["examples"].load_input_event.then(h["respond"], asked, **common)
    p["remove_btn"].click(h["remove_and_ask"], [session], **common)
    p["anyway_btn"].click(h["ask_anyway"], [session], **common)
    private: dict[str, Any] = {"outputs": outputs, "api_visibility": "private"}
    p["edit_btn"].click(h["edit"], [session], **private)
    p["new_btn"].click(h["new_conversation"], [session], **private)
    p["chatbot"].clear(h["new_conversation"], [session], **private)
    rated = [p["feedback_status"], session]
    p["chatbot"].like(h["on_like"], [session], rated, api_visibility="private")
    p["comment_btn"].click(
        h["on_comment"],
        [p["comment"], session],
        [p["feedback_status"], p["comment"], session],
        api_visibility="private",
    )


# --- the app -------------------------------------------------------------------------------------
def build_demo(ctx: UIContext) -> gr.Blocks:
    """The whole web chat as a Blocks app (not launched)."""
    cache = ctx.settings.upload_cache_minutes * 60  # Gradio's temporary copies of uploads
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(cache, cache)) as demo:
        session = gr.State(Session())
        gr.Markdown(
            f"# {TITLE}\nAsk about the course materials on relationship-based social work.",
            elem_id="rbp-title",
        )
        gr.HTML(NOTICE, elem_id="rbp-notice", js_on_load=None)
        status = gr.Markdown(elem_id="rbp-status")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                _build_chat_tab(ctx, session)
            build_cpd_tab(ctx, session)
            build_concepts_tab(ctx)
            if ctx.access.enabled:
                with gr.Tab("Add documents (trainers)", id="trainer") as trainer_tab:
                    build_trainer_tab(ctx, session, status, trainer_tab)
        demo.load(ctx.status, None, [status], api_visibility="private")

        def ask(question: str) -> dict[str, Any]:
            """Answer a question from the course materials; returns the Answer record as JSON:
            question, text (with [n] markers), citations (n, title, file_name, source, page,
            slide, section, snippet, location, label), abstained, mode, retrieval_mode."""
            return ctx.service.ask_record(question)

        gr.api(
            ask, api_name="ask", concurrency_limit=ctx.settings.concurrency, concurrency_id="answer"
        )
    return demo


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """Arguments for ``demo.launch``: local fonts, no share link, only the corpus is served."""
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "theme": style.theme(),
        "css": style.CSS,
        "allowed_paths": [str(settings.corpus_dir.resolve())],
        "footer_links": ["api"],
        "run_history": False,
        "mcp_server": False,
        "ssr_mode": False,
        "max_file_size": f"{int(settings.max_file_mb)}mb",
        "show_error": False,
        "inbrowser": False,
        "quiet": True,  # our own start-up line; Gradio's would suggest a public share link
    }
