"""What the chat accepts as a question: invisible and control characters removed, and a length
limit that is refused with a message rather than cut silently.

Removed: control characters other than new lines and tabs (C0, C1, DEL), format characters such as
zero-width spaces and the right-to-left overrides that can make text display differently from
what it says, and lone surrogates (which cannot be stored as UTF-8).
"""

from __future__ import annotations

import re
import unicodedata

#: Longest question the chat and the API answer (about 300 words).
MAX_QUESTION_CHARS = 2000
_DROPPED = {"Cc", "Cf", "Cs"}
_KEPT = {"\n", "\t"}
_SPACES = re.compile(r"[ \t]+")
_LINES = re.compile(r"\n{3,}")


def strip_invisible(text: str) -> str:
    """``text`` without control, format and surrogate characters (new lines and tabs kept)."""
    return "".join(ch for ch in text if ch in _KEPT or unicodedata.category(ch) not in _DROPPED)


def clean_question(text: str | None) -> str:
    """A question as typed, NFC-normalised, invisible characters removed, spaces tidied."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = strip_invisible(unicodedata.normalize("NFC", text))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _LINES.sub("\n\n", text).strip()


def too_long(question: str) -> str | None:
    """A plain message when ``question`` is over the limit, else None."""
    if len(question) <= MAX_QUESTION_CHARS:
        return None
    return (
        f"Your question is {len(question):,} characters long; questions can be up to "
        f"{MAX_QUESTION_CHARS:,} characters (about 300 words). Please ask about one thing at "
        "a time, in a sentence or two, and leave out pasted documents."
    )
