"""Wire the real pipeline into the web chat and serve it (``app.py``, ``rbp-assistant serve``)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from assistant.settings import Settings, apply_offline_env
from assistant.ui.chat import Answering, ChatService
from assistant.ui.feedback import ConversationLog, FeedbackStore
from assistant.ui.trainer import parse_auth, trainer_access

log = logging.getLogger(__name__)


def make_context(
    settings: Settings,
    assistant: Answering | None = None,
    *,
    client: Any | None = None,
    ingest_fn: Callable[[Callable[[str], None]], Any] | None = None,
) -> Any:
    """A :class:`~assistant.ui.context.UIContext` over the real pipeline (or the given
    assistant)."""
    from assistant.ui.context import UIContext

    if assistant is None:
        from assistant.pipeline import Assistant

        assistant = Assistant.from_settings(settings, client=client)
    users = parse_auth(settings.auth)
    service = ChatService(
        assistant,
        FeedbackStore(settings.feedback_path),
        ConversationLog(settings.data_dir / "conversations.jsonl", settings.log_conversations),
        settings.corpus_dir,
    )

    def stats() -> dict[str, Any]:
        from assistant.ingest.run import index_stats

        return index_stats(settings, client)

    def ingest(on_event: Callable[[str], None]) -> Any:
        from assistant.ingest.run import ingest as run_ingest
        from assistant.pipeline import embed_answer_sentences

        return run_ingest(
            [settings.corpus_dir],
            settings,
            embeddings=getattr(assistant, "embeddings", None),
            client=client,
            on_event=on_event,
            sentence_step=embed_answer_sentences,
        )

    return UIContext(
        settings=settings,
        service=service,
        stats=stats,
        ingest=ingest_fn or ingest,
        users=users,
        access=trainer_access(users, settings.host),
    )


def warm_up(assistant: Any) -> None:
    """Load the model and indexes before the first visitor (a first question costs seconds),
    then embed every answer sentence and fit the safeguarding classifier in the background."""
    try:
        assistant.ask("warm up")
        assistant.check_risk("warm up")
        assistant.warm(background=True)
    except Exception:  # an empty index or a missing LLM should not stop the server starting
        log.warning("warm-up question failed; the first question may be slow", exc_info=True)


def prepare_index(settings: Settings, embeddings: Any = None) -> None:
    """Ingest the corpus folder if anything is new, changed or gone (progress in the console)."""
    from assistant.ingest.run import ingest
    from assistant.pipeline import embed_answer_sentences

    if not settings.corpus_dir.is_dir():
        print(f"No corpus folder at {settings.corpus_dir}; serving the index as it is.")
        return
    report = ingest(
        [settings.corpus_dir],
        settings,
        progress=True,
        embeddings=embeddings,
        sentence_step=embed_answer_sentences,
    )
    changed = len(report.ingested) + len(report.removed)
    print(
        f"Index ready: {len(report.ingested) + len(report.unchanged)} documents, "
        f"{report.chunks} passages ({changed} changed, {report.seconds:.1f} s)."
    )
    for source, reason in report.failed:
        print(f"  could not read {source}: {reason}", file=sys.stderr)


def serve_forever(settings: Settings, *, ingest_first: bool = True) -> None:
    """Bring the index in step with the corpus (unless told not to), then serve until interrupted.

    What ``app.py`` and ``rbp-assistant serve`` run; the ingest and the chat share one model.
    A users file or RBP_AUTH that cannot be used (plain-text passwords) stops it with a message.
    """
    try:
        parse_auth(settings.auth)
    except (ValueError, OSError) as exc:
        raise SystemExit(f"Error: {exc}") from None
    context = make_context(settings)
    if ingest_first:
        prepare_index(settings, embeddings=getattr(context.service.assistant, "embeddings", None))
    print(f"Web chat on http://{settings.host}:{settings.port} (Ctrl+C to stop)")
    serve(settings, block=True, context=context)


def serve(settings: Settings, *, block: bool = True, context: Any = None) -> Any:
    """Build and launch the web chat; returns the Blocks app (already running if not ``block``)."""
    apply_offline_env()
    from assistant.ui.app import build_demo, launch_kwargs

    ctx = context or make_context(settings)
    warm_up(ctx.service.assistant)
    demo = build_demo(ctx)
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=200)
    demo.launch(prevent_thread_lock=not block, **launch_kwargs(settings))
    return demo
