"""The trainer tab: log in (when RBP_AUTH is set), upload documents and index them with progress,
or remove documents added here."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.ui import render
from assistant.ui.chat import Session
from assistant.ui.context import UIContext
from assistant.ui.logins import LoginGuard
from assistant.ui.trainer import (
    UPLOAD_KINDS,
    UploadError,
    check_login,
    remove_upload,
    save_upload,
    uploaded_files,
)

log = logging.getLogger(__name__)

DOCUMENT_COLUMNS = ("document", "kind", "pages or slides", "passages")


def _refusal(ctx: UIContext, session: Session) -> str | None:
    """Why this session may not change the course materials, or None if it may."""
    if ctx.access.needs_login and not session.trainer:
        return "Please log in as a trainer first."
    if not ctx.access.enabled:
        return ctx.access.reason
    return None


def upload_handler(ctx: UIContext) -> Callable[..., str]:
    def upload(
        files: list[str] | None,
        session: Session,
        progress: Any = gr.Progress(),  # noqa: B008 - Gradio finds its tracker by this default
    ) -> str:
        if refused := _refusal(ctx, session):
            return refused
        if not files:
            return "Choose one or more documents first."
        saved, problems = [], []
        for file in files:
            path = Path(file)
            try:
                saved.append(save_upload(path, path.name, ctx.settings.corpus_dir, _max_mb(ctx)))
            except UploadError as exc:
                problems.append(str(exc))
        lines = [f"Added {p.name}" for p in saved] + [f"Could not add: {p}" for p in problems]
        if saved:
            lines.append(_run_ingest(ctx, progress, len(saved)))
        return "\n".join("- " + render.inert(line) for line in lines)

    return upload


def remove_handler(ctx: UIContext) -> Callable[..., str]:
    def remove(
        name: str | None,
        session: Session,
        progress: Any = gr.Progress(),  # noqa: B008 - Gradio finds its tracker by this default
    ) -> str:
        if refused := _refusal(ctx, session):
            return refused
        if not name:
            return "Choose a document to remove first."
        try:
            kept = remove_upload(name, ctx.settings.corpus_dir, ctx.settings.data_dir)
        except UploadError as exc:
            return "- " + render.inert(str(exc))
        lines = [
            f"Removed {name} from the course materials. A copy is kept in the data folder "
            f"({kept.relative_to(ctx.settings.data_dir)}); add it again if this was a mistake.",
            _run_ingest(ctx, progress, 1),
        ]
        return "\n".join("- " + render.inert(line) for line in lines)

    return remove


def _removable(ctx: UIContext) -> Any:
    """The remove list, refreshed: the documents added in this tab."""
    return gr.update(choices=uploaded_files(ctx.settings.corpus_dir), value=None)


def _max_mb(ctx: UIContext) -> float:
    return float(ctx.settings.max_file_mb)


def _run_ingest(ctx: UIContext, progress: Any, expected: int) -> str:
    done = 0

    def on_event(line: str) -> None:
        nonlocal done
        done += 1
        progress((min(done, expected), expected), desc=line)

    progress((0, expected), desc="Reading and indexing the documents…")
    with ctx.ingest_lock:
        try:
            report = ctx.ingest(on_event)
        except Exception as exc:
            log.exception("ingest after upload failed")
            return f"Indexing failed: {exc}"
    ctx.on_ingested()
    failed = "; ".join(f"{src}: {why}" for src, why in getattr(report, "failed", []))
    removed = len(getattr(report, "removed", []))
    summary = (
        f"Indexed: {len(getattr(report, 'ingested', []))} new or changed document(s)"
        + (f", {removed} removed" if removed else "")
        + f", {getattr(report, 'chunks', 0)} passages in total."
    )
    return summary + (f" Problems: {failed}" if failed else "")


def login_handler(ctx: UIContext, guard: LoginGuard) -> Callable[..., tuple[Any, ...]]:
    """The login button: a wrong password waits a second; five failures lock the user name and,
    separately, the client address for 15 minutes (see :class:`LoginGuard`)."""

    def login(name: str, secret: str, sess: Session, request: gr.Request) -> tuple[Any, ...]:
        address = _client_address(request)
        wait = guard.locked_for(name, address)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            message = f"Too many failed logins. Try again in about {minutes} minute(s)."
            return gr.update(), gr.update(), message, "", sess
        if check_login(ctx.users, name, secret):
            guard.succeeded(name, address)
            sess.trainer = True
            return gr.update(visible=False), gr.update(visible=True), "", "", sess
        guard.failed(name, address)
        log.warning("failed trainer login for %r from %s", (name or "")[:64], address)
        time.sleep(ctx.settings.login_delay_s)  # slows down guessing
        return gr.update(), gr.update(), "User name or password not recognised.", "", sess

    return login


def _client_address(request: gr.Request | None) -> str | None:
    """The caller's address (behind a proxy on this machine, uvicorn takes it from
    X-Forwarded-For, trusting only 127.0.0.1 unless FORWARDED_ALLOW_IPS says otherwise)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None)


