"""Check held-out question files against their corpus, page by page.

Loads every document in ``--corpus`` with the project's own loaders (so page, slide and section
numbers are the ones the eval matches), then for each question checks that:

* its ``source`` is a file in the corpus and each marked page exists;
* every ``answer_keyword`` occurs (case-insensitive, whitespace-normalised, as
  :func:`assistant.evaluate.metrics.keyword_coverage` matches) on at least one of the marked pages;
* out-of-corpus rows have no pages and no keywords; ids are unique across all files given;
* with ``--against``, no question is a near copy of one in the other sets (word-set overlap).

Prints one line per problem and a summary; exits 1 if anything failed. Usage::

    PYTHONPATH=$PWD python bench/heldout/verify.py --corpus /work/shared/seed-corpus \\
        bench/heldout/seed-heldout-tune.jsonl bench/heldout/seed-heldout-test.jsonl \\
        --against /work/shared/eval/dev-questions.jsonl bench/*.jsonl
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from assistant.evaluate.testset import Question, load_questions
from assistant.ingest.loaders import SUPPORTED_EXTENSIONS, load_file

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "what",
        "which",
        "who",
        "how",
        "why",
        "does",
        "do",
        "did",
        "it",
        "its",
        "this",
        "that",
        "according",
        "by",
        "with",
        "as",
        "be",
        "can",
        "from",
        "at",
        "deck",
        "slide",
        "slides",
        "basw",
    ]
)


def normalise(text: str) -> str:
    """The eval's keyword normalisation: casefold, curly apostrophe as straight, one space."""
    return " ".join(text.casefold().replace("\u2019", "'").split())


def corpus_pages(corpus: Path) -> dict[str, dict[int, str]]:
    """File name -> {page/slide/section number -> normalised text}, via the project loaders."""
    pages: dict[str, dict[int, str]] = {}
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            continue
        texts: dict[int, list[str]] = defaultdict(list)
        for doc in load_file(path, corpus):
            meta = doc.metadata
            number = meta.get("slide") if meta.get("slide") is not None else meta.get("page")
            assert number is not None, f"{path.name}: a document without a page or slide number"
            texts[int(number)].append(doc.page_content)
        pages[path.name] = {n: normalise("\n".join(t)) for n, t in texts.items()}
    return pages


def check_question(q: Question, pages: dict[str, dict[int, str]]) -> list[str]:
    """Problems with one question (empty when it is sound)."""
    if not q.answerable:
        if q.answer_keywords:
            return [f"{q.id}: out-of-corpus row has answer_keywords"]
        return []
    if q.source not in pages:
        return [f"{q.id}: source {q.source!r} is not in the corpus"]
    doc = pages[q.source]
    problems = [
        f"{q.id}: page {p} not in {q.source} (has {len(doc)})" for p in q.pages if p not in doc
    ]
    if not q.answer_keywords:
        problems.append(f"{q.id}: no answer_keywords")
    for kw in q.answer_keywords:
        if not any(normalise(kw) in doc.get(p, "") for p in q.pages):
            problems.append(f"{q.id}: keyword {kw!r} not on page(s) {list(q.pages)} of {q.source}")
    return problems


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def near_copies(questions: list[Question], others: list[Question], limit: float) -> list[str]:
    """Questions whose content-word set overlaps one in ``others`` by Jaccard >= ``limit``."""
    problems = []
    for q in questions:
        mine = _words(q.question)
        for o in others:
            theirs = _words(o.question)
            overlap = len(mine & theirs) / max(1, len(mine | theirs))
            if overlap >= limit:
                problems.append(f"{q.id}: close to {o.id} ({overlap:.2f}): {o.question!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--against", nargs="*", type=Path, default=[])
    parser.add_argument("--overlap", type=float, default=0.6, help="near-copy Jaccard limit")
    args = parser.parse_args(argv)
    pages = corpus_pages(args.corpus)
    problems: list[str] = []
    questions: list[Question] = []
    for path in args.files:
        questions.extend(load_questions(path))
    ids = Counter(q.id for q in questions)
    problems += [f"{qid}: id used {n} times" for qid, n in ids.items() if n > 1]
    for q in questions:
        problems += check_question(q, pages)
    others = [q for path in args.against for q in load_questions(path)]
    problems += near_copies(questions, others, args.overlap)
    for line in problems:
        print("FAIL", line)
    kinds = Counter(q.kind for q in questions)
    answerable = sum(q.answerable for q in questions)
    print(
        f"{len(questions)} questions ({answerable} answerable, {len(questions) - answerable} "
        f"out-of-corpus) over {len(pages)} documents; kinds: {dict(sorted(kinds.items()))}; "
        f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
