"""The one facade the CLI, the web chat and the eval harness use: question in, cited Answer out.

``Assistant.from_settings(settings).ask("...")`` retrieves passages, decides whether they cover the
question (otherwise it abstains, pointing at the closest sources) and hands them to the configured
answerer. The embedding model, the Chroma client and the answerer are created on first use.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.answer.base import Answerer, abstain, make_answerer
from assistant.answer.extractive import EMBED_WORDS
from assistant.answer.units import split_units
from assistant.guards.abstention import (
    AbstentionModel,
    EvidenceLimits,
    decide,
    features,
    load_models,
    text_sentences,
)
from assistant.guards.safeguarding import RiskClassifier, RiskSignal, detect_risk
from assistant.guards.triage import (
    IN_ENGLISH_NOTE,
    EnglishShares,
    Triage,
    is_multilingual,
    triage,
)
from assistant.index.late import passage_matrices
from assistant.index.store import ChunkStore, open_store
from assistant.index.vectorcache import VectorCache
from assistant.query.followup import is_follow_up, with_previous
from assistant.query.spelling import SpellingLimits, mended_note, speller_for
from assistant.records import Answer, AnswerRequest, Hit
from assistant.retrieve.retriever import Retrieval, Retriever, check_mode, quotable
from assistant.settings import Settings

#: File (in the data dir) remembering the vectors of answer sentences.
UNIT_CACHE = "sentence-vectors.sqlite"
#: Texts embedded per call while warming (a batch size: speed only, not behaviour).
WARM_BATCH = 64


def answer_texts(passages: Iterable[str], sentence_check: bool = True) -> list[str]:
    """What answering embeds from ``passages``: each answer unit (its first words) and, with
    the abstention's ``sentence_check``, each sentence; distinct, in order."""
    passages = list(passages)
    texts = [" ".join(u.text.split()[:EMBED_WORDS]) for p in passages for u in split_units(p)]
    if sentence_check:
        texts += [s for p in passages for s in text_sentences(p)]
    return list(dict.fromkeys(texts))


def _embed_missing(cache: VectorCache, passages: Iterable[str], sentence_check: bool) -> None:
    """Embed the answer sentences of ``passages`` that ``cache`` does not hold yet."""
    todo = cache.missing(answer_texts(passages, sentence_check))
    for start in range(0, len(todo), WARM_BATCH):
        cache.vectors(todo[start : start + WARM_BATCH])


def embed_answer_sentences(passages: list[str], embeddings: Embeddings, settings: Settings) -> None:
    """Put the vectors of the answer sentences of ``passages`` in the data dir's cache, so no
    question has to embed them (the ``sentence_step`` callers give to ``ingest``)."""
    cache = VectorCache(embeddings, settings.data_dir / UNIT_CACHE)
    _embed_missing(cache, passages, settings.abstain_sentence_check)


