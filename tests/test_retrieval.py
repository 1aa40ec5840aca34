"""Retrieval: RRF on literal lists, exact dense/BM25/hybrid rankings with a fake embedder,
near-duplicate collapse and query clean-up."""

from __future__ import annotations

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from langchain_core.documents import Document

from assistant.index import lexical
from assistant.index.store import ChunkStore
from assistant.query.clean import clean_query, without_publisher
from assistant.records import Hit
from assistant.retrieve import retriever as retriever_mod
from assistant.retrieve.fusion import fuse, rrf
from assistant.retrieve.retriever import (
    Retriever,
    UnknownMode,
    answer_type,
    collapse_duplicates,
    distinct,
    favour_answer_type,
    mended,
    merge_pages,
    similarity,
)
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings

VOCAB = ["tronto", "care", "kadushin", "supervision", "ideas", "model", "families", "time"]


def test_rrf_literal_lists() -> None:
    fused = rrf([["a", "b", "c"], ["c", "a"]], k=60)
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert sorted(fused, key=lambda d: -fused[d]) == ["a", "c", "b"]


def test_rrf_small_k_and_weights() -> None:
    fused = rrf([["a", "b"], ["b", "c"]], k=1, weights=[1.0, 2.0])
    assert fused == pytest.approx({"a": 1 / 2, "b": 1 / 3 + 2 / 2, "c": 2 / 3})


def test_rrf_empty() -> None:
    assert rrf([[], []]) == {}


def hit(chunk_id: str, text: str, *, slide: int | None = None, page: int | None = None) -> Hit:
    name = f"{chunk_id.split('#')[0]}"
    return Hit(chunk_id, text, name, name, "Deck", page=page, slide=slide)


def test_fuse_keeps_each_retrievers_score() -> None:
    dense = [hit("a", "x"), hit("b", "y")]
    dense[0].scores["dense"], dense[1].scores["dense"] = 0.9, 0.8
    bm25 = [hit("b", "y"), hit("c", "z")]
    bm25[0].scores["bm25"], bm25[1].scores["bm25"] = 5.0, 1.0
    fused = fuse(dense, bm25, rrf_k=60, dominance=None)
    assert [h.chunk_id for h in fused] == ["b", "a", "c"]
    assert fused[0].scores == pytest.approx({"dense": 0.8, "bm25": 5.0, "rrf": 1 / 62 + 1 / 61})
    assert fused[0].score == fused[0].scores["rrf"]


def test_a_dominant_bm25_winner_counts_twice() -> None:
    def ranked(scores: dict[str, float], key: str) -> list[Hit]:
        hits = [hit(cid, cid) for cid in scores]
        for h in hits:
            h.scores[key] = scores[h.chunk_id]
        return hits

    dense = ranked({"x": 0.32, "y": 0.31, "a": 0.2}, "dense")
    gap = ranked({"a": 9.0, "x": 1.0}, "bm25")
    dominance = Settings.model_fields["bm25_dominance"].default
    assert [h.chunk_id for h in fuse(dense, gap, rrf_k=2, dominance=dominance)][0] == "a"
    close = ranked({"a": 1.5, "x": 1.0}, "bm25")
    assert [h.chunk_id for h in fuse(dense, close, rrf_k=2, dominance=dominance)][0] == "x"
    assert [h.chunk_id for h in fuse(dense, gap, rrf_k=2)][0] == "x"


def test_collapse_pptx_and_its_pdf_export() -> None:
    slide = "The IDEAS Model\nInfluence - role\nDelivery - tools\nExpertise - knowledge"
    hits = [
        hit("deck.pptx#s14", slide, slide=14),
        hit("deck.pdf#p14", slide.replace("\n", " "), page=14),
        hit("deck.pdf#p15", "Barriers to relationship-based practice", page=15),
        hit("other.pdf#p14", "A different page fourteen about something else entirely", page=14),
    ]
    kept = collapse_duplicates(hits)
    assert [h.chunk_id for h in kept] == ["deck.pptx#s14", "deck.pdf#p15", "other.pdf#p14"]
    assert kept[0].metadata["also_in"] == ["deck.pdf, page 14"]


