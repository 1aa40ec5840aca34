"""Robustness check: the same questions asked the way people really type them.

    .venv/bin/python bench/robustness.py [QUESTIONS.jsonl ...] [--data-dir DIR] [--only TEXT]

Ingests ``../shared/seed-corpus`` into ``DIR`` (default: a temporary folder) if it is empty, then
asks every question of the files (default: the dev set and the two sets next to this script)
plainly and in each variant below, and prints, asserting nothing, per variant: hybrid Recall@1 on
the answerable questions, false abstentions, and out-of-corpus questions answered. A variant that
costs first places or flips abstentions shows where query handling does not generalise.

Variants: openings and closings people add ("Morning all!", "Cheers", "(for my essay)"), a
sentence about the asker ("I'm an ASYE in a CIN team."), a capital only at the start ("What is
the signs of safety framework?"), all lower case without a question mark,
one typo (two inner letters of the question's longest lower-case word swapped), and both, and the
question attributed to the materials' publisher ("..., according to BASW?"). ``--only TEXT`` runs
the plain questions and the variants whose name contains TEXT.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from devcheck import SHARED, data_dir_arg, first_relevant, load, seed_assistant

from assistant.settings import apply_offline_env

BENCH = Path(__file__).resolve().parent
DEFAULT_FILES = [
    SHARED / "eval" / "dev-questions.jsonl",
    BENCH / "calibration-questions.jsonl",
    BENCH / "abstention-check.jsonl",
]
PREFIXES = [
    "Morning all! ",
    "Hello, I'm an ASYE in a CIN team. ",
    "My practice educator set this for my PEL portfolio. ",
    "Bit of a random one - ",
    "As a newly qualified social worker in the LA, ",
    "Hey folks, quick question for my CPD log: ",
    "Sorry if this is a daft question, but ",
    "Right, next one. ",
]
SUFFIXES = [" Cheers", " (I'm prepping for my SWE renewal)", " - asking for my supervision"]
#: The question attributed to the publisher of all the seed materials, at its end or its start.
PUBLISHER = "BASW"


def typo(question: str) -> str:
    """``question`` with two inner letters of its longest lower-case word swapped."""
    words = [m for m in re.finditer(r"\b[a-z]{6,}\b", question)]
    if not words:
        return question
    word = max(words, key=lambda m: (len(m.group()), -m.start()))
    text, mid = word.group(), len(word.group()) // 2
    swapped = text[: mid - 1] + text[mid] + text[mid - 1] + text[mid + 1 :]
    return question[: word.start()] + swapped + question[word.end() :]


def with_prefix(prefix: str) -> Callable[[str], str]:
    """The question with ``prefix`` before it."""
    return lambda q: prefix + q


def with_suffix(suffix: str) -> Callable[[str], str]:
    """The question with ``suffix`` after it."""
    return lambda q: q + suffix


def variants() -> list[tuple[str, Callable[[str], str]]]:
    found: list[tuple[str, Callable[[str], str]]] = [("plain", lambda q: q)]
    found += [(repr(p), with_prefix(p)) for p in PREFIXES]
    found += [(repr(s), with_suffix(s)) for s in SUFFIXES]
    found.append(
        (f"', according to {PUBLISHER}?'", lambda q: f"{q.rstrip('?')}, according to {PUBLISHER}?")
    )
    found.append(
        (
            f"'According to {PUBLISHER}, '",
            lambda q: f"According to {PUBLISHER}, {q[:1].lower()}{q[1:]}",
        )
    )
    found.append(("capital only at the start", lambda q: q[:1] + q[1:].lower()))
    found.append(("lower case, no question mark", lambda q: q.lower().rstrip("?")))
    found.append(("one typo", typo))
    found.append(("lower case, no question mark, one typo", lambda q: typo(q.lower().rstrip("?"))))
    return found


def main() -> None:
    apply_offline_env()
    argv = sys.argv[1:]
    data_dir = data_dir_arg(argv)
    only = argv.pop(argv.index("--only") + 1) if "--only" in argv else ""
    files = [Path(a) for a in argv if not a.startswith("--")] or DEFAULT_FILES
    questions = load([f for f in files if f.is_file()])
    with tempfile.TemporaryDirectory(prefix="rbp-robustness-") as tmp:
        assistant = seed_assistant(data_dir or Path(tmp))
        answerable = [q for q in questions if q["source"]]
        print(f"{len(answerable)} answerable and {len(questions) - len(answerable)} out-of-corpus")
        print(f"{'variant':55s} {'R@1':>7s} {'false abst.':>11s} {'answered OOC':>12s}")
        for name, change in variants():
            if only not in name and name != "plain":
                continue
            first = false_abstain = answered = 0
            for q in questions:
                asked = change(q["question"])
                abstained = assistant.ask(asked).abstained
                if not q["source"]:
                    answered += not abstained
                    continue
                false_abstain += abstained
                first += first_relevant(assistant.search(asked, "hybrid", 1), q) == 1
            print(f"{name:55s} {first / len(answerable):7.3f} {false_abstain:11d} {answered:12d}")


if __name__ == "__main__":
    main()