class Assistant:
    """Retrieval + abstention + answering, configured by one :class:`Settings`."""

    def __init__(
        self,
        settings: Settings,
        *,
        embeddings: Embeddings | None = None,
        client: Any | None = None,
    ) -> None:
        self.settings = settings
        self._embeddings = embeddings
        self._client = client
        self._store: ChunkStore | None = None
        self._retriever: Retriever | None = None
        self._answerer: Answerer | None = None
        self._sentence_vectors: VectorCache | None = None
        self._risk_classifier: RiskClassifier | None = None
        self._abstention: dict[str, AbstentionModel] | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, embeddings: Embeddings | None = None, client: Any | None = None
    ) -> Assistant:
        """An assistant for ``settings``; nothing heavy is loaded until the first question."""
        check_mode(settings.retrieval_mode)
        return cls(settings, embeddings=embeddings, client=client)

    # --- lazily built stages -------------------------------------------------------------------
    @property
    def embeddings(self) -> Embeddings:
        with self._lock:
            return self._embeddings_unlocked()

    @property
    def store(self) -> ChunkStore:
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings, self._client)
            return self._store

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever(self.settings, self.store, lambda: self.embeddings)
        return self._retriever

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            self._answerer = make_answerer(
                self.settings,
                embeddings=self.embeddings,
                idf=lambda token: self.retriever.lexical.idf(token),  # the index of the moment
                cache=self.sentence_vectors,
                pages=lambda: self.retriever.lexical,  # cut sentences completed from neighbours
            )
        return self._answerer

    def evidence(
        self, retrieval: Retrieval, exclude: frozenset[str] = frozenset()
    ) -> dict[str, float]:
        """The abstention signals of ``retrieval`` (:func:`~assistant.guards.abstention.features`);
        passages of the sources in ``exclude`` count as left out of the index."""
        sentences = self.sentence_vectors if self.settings.abstain_sentence_check else None
        index = self.retriever.lexical
        limits = EvidenceLimits.from_settings(self.settings)
        return features(retrieval, index, sentences, exclude=exclude, limits=limits)

    @property
    def sentence_vectors(self) -> VectorCache:
        """Vectors of answer sentences, kept in the data dir (see :meth:`warm`)."""
        with self._lock:
            if self._sentence_vectors is None:
                path = self.settings.data_dir / UNIT_CACHE
                self._sentence_vectors = VectorCache(self._embeddings_unlocked(), path)
            return self._sentence_vectors

    @property
    def risk_classifier(self) -> RiskClassifier:
        """The safeguarding classifier, sharing this assistant's embedding model."""
        with self._lock:
            if self._risk_classifier is None:
                self._risk_classifier = RiskClassifier(
                    self._embeddings_unlocked(),
                    min_words=self.settings.safeguarding_min_words,
                    english=EnglishShares.from_settings(self.settings),
                )
            return self._risk_classifier

    @property
    def abstention_models(self) -> dict[str, AbstentionModel]:
        """The fitted abstention models for this embedder ("full", and "dense" for questions in
        another language): a refit in the data dir, else the shipped one."""
        if self._abstention is None:
            self._abstention, _ = load_models(
                self.settings.embedding_model, [self.settings.data_dir / "abstention"]
            )
        return self._abstention

    def triage(self, text: str) -> Triage:
        """What kind of message ``text`` is (see :mod:`assistant.guards.triage`)."""
        shares = EnglishShares.from_settings(self.settings)
        return triage(text, is_multilingual(self.settings.embedding_model), shares)

    def check_risk(self, text: str) -> RiskSignal | None:
        """A safeguarding signal when ``text`` discloses a current risk of harm (rule + model)."""
        return detect_risk(text, self.risk_classifier)

    def _embeddings_unlocked(self) -> Embeddings:
        if self._embeddings is None:
            from assistant.index.embedding import load_embeddings

            self._embeddings = load_embeddings(self.settings)
        return self._embeddings

    def warm(self, background: bool = True, limit: int | None = None) -> threading.Thread | None:
        """Load the model and indexes and embed every answer sentence (and, if missing, the
        word-piece vectors) of a corpus of at most ``limit`` chunks, so that first answers are as
        fast as later ones. The vectors persist in the data dir, so this costs time only once per
        corpus. ``limit`` defaults to ``settings.warm_limit``. Returns the thread if any."""
        limit = self.settings.warm_limit if limit is None else limit
        if not background:
            self._warm(limit)
            return None
        thread = threading.Thread(target=self._warm, args=(limit,), daemon=True, name="rbp-warm")
        thread.start()
        return thread

    def _warm(self, limit: int) -> None:
        index = self.retriever.lexical
        if self.settings.spelling:
            speller_for(index, SpellingLimits.from_settings(self.settings)).prepare()
        cache = self.sentence_vectors
        if len(index) > limit:
            return
        _embed_missing(cache, index.texts, self.settings.abstain_sentence_check)
        late = self.retriever.late
        if late is not None:  # word-piece vectors, for an index built without them
            passages = index.passages()
            for start in range(0, len(passages), WARM_BATCH):
                passage_matrices(late.encoder, late.cache, passages[start : start + WARM_BATCH])

    @property
    def answerer_label(self) -> str:
        """``'extractive'`` or e.g. ``'openai: gpt-4o-mini @ http://...'``."""
        return self.answerer.label

    # --- the API -------------------------------------------------------------------------------
    def search(self, query: str, mode: str | None = None, k: int | None = None) -> list[Hit]:
        """Ranked hits for ``query`` (mode dense|bm25|hybrid, default from settings)."""
        return self.retriever.search(query, mode, k)

    def ask(self, question: str, mode: str | None = None, k: int | None = None) -> Answer:
        """A cited answer, or an abstention when the materials do not cover ``question``."""
        final: Answer | None = None
        for part in self.stream(question, mode, k):
            if isinstance(part, Answer):
                final = part
        assert final is not None
        return final

    def follow_up(self, question: str, previous: str | None) -> str | None:
        """The text to search for ``question`` read as a follow-up to ``previous`` ("who wrote
        about it?"), or None when it has a topic of its own (see
        :mod:`assistant.query.followup`)."""
        if not previous:
            return None
        index = self.retriever.lexical
        if not is_follow_up(question, index.knows, index.stemming):
            return None
        return with_previous(question, previous)

    def stream(
        self, question: str, mode: str | None = None, k: int | None = None
    ) -> Iterator[str | Answer]:
        """Text deltas of the answer as they are produced, then the final :class:`Answer`."""
        start = time.perf_counter()
        verdict = self.triage(question)
        if verdict.message is not None:  # empty, an instruction, or a language not supported
            reply = Answer(
                question,
                verdict.message,
                abstained=True,
                mode=self.answerer_label,
                retrieval_mode=mode or self.settings.retrieval_mode,
                note=verdict.outcome,
            )
            yield reply.text
            yield reply
            return
        foreign = verdict.outcome == "other_language"
        retrieval = self.retriever.retrieve(question, mode, k, both=True)
        retrieved = time.perf_counter()
        final: Answer | None = None
        for part in self._compose(question, retrieval, foreign):
            if isinstance(part, Answer):
                final = part
            else:
                yield part
        if final is None:
            raise RuntimeError(f"{self.answerer_label} produced no answer")
        if foreign and not final.abstained:
            final.note = IN_ENGLISH_NOTE
        elif retrieval.corrected and not final.abstained and not final.note:
            final.note = mended_note(retrieval.corrected)
        end = time.perf_counter()
        final.timings = {
            "retrieve": round((retrieved - start) * 1000, 1),
            "answer": round((end - retrieved) * 1000, 1),
            "total": round((end - start) * 1000, 1),
        }
        yield final

    def _compose(
        self, question: str, retrieval: Retrieval, foreign: bool
    ) -> Iterator[str | Answer]:
        """The answerer's text deltas and Answer, or the refusal when the evidence is weak."""
        if self._abstains(retrieval, foreign):
            final = abstain(
                question,
                retrieval.hits[: self.settings.abstain_closest],
                self.answerer_label,
                retrieval.mode,
            )
            yield final.text
            yield final
            return
        request = AnswerRequest(
            question,
            quotable(retrieval.hits),
            retrieval.mode,
            retrieval.query_vector,
            searched=retrieval.query,
            analysis=retrieval.analysis,
        )
        yield from self.answerer.stream(request)

    def _abstains(self, retrieval: Retrieval, foreign: bool = False) -> bool:
        """Whether to abstain (:func:`~assistant.guards.abstention.decide`); a question in another
        language uses the "dense" model and no rule family, as its words match no passage."""
        index = self.retriever.lexical
        if not retrieval.hits:
            return True
        values = self.evidence(retrieval)
        limits = EvidenceLimits.from_settings(self.settings)
        model = self.abstention_models["dense" if foreign else "full"]
        rules = [] if foreign else self.settings.abstain_rules
        return decide(retrieval, index, model, values, rules, limits)
