"""Turn records into what the web chat shows, treating every document and user string as text.

All text from documents or users goes through :func:`inert` before any markup of ours is added.
``inert`` writes every ASCII punctuation character as a numeric character reference, which HTML
shows as that character and which Markdown never reads as syntax (CommonMark: character references
do not indicate structure). So ``<script>``, ``<img onerror=...>``, ``[x](javascript:...)``,
``$$...$$`` and autolinks all show up literally, in the Chatbot's Markdown as in HTML.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from assistant.answer.base import ABSTAIN_NOTE
from assistant.index.lexical import english_stopwords, question_words
from assistant.records import Answer, Citation
from assistant.ui.inputs import strip_invisible

_ENTITIES = {ord(ch): f"&#{ord(ch)};" for ch in string.punctuation}
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)
_MARKER = re.compile(r"&#91;(\d{1,3})&#93;")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")

#: Words too common to highlight in a snippet.
STOPWORDS = english_stopwords() | question_words()

SNIPPET_CHARS = 600


def inert(text: str) -> str:
    """``text`` escaped so it renders literally in HTML and in Markdown (see module docstring).

    Leading spaces are dropped too: four of them would make a Markdown code block; and so are
    control and format characters (right-to-left overrides, zero-width spaces).
    """
    text = _LEADING_SPACE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return strip_invisible(text).translate(_ENTITIES)


def query_terms(question: str) -> list[str]:
    """Content words of a question worth highlighting (lower case, longest first)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(question.lower()):
        word = word.strip("'-")
        if len(word) >= 3 and word not in STOPWORDS:
            seen.setdefault(word, None)
    return sorted(seen, key=len, reverse=True)


def _stem(term: str) -> str:
    for suffix in ("ings", "ing", "ies", "es", "ed", "s"):
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def highlight(text: str, terms: Iterable[str]) -> str:
    """``text`` made inert, with words starting like a query term wrapped in ``<mark>``."""
    stems = sorted({_stem(t) for t in terms if t}, key=len, reverse=True)
    if not stems:
        return inert(text)
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")[A-Za-z]*", re.IGNORECASE
    )
    text = _LEADING_SPACE.sub("", text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()].translate(_ENTITIES))
        out.append(f"<mark>{match.group(0).translate(_ENTITIES)}</mark>")
        last = match.end()
    out.append(text[last:].translate(_ENTITIES))
    return "".join(out)


