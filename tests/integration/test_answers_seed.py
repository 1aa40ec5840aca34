"""Answers on the shared seed corpus with the real model: keywords of known answers with the right
page/slide citations, abstention on out-of-corpus questions, PPTX/PDF twins cited once, and a
quality floor on the dev questions. Run with ``-s`` to see the dev figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluate import metrics
from assistant.ingest.run import ingest
from assistant.pipeline import Assistant
from assistant.settings import get_settings
from tests.conftest import DEV_QUESTIONS, SEED_CORPUS, SEED_PPTX

pytestmark = pytest.mark.integration

DECK = "basw-8020-rbp-slides.pdf"
PAGE = "basw-rbp-campaign-2019.pdf"

#: Known answer-ranking miss (strict: the test fails once it is fixed, so the mark is removed):
#: a two-word bullet of another slide sharing a word with the question ("More mindful") is
#: quoted before the slide that answers.
KNOWN_MISS = pytest.mark.xfail(
    strict=True, reason="the extractive answerer quotes a unit from a weaker slide first"
)


def _assistant(root: Path, paths: list[Path], embeddings) -> Assistant:  # noqa: ANN001
    for path in paths:
        if not path.exists():
            pytest.skip(f"{path} is not present")
    settings = get_settings(data_dir=root / "data")
    report = ingest(paths, settings, embeddings=embeddings)
    assert not report.failed
    return Assistant.from_settings(settings, embeddings=embeddings)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory, real_embeddings) -> Assistant:  # noqa: ANN001
    return _assistant(tmp_path_factory.mktemp("seed"), [SEED_CORPUS], real_embeddings)


@pytest.mark.parametrize(
    ("question", "keywords", "file_name", "page"),
    [
        (
            "What are Tronto's four elements of care?",
            ["Attentiveness", "Responsibility", "Competence", "Responsiveness"],
            DECK,
            11,
        ),
        (
            "What does each letter of the IDEAS model stand for?",
            ["Influence", "Delivery", "Expertise", "Alliance", "Support"],
            DECK,
            14,
        ),
        (
            "What are the three functions of supervision in Kadushin's triangle?",
            ["Administrative", "Educative", "Supportive"],
            DECK,
            12,
        ),
        (
            "Why does BASW exist?",
            ["strengthen social work", "support social workers", "promote social justice"],
            PAGE,
            1,
        ),
    ],
)
def test_extractive_answers_contain_the_known_answer(
    seed: Assistant, question: str, keywords: list[str], file_name: str, page: int
) -> None:
    reply = seed.ask(question)
    assert not reply.abstained, reply
    for keyword in keywords:
        assert keyword.lower() in reply.text.lower(), (keyword, reply.text)
    first = reply.citations[0]
    assert (first.file_name, first.page) == (file_name, page)
    assert "[1]" in reply.text and 10 <= len(reply.text.split()) <= 170


@pytest.mark.parametrize(
    "question",
    [
        "What is the two-stage test of mental capacity under the Mental Capacity Act 2005?",
        "Who led the 2011 independent review of child protection in England?",
        "What are the six principles of adult safeguarding in the Care Act 2014?",
        "What does OARS stand for in motivational interviewing?",
        "What is Bronfenbrenner's ecological systems model?",
    ],
)
def test_out_of_corpus_questions_abstain(seed: Assistant, question: str) -> None:
    reply = seed.ask(question)
    assert reply.abstained and reply.text == "I can't find this in the course materials."
    assert reply.citations  # closest sources to look at


@pytest.mark.parametrize(
    ("question", "slide"),
    [
        ("What does the IDEAS modle stand for?", 14),
        ("what are the sides of the supervison triangle", 12),
        pytest.param("what is the compasionate mind model", 28, marks=KNOWN_MISS),
    ],
)
def test_questions_with_typos_are_answered(seed: Assistant, question: str, slide: int) -> None:
    reply = seed.ask(question)
    assert not reply.abstained, reply
    assert (reply.citations[0].file_name, reply.citations[0].page) == (DECK, slide)
    assert reply.note.startswith("Searched reading “"), reply.note  # the user sees the mend


def test_the_askers_framing_changes_nothing(seed: Assistant) -> None:
    question = "What are Tronto's four elements of care?"
    plain = seed.ask(question)
    framed = seed.ask(f"Hello, I'm an ASYE in a CIN team. {question} - asking for my PEL")
    assert not framed.abstained and framed.citations == plain.citations
    assert framed.text == plain.text


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("What sets social work apart from other professions?", (PAGE, 1)),
        ("What are Tronto's four elements of care?", (DECK, 11)),
        ("How much of their week do social workers spend on paperwork?", (PAGE, 2)),
    ],
)
def test_according_to_the_publisher_changes_nothing(
    seed: Assistant, question: str, where: tuple[str, int]
) -> None:
    """BASW is in both seed file names: "according to BASW" names the materials, not a topic."""
    plain = [(h.file_name, h.number) for h in seed.search(question, k=5)]
    assert where in plain
    answer = seed.ask(question).text
    for attributed in (f"{question[:-1]}, according to BASW?", f"According to BASW, {question}"):
        assert [(h.file_name, h.number) for h in seed.search(attributed, k=5)] == plain, attributed
        assert seed.ask(attributed).text == answer, attributed  # quoted for what was searched


@pytest.mark.parametrize(("question", "slide"), [("Who is Kittay?", 4), ("Who is Saleeby?", 8)])
def test_a_question_about_a_name_on_a_slide_is_answered(
    seed: Assistant, question: str, slide: int
) -> None:
    reply = seed.ask(question)
    assert not reply.abstained, reply
    assert (reply.citations[0].file_name, reply.citations[0].page) == (DECK, slide)
    assert seed.ask("Who is Bowlby?").abstained


def test_a_paraphrased_name_is_answered_from_its_slide(seed: Assistant) -> None:
    reply = seed.ask("what is the care ethics approach")  # "ethic of care", word for word
    assert not reply.abstained and (reply.citations[0].file_name, reply.citations[0].page) == (
        DECK,
        11,
    )
    assert "ethic of care" in reply.text.split("[1]")[0]  # the answer opens with that slide


def test_questions_typed_in_lower_case_still_refuse_unknown_names(seed: Assistant) -> None:
    for question in (
        "what is the lundy model of child participation",
        "what are the stages of prochaska and diclemente's cycle of change",
        "What are maslow's needs?",  # a possessive shows the name
    ):
        assert seed.ask(question).abstained, question
    for question, slide in (
        ("what does the compassionate mind framework teach", 28),
        ("What is kadushin's model?", 12),
    ):
        reply = seed.ask(question)
        assert not reply.abstained and (DECK, slide) in [
            (c.file_name, c.page) for c in reply.citations
        ], question
    known = seed.ask("who is kittay")
    assert not known.abstained and (known.citations[0].file_name, known.citations[0].page) == (
        DECK,
        4,
    )
    assert not seed.ask(
        "which psychodynamic processes are named under 'what lies beneath'"
    ).abstained


def test_a_follow_up_is_answered_with_the_earlier_question(seed: Assistant) -> None:
    first = "What are Tronto's four elements of care?"
    assert seed.ask("Who wrote about them?").abstained  # alone it has no topic
    searched = seed.follow_up("Who wrote about them?", first)
    assert searched == f"{first} Who wrote about them?"
    reply = seed.ask(searched)
    assert not reply.abstained
    assert (reply.citations[0].file_name, reply.citations[0].page) == (DECK, 11)
    assert seed.follow_up("What is the IDEAS model?", first) is None


def test_a_typo_never_turns_an_out_of_corpus_question_into_a_known_one(seed: Assistant) -> None:
    assert seed.ask("What does OARS stand for in motivational interveiwing?").abstained


def test_dev_questions_quality_floor(seed: Assistant) -> None:
    if not DEV_QUESTIONS.is_file():
        pytest.skip("dev questions not present")
    rows = [json.loads(line) for line in DEV_QUESTIONS.read_text().splitlines() if line.strip()]
    top1, top5, coverage, lead, wrong = 0, 0, [], [], []
    answerable = [q for q in rows if q["source"]]
    for q in rows:
        reply = seed.ask(q["question"])
        if reply.abstained != (q["source"] is None):
            wrong.append(q["id"])
        if not q["source"]:
            continue
        ranks = [
            i
            for i, h in enumerate(seed.search(q["question"], k=5), 1)
            if h.file_name == q["source"] and h.number in q["pages"]
        ]
        top1 += bool(ranks) and ranks[0] == 1
        top5 += bool(ranks)
        kws = q["answer_keywords"]
        coverage.append(sum(k.lower() in reply.text.lower() for k in kws) / len(kws))
        lead.append(metrics.answer_quality(reply.text, kws)["kw40"])
    n = len(answerable)
    figures = {"R@1": top1 / n, "R@5": top5 / n, "keywords": sum(coverage) / n, "wrong": wrong}
    figures["kw40"] = sum(lead) / n
    print(f"\ndev (hybrid, extractive): {figures}")
    assert len(wrong) <= 1, figures  # abstention: at most one mistake either way
    assert figures["R@5"] >= 0.85 and figures["R@1"] >= 0.7, figures
    # unpadded answers: key facts anywhere (measured 0.804; 0.8 with padding) and early (0.768)
    assert figures["keywords"] >= 0.8 and figures["kw40"] >= 0.76, figures


def test_pptx_and_pdf_of_the_same_deck_are_cited_once(
    tmp_path_factory: pytest.TempPathFactory,
    real_embeddings,  # noqa: ANN001
) -> None:
    both = _assistant(tmp_path_factory.mktemp("twins"), [SEED_CORPUS, SEED_PPTX], real_embeddings)
    hits = both.search("The IDEAS model: influence, delivery, expertise, alliance, support", k=6)
    fourteens = [h for h in hits if h.number == 14 and "8020" in h.file_name]
    assert len(fourteens) == 1, [(h.file_name, h.location) for h in hits]
    assert fourteens[0].metadata["also_in"]
    reply = both.ask("What does each letter of the IDEAS model stand for?")
    numbers = [c.slide or c.page for c in reply.citations]
    assert len(set(numbers)) == len(numbers), [c.label() for c in reply.citations]
