"""What the web app is given: settings, the chat service, the index and the trainer's access,
injected so tests can pass fakes (no Gradio here)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.settings import Settings
from assistant.ui import render
from assistant.ui.chat import ChatService
from assistant.ui.trainer import TrainerAccess

log = logging.getLogger(__name__)

IngestFn = Callable[[Callable[[str], None]], Any]


@dataclass
class UIContext:
    """Everything the app needs, injected so tests can pass fakes."""

    settings: Settings
    service: ChatService
    stats: Callable[[], dict[str, Any] | None]
    ingest: IngestFn
    users: dict[str, str]
    access: TrainerAccess
    on_ingested: Callable[[], None] = lambda: None
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    def documents(self) -> list[list[Any]]:
        """Rows for the trainer tab's document list."""
        try:
            files = (self.stats() or {}).get("files", [])
        except Exception:
            log.exception("reading index stats failed")
            return []
        return [[f["source"], f["kind"], f["pages"], f["chunks"]] for f in files]

    def status(self) -> str:
        try:
            stats = self.stats()
        except Exception:
            log.exception("reading index stats failed")
            stats = None
        label = getattr(self.service.assistant, "answerer_label", "extractive")
        return render.inert(render.status_line(label, stats))
