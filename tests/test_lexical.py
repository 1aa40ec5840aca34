"""BM25 index: tokenization, exact rankings on a literal corpus, persistence and staleness."""

from __future__ import annotations

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from langchain_core.documents import Document

from assistant.index import lexical
from assistant.index.lexical import LexicalIndex, fingerprint, load_index, read_state, tokenize
from assistant.index.store import ChunkStore
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings


def doc(chunk_id: str, text: str, context: str = "", **meta: object) -> Document:
    metadata = {"chunk_id": chunk_id, "source": f"{chunk_id}.pdf", "file_name": f"{chunk_id}.pdf"}
    metadata.update({"page": 1, "doc_title": "T", "context": context, **meta})
    return Document(page_content=text, metadata=metadata)


CORPUS = [
    doc("care", "Elements of care: attentiveness, responsibility, competence, responsiveness."),
    doc("super", "Supervision has administrative, educative and supportive functions."),
    doc("ratio", "The 80:20 campaign wants more direct work with families."),
    doc("title", "Some body text about values.", context="Kadushin Supervision Triangle"),
]


def test_tokenize_drops_stopwords_and_stems() -> None:
    assert tokenize("The supervisors are supervising") == ["supervisor", "supervis"]
    assert tokenize("The supervisors", stemming=False) == ["supervisors"]


def test_ratios_are_one_token_however_written() -> None:
    for spelling in ("80:20", "80-20", "80/20", "80 : 20"):
        assert "80_20" in tokenize(f"the {spelling} campaign")


def test_extra_stopwords_only_for_queries() -> None:
    assert tokenize("what does the deck say about care", extra_stopwords={"deck", "say"}) == [
        "what",
        "doe",
        "about",
        "care",
    ]


def test_search_ranks_exactly() -> None:
    index = LexicalIndex.build(CORPUS)
    assert [h.chunk_id for h in index.search("supportive supervision", 4)][:1] == ["super"]
    assert [h.chunk_id for h in index.search("80-20 campaign", 4)] == ["ratio"]
    hits = index.search("attentiveness and competence", 4)
    assert [h.chunk_id for h in hits] == ["care"]
    assert hits[0].scores["bm25"] == pytest.approx(hits[0].score) and hits[0].score > 0


def test_publisher_words_are_in_every_document_name() -> None:
    def named(*names: str) -> LexicalIndex:
        return LexicalIndex.build([doc(f"c{i}", "text", file_name=n) for i, n in enumerate(names)])

    assert named("basw-8020-slides.pdf", "BASW-campaign-2019.pdf").publisher_words == {"basw"}
    assert named("basw-slides.pdf", "basw-campaign.pdf", "ruch-notes.pdf").publisher_words == set()
    # a deck and its export are one document: its own name words say nothing about a publisher
    assert named("tronto-care.pptx", "tronto-care.pdf").publisher_words == set()
    assert named("tronto-care.pdf").publisher_words == set()


def test_context_header_is_searchable_but_not_the_text() -> None:
    index = LexicalIndex.build(CORPUS)
    hit = index.search("Kadushin triangle", 2)[0]
    assert hit.chunk_id == "title"
    assert hit.text == "Some body text about values."


def test_unknown_words_give_no_hits() -> None:
    index = LexicalIndex.build(CORPUS)
    assert index.search("zeppelin", 3) == []
    assert index.query_tokens("zeppelin supervision") == ["supervis"]
    assert index.knows("supervis") and not index.knows("zeppelin")
    assert index.idf("zeppelin") == 0.0 and index.idf("supervis") > 0


def test_web_addresses_are_not_indexed() -> None:
    index = LexicalIndex.build([doc("u", "See https://example.org/zebra-report for more.")])
    assert not index.knows("zebra")


def test_save_and_load_give_identical_results(tmp_path) -> None:
    index = LexicalIndex.build(CORPUS)
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    for query in ("care competence", "supervision", "80:20 families"):
        got = [(h.chunk_id, round(h.score, 5)) for h in loaded.search(query, 4)]
        assert got == [(h.chunk_id, round(h.score, 5)) for h in index.search(query, 4)]
    assert loaded.fingerprint == fingerprint(["care", "super", "ratio", "title"])
    assert loaded.metadatas[loaded.position["care"]]["source"] == "care.pdf"


