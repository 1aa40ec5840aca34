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
    h = _chat_handlers(ctx)
    limit = ctx.settings.concurrency
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            chatbot = gr.Chatbot(
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
            with gr.Column(visible=False, elem_id="rbp-privacy-warning") as warning_box:
                warning_text = gr.HTML(js_on_load=None)
                with gr.Row():
                    remove_btn = gr.Button(
                        "Remove the details and ask", variant="primary", size="sm"
                    )
                    anyway_btn = gr.Button("Ask anyway (details never stored)", size="sm")
                    edit_btn = gr.Button("Edit my question", size="sm")
            with gr.Row(equal_height=False):
                question = gr.Textbox(
                    label="Your question",
                    placeholder="e.g. What is transference?",
                    max_length=2000,
                    scale=5,
                    elem_id="rbp-question",
                    autofocus=True,
                )
                ask_btn = gr.Button(
                    "Ask", variant="primary", scale=1, min_width=90, elem_id="rbp-ask"
                )
            examples = gr.Examples(
                EXAMPLES, inputs=[question], label="Example questions (click one to ask it)"
            )
            with gr.Row():
                new_btn = gr.Button("New conversation", size="sm")
            with gr.Accordion("Comment on the answer you rated (optional)", open=False):
                comment = gr.Textbox(
                    label="Your comment",
                    lines=2,
                    max_length=2000,
                    placeholder="What was helpful or missing? Please leave out personal details.",
                    elem_id="rbp-comment",
                )
                comment_btn = gr.Button("Send comment", size="sm")
            feedback_status = gr.Markdown(elem_id="rbp-feedback-status")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### Sources")
            sources = gr.HTML(render.EMPTY_SOURCES, elem_id="rbp-sources", js_on_load=None)

    outputs = [chatbot, sources, question, warning_box, warning_text, session]
    common: dict[str, Any] = {
        "outputs": outputs,
        "concurrency_limit": limit,
        "concurrency_id": "answer",
        "api_visibility": "private",
    }
    ask_btn.click(h["respond"], [question, session], **common)
    question.submit(h["respond"], [question, session], **common)
    examples.load_input_event.then(h["respond"], [question, session], **common)
    remove_btn.click(h["remove_and_ask"], [session], **common)
    anyway_btn.click(h["ask_anyway"], [session], **common)
    edit_btn.click(h["edit"], [session], outputs=outputs, api_visibility="private")
    new_btn.click(h["new_conversation"], [session], outputs=outputs, api_visibility="private")
    chatbot.clear(h["new_conversation"], [session], outputs=outputs, api_visibility="private")
    chatbot.like(h["on_like"], [session], [feedback_status, session], api_visibility="private")
    comment_btn.click(
        h["on_comment"],
        [comment, session],
        [feedback_status, comment, session],
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
