"""Lexical retrieval stage: a BM25 index (bm25s) over the same chunks as the vector store.

Each chunk is indexed as ``context + text`` (document and slide/section title plus the chunk), with
English stopwords removed and, when ``settings.bm25_stemming``, Snowball stemming (PyStemmer). The
index lives in ``settings.bm25_dir`` together with what a hit needs (ids, texts, metadata) and a
fingerprint of the chunk-id set, so a stale or missing index is detected and rebuilt from the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.documents import Document

from assistant.index.bm25index import Corpus, to_bm25
from assistant.index.late import passage_text
from assistant.index.store import ChunkStore, hit_from_record
from assistant.records import Hit, Locations, last_numbers
from assistant.settings import Settings
from assistant.words import word_list

#: Bump when tokenization or the saved layout changes: older indexes are then rebuilt.
FORMAT = 3
_META_FILE = "chunks.json"
_STATE_FILE = "state.json"
#: Every chunk's token ids (flat) and token counts, kept so an update tokenizes only new chunks.
_TOKENS_FILE = "tokens.npy"
_LENGTHS_FILE = "lengths.npy"
_WORD = re.compile(r"[a-z0-9]+")
#: "80:20", "80/20", "80-20" and "80 : 20" all also yield the joined token "80_20".
_RATIO = re.compile(r"\b(\d+)\s*[:/\-\u2013]\s*(\d+)\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@lru_cache(maxsize=1)
def english_stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def question_words() -> frozenset[str]:
    """Question words and references to the materials ("what", "slide", "according"): never
    evidence of a topic by themselves (``data/words/question-words.txt``)."""
    return word_list("question-words")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def normalise(text: str) -> str:
    """Lower-case, fold accents and curly quotes: the form every tokenizer here starts from."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return _COMBINING.sub("", text).lower()


def words(text: str) -> list[str]:
    """Raw word tokens (lower-case, no stopword removal or stemming), plus joined ratio tokens."""
    text = normalise(text)
    tokens = [w for w in _WORD.findall(text) if len(w) > 1 or w.isdigit()]
    tokens.extend(f"{a}_{b}" for a, b in _RATIO.findall(text))
    return tokens


def spaced(text: str) -> str:
    """The words of ``text`` between single spaces, so ``spaced(a) in spaced(b)`` tells whether
    ``a`` occurs in ``b`` as whole words."""
    return f" {' '.join(words(text))} "


def tokenize(text: str, stemming: bool = True, extra_stopwords: Iterable[str] = ()) -> list[str]:
    """BM25 tokens of ``text``: words minus stopwords, stemmed when ``stemming``."""
    stop = english_stopwords() | frozenset(extra_stopwords)
    tokens = [w for w in words(text) if w not in stop]
    return list(_stemmer().stemWords(tokens)) if stemming else tokens


