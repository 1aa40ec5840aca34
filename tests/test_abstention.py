"""Tests for the sentence-support part of the abstention decision (assistant/abstention.py)."""

from __future__ import annotations

from langchain_core.documents import Document

from assistant.abstention import (
    Evidence,
    assess,
    phrases,
    sentences,
    should_abstain,
    unsupported_topic,
)
from assistant.lexical import LexicalIndex
from assistant.retrieval import Retrieval
from tests.fakes import KeywordEmbeddings

TEXTS = {
    "c1": "Attachment theory explains early bonds.\nSupervision supports reflective practice.",
    "c2": "Emotional labour is part of the job. Workers manage their feelings.",
}
VOCAB = [
    *("attachment", "theory", "supervision", "reflective", "practice", "emotional", "labour"),
    *("what", "is", "contextual", "safeguarding"),
]


def index() -> LexicalIndex:
    docs = [Document(page_content=t, metadata={"chunk_id": c}) for c, t in TEXTS.items()]
    return LexicalIndex.build(docs)


def retrieval(question: str, embeddings: KeywordEmbeddings, dense: float) -> Retrieval:
    lex = index()
    hits = [lex.hit(i, 1.0) for i in range(len(TEXTS))]
    for hit in hits:
        hit.scores["dense"] = dense
    return Retrieval(question, "hybrid", hits, hits, hits, embeddings.embed_query(question))


def test_phrases_split_at_stopwords_and_flag_unknown_words() -> None:
    found = dict(phrases("What is contextual safeguarding and attachment theory?", index()))
    assert found == {"contextual safeguarding": False, "attachment theory": True}


def test_sentences_split_lines_and_sentences() -> None:
    hits = [index().hit(0, 1.0), index().hit(1, 1.0)]
    assert "Workers manage their feelings." in sentences(hits)
    assert "Attachment theory explains early bonds." in sentences(hits)


def test_unknown_topic_with_weak_evidence_abstains() -> None:
    emb = KeywordEmbeddings(VOCAB)
    question = "What is contextual safeguarding?"
    ev = assess(question, retrieval(question, emb, dense=0.3), index(), emb)
    assert ev.sentence_top is not None and ev.sentence_top < 0.45
    assert ev.known_phrase_top == 0.0
    assert unsupported_topic(ev) and should_abstain(ev)


def test_known_phrase_matching_a_sentence_is_answered() -> None:
    emb = KeywordEmbeddings(VOCAB)
    question = "How does supervision support reflective practice?"
    ev = assess(question, retrieval(question, emb, dense=0.3), index(), emb)
    assert ev.known_phrase_top is not None and ev.known_phrase_top >= 0.55
    assert not unsupported_topic(ev)


def test_without_embeddings_or_with_strong_dense_the_check_is_skipped() -> None:
    emb = KeywordEmbeddings(VOCAB)
    question = "What is contextual safeguarding?"
    assert assess(question, retrieval(question, emb, 0.3), index()).sentence_top is None
    calls = emb.calls
    assert assess(question, retrieval(question, emb, 0.5), index(), emb).sentence_top is None
    assert emb.calls == calls
    legacy = Evidence(dense_top=0.3, coverage=0.5, agree=True)
    assert not unsupported_topic(legacy)
