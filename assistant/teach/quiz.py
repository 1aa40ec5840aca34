"""Quizzes for trainers, built from the glossary: multiple choice and fill-the-gap.

Each question comes from one concept's definition in ``concepts.yaml``; its answer is that concept
and its citation is where the corpus explains it, so a learner can check. Distractors are other
concepts (same topic first). The same glossary and seed always give the same quiz.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.teach.concepts import Concept, Glossary, Location, fold, md_escape

KINDS = ("term", "definition", "gap")
"""``term``: which term fits this definition; ``definition``: which definition fits this term;
``gap``: write the missing term into the definition."""

GAP = "_____"
LETTERS = "ABCD"


@dataclass
class Question:
    number: int
    kind: str
    prompt: str
    answer: str
    concept_id: str
    term: str
    sources: list[Location]
    options: list[str] = field(default_factory=list)
    answer_index: int | None = None
    accepted: list[str] = field(default_factory=list)

    @property
    def answer_label(self) -> str:
        if self.answer_index is None:
            return self.answer
        shown = self.term if self.kind == "definition" else self.answer
        return f"{LETTERS[self.answer_index]}. {shown}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "prompt": self.prompt,
            "options": self.options,
            "answer": self.answer,
            "answer_index": self.answer_index,
            "accepted": self.accepted,
            "concept_id": self.concept_id,
            "term": self.term,
            "sources": [loc.label() for loc in self.sources],
        }


@dataclass
class Quiz:
    questions: list[Question]
    seed: int
    topic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "topic": self.topic,
            "questions": [q.to_dict() for q in self.questions],
        }


def _giveaways(concept: Concept) -> list[str]:
    """The term and the aliases that only reuse its words ("Noddings", "over-intervening").

    Other aliases ("genuineness", "Hochschild") are content of the definition and stay visible.
    """
    words = set(fold(concept.term).split())
    names = [concept.term] + [a for a in concept.aliases if set(fold(a).split()) <= words]
    return sorted({n for n in names if n.strip()}, key=len, reverse=True)


def _name_pattern(concept: Concept) -> re.Pattern[str]:
    """Matches the term or a give-away alias as whole words (straight or curly apostrophes)."""
    names = _giveaways(concept)
    parts = [
        re.escape(n).replace("'", "['\u2019]").replace("\\-", "[-\u2010\u2011]") for n in names
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def masked_definition(concept: Concept) -> tuple[str, int]:
    """The definition with the term and aliases replaced by a gap, and how many were replaced."""
    return _name_pattern(concept).subn(GAP, concept.definition)


def _distractors(
    rng: random.Random, concept: Concept, pool: list[Concept], k: int
) -> list[Concept]:
    """``k`` other concepts: from the same topic first, then any, never sharing a name."""
    names = {n.casefold() for n in concept.names}
    others = [c for c in pool if c.id != concept.id and not names & {n.casefold() for n in c.names}]
    same = [c for c in others if c.topic == concept.topic]
    rest = [c for c in others if c.topic != concept.topic]
    rng.shuffle(same)
    rng.shuffle(rest)
    return (same + rest)[:k]


def _choice(
    rng: random.Random, number: int, kind: str, concept: Concept, pool: list[Concept]
) -> Question | None:
    wrong = _distractors(rng, concept, pool, len(LETTERS) - 1)
    if len(wrong) < 2:
        return None
    if kind == "term":
        masked, _ = masked_definition(concept)
        prompt = f"Which term fits this definition? “{masked}”"
        right, options = concept.term, [concept.term] + [c.term for c in wrong]
    else:
        prompt = f"Which of these describes {concept.term}?"
        right = masked_definition(concept)[0]
        options = [right] + [masked_definition(c)[0] for c in wrong]
    rng.shuffle(options)
    return Question(
        number=number,
        kind=kind,
        prompt=prompt,
        answer=right,
        concept_id=concept.id,
        term=concept.term,
        sources=list(concept.locations),
        options=options,
        answer_index=options.index(right),
    )


def _gap(number: int, concept: Concept) -> Question | None:
    masked, count = masked_definition(concept)
    if count == 0:
        return None
    return Question(
        number=number,
        kind="gap",
        prompt=f"Fill the gap: {masked}",
        answer=concept.term,
        concept_id=concept.id,
        term=concept.term,
        sources=list(concept.locations),
        accepted=list(concept.names),
    )


def build_quiz(
    glossary: Glossary,
    n: int = 10,
    seed: int | None = None,
    kinds: tuple[str, ...] = KINDS,
    topic: str | None = None,
) -> Quiz:
    """``n`` questions (fewer if the glossary is small), one concept each, kinds in rotation."""
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"question kinds must be among {', '.join(KINDS)}")
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    rng = random.Random(seed)
    pool = glossary.in_topic(topic)
    if not pool:
        raise ValueError(f"no concepts in topic {topic!r}")
    order = list(pool)
    rng.shuffle(order)
    questions: list[Question] = []
    for concept in order:
        if len(questions) >= n:
            break
        kind = kinds[len(questions) % len(kinds)]
        number = len(questions) + 1
        question = (
            _gap(number, concept)
            if kind == "gap"
            else _choice(rng, number, kind, concept, glossary.concepts)
        )
        if question is None and kind == "gap":
            question = _choice(rng, number, "term", concept, glossary.concepts)
        if question is not None:
            questions.append(question)
    return Quiz(questions, seed, topic)


def check_answer(question: Question, given: str) -> bool:
    """Whether ``given`` (a letter, option text or written term) answers ``question``."""
    given = " ".join(given.split()).casefold().replace("\u2019", "'")
    if not given:
        return False
    if question.answer_index is not None and given in (LETTERS[question.answer_index].casefold(),):
        return True
    accepted = [question.answer, *question.accepted]
    return any(given == " ".join(a.split()).casefold().replace("\u2019", "'") for a in accepted)


def quiz_markdown(
    quiz: Quiz, title: str = "Relationship-based practice: quiz", made: date | None = None
) -> str:
    """The quiz as a handout: questions first, then the answers with where to check them."""
    out = [f"# {md_escape(title)}", ""]
    if quiz.topic:
        out += [f"Topic: {md_escape(quiz.topic)}", ""]
    made = made or date.today()
    out += [f"{len(quiz.questions)} questions · made {made.isoformat()} · seed {quiz.seed}", ""]
    for q in quiz.questions:
        out += [f"**{q.number}.** {md_escape(q.prompt)}", ""]
        if q.options:
            out += [f"- {LETTERS[i]}. {md_escape(opt)}" for i, opt in enumerate(q.options)] + [""]
        else:
            out += ["Answer: ______________________", ""]
    out += ["---", "", "## Answers", ""]
    for q in quiz.questions:
        where = "; ".join(md_escape(loc.label()) for loc in q.sources[:2])
        out.append(f"{q.number}. **{md_escape(q.answer_label)}** (check: {where})")
    return "\n".join(out) + "\n"