def build_trainer_tab(ctx: UIContext, session: gr.State, status: gr.Markdown, tab: gr.Tab) -> None:
    login = _login_box(ctx)
    upload = _upload_box(ctx)
    login["login_btn"].click(
        login_handler(ctx, LoginGuard()),
        [login["user"], login["password"], session],
        [login["box"], upload["box"], login["login_msg"], login["password"], session],
        concurrency_limit=2,
        concurrency_id="login",
        api_visibility="private",
    )
    _wire_changes(ctx, upload, session, status, tab)


def _login_box(ctx: UIContext) -> dict[str, Any]:
    """User name and password, shown until the trainer has logged in."""
    parts: dict[str, Any] = {}
    with gr.Column(visible=ctx.access.needs_login) as parts["box"]:
        gr.Markdown("Log in to add documents to the course materials.")
        parts["user"] = gr.Textbox(label="User name", elem_id="rbp-user")
        parts["password"] = gr.Textbox(label="Password", type="password", elem_id="rbp-password")
        parts["login_btn"] = gr.Button("Log in", elem_id="rbp-login")
        parts["login_msg"] = gr.Markdown()
    return parts


def _upload_box(ctx: UIContext) -> dict[str, Any]:
    """Upload, remove and the list of documents, shown to a trainer who has logged in."""
    kinds = sorted(UPLOAD_KINDS)
    parts: dict[str, Any] = {}
    with gr.Column(visible=not ctx.access.needs_login) as parts["box"]:
        gr.Markdown(
            f"Add course documents ({', '.join(k.lstrip('.').upper() for k in kinds)}, up to "
            f"{ctx.settings.max_file_mb:g} MB each). They are saved in the course folder and "
            "indexed straight away; answers can cite them as soon as this finishes."
        )
        parts["files"] = gr.File(
            label="Documents", file_count="multiple", file_types=kinds, elem_id="rbp-upload"
        )
        parts["upload_btn"] = gr.Button("Add to the course materials", variant="primary")
        parts["result"] = gr.Markdown(elem_id="rbp-upload-result")
        with gr.Row():
            parts["removable"] = gr.Dropdown(
                choices=uploaded_files(ctx.settings.corpus_dir),
                value=None,
                label="Remove a document added here",
                info="It leaves the course materials; a copy is kept in the data folder.",
                elem_id="rbp-removable",
                scale=3,
            )
            parts["remove_btn"] = gr.Button("Remove from the course materials", scale=1)
        parts["documents"] = gr.Dataframe(
            headers=list(DOCUMENT_COLUMNS),
            datatype=["str", "str", "number", "number"],
            label="Documents in the course materials",
            interactive=False,
            elem_id="rbp-documents",
        )
    return parts


def _wire_changes(
    ctx: UIContext, upload: dict[str, Any], session: gr.State, status: gr.Markdown, tab: gr.Tab
) -> None:
    """Upload and remove (one ingest at a time), each followed by fresh status and lists."""
    documents, removable, files = upload["documents"], upload["removable"], upload["files"]

    def on_change(button: gr.Button, handler: Callable[..., str], choice: Any) -> Any:
        """Run ``handler`` (one ingest at a time), then refresh the status and document lists."""
        return (
            button.click(
                handler,
                [choice, session],
                [upload["result"]],
                concurrency_limit=1,
                concurrency_id="ingest",
                api_visibility="private",
            )
            .then(ctx.status, None, [status], api_visibility="private")
            .then(ctx.documents, None, [documents], api_visibility="private")
        )

    on_change(upload["upload_btn"], upload_handler(ctx), files).then(
        lambda: (_removable(ctx), None), None, [removable, files], api_visibility="private"
    )
    on_change(upload["remove_btn"], remove_handler(ctx), removable).then(
        lambda: _removable(ctx), None, [removable], api_visibility="private"
    )
    tab.select(ctx.documents, None, [documents], api_visibility="private").then(
        lambda: _removable(ctx), None, [removable], api_visibility="private"
    )