def test_empty_index_saves_loads_and_searches(tmp_path) -> None:
    LexicalIndex.build([]).save(tmp_path / "bm25")
    assert LexicalIndex.load(tmp_path / "bm25").search("care", 3) == []


def test_fingerprint_ignores_order() -> None:
    assert fingerprint(["a", "b"]) == fingerprint(["b", "a"]) != fingerprint(["a"])


# --- kept in step with the store ----------------------------------------------------------------
@pytest.fixture
def store() -> ChunkStore:
    client = chromadb.EphemeralClient(ChromaSettings(anonymized_telemetry=False, allow_reset=True))
    client.reset()
    return ChunkStore(client, "lexical_test")


def add(store: ChunkStore, docs: list[Document]) -> None:
    emb = KeywordEmbeddings(["care", "supervision"])
    store.add(docs, emb.embed_documents([d.page_content for d in docs]))


def test_rebuild_then_load_uses_saved_index(settings: Settings, store: ChunkStore) -> None:
    add(store, CORPUS)
    lexical.rebuild(settings, store)
    state = read_state(settings.bm25_dir)
    assert state and state["count"] == 4
    index = load_index(settings, store)
    assert len(index) == 4 and index.search("educative", 1)[0].chunk_id == "super"


def test_stale_index_is_rebuilt(settings: Settings, store: ChunkStore) -> None:
    add(store, CORPUS[:2])
    lexical.rebuild(settings, store)
    add(store, CORPUS[2:])  # changed behind the index's back
    index = load_index(settings, store)
    assert len(index) == 4
    assert index.search("80:20", 1)[0].chunk_id == "ratio"
    store.delete_source("ratio.pdf")
    assert "ratio" not in load_index(settings, store).ids


def test_missing_index_is_built(settings: Settings, store: ChunkStore) -> None:
    add(store, CORPUS)
    assert read_state(settings.bm25_dir) is None
    assert len(load_index(settings, store)) == 4
    assert read_state(settings.bm25_dir) is not None


def test_stemming_change_forces_rebuild(settings: Settings, store: ChunkStore) -> None:
    add(store, CORPUS)
    lexical.rebuild(settings, store)
    plain = settings.model_copy(update={"bm25_stemming": False})
    index = load_index(plain, store)
    assert not index.stemming and index.knows("supervision")


# --- updated, not rebuilt ------------------------------------------------------------------------
def test_update_tokenizes_only_new_chunks_and_equals_a_build(
    settings: Settings, store: ChunkStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(store, CORPUS[:3])
    lexical.update(settings, store)
    store.delete_source("care.pdf")
    add(store, CORPUS[3:])
    seen: list[str] = []
    real = lexical.tokenize
    monkeypatch.setattr(lexical, "tokenize", lambda text, *a: seen.append(text) or real(text, *a))
    index = lexical.update(settings, store)
    assert len(seen) == 1 and "Some body text" in seen[0]  # only the new chunk
    fresh = LexicalIndex.build(store.all_chunks())
    assert index.ids == fresh.ids == ["ratio", "super", "title"]
    for query in ("supervision", "80:20 campaign", "Kadushin values", "attentiveness"):
        assert [(h.chunk_id, h.score) for h in index.search(query, 3)] == [
            (h.chunk_id, h.score) for h in fresh.search(query, 3)
        ]
    assert not index.knows("attent")  # the removed chunk's words are gone
    loaded = load_index(settings, store)
    assert loaded.ids == index.ids and loaded.corpus is not None


def test_a_version_stamp_replaces_the_fingerprint(settings: Settings, store: ChunkStore) -> None:
    add(store, CORPUS[:2])
    version = store.bump_version()
    assert store.version() == version and version
    lexical.update(settings, store)
    assert read_state(settings.bm25_dir)["version"] == version  # type: ignore[index]
    add(store, CORPUS[2:])  # another process adds chunks and stamps a new version
    assert len(load_index(settings, store)) == 2  # same stamp: the saved index is trusted
    store.bump_version()
    assert len(load_index(settings, store)) == 4