def fingerprint(chunk_ids: Iterable[str]) -> str:
    """Order-independent digest of a set of chunk ids."""
    digest = hashlib.sha256()
    for chunk_id in sorted(set(chunk_ids)):
        digest.update(chunk_id.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def indexed_text(doc: Document) -> str:
    """What BM25 sees for a chunk: its context header and its text, without web addresses."""
    return passage_text(_URL.sub(" ", doc.page_content), str(doc.metadata.get("context", "")))


class LexicalIndex:
    """BM25 over chunks, returning :class:`Hit` records with ``scores['bm25']``."""

    def __init__(
        self,
        bm25: Any,
        ids: list[str],
        texts: list[str],
        metadatas: list[dict[str, Any]],
        stemming: bool,
        corpus: Corpus | None = None,
    ) -> None:
        self.bm25 = bm25
        #: The chunks' token ids (None for an index saved without them).
        self.corpus = corpus
        self.ids = ids
        self.texts = texts
        self.metadatas = metadatas
        self.stemming = stemming
        self.fingerprint = fingerprint(ids)
        #: The store version this index was built from ('' when unknown).
        self.version = ""
        self.position = {chunk_id: i for i, chunk_id in enumerate(ids)}

    @classmethod
    def build(cls, chunks: Sequence[Document], stemming: bool = True) -> LexicalIndex:
        """Index ``chunks`` (Documents with ``metadata['chunk_id']``)."""
        return cls.empty(stemming).updated([], chunks)

    @classmethod
    def empty(cls, stemming: bool = True) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25(), [], [], [], stemming, Corpus.empty())

    def updated(self, kept: Iterable[str], added: Sequence[Document]) -> LexicalIndex:
        """A new index over the chunks of this one whose ids are in ``kept`` plus ``added``:
        only the added chunks are tokenized; the result equals :meth:`build` over the same
        chunks (same order, same scores)."""
        if self.corpus is None:
            raise ValueError("this index was saved without its tokens; build it again")
        added = [d for d in added if str(d.metadata["chunk_id"]) not in self.position]
        keep = [self.position[c] for c in dict.fromkeys(kept) if c in self.position]
        corpus = self.corpus.extended([tokenize(indexed_text(d), self.stemming) for d in added])
        ids = self.ids + [str(d.metadata["chunk_id"]) for d in added]
        texts = self.texts + [d.page_content for d in added]
        metadatas = self.metadatas + [dict(d.metadata) for d in added]
        order = sorted([*keep, *range(len(self.ids), len(ids))], key=ids.__getitem__)
        corpus = corpus.select(order)
        import bm25s

        bm25 = to_bm25(corpus) if order else bm25s.BM25()
        return LexicalIndex(
            bm25,
            [ids[i] for i in order],
            [texts[i] for i in order],
            [metadatas[i] for i in order],
            self.stemming,
            corpus,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def query_tokens(self, query: str, extra_stopwords: Iterable[str] = ()) -> list[str]:
        """Tokens of ``query`` that the index knows."""
        vocab = getattr(self.bm25, "vocab_dict", None) or {}
        return [t for t in tokenize(query, self.stemming, extra_stopwords) if t in vocab]

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for already-tokenized query ``tokens``."""
        if not tokens or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def knows(self, token: str) -> bool:
        """Whether ``token`` (already stemmed) occurs anywhere in the indexed chunks."""
        return token in (getattr(self.bm25, "vocab_dict", None) or {})

    def knows_word(self, word: str) -> bool:
        """Whether every token of a raw ``word`` occurs in the indexed chunks, their web
        addresses included (True for a stopword, which has none)."""
        return all(self.knows(t) or t in self.link_words for t in tokenize(word, self.stemming))

    @cached_property
    def link_words(self) -> frozenset[str]:
        """Tokens of the web addresses in the chunks: BM25 leaves them out, but a document that
        links to health.harvard.edu does name Harvard."""
        urls = (url for text in self.texts for url in _URL.findall(text))
        return frozenset(t for url in urls for t in tokenize(url, self.stemming))

    @cached_property
    def publisher_words(self) -> frozenset[str]:
        """Words (3+ letters, lower case) in the file name of every document, when there are two
        or more: the publisher of all the materials ("basw" in ``basw-8020-rbp-slides.pdf`` and
        ``basw-rbp-campaign-2019.pdf``). A deck and its export in another format count once."""
        stems = {
            Path(str(m.get("file_name") or m.get("source", ""))).stem.lower()
            for m in self.metadatas
        }
        if len(stems) < 2:
            return frozenset()
        return frozenset.intersection(*(frozenset(re.findall(r"[a-z]{3,}", s)) for s in stems))

    def doc_freq(self, token: str) -> int:
        """Number of chunks containing ``token`` (a stemmed index token)."""
        vocab = getattr(self.bm25, "vocab_dict", None) or {}
        if token not in vocab:
            return 0
        indptr = self.bm25.scores["indptr"]
        tid = vocab[token]
        return int(indptr[tid + 1] - indptr[tid])

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency of ``token`` (0 for unknown tokens)."""
        df = self.doc_freq(token)
        return self._idf(df) if df else 0.0

    def _idf(self, df: int) -> float:
        """BM25's smoothed idf for a token found in ``df`` of the chunks."""
        n = len(self.ids)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def passages(self) -> list[str]:
        """Every chunk as the embedding model saw it: context header, newline, text."""
        return [
            passage_text(text, str(meta.get("context", "")))
            for text, meta in zip(self.texts, self.metadatas, strict=True)
        ]

    def word_idf(self, word: str) -> float:
        """Idf of a raw word as the index would tokenize it: 0 for a stopword, the highest idf
        (no chunk has it) for a word the materials never use."""
        tokens = tokenize(word, self.stemming)
        if not tokens or not self.ids:
            return 0.0
        return self._idf(self.doc_freq(tokens[0]))

    def search(self, query: str | list[str], k: int) -> list[Hit]:
        """Top ``k`` chunks with a positive BM25 score, best first."""
        tokens = self.query_tokens(query) if isinstance(query, str) else query
        scores = self.scores(tokens)
        if k <= 0 or not scores.size:
            return []
        k = min(k, scores.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [self.hit(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def located(self, where: Locations) -> list[Hit]:
        """Every chunk on a page or slide that ``where`` names, in index order (scores empty)."""
        numbers, last = self._locations
        return [
            hit_from_record(self.ids[i], self.texts[i], meta)
            for i, (meta, number) in enumerate(zip(self.metadatas, numbers, strict=True))
            if where.matches(number, last.get(str(meta.get("source", ""))))
        ]

    @cached_property
    def _locations(self) -> tuple[list[int | None], dict[str, int]]:
        """Each chunk's page or slide number, and each source's last one (worked out once)."""
        numbers = [_number(meta) for meta in self.metadatas]
        sources = [str(meta.get("source", "")) for meta in self.metadatas]
        return numbers, last_numbers(zip(sources, numbers, strict=True))

    def hit(self, i: int, score: float) -> Hit:
        hit = hit_from_record(self.ids[i], self.texts[i], self.metadatas[i])
        hit.scores["bm25"] = score
        hit.score = score
        return hit

    # --- persistence ---------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write the index atomically (a fresh folder swapped in place of the old one)."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self.ids:
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
        if self.corpus is not None:
            np.save(tmp / _TOKENS_FILE, self.corpus.tokens)
            np.save(tmp / _LENGTHS_FILE, self.corpus.lengths)
        meta = {"ids": self.ids, "texts": self.texts, "metadatas": self.metadatas}
        (tmp / _META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        state = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "stemming": self.stemming,
            "count": len(self),
            "version": self.version,
        }
        (tmp / _STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """A saved index; its score matrix and token ids are memory-mapped, not read in."""
        import bm25s

        state = read_state(directory)
        if state is None:
            raise FileNotFoundError(directory)
        meta = json.loads((directory / _META_FILE).read_text(encoding="utf-8"))
        if meta["ids"]:
            bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, mmap=True)
        else:
            bm25 = bm25s.BM25()
        corpus = None
        if (directory / _TOKENS_FILE).is_file():
            vocab = {w: i for w, i in (getattr(bm25, "vocab_dict", None) or {}).items() if w}
            tokens = np.load(directory / _TOKENS_FILE, mmap_mode="r")
            corpus = Corpus(tokens, np.load(directory / _LENGTHS_FILE), vocab)
        stemming = bool(state["stemming"])
        index = cls(bm25, meta["ids"], meta["texts"], meta["metadatas"], stemming, corpus)
        index.version = str(state.get("version", ""))
        return index


def _number(meta: dict[str, Any]) -> int | None:
    """The page or slide number a chunk's metadata gives (as :attr:`Hit.number`)."""
    number = meta.get("slide", meta.get("page"))
    return int(number) if number is not None else None


def read_state(directory: Path) -> dict[str, Any] | None:
    """The saved fingerprint/stemming/count of an index folder, or None when there is none."""
    try:
        return dict(json.loads((directory / _STATE_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def store_ids(store: ChunkStore) -> list[str]:
    """Every chunk id in the store (no documents or vectors are fetched)."""
    return list(store.collection.get(include=[])["ids"])


def rebuild(settings: Settings, store: ChunkStore) -> LexicalIndex:
    """Build the BM25 index afresh from every chunk in ``store``, stamped with the store's
    version, and save it."""
    version = store.version()
    index = LexicalIndex.build(store.all_chunks(), settings.bm25_stemming)
    index.version = version
    index.save(settings.bm25_dir)
    return index


def update(
    settings: Settings,
    store: ChunkStore,
    version: str | None = None,
    base: LexicalIndex | None = None,
) -> LexicalIndex:
    """Bring the index (``base``, the one in memory, else the saved one) in step with ``store``
    (ingest calls this after changes): chunks gone are dropped, new ones fetched and tokenized,
    the rest keep their tokens. Builds afresh when there is no usable index. Saved when the
    data dir is writable."""
    version = store.version() if version is None else version
    usable = (
        base is not None and base.corpus is not None and base.stemming == settings.bm25_stemming
    )
    old = base if usable else _saved(settings)
    if old is None:
        index = LexicalIndex.build(store.all_chunks(), settings.bm25_stemming)
    else:
        ids = store_ids(store)
        have = set(old.ids)
        index = old.updated(ids, store.chunks([c for c in ids if c not in have]))
    index.version = version
    with contextlib.suppress(OSError):  # a read-only data dir: use the fresh index from memory
        index.save(settings.bm25_dir)
    return index


def _saved(settings: Settings) -> LexicalIndex | None:
    """The saved index when it can be updated (this format and stemming, tokens kept)."""
    state = read_state(settings.bm25_dir)
    if not _same_build(state, settings):
        return None
    try:
        index = LexicalIndex.load(settings.bm25_dir)
    except (OSError, ValueError, KeyError):
        return None
    return index if index.corpus is not None else None


def _same_build(state: dict[str, Any] | None, settings: Settings) -> bool:
    return (
        state is not None
        and state.get("format") == FORMAT
        and state.get("stemming") == settings.bm25_stemming
    )


def current(state: dict[str, Any] | None, settings: Settings, version: str) -> bool:
    """Whether a saved index (its ``state``) was built with these settings from the store at
    ``version``. An empty version (a store no ingest has stamped) never vouches for an index."""
    return _same_build(state, settings) and bool(version) and state.get("version") == version  # type: ignore[union-attr]


def load_index(
    settings: Settings,
    store: ChunkStore,
    version: str | None = None,
    in_memory: LexicalIndex | None = None,
) -> LexicalIndex:
    """The saved index if it matches the store (its version, or for an unstamped store its
    chunk ids) and settings, else ``in_memory`` (the index a process serves) or the saved one
    brought up to date (see :func:`update`)."""
    version = store.version() if version is None else version
    state = read_state(settings.bm25_dir)
    fits = current(state, settings, version) or (
        not version
        and _same_build(state, settings)
        and state.get("fingerprint") == fingerprint(store_ids(store))  # type: ignore[union-attr]
    )
    if fits:
        try:
            return LexicalIndex.load(settings.bm25_dir)
        except (OSError, ValueError, KeyError):
            pass  # unreadable: rebuild below
    return update(settings, store, version, in_memory)