def test_distinct_drops_repeats_and_changes_no_hit() -> None:
    hits = [
        hit("deck.pdf#p14", "Influence Delivery Expertise", page=14),
        hit("deck.pptx#s14", "Alliance Support (speaker notes)", slide=14),
        hit("deck.pdf#p15", "Barriers to practice", page=15),
        hit("copy.pdf#p15", "Barriers to practice", page=15),
        hit("other.pdf#p14", "A different page fourteen", page=14),
    ]
    kept = distinct(hits)
    assert [h.chunk_id for h in kept] == ["deck.pdf#p14", "deck.pdf#p15", "other.pdf#p14"]
    weeks = [hit("w1/notes.pdf#p3", "Endings", page=3), hit("w2/notes.pdf#p3", "Trust", page=3)]
    assert len(distinct(weeks)) == len(collapse_duplicates(weeks)) == 2  # not twins
    assert kept[0].text == "Influence Delivery Expertise" and "also_in" not in kept[0].metadata


def test_same_text_on_different_slides_is_not_collapsed() -> None:
    hits = [
        hit("d#1", "Challenging contexts", slide=18),
        hit("d#2", "Challenging contexts", slide=19),
    ]
    assert len(collapse_duplicates(hits)) == 2


def test_similarity_is_order_and_case_insensitive() -> None:
    assert similarity("Be reflective. Act relationally", "be reflective act relationally") == 1.0
    assert similarity("alpha beta gamma", "delta epsilon zeta") == 0.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What are the elements of care, according to the deck?", "What are the elements of care?"),
        ("How does the deck describe what the 80-20 Campaign is?", None),
        ("What is in the slides about 80/20?", "What is about 80:20?"),
        ("What does BASW say about austerity in the course materials", None),
    ],
)
def test_clean_query(question: str, expected: str | None) -> None:
    cleaned = clean_query(question)
    if expected is not None:
        assert cleaned == expected
    assert "deck" not in cleaned.split()[-1:] and "80-20" not in cleaned and "80/20" not in cleaned


def test_clean_query_never_empties() -> None:
    assert clean_query("according to the slides") == "according to the slides"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What sets social work apart, according to BASW?", "What sets social work apart?"),
        ("According to BASW, what is 80:20?", "What is 80:20?"),
        ("Why, according to the BASW's page, is it so?", "Why page, is it so?"),
        ("what is rbp according to basw", "what is rbp"),
        ("According to Ruch, how are staff held?", "According to Ruch, how are staff held?"),
        ("What does BASW say about austerity?", "What does BASW say about austerity?"),
        ("according to BASW", "according to BASW"),
    ],
)
def test_attribution_to_the_publisher_is_dropped(question: str, expected: str) -> None:
    assert without_publisher(question, frozenset({"basw", "rbp"})) == expected
    assert without_publisher(question, frozenset()) == question


# --- a real Chroma collection with the fake embedder --------------------------------------------
def chunk(chunk_id: str, text: str, number: int, kind: str = "pdf", title: str = "") -> Document:
    source = chunk_id.split("#")[0]
    meta: dict[str, object] = {
        "chunk_id": chunk_id,
        "source": source,
        "file_name": source,
        "doc_title": "Course deck",
        "kind": kind,
        "context": f"Course deck — {title}" if title else "Course deck",
        "section": title,
    }
    meta["slide" if kind == "pptx" else "page"] = number
    return Document(page_content=text, metadata=meta)


