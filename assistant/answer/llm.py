"""Answerers that ask a language model: any OpenAI-compatible endpoint, or Ollama.

The model sees only the numbered sources (``prompts/answer.md``) and must cite ``[n]`` after every
sentence. Its answer is streamed, then checked (:mod:`assistant.answer.citations`): sentences
without a valid citation are dropped, and an answer that fails the check is replaced by the
extractive one, with a note saying so. Needs the optional ``llm`` extra (langchain-openai,
langchain-ollama).
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer.base import ABSTAIN_TEXT, AnswererError, abstain, snippet
from assistant.answer.citations import check, format_sources, renumber
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.records import Answer, AnswerRequest, Citation, Hit
from assistant.settings import Settings

PROMPT_PATH = Path(__file__).resolve().parents[2] / "prompts" / "answer.md"
PLACEHOLDERS = frozenset({"question", "sources"})
FALLBACK_NOTE = (
    "The language model's answer did not cite the course materials properly, "
    "so this answer quotes the relevant passages instead."
)
#: Exception class names that mean the endpoint cannot be used as configured.
_ENDPOINT_ERRORS = {
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "AuthenticationError",
    "NotFoundError",
    "PermissionDeniedError",
    "ConnectError",
    "ConnectTimeout",
    "ReadTimeout",
    "ResponseError",
    "ConnectionError",
}


class PromptError(AnswererError):
    """The prompt template is missing or has the wrong placeholders."""


class LLMUnavailable(AnswererError):
    """The language model endpoint cannot be reached or refused the request."""


def load_prompt(path: Path = PROMPT_PATH) -> tuple[str, str]:
    """(system, user) templates from ``path``; the part before a line '---' is the system one.

    Raises :class:`PromptError` unless the placeholders are exactly ``{question}`` and
    ``{sources}``.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"Prompt template not found: {path}") from exc
    system, sep, user = raw.partition("\n---\n")
    if not sep:
        system, user = "", raw
    try:
        found = {
            name
            for part in (system, user)
            for _, name, _, _ in string.Formatter().parse(part)
            if name is not None
        }
    except ValueError as exc:
        raise PromptError(f"Prompt template {path} is malformed: {exc}") from exc
    if found != PLACEHOLDERS:
        missing = ", ".join(sorted(PLACEHOLDERS - found)) or "none"
        unknown = ", ".join(sorted(found - PLACEHOLDERS)) or "none"
        raise PromptError(
            f"Prompt template {path} needs {{question}} and {{sources}} "
            f"(missing: {missing}; unknown: {unknown})."
        )
    return system.strip(), user.strip()


class LLMAnswerer:
    """Stream an answer from a chat model, then check its citations."""

    def __init__(
        self,
        chat: BaseChatModel,
        label: str,
        fallback: ExtractiveAnswerer,
        prompt: tuple[str, str] | None = None,
        endpoint: str = "",
    ) -> None:
        self.chat = chat
        self.label = label
        self.fallback = fallback
        self.system, self.user = prompt or load_prompt()
        self.endpoint = endpoint

    def messages(self, question: str, hits: Sequence[Hit]) -> list[Any]:
        values = {"question": question, "sources": format_sources(hits)}
        msgs: list[Any] = [SystemMessage(self.system.format(**values))] if self.system else []
        return [*msgs, HumanMessage(self.user.format(**values))]

    def answer(self, request: AnswerRequest) -> Answer:
        final = None
        for part in self.stream(request):
            if isinstance(part, Answer):
                final = part
        assert final is not None
        return final

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]:
        request = replace(request, hits=list(request.hits))
        pieces: list[str] = []
        try:
            for chunk in self.chat.stream(self.messages(request.question, request.hits)):
                delta = chunk.content if isinstance(chunk.content, str) else ""
                if delta:
                    pieces.append(delta)
                    yield delta
        except Exception as exc:
            if _is_endpoint_error(exc):
                where = f" at {self.endpoint}" if self.endpoint else ""
                reason = " ".join(str(exc).split())[:160] or type(exc).__name__
                raise LLMUnavailable(f"Cannot use the language model{where}: {reason}") from exc
            raise
        yield self.finish(request, "".join(pieces))

    def finish(self, request: AnswerRequest, raw: str) -> Answer:
        """The checked Answer for the model's text ``raw`` (or the extractive fallback, which
        scores against ``request.searched``; the model itself reads the question as typed)."""
        question, hits, mode = request.question, list(request.hits), request.mode
        if ABSTAIN_TEXT.lower().rstrip(".") in raw.lower() and not check(raw, len(hits)).cited:
            return abstain(question, hits[:3], self.label, mode)
        result = check(raw, len(hits), max_dropped=self.fallback.settings.answer_max_dropped)
        if not result.ok:
            fallback = self.fallback.answer(request)
            fallback.note = FALLBACK_NOTE
            return fallback
        citations = [
            Citation.from_hit(n, hits[old - 1], snippet(hits[old - 1].text))
            for n, old in enumerate(result.cited, 1)
        ]
        note = ""
        if result.dropped:
            note = f"{len(result.dropped)} sentence(s) without a source were left out."
        text = renumber(result.text, result.cited)
        return Answer(question, text, citations, mode=self.label, retrieval_mode=mode, note=note)


def _is_endpoint_error(exc: BaseException) -> bool:
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & _ENDPOINT_ERRORS) or isinstance(exc, (ConnectionError, TimeoutError))


def _fallback(settings: Settings, **kwargs: Any) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(
        settings,
        kwargs.get("embeddings"),
        kwargs.get("idf"),
        kwargs.get("cache"),
        pages=kwargs.get("pages"),
    )


def openai_answerer(
    settings: Settings, embeddings: Embeddings | None = None, **kwargs: Any
) -> LLMAnswerer:
    """Any OpenAI-compatible endpoint (OpenAI, Azure, vLLM, LM Studio, llama.cpp, Ollama /v1)."""
    from langchain_openai import ChatOpenAI

    api_key = os.environ.get(settings.llm_api_key_env) or "not-needed"
    chat = ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=api_key,  # type: ignore[arg-type]
        max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
        extra_body={"max_tokens": settings.llm_max_tokens},
        timeout=settings.llm_timeout_s,
        max_retries=1,
        temperature=0,
        streaming=True,
    )
    endpoint = settings.llm_base_url or "https://api.openai.com/v1"
    label = f"openai: {settings.llm_model} @ {endpoint}"
    fallback = _fallback(settings, embeddings=embeddings, **kwargs)
    return LLMAnswerer(chat, label, fallback, endpoint=endpoint)


def ollama_answerer(
    settings: Settings, embeddings: Embeddings | None = None, **kwargs: Any
) -> LLMAnswerer:
    """A model served by Ollama (``llm_base_url`` defaults to http://127.0.0.1:11434)."""
    from langchain_ollama import ChatOllama

    endpoint = settings.llm_base_url or "http://127.0.0.1:11434"
    chat = ChatOllama(
        model=settings.llm_model,
        base_url=endpoint,
        num_predict=settings.llm_max_tokens,
        temperature=0,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )
    label = f"ollama: {settings.llm_model} @ {endpoint}"
    fallback = _fallback(settings, embeddings=embeddings, **kwargs)
    return LLMAnswerer(chat, label, fallback, endpoint=endpoint)