def clip(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Shorten ``text`` to about ``limit`` characters at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


# --- the chat message ----------------------------------------------------------------------------
ABSTAIN_HEADING = "Not in the course materials"


def _with_markers(escaped: str) -> str:
    return _MARKER.sub(r'<span class="rbp-cite">[\1]</span>', escaped)


def streaming_message(partial: str) -> str:
    """The answer while it streams in."""
    return _with_markers(inert(partial))


def answer_message(answer: Answer) -> str:
    """The final chat message for ``answer``; abstentions get their own look."""
    if answer.abstained:
        extra = " The closest passages are listed under Sources." if answer.citations else ""
        read = _note(answer) if answer.note != ABSTAIN_NOTE else ""  # "extra" says as much
        body = _with_markers(inert(answer.text.rstrip() + extra)) + read
        return f'<div class="rbp-abstain"><strong>{ABSTAIN_HEADING}</strong><br>{body}</div>'
    return _with_markers(answer_markdown(answer.text)) + _note(answer)


_LIST_LINE = re.compile(r"^\s*(?:[-*\u2022]|(\d{1,2})[.)])\s+(.*)$")


def answer_markdown(text: str) -> str:
    """Answer text made inert, except that its list lines ("- item", "2. item") stay Markdown
    list items: only the list marker is ours, the item's text is inert like the rest."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        match = _LIST_LINE.match(line)
        if match is None:
            lines.append(inert(line))
        else:
            marker = f"{match.group(1)}." if match.group(1) else "-"
            lines.append(f"{marker} {inert(match.group(2))}")
    return "\n".join(lines)


def _note(answer: Answer) -> str:
    """The answer's note (how the question was read) on a line of its own, or nothing."""
    return f'<br><span class="rbp-note">{inert(answer.note)}</span>' if answer.note else ""


def notice_message(heading: str, text: str) -> str:
    """A calm boxed message (signposting, warnings); ``text`` is made inert."""
    return f'<div class="rbp-notice"><strong>{inert(heading)}</strong><br>{inert(text)}</div>'


def signpost_message(trusted_markdown: str, material: bool) -> str:
    """Safeguarding signposting in a notice box.

    ``trusted_markdown`` is the app's own text (never the user's words), so its Markdown (bold,
    lists) is kept; the blank lines let Markdown render inside the box.
    """
    extra = (
        "\n\n*Related learning material, for later reflection, is listed under Sources.*"
        if material
        else ""
    )
    return f'<div class="rbp-notice">\n\n{trusted_markdown}{extra}\n\n</div>'


# --- the sources panel ---------------------------------------------------------------------------
EMPTY_SOURCES = (
    '<div class="rbp-sources-empty">The sources of the latest answer appear here: '
    "document, page or slide, and the passage it comes from.</div>"
)
SEARCHING = '<div class="rbp-sources-empty" aria-busy="true">Looking in the course materials…</div>'


def file_url(citation: Citation, corpus_dir: Path | None) -> str | None:
    """Link to the original file served by Gradio (PDFs open at the page), or None.

    Only files that really sit inside ``corpus_dir`` get a link; that is also the only folder
    the app lets Gradio serve (``allowed_paths``).
    """
    if corpus_dir is None or not citation.source:
        return None
    root = corpus_dir.resolve()
    path = (root / citation.source).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    url = "gradio_api/file=" + quote(path.as_posix())
    if path.suffix.lower() == ".pdf" and citation.page is not None:
        url += f"#page={int(citation.page)}"
    return url


def _link_text(citation: Citation) -> str:
    name = citation.file_name or Path(citation.source).name
    if citation.source.lower().endswith(".pdf") and citation.page is not None:
        return f"Open {name} at page {citation.page}"
    return f"Open {name}"


def source_card(citation: Citation, terms: list[str], corpus_dir: Path | None) -> str:
    """One citation as an HTML card (every string inside is inert)."""
    where = [citation.file_name or citation.source]
    if citation.location:
        where.append(citation.location)
    if citation.section and citation.section != citation.title:
        where.append(citation.section)
    title = citation.title or citation.file_name or citation.source
    url = file_url(citation, corpus_dir)
    link = (
        f'<a class="rbp-open" href="{url}" target="_blank" rel="noopener noreferrer">'
        f"{inert(_link_text(citation))}</a>"
        if url
        else ""
    )
    return (
        f'<article class="rbp-source" aria-label="{inert("Source " + str(citation.n))}">'
        f'<div class="rbp-source-head"><span class="rbp-n">[{int(citation.n)}]</span> '
        f"<strong>{inert(title)}</strong></div>"
        f'<div class="rbp-where">{" · ".join(inert(w) for w in where)}</div>'
        f'<blockquote class="rbp-snippet">{highlight(clip(citation.snippet), terms)}</blockquote>'
        f"{link}</article>"
    )


def sources_html(answer: Answer | None, corpus_dir: Path | None) -> str:
    """The sources panel for the latest answer."""
    if answer is None or not answer.citations:
        if answer is not None and answer.abstained:
            return (
                '<div class="rbp-sources-empty">Nothing in the course materials came close.</div>'
            )
        return EMPTY_SOURCES
    terms = query_terms(answer.question)
    cards = "".join(source_card(c, terms, corpus_dir) for c in answer.citations)
    if answer.note == "signposting":
        head = (
            '<div class="rbp-sources-head">Related learning material — for later reflection, '
            "not for deciding what to do now.</div>"
        )
        return f'<section class="rbp-sources">{head}{cards}</section>'
    if answer.abstained:
        head = (
            '<div class="rbp-sources-head rbp-closest">Closest passages — they do not answer '
            "the question, but may help you look further.</div>"
        )
        return f'<section class="rbp-sources rbp-sources-abstain">{head}{cards}</section>'
    count = len(answer.citations)
    head = f'<div class="rbp-sources-head">{count} source{"" if count == 1 else "s"} cited</div>'
    return f'<section class="rbp-sources">{head}{cards}</section>'


# --- status line ---------------------------------------------------------------------------------
def status_line(answerer_label: str, stats: dict[str, object] | None) -> str:
    """``'Answers: extractive · 12 documents · 340 passages indexed'`` (plain text)."""
    parts = [f"Answers: {answerer_label}"]
    if stats is None:
        parts.append("index not available")
    else:
        parts.append(f"{stats.get('documents', 0)} documents")
        parts.append(f"{stats.get('chunks', 0)} passages indexed")
    return " · ".join(parts)