CHUNKS = [
    chunk(
        "deck.pdf#p11", "Tronto care care: attentiveness responsibility", 11, title="Ethic of care"
    ),
    chunk("deck.pdf#p12", "Kadushin supervision supervision supervision", 12, title="Supervision"),
    chunk("deck.pdf#p14", "ideas model model: influence delivery expertise", 14, title="IDEAS"),
    chunk("deck.pdf#p2", "families time time families", 2, title="Why 80:20"),
    chunk(
        "deck.pptx#s12", "Kadushin supervision supervision supervision", 12, "pptx", "Supervision"
    ),
]


@pytest.fixture
def retriever(settings: Settings) -> Retriever:
    client = chromadb.EphemeralClient(ChromaSettings(anonymized_telemetry=False, allow_reset=True))
    client.reset()
    store = ChunkStore(client, "retrieval_test")
    emb = KeywordEmbeddings(VOCAB)
    store.add(CHUNKS, emb.embed_documents([c.page_content for c in CHUNKS]))
    lexical.rebuild(settings, store)
    return Retriever(settings, store, emb)


def test_dense_ranking_is_exact(retriever: Retriever) -> None:
    hits = retriever.search("tronto care", mode="dense", k=3)
    assert hits[0].chunk_id == "deck.pdf#p11"
    assert hits[0].scores["dense"] == pytest.approx(hits[0].score)
    assert hits[0].page == 11 and hits[0].section == "Ethic of care"


def test_bm25_ranking_is_exact(retriever: Retriever) -> None:
    hits = retriever.search("families and time", mode="bm25", k=3)
    assert [h.chunk_id for h in hits] == ["deck.pdf#p2"]
    assert "dense" not in hits[0].scores


def test_hybrid_fuses_and_collapses_twins(retriever: Retriever) -> None:
    hits = retriever.search("Kadushin supervision", mode="hybrid", k=5)
    ids = [h.chunk_id for h in hits]
    assert ids[0] in {"deck.pdf#p12", "deck.pptx#s12"}
    assert not {"deck.pdf#p12", "deck.pptx#s12"} <= set(ids)  # the same slide is cited once
    top = hits[0]
    assert {"dense", "bm25"} <= set(top.scores) and {"fused", "rrf"} & set(top.scores)
    assert top.metadata["also_in"]


def test_typos_are_mended_before_searching(retriever: Retriever) -> None:
    result = retriever.retrieve("what does the supervison triangle show?", "bm25")
    assert result.corrected == {"supervison": "supervision"}
    assert result.query == "what does the supervision triangle show?"
    assert result.hits and result.hits[0].number == 12
    off = Retriever(
        retriever.settings.model_copy(update={"spelling": False}),
        retriever.store,
        retriever.embeddings,
    )
    assert off.retrieve("what does the supervison triangle show?", "bm25").hits == []
    dense = retriever.retrieve("what does the supervison triangle show?", "dense")
    assert dense.corrected == {"supervison": "supervision"} and dense.bm25 == []
    assert dense.query == result.query


