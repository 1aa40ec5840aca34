"""Names of people in a case: the allow-list of theorists, authors and public inquiries, and the
rules that report a capitalised word as someone's name ("my client Sarah Jones", "Mrs Patel")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from assistant.guards.privacy.findings import Finding
from assistant.guards.privacy.words import alternation, word_list, word_set


# --- allow-list: theorists, authors, public inquiries ---------------------------------------
def _glossary(name: str) -> frozenset[str]:
    """Names in a word file (one a line), with their possessive forms."""
    names = set(word_list(name))
    return frozenset(names | {f"{n}'s" for n in names})


THEORISTS = _glossary("authors")
"""Well-known social-work and psychology theorists; single surnames are enough."""

PUBLIC_CASES = frozenset(word_list("privacy-public-cases"))
"""Children named in public inquiries and reviews: discussed in study, not personal data here."""

FIRST_NAMES = word_set("privacy-first-names")
"""First names common enough that, outside the allow-list, they are worth a warning on their own."""

NOT_NAMES = word_set("privacy-not-names")
"""Capitalised words that are not names even where a name rule would otherwise fire."""
LOWER_NOT_NAMES = frozenset(w.lower() for w in NOT_NAMES)

_NAME = r"[A-Z][A-Za-z\u00C0-\u017F'’\-]*[a-z\u00C0-\u017F]"
"""A capitalised word of at least two letters (O'Connor, Labinjo-Hughes, Zoë)."""


def _token_ok(token: str) -> bool:
    token = token.replace("’", "'")
    return token not in NOT_NAMES and token.rstrip("'’s") not in NOT_NAMES


_CAP_WORD = re.compile(_NAME)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
_CITED_SURNAME = re.compile(
    rf"({_NAME})(?:\s+(?:and|&)\s+({_NAME}))?(?:\s+et al\.?)?,?\s*\(?(?:1[89]|20)\d\d[a-z]?\b"
)


def corpus_names(texts: Iterable[str]) -> set[str]:
    """Harvest names from corpus texts to allow: surnames, full names, and cited authors.

    Kept: every capitalised word that is not sentence-initial and not an ordinary word (Kadushin,
    Tronto...), common first names wherever they stand (the fictional people of the vignettes),
    "First Last" pairs, and authors cited as "Name (2005)". Allow-listed names are still reported
    when the text marks them as someone in a case ("my client Sam", "Sam's mum").
    """
    names: set[str] = set()
    for text in texts:
        for match in _CITED_SURNAME.finditer(text):
            names.update(n for n in match.groups() if n and _token_ok(n))
        tokens = list(_CAP_WORD.finditer(text))
        for i, match in enumerate(tokens):
            word = _strip_possessive(match.group())
            if not _token_ok(word):
                continue
            if word in FIRST_NAMES:
                names.add(word)
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                if nxt and text[match.end() : nxt.start()] == " " and _token_ok(nxt.group()):
                    surname = _strip_possessive(nxt.group())
                    names.update((surname, f"{word} {surname}"))
            elif not _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                names.add(word)
    return names


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def corpus_texts(corpus_dir: Path) -> Iterator[str]:
    """Yield the text of the corpus's source files (Markdown, text, YAML) under ``corpus_dir``."""
    if not corpus_dir.is_dir():
        return
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix.lower() in {".md", ".txt", ".yaml", ".yml"} and path.is_file():
            yield path.read_text(encoding="utf-8", errors="replace")


DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "corpus"


@lru_cache(maxsize=4)
def default_allow_names(corpus_dir: Path = DEFAULT_CORPUS) -> frozenset[str]:
    """The built-in theorists and public-inquiry names plus every name harvested from the corpus."""
    return frozenset(THEORISTS | PUBLIC_CASES | corpus_names(corpus_texts(corpus_dir)))


# --- name rules ----------------------------------------------------------------------------------
_FULL = rf"{_NAME}(?:[ \t]+{_NAME}){{0,2}}"
_CUE_WORDS = alternation("privacy-person-words") + "|" + alternation("privacy-family-words")
_DETERMINER = r"\b(?i:my|our|the|a|an|his|her|their|your|this|that|whose)\s+(?:[a-z\-]+\s+){0,2}?"
_AT_START = r"(?:^|(?<=[.!?:;(] )|(?<=\n)|(?<=\())"
_CUE = re.compile(
    # "my client Sarah Jones", "the mother, Kelly", "Service user Hannah Clarke" (sentence start),
    # "a boy called Tom", "known as Kai".
    rf"(?:(?:{_DETERMINER}(?:{_CUE_WORDS})|{_AT_START}(?i:{_CUE_WORDS}))(?:['’]s)?\s*,?\s*\(?\s*"
    rf"(?:(?:called|named|known as|who is called)\s+)?"
    rf"|\b(?:called|named|known as|name is|name's|goes by)\s+)(?P<name>{_FULL})"
)
_PLURAL_CUE = re.compile(
    # "the grandparents, Pat and Terry", "The children, Leo and Poppy"
    rf"\b(?i:the|my|our|his|her|their|two|three)\s+(?:[a-z\-]+\s+)?"
    rf"{alternation('privacy-plural-relations')}\s*,?\s*\(?(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})+)"
)
_TITLES = "|".join(t.capitalize() for t in word_list("privacy-titles"))
_TITLE = re.compile(rf"\b(?:{_TITLES})\.?[ \t]+(?P<name>{_FULL})")
_AGE = re.compile(
    # "Jayden (7)", "Kayleigh, 4,", "(Ellie-Mae, 15)", "Amelia aged 14", "Tom is 6 years old"
    rf"\b(?P<name>{_FULL})\s*(?:\(\s*(?:aged?\s*)?\d{{1,2}}\s*"
    rf"(?:yrs?|years?(?: old)?|y/?o|m|months?)?\s*\)"
    rf"|,\s*(?:aged?\s+)?\d{{1,2}}\s*(?:yrs?|years?(?: old)?|y/?o)?\s*[,)]"
    rf"|,?\s+aged?\s+\d{{1,2}}\b|\s+is\s+\d{{1,2}}\s+(?:years?|months?)\s+old)"
)
_FAMILY = re.compile(
    rf"\b(?i:the)\s+(?P<name>{_NAME})\s+{alternation('privacy-household-words')}\b"
)
_CASE_VERB = re.compile(
    # "Kayleigh told me", "Marcus lives with", "the Kowalczyk case", "Shanice and her kids"
    rf"\b(?P<name>{_FULL})(?=\s+(?:has\s+)?(?:just\s+)?(?:told|tells)\s+(?:me|us|her|him|them|my|the)\b"
    rf"|\s+(?:has\s+)?disclosed\b|\s+(?:said|says)\s+(?:that\s+)?(?:she|he|they|her|his|mum|dad|I)\b"
    rf"|\s+(?:lives|is living|was living|is staying|is placed|was placed|moved in)\b"
    rf"|\s+(?:is|was)\s+(?:on a child protection plan|looked after|in care|known to)\b"
    rf"|\s+case\b|\s+and\s+(?:her|his|their)\b)"
)
_FAMILY_WORDS = alternation("privacy-family-words")
_POSSESSIONS = alternation("privacy-possessions")
_POSSESSIVE = re.compile(
    # "Tyler's mum", "Sam's social worker", "Mo's phone"
    rf"\b(?P<name>{_FULL})(?=['’]s\s+(?:{_FAMILY_WORDS}|{_POSSESSIONS})\b)"
)
_CONTACT_VERB = re.compile(rf"\b{alternation('privacy-contact-verbs')}\s+(?P<name>{_FULL})")
_AUTHORED = re.compile(rf"['’]?s?\s+{alternation('privacy-scholarly-words')}\b", re.IGNORECASE)
_FIRST = re.compile(rf"\b(?P<name>{_NAME})(?:[ \t]+(?P<surname>{_NAME}))?")


def _trim_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop trailing ordinary capitalised words; None if nothing name-like is left."""
    tokens = list(_CAP_WORD.finditer(text, start, end))
    while tokens and not _token_ok(tokens[-1].group()):
        tokens.pop()
    while tokens and not _token_ok(tokens[0].group()):
        tokens.pop(0)
    if not tokens:
        return None
    end = tokens[-1].end()
    if text[end - 2 : end] in ("'s", "’s"):
        end -= 2
    return tokens[0].start(), end


STUDY_FRAME = re.compile(rf"\b{alternation('privacy-study-words')}\b", re.IGNORECASE)


def _allowed(name: str, allow: frozenset[str] | set[str], study_frame: bool = True) -> bool:
    """A name is allowed if it or its last word (the surname) is allow-listed.

    A bare common first name (a vignette's "Sam") is allowed only when the text is framed as
    study ("in the vignette..."): a client may share the name of a fictional person.
    """
    name = _strip_possessive(name)
    if name in FIRST_NAMES and name not in THEORISTS | PUBLIC_CASES:
        return study_frame and name in allow
    return name in allow or _strip_possessive(name.split()[-1]) in allow


def _strong_span(pattern: re.Pattern[str], m: re.Match[str], text: str) -> tuple[int, int] | None:
    """The name's span for a strong-context match (with its title for "Mrs Patel")."""
    span = _trim_name(text, *m.span("name"))
    if span and pattern is _TITLE:
        span = (m.start(), span[1])
    return span


def _found(text: str, span: tuple[int, int]) -> Finding:
    return Finding("name", span[0], span[1], text[span[0] : span[1]])


def _strong_names(text: str) -> Iterator[Finding]:
    """Names the context marks as someone in a case: reported even if allow-listed."""
    for pattern in (_CUE, _TITLE, _AGE, _FAMILY):
        for m in pattern.finditer(text):
            span = _strong_span(pattern, m, text)
            if span and text[span[0] : span[1]] not in PUBLIC_CASES:
                yield _found(text, span)
    for m in _POSSESSIVE.finditer(text):
        span = _trim_name(text, *m.span("name"))
        if span and not _allowed(text[span[0] : span[1]], THEORISTS | PUBLIC_CASES):
            yield _found(text, span)
    for m in _PLURAL_CUE.finditer(text):
        for token in _CAP_WORD.finditer(text, *m.span("names")):
            if _token_ok(token.group()):
                yield _found(text, token.span())


def _weak_names(text: str, allow: frozenset[str] | set[str]) -> Iterator[Finding]:
    """Capitalised words near case verbs, and common first names, unless allow-listed."""
    study = bool(STUDY_FRAME.search(text))
    for pattern in (_CASE_VERB, _CONTACT_VERB):
        for m in pattern.finditer(text):
            span = _trim_name(text, *m.span("name"))
            if span and not _allowed(text[span[0] : span[1]], allow, study):
                yield _found(text, span)
    for m in _FIRST.finditer(text):
        first, surname = m.group("name"), m.group("surname")
        if (
            first not in FIRST_NAMES
            or _allowed(first, allow, study)
            or _AUTHORED.match(text, m.end())
        ):
            continue
        if surname and _token_ok(surname):
            # "Harry Ferguson" is allowed; "Bethany Cole" is not just because a Cole is cited.
            full = _strip_possessive(m.group())
            if full not in allow and _strip_possessive(surname) not in THEORISTS | PUBLIC_CASES:
                yield _found(text, m.span())
        else:
            yield _found(text, (m.start(), m.start() + len(first)))


def _name_findings(text: str, allow: frozenset[str] | set[str]) -> Iterator[Finding]:
    yield from _strong_names(text)
    yield from _weak_names(text, allow)
