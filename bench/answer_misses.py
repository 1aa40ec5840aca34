"""Where the extractive answers lose their key facts, question by question.

For every answerable question of each (question file, corpus) pair the question is retrieved as
the chat retrieves it and answered with the fitted weights (abstention is not applied). Each
keyword the answer lacks, and each answer whose first sentence holds no keyword, is put down to:

- ``retrieval``: no retrieved passage holds it (not the answerer's doing);
- ``passage``: a retrieved passage holds it, but not one of the passages the answerer reads
  (the ``answer_max_hits`` setting);
- ``unquotable``: a passage the answerer reads holds it only in a line that may not be quoted
  (a heading, a title, a sentence cut at the edge);
- ``sentence``: a candidate unit holds it, but the answer did not quote it (or not first);
  ``in-answer-not-first``: the answer holds it, but not in its first sentence.

    python bench/answer_misses.py QUESTIONS CORPUS [QUESTIONS CORPUS ...] [--verbose]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.evaluate import metrics
from assistant.evaluate.testset import load_questions
from assistant.records import AnswerRequest
from assistant.settings import get_settings


def _where(keyword: str, hit_texts: list[str], cand_texts: list[str], top: int) -> str:
    if any(metrics.keyword_coverage(t, [keyword]) for t in cand_texts):
        return "sentence"
    holding = [i for i, t in enumerate(hit_texts) if metrics.keyword_coverage(t, [keyword])]
    if holding:
        return "unquotable" if holding[0] < top else "passage"
    return "retrieval"


def diagnose(questions_file: Path, corpus: Path, verbose: bool) -> Counter[str]:
    from assistant.evaluate.run import build_eval_index
    from assistant.index.embedding import load_embeddings
    from assistant.pipeline import Assistant
    from assistant.retrieve.retriever import quotable

    settings = get_settings()
    embeddings = load_embeddings(settings)
    index_settings = build_eval_index(corpus, settings, embeddings)
    assistant = Assistant.from_settings(index_settings, embeddings=embeddings)
    answerer = assistant.answerer
    assert isinstance(answerer, ExtractiveAnswerer)
    top = answerer.settings.answer_max_hits
    counts: Counter[str] = Counter()
    for q in load_questions(questions_file):
        if not q.answerable:
            continue
        found = assistant.retriever.retrieve(q.question, None, None, both=True)
        hits = quotable(found.hits)
        request = AnswerRequest(
            q.question,
            hits,
            query_vector=found.query_vector,
            searched=found.query,
            analysis=found.analysis,
        )
        reply = answerer.answer(request)
        quality = metrics.answer_quality(reply.text, q.answer_keywords)
        cands = answerer.score(found.query, hits, found.query_vector, found.analysis)
        cand_texts = [c.unit.text for c in cands]
        read = [h.text for h, _, _ in answerer.completed(hits)]
        hit_texts = read + [h.text for h in hits[len(read) :]]
        counts["questions"] += 1
        lines = []
        for kw in q.answer_keywords:
            if metrics.keyword_coverage(reply.text, [kw]):
                continue
            where = _where(kw, hit_texts, cand_texts, top)
            counts[f"kw:{where}"] += 1
            lines.append(f"    missing {kw!r}: {where}")
        if not quality["first"]:
            held = [k for k in q.answer_keywords if metrics.keyword_coverage(reply.text, [k])]
            where = (
                "in-answer-not-first"
                if held
                else _where_any(q.answer_keywords, hit_texts, cand_texts, top)
            )
            counts[f"first:{where}"] += 1
            lines.append(f"    first sentence misses: {where}")
        if lines and verbose:
            print(f"{q.id} {q.question}  (kw {quality['kw']:.2f}, words {quality['words']})")
            print("\n".join(lines))
            print("    answer: " + reply.text.replace("\n", " / ")[:400])
            good = [c for c in cands if metrics.keyword_coverage(c.unit.text, q.answer_keywords)]
            for c in good[:3]:
                rank = cands.index(c)
                print(f"    cand #{rank} p={c.score:.2f} hit{c.hit_rank}: {c.unit.text[:120]}")
    return counts


def _where_any(
    keywords: tuple[str, ...], hit_texts: list[str], cand_texts: list[str], top: int
) -> str:
    places = [_where(k, hit_texts, cand_texts, top) for k in keywords]
    for place in ("sentence", "unquotable", "passage", "retrieval"):
        if place in places:
            return place
    return "retrieval"


def main(argv: list[str]) -> None:
    verbose = "--verbose" in argv
    args = [a for a in argv if a != "--verbose"]
    for questions, corpus in zip(args[::2], args[1::2], strict=True):
        counts = diagnose(Path(questions), Path(corpus), verbose)
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"{questions}: {shown}")


if __name__ == "__main__":
    main(sys.argv[1:])
