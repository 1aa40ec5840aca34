"""Citations: number the sources for a language model and check what it wrote against them.

A generated answer passes the check when every sentence carries at least one ``[n]`` that refers
to a source it was given. Markers pointing at sources that do not exist are removed; a sentence
left without any valid marker is dropped (``policy="drop"``) or kept with a visible flag
(``policy="mark"``). The answer fails when nothing cited survives or when more than half of its
sentences (``Settings.answer_max_dropped``) had to be dropped; the caller then falls back to the
extractive answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.ingest.loaders.structure import read_marks
from assistant.records import Citation, Hit
from assistant.settings import default as default_setting

#: ``[1]``, ``[1, 3]``, ``[1][2]`` and ``[Source 2]`` all count as markers.
MARKER = re.compile(r"\[(?:sources?\s*)?(\d+(?:\s*[,;]\s*\d+)*)\]", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
UNCITED_FLAG = "(not supported by the sources)"
_NOT_AN_ANSWER = re.compile(r"^\s*(?:#{1,6}\s|\**(?:sources?|references?)\s*:)", re.IGNORECASE)
#: Share of sentences that may be dropped before the whole answer is rejected, by default
#: (``Settings.answer_max_dropped``).
MAX_DROPPED: float = default_setting("answer_max_dropped")


@dataclass
class CheckResult:
    """The cleaned answer text and what the check found."""

    text: str
    cited: list[int] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)
    sentences: int = 0
    #: Markdown headings and "Source:" lines left out of the answer.
    dropped_lines: int = 0
    #: Share of sentences that may be dropped before the whole answer is rejected.
    max_dropped: float = MAX_DROPPED

    @property
    def ok(self) -> bool:
        kept = self.sentences - len(self.dropped)
        most = self.max_dropped * self.sentences
        return bool(self.cited) and kept > 0 and len(self.dropped) <= most


def format_sources(hits: Sequence[Hit], limit: int = 1200) -> str:
    """The numbered source list given to a language model: label line, then the passage."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        citation = Citation.from_hit(n, hit, "")
        text = " ".join(body_text(hit).split())
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0] + " …"
        blocks.append(f"{citation.label()}\n{text}")
    return "\n\n".join(blocks)


def body_text(hit: Hit) -> str:
    """The passage without the lines its loader marked as headings, titles, furniture,
    "Source:" lines, dates, captions or references (the label line names the section)."""
    marks = read_marks(hit.metadata)
    if not marks:
        return hit.text
    kept = [line for line in hit.text.splitlines() if " ".join(line.split()) not in marks]
    return "\n".join(kept) if any(line.strip() for line in kept) else hit.text


def markers(sentence: str) -> list[int]:
    """Source numbers cited in ``sentence``, in order."""
    found: list[int] = []
    for match in MARKER.finditer(sentence):
        found += [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1))]
    return found


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def check(
    text: str, n_sources: int, policy: str = "drop", max_dropped: float = MAX_DROPPED
) -> CheckResult:
    """Check ``text`` against sources numbered 1..``n_sources`` (see the module docstring);
    ``max_dropped`` is the share of sentences that may be dropped before the answer fails.

    Line breaks are kept, so a Markdown bullet list stays a list; Markdown headings and
    "Source:" lines the model copied are left out."""
    result = CheckResult(text="", max_dropped=max_dropped)
    lines: list[str] = []
    for line in text.strip().split("\n"):
        if not line.strip():
            if lines and lines[-1]:
                lines.append("")  # a paragraph break
            continue
        kept = [k for k in (_check_sentence(s, n_sources, policy, result) for s in sentences(line))]
        kept = [k for k in kept if k]
        if kept:
            lines.append(" ".join(kept))
    result.text = "\n".join(lines).strip()
    return result


def _check_sentence(sentence: str, n_sources: int, policy: str, result: CheckResult) -> str:
    """The sentence as kept (markers to missing sources removed), or '' when it is dropped."""
    if _NOT_AN_ANSWER.match(sentence):
        result.dropped_lines += 1
        return ""  # a heading or "Source:" line the model copied is no part of an answer
    result.sentences += 1
    numbers = markers(sentence)
    valid = [n for n in numbers if 1 <= n <= n_sources]
    result.invalid += [n for n in numbers if n not in valid]
    cleaned = _keep_markers(sentence, set(valid))
    if valid:
        result.cited += [n for n in valid if n not in result.cited]
        return cleaned
    if _is_heading(sentence):
        result.sentences -= 1
        return cleaned
    result.dropped.append(sentence)
    return f"{cleaned} {UNCITED_FLAG}" if policy == "mark" else ""


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
