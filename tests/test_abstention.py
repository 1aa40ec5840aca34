"""Tests for the abstention decision (assistant/abstention.py): anchors, abbreviations and the
sentence-support check."""

from __future__ import annotations

from dataclasses import replace

from langchain_core.documents import Document

from assistant.abstention import (
    Evidence,
    abbreviated_words,
    anchors,
    assess,
    covered,
    lower_case_names,
    name_runs,
    named_by_context,
    names_only,
    passage_terms,
    phrases,
    sentences,
    should_abstain,
    unknown_anchors,
    unknown_names,
    unknown_units,
    unsupported_topic,
    unusual_words,
    without_capitals,
)
from assistant.lexical import LexicalIndex
from assistant.records import Hit
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


def test_anchors_keep_numbers_with_their_suffix() -> None:
    assert anchors("In the 1990s market era, who wrote the 3rd edition in 2012?") == [
        "1990s",
        "3rd",
        "2012",
    ]
    docs = [
        Document(
            page_content="Neo-liberalism and the market place 1990s", metadata={"chunk_id": "a"}
        )
    ]
    assert unknown_anchors("What happened in the 1990s?", LexicalIndex.build(docs)) == []
    assert unknown_anchors("What happened in the 1980s?", LexicalIndex.build(docs)) == ["1980s"]


def test_name_runs_and_their_initials() -> None:
    runs = name_runs("Which association is BASW Northern Ireland building links with?")
    assert (["Northern", "Ireland"], "NI") in runs and (
        ["BASW", "Northern", "Ireland"],
        "BNI",
    ) in runs
    assert name_runs("What is emotional labour?") == []


def test_a_name_the_materials_abbreviate_is_known() -> None:
    question = "Which association is BASW Northern Ireland building links with?"
    text = "Links between BASW NI and the Irish Association of Social Workers in Ireland"
    docs = [Document(page_content=text, metadata={"chunk_id": "a"})]
    lex = LexicalIndex.build(docs)
    passage = [Hit("a", text, "doc.pdf", "doc.pdf", "Doc", page=3)]
    assert unknown_anchors(question, lex) == ["Northern"]
    assert abbreviated_words(question, passage) == {
        "Northern",
        "Ireland",
    }
    assert unknown_anchors(question, lex, abbreviated_words(question, passage)) == []
    assert unknown_names(question, passage) == []
    # the acronym must be a word of its own in capitals; "ni" inside a word or lower case is not
    other = [Hit("b", "Unison and nine others", "doc.pdf", "doc.pdf", "Doc", page=1)]
    assert abbreviated_words(question, other) == frozenset()
    assert unknown_names(question, other) == ["BASW Northern Ireland"]


def test_a_question_only_about_a_name_the_materials_use_is_answered() -> None:
    text = "Nested dependencies (Kittay, 1999): the carer is cared for."
    lex = LexicalIndex.build([Document(page_content=text, metadata={"chunk_id": "k"})])
    emb = KeywordEmbeddings(["nested", "dependencies", "carer", "who", "is", "kittay", "doulia"])

    def evidence(question: str) -> Evidence:
        hit = lex.hit(0, 1.0)
        hit.scores["dense"] = 0.2  # weak: little of the passage resembles the question
        found = Retrieval(question, "hybrid", [hit], [hit], [hit], emb.embed_query(question))
        return assess(question, found, lex, emb)

    assert names_only("Who was Kittay?", stemming=True)
    assert not names_only("Who is Kittay and what is doulia?", stemming=True)
    assert not names_only("Who is it?", stemming=True)
    assert evidence("Who is Kittay?").named and not should_abstain(evidence("Who is Kittay?"))
    # another word asked about, even one the materials never use, needs the usual evidence
    assert not evidence("Who is Kittay and what does doulia mean?").named
    weak = Evidence(dense_top=0.2, coverage=1.0, agree=True, sentence_top=0.3, known_phrase_top=0.3)
    assert should_abstain(weak)
    assert not should_abstain(replace(weak, named=True))
    # a name the materials never use is still refused
    assert should_abstain(replace(weak, named=True, unknown_anchors=["Bowlby"]))


def test_in_lower_case_words_that_are_no_english_count_as_names() -> None:
    text = "Nested dependencies (Kittay, 1999). Psychodynamic ideas of the mid-century."
    lex = LexicalIndex.build([Document(page_content=text, metadata={"chunk_id": "k"})])
    asked = "who developed maslow's hierarchy and the lundy model of the twentieth-century"
    assert unusual_words(asked, lex) == ["maslow's", "lundy"]  # "twentieth-century" is English
    assert unknown_anchors(asked, lex) == ["maslow's", "lundy"]
    # known to the materials: not unknown, but still a name to ask about
    assert unusual_words("who is kittay", lex) == [] and names_only("who is kittay", True)
    assert unusual_words("what are psychoanalytic ideas", lex) == []  # "psycho" + "analytic"
    # with capitals, the capitals show the names; a lower-case odd word is more often a typo
    assert unknown_anchors("Who developed the hierarchy of maslow?", lex) == []
    assert unknown_anchors("Who developed the hierarchy of Maslow?", lex) == ["Maslow"]
    assert not names_only("Who is kittay?", True)


