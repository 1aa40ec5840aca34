"""Answering stage: turn retrieved hits into an :class:`~assistant.records.Answer`.

Answerers are chosen by the ``settings.answerer`` string from :data:`REGISTRY` and imported lazily,
so the core install never needs the optional LLM packages. Every answerer has the same two methods,
both given an :class:`~assistant.records.AnswerRequest`: ``answer(request) -> Answer`` and
``stream(request)``, which yields text deltas and then the final ``Answer``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from assistant.records import Answer, AnswerRequest, Citation, Hit
from assistant.settings import Settings

ABSTAIN_TEXT = "I can't find this in the course materials."
ABSTAIN_NOTE = "You might look at these sources, the closest matches in the course materials."


class Answerer(Protocol):
    """What the pipeline needs from an answerer."""

    label: str

    def answer(self, request: AnswerRequest) -> Answer: ...

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]: ...


#: name -> ("module:factory", optional extra that provides its packages)
REGISTRY: dict[str, tuple[str, str | None]] = {
    "extractive": ("assistant.answer.extractive:ExtractiveAnswerer", None),
    "openai": ("assistant.answer.llm:openai_answerer", "llm"),
    "ollama": ("assistant.answer.llm:ollama_answerer", "llm"),
}


class AnswererError(RuntimeError):
    """The configured answerer is unknown, not installed or cannot be reached."""


def make_answerer(settings: Settings, **kwargs: object) -> Answerer:
    """Build the answerer named by ``settings.answerer`` (``kwargs`` go to its factory)."""
    name = settings.answerer
    if name not in REGISTRY:
        raise AnswererError(
            f"Unknown answerer '{name}'; choose one of: {', '.join(sorted(REGISTRY))}."
        )
    target, extra = REGISTRY[name]
    module_name, _, attr = target.partition(":")
    try:
        factory: Callable[..., Answerer] = getattr(importlib.import_module(module_name), attr)
    except ImportError as exc:
        needs = [n for n, (_, e) in REGISTRY.items() if e == extra]
        raise AnswererError(
            f"The '{name}' answerer needs optional packages ({exc.name}); install them with "
            f"`pip install 'rbp-assistant[{extra}]'` (provides: {', '.join(needs)})."
        ) from exc
    return factory(settings, **kwargs)


def abstain(question: str, closest: Sequence[Hit], mode: str, retrieval_mode: str) -> Answer:
    """The honest reply when the materials do not cover ``question``: closest sources only."""
    return Answer(
        question=question,
        text=ABSTAIN_TEXT,
        citations=[Citation.from_hit(n, h, snippet(h.text)) for n, h in enumerate(closest, 1)],
        abstained=True,
        mode=mode,
        retrieval_mode=retrieval_mode,
        note=ABSTAIN_NOTE,
    )


def snippet(text: str, limit: int = 240) -> str:
    """A one-line preview of ``text`` of at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
