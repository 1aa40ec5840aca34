"""The held-out question sets in bench/heldout match their corpora page by page."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from assistant.evaluate.testset import Question, load_questions
from tests.conftest import REPO, SEED_CORPUS

HELDOUT = REPO / "bench" / "heldout"
THIRD_PARTY = HELDOUT / "thirdparty-corpus"


def _verify():
    spec = importlib.util.spec_from_file_location("heldout_verify", HELDOUT / "verify.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_third_party_sets_pass_verification() -> None:
    files = [str(HELDOUT / f"thirdparty-{split}.jsonl") for split in ("tune", "test")]
    assert _verify().main(["--corpus", str(THIRD_PARTY), *files]) == 0


def test_second_third_party_and_bundled_sets_pass_verification() -> None:
    verify = _verify()
    second = HELDOUT / "thirdparty2-corpus"
    assert verify.main(["--corpus", str(second), str(HELDOUT / "thirdparty2-test.jsonl")]) == 0
    assert verify.main(["--corpus", str(REPO / "corpus"), str(HELDOUT / "bundled-test.jsonl")]) == 0


@pytest.mark.skipif(not SEED_CORPUS.is_dir(), reason="seed corpus not available")
def test_seed_sets_pass_verification() -> None:
    files = [str(HELDOUT / f"seed-heldout-{split}.jsonl") for split in ("tune", "test")]
    assert _verify().main(["--corpus", str(SEED_CORPUS), *files]) == 0


def test_a_keyword_missing_from_its_page_is_reported() -> None:
    verify = _verify()
    pages = verify.corpus_pages(THIRD_PARTY)
    wrong_page = Question(
        "x", "Who coined compassion fatigue?", "compassion-fatigue.md", (4,), ("Carla Joinson",)
    )
    assert verify.check_question(wrong_page, pages)
    right_page = Question(
        "y", "Who coined compassion fatigue?", "compassion-fatigue.md", (3,), ("Carla Joinson",)
    )
    assert verify.check_question(right_page, pages) == []


def test_splits_are_disjoint_and_balanced() -> None:
    for stem in ("seed-heldout", "thirdparty"):
        tune = load_questions(HELDOUT / f"{stem}-tune.jsonl")
        test = load_questions(HELDOUT / f"{stem}-test.jsonl")
        assert not {q.id for q in tune} & {q.id for q in test}
        assert not {q.question for q in tune} & {q.question for q in test}
        assert abs(len(tune) - len(test)) <= 2
        assert sum(not q.answerable for q in test) >= 10


def test_bundled_tune_set_passes_verification_and_is_no_copy_of_the_test_set() -> None:
    tune, test = (str(HELDOUT / f"bundled-{split}.jsonl") for split in ("tune", "test"))
    assert _verify().main(["--corpus", str(REPO / "corpus"), tune, "--against", test]) == 0
    rows = load_questions(HELDOUT / "bundled-tune.jsonl")
    negatives = [q for q in rows if not q.answerable]
    assert len(rows) - len(negatives) >= 40 and len(negatives) >= 20
    assert {q.source for q in rows if q.answerable} == {
        "rbp-primer.pdf",
        "rbp-slides.pptx",
        "supervision-handout.docx",
    }
