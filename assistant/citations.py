"""Citations: number the sources for a language model and check what it wrote against them.

A generated answer passes the check when every sentence carries at least one ``[n]`` that refers
to a source it was given. Markers pointing at sources that do not exist are removed; a sentence
left without any valid marker is dropped (``policy="drop"``) or kept with a visible flag
(``policy="mark"``). The answer fails when nothing cited survives or when more than half of its
sentences had to be dropped; the caller then falls back to the extractive answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.records import Citation, Hit

#: ``[1]``, ``[1, 3]``, ``[1][2]`` and ``[Source 2]`` all count as markers.
MARKER = re.compile(r"\[(?:sources?\s*)?(\d+(?:\s*[,;]\s*\d+)*)\]", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
UNCITED_FLAG = "(not supported by the sources)"
#: Share of sentences that may be dropped before the whole answer is rejected.
MAX_DROPPED = 0.5


@dataclass
class CheckResult:
    """The cleaned answer text and what the check found."""

    text: str
    cited: list[int] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)
    sentences: int = 0

    @property
    def ok(self) -> bool:
        kept = self.sentences - len(self.dropped)
        return bool(self.cited) and kept > 0 and len(self.dropped) <= MAX_DROPPED * self.sentences


def format_sources(hits: Sequence[Hit], limit: int = 1200) -> str:
    """The numbered source list given to a language model: label line, then the passage."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        citation = Citation.from_hit(n, hit, "")
        text = " ".join(hit.text.split())
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0] + " …"
        blocks.append(f"{citation.label()}\n{text}")
    return "\n\n".join(blocks)


def markers(sentence: str) -> list[int]:
    """Source numbers cited in ``sentence``, in order."""
    found: list[int] = []
    for match in MARKER.finditer(sentence):
        found += [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1))]
    return found


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def check(text: str, n_sources: int, policy: str = "drop") -> CheckResult:
    """Check ``text`` against sources numbered 1..``n_sources`` (see the module docstring)."""
    result = CheckResult(text="")
    kept: list[str] = []
    for sentence in sentences(text):
        result.sentences += 1
        numbers = markers(sentence)
        valid = [n for n in numbers if 1 <= n <= n_sources]
        result.invalid += [n for n in numbers if n not in valid]
        cleaned = _keep_markers(sentence, set(valid))
        if valid:
            kept.append(cleaned)
            result.cited += [n for n in valid if n not in result.cited]
        elif _is_heading(sentence):
            kept.append(cleaned)
            result.sentences -= 1
        else:
            result.dropped.append(sentence)
            if policy == "mark":
                kept.append(f"{cleaned} {UNCITED_FLAG}")
    result.text = " ".join(kept)
    return result


def _is_heading(sentence: str) -> bool:
    """A short lead-in such as 'The four elements are:' needs no citation of its own."""
    return sentence.endswith(":") and len(sentence.split()) <= 12


def _keep_markers(sentence: str, valid: set[int]) -> str:
    def repl(match: re.Match[str]) -> str:
        nums = [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1))]
        good = [n for n in nums if n in valid]
        return "".join(f"[{n}]" for n in good)

    return re.sub(r"\s+([.,;!?])", r"\1", MARKER.sub(repl, sentence)).strip()


def renumber(text: str, cited: Sequence[int]) -> str:
    """Rewrite markers so the cited sources are numbered 1, 2, ... in order of first use."""
    mapping = {old: new for new, old in enumerate(cited, 1)}
    return MARKER.sub(
        lambda m: "".join(
            f"[{mapping[int(x)]}]" for x in re.split(r"\s*[,;]\s*", m.group(1)) if int(x) in mapping
        ),
        text,
    )