def test_one_query_analysis_is_made_and_carried(
    retriever: Retriever, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = []
    real = retriever_mod.analyse
    monkeypatch.setattr(retriever_mod, "analyse", lambda *a: made.append(a) or real(*a))
    result = retriever.retrieve("Hi! What does the supervison triangle show on slide 12?")
    analysis = result.analysis
    assert len(made) == 1 and analysis is not None
    assert analysis.question == "Hi! What does the supervison triangle show on slide 12?"
    assert analysis.searched == result.query == "What does the supervision triangle show?"
    assert dict(analysis.corrected) == result.corrected == {"supervison": "supervision"}
    assert analysis.terms == ("supervis", "triangl") and analysis.locations.numbers == {12}
    assert analysis.tokenises(result.query, retriever.lexical.stemming)


def test_attribution_to_the_publisher_does_not_pull_title_pages(settings: Settings) -> None:
    client = chromadb.EphemeralClient(ChromaSettings(anonymized_telemetry=False, allow_reset=True))
    client.reset()
    store = ChunkStore(client, "publisher_test")
    docs = [
        chunk("acme-deck.pdf#p1", "ACME campaign for care: ACME", 1, title="ACME campaign"),
        chunk("acme-deck.pdf#p4", "time with families", 4, title="Direct work"),
        chunk("acme-page.pdf#p2", "Tronto ethic of care", 2, title="Care"),
    ]
    emb = KeywordEmbeddings([*VOCAB, "acme"])
    store.add(docs, emb.embed_documents([d.page_content for d in docs]))
    lexical.rebuild(settings, store)
    retriever = Retriever(settings, store, emb)
    for mode in ("dense", "bm25", "hybrid"):
        result = retriever.retrieve("How much time with families, according to ACME?", mode)
        assert result.query == "How much time with families?"
        assert result.hits[0].chunk_id == "acme-deck.pdf#p4"
    # a name in only some file names is a topic, and kept
    assert retriever.retrieve("Care, according to Tronto?").query == "Care, according to Tronto?"


def test_hybrid_is_the_default_mode(retriever: Retriever) -> None:
    result = retriever.retrieve("IDEAS model")
    assert result.mode == "hybrid" and result.hits[0].chunk_id == "deck.pdf#p14"
    assert result.dense and result.bm25 and result.query_vector is not None


def test_k_limits_hits(retriever: Retriever) -> None:
    assert len(retriever.search("care supervision ideas families", k=2)) == 2


def test_unknown_mode(retriever: Retriever) -> None:
    with pytest.raises(UnknownMode, match="dense, bm25, hybrid"):
        retriever.search("care", mode="sparse")


def test_bm25_mode_does_not_embed_unless_asked(retriever: Retriever) -> None:
    assert retriever.retrieve("care", mode="bm25").query_vector is None
    assert retriever.retrieve("care", mode="bm25", both=True).dense


def test_index_rebuilt_by_ingest_is_picked_up(retriever: Retriever, settings: Settings) -> None:
    assert retriever.search("mindfulness", mode="bm25") == []
    extra = chunk("deck.pdf#p29", "mindfulness moment", 29, title="Mindfulness")
    retriever.store.add([extra], KeywordEmbeddings(VOCAB).embed_documents([extra.page_content]))
    lexical.rebuild(settings, retriever.store)
    assert retriever.search("mindfulness", mode="bm25")[0].chunk_id == "deck.pdf#p29"


def test_chunks_of_one_page_merge_into_one_hit() -> None:
    first = hit("doc.pdf#p2-1", "We are focused on three areas:", page=2)
    first.metadata["chunk_index"] = 1
    other = hit("doc.pdf#p3-0", "Our current main activities", page=3)
    second = hit("doc.pdf#p2-2", "Telling the story of social work.", page=2)
    second.metadata["chunk_index"] = 0
    merged = merge_pages([first, other, second])
    assert [h.chunk_id for h in merged] == ["doc.pdf#p2-1", "doc.pdf#p3-0"]
    assert merged[0].text == "Telling the story of social work.\nWe are focused on three areas:"
    assert merged[0].metadata["chunk_ids"] == ["doc.pdf#p2-2", "doc.pdf#p2-1"]


@pytest.mark.parametrize(
    ("question", "passage", "fits"),
    [
        ("What percentage of time goes on admin?", "close to 80% of their time", True),
        ("What share were never investigated?", "70 per cent were not", True),
        ("What percentage of time goes on admin?", "see https://x.org/FINAL%2080-20", False),
        ("In what year was the book first published?", "Original 1999", True),
        ("How many social workers were assaulted?", "85 of them", True),
        ("How many social workers were assaulted?", "many of them", False),
        ("Who came up with emotional labour?", "Arlie Hochschild, The Managed Heart 1983", True),
        ("Which author links strengths to practice?", "Saleebey (2006)", True),
        ("Whose idea of nested dependencies is it?", "Kittay, Love's Labour 1999", True),
        ("Who is the compassionate mind model credited to?", "Paul Gilbert", False),
    ],
)
def test_answer_type_cues(question: str, passage: str, fits: bool) -> None:
    hits = [hit("a", "no figures here", page=1), hit("b", passage, page=2)]
    hits[0].score, hits[1].score = 0.5, 0.4
    ranked = favour_answer_type(hits, question, bonus=0.3)
    assert (ranked[0].chunk_id == "b") is fits
    assert ("answer_type" in ranked[0].scores) is fits


def test_questions_without_a_cue_are_left_alone() -> None:
    assert answer_type("Why does relationship-based practice matter?") is None
    assert answer_type("Whose needs come first?") is None  # "whose" alone asks for no citation
    assert answer_type("Who is the supervisor in the triangle?") is None
    hits = [hit("a", "80%", page=1)]
    assert favour_answer_type(hits, "Why?", 0.3)[0].score == 0.0


def test_a_mended_typo_still_asks_for_its_kind_of_answer() -> None:
    typed = "What percnetage of time goes on admin?"
    asked = mended(typed, {"percnetage": "percentage"})
    assert asked == "What percentage of time goes on admin?"
    assert answer_type(typed) is None and answer_type(asked) is not None
    assert mended("a modle of models", {"modle": "model"}) == "a model of models"


def test_twin_documents_merge_different_parts_of_a_slide() -> None:
    body = hit("deck.pdf#p26", "The IDEAS model: influence, delivery, expertise", page=26)
    notes = hit("deck.pptx#s26n", "Speaker notes: the model comes from a 2019 book", slide=26)
    other = hit("primer.pdf#p26", "Something else on page 26 of another file", page=26)
    kept = collapse_duplicates([body, notes, other])
    assert [h.chunk_id for h in kept] == ["deck.pdf#p26", "primer.pdf#p26"]
    assert kept[0].text.endswith("Speaker notes: the model comes from a 2019 book")
    assert kept[0].metadata["also_in"] == ["deck.pptx, slide 26"]


def test_fusion_ranks_pages_so_a_many_chunk_page_does_not_crowd_out_others() -> None:
    # page p1 has three chunks at the top of the BM25 list; page p2 is second for both retrievers
    dense = [hit("doc#1", "a", page=1), hit("doc#2", "b", page=2)]
    bm25 = [
        hit("doc#1a", "a1", page=1),
        hit("doc#1b", "a2", page=1),
        hit("doc#1c", "a3", page=1),
        hit("doc#2b", "b2", page=2),
    ]
    for rank, h in enumerate(bm25):
        h.scores["bm25"] = 4.0 - rank
    fused = fuse(dense, bm25, rrf_k=1, dominance=None)
    by_page = {h.page: h.scores["rrf"] for h in fused}
    # each list counts once per page: p1 = 1/2 + 1/2, p2 = 1/3 + 1/3
    assert by_page == pytest.approx({1: 1.0, 2: 2 / 3})
    assert [h.chunk_id for h in fused][:4] == ["doc#1", "doc#1a", "doc#1b", "doc#1c"]


def test_another_process_changing_the_store_is_picked_up(
    retriever: Retriever, settings: Settings, tmp_path
) -> None:  # noqa: ANN001
    assert retriever.search("mindfulness", mode="bm25") == []
    # a second replica: its own data dir, the same collection
    other = Retriever(
        settings.model_copy(update={"data_dir": tmp_path / "b"}),
        retriever.store,
        KeywordEmbeddings(VOCAB),
    )
    other.search("mindfulness", mode="bm25")
    extra = chunk("deck.pdf#p29", "mindfulness moment", 29, title="Mindfulness")
    retriever.store.add([extra], KeywordEmbeddings(VOCAB).embed_documents([extra.page_content]))
    retriever.store.bump_version()  # what ingest does after a change
    for replica in (retriever, other):
        assert replica.search("mindfulness", mode="bm25")[0].chunk_id == "deck.pdf#p29"