def test_with_a_capital_only_at_the_start_names_show_by_their_context() -> None:
    text = "Nested dependencies (Kittay, 1999). Supervision (Kadushin)."
    lex = LexicalIndex.build([Document(page_content=text, metadata={"chunk_id": "k"})])
    assert named_by_context("What are maslow's needs and the lundy model?") == ["maslow's", "lundy"]
    assert unknown_anchors("What are maslow's needs?", lex) == ["maslow's"]
    assert unknown_anchors("What is the lundy model?", lex) == ["lundy"]
    assert unknown_anchors("What is kittay's idea?", lex) == []  # a name the materials use
    # an odd word elsewhere is more often a typo the speller could not mend than a name
    assert unknown_anchors("How has the coroanvirus pandemic hit practice?", lex) == []
    assert unknown_anchors("how has the coroanvirus pandemic hit practice", lex) == ["coroanvirus"]


def test_in_lower_case_a_naming_noun_ends_a_name() -> None:
    assert lower_case_names("what is the signs of safety framework") == ["signs of safety"]
    assert lower_case_names("what are the deprivation of liberty safeguards") == [
        "deprivation of liberty"
    ]
    assert lower_case_names("how is the three houses tool used in direct work") == ["three houses"]
    assert lower_case_names("what is kadushin's model") == []  # one word: see unusual_words
    assert lower_case_names("what does the a in the ideas model stand for") == []
    assert lower_case_names("What is the Signs of Safety framework?") == []  # capitals show it
    # a capital only where a sentence starts, or in "I", shows no name either
    assert lower_case_names("Can I ask? What is the signs of safety framework?") == [
        "signs of safety"
    ]
    assert without_capitals("Hi. Can I ask what the think family approach is?")
    assert not without_capitals("What does BASW say about the think family approach?")


def test_a_lower_case_name_is_known_as_a_phrase_or_word_for_word() -> None:
    passage = [Hit("a", "A feminist ethic of care. Signs of abuse.", "d.pdf", "d.pdf", "D", page=2)]
    assert unknown_names("what is the ethic of care approach", passage) == []
    assert unknown_names("what is the care ethics approach", passage) == []  # any order, stems
    assert unknown_names("what is the signs of safety framework", passage) == ["signs of safety"]
    # with capitals the name must be there as a phrase, as before
    assert unknown_names("What is the Care Ethics approach?", passage) == ["Care Ethics"]


def test_in_lower_case_a_naming_noun_after_the_starts_a_name() -> None:
    assert lower_case_names("Which theorist proposed the hierarchy of needs?") == [
        "hierarchy of needs"
    ]
    assert lower_case_names("what is the wheel of power and control") == [
        "wheel of power and control"
    ]
    assert lower_case_names("what does the model of dix and meade cover") == [
        "model of dix and meade"
    ]
    assert lower_case_names("What is the approach of the deck?") == []  # "the" is no name
    assert lower_case_names("What does the act say?") == []
    # known when a passage uses the noun: materials with no hierarchy have no hierarchy of needs,
    # but their theory may be what the question calls "the theory of emotional labour"
    passages = [
        Hit("a", "Attachment theory.", "d.pdf", "d.pdf", "D", page=2),
        Hit("b", "Emotional labour and managed feelings.", "d.pdf", "d.pdf", "D", page=3),
    ]
    assert unknown_names("Who proposed the hierarchy of needs?", passages) == ["hierarchy of needs"]
    assert unknown_names("What is the theory of emotional labour?", passages) == []


def test_a_how_many_question_needs_its_unit_in_the_materials() -> None:
    lex = LexicalIndex.build(
        [Document(page_content="Ten days of leave a year.", metadata={"chunk_id": "k"})]
    )
    assert unknown_units("How many hours of CPD must I record?", lex) == ["hours"]
    assert unknown_units("Within how many working weeks must it be held?", lex) == ["weeks"]
    assert unknown_units("How many days of leave are there?", lex) == []  # the materials count days
    assert unknown_units("How many staff were assaulted?", lex) == []  # not a unit: a paraphrase?
    assert unknown_units("How much has funding fallen?", lex) == []


def test_a_passage_holding_every_word_of_the_question_is_evidence() -> None:
    text = "Person-centred approach (Rogers' core conditions)"
    slide = Hit("a", text, "d.pdf", "d.pdf", "D", page=8)
    other = Hit("b", "Core values of practice", "d.pdf", "d.pdf", "D", page=3)
    slide_terms, other_terms = passage_terms(slide, True), passage_terms(other, True)
    asked = "what are rogers three core conditions"
    assert covered(asked, [other_terms, slide_terms], stemming=True)
    assert not covered(asked, [other_terms], stemming=True)
    assert not covered("what are the main attachment styles", [slide_terms], stemming=True)
    assert not covered("what is it", [slide_terms], stemming=True)  # no word that matters
    weak = Evidence(dense_top=0.2, coverage=1.0, agree=True, sentence_top=0.3, known_phrase_top=0.3)
    assert should_abstain(weak) and not should_abstain(replace(weak, covered=True))
    assert should_abstain(replace(weak, covered=True, unknown_anchors=["Bowlby"]))
