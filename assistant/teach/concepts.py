"""Trainer mode: the corpus glossary (``concepts.yaml``), concept search and concept cards.

A concept card puts together, for one glossary entry: its definition, the passages of the cited
pages and slides as they are stored in the index, the chapter's fictional practice vignette and its
reflective questions. Every part comes from the corpus and carries a numbered citation; nothing is
written by a model.

    glossary = load_glossary(settings.corpus_dir / "concepts.yaml")
    card = build_card(glossary, glossary.find("transference"), StorePages(store))
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.records import Citation, Hit, location_label
from assistant.settings import default as default_setting

GLOSSARY_FILE = "concepts.yaml"


class GlossaryError(ValueError):
    """The glossary file is missing or malformed (message is for a trainer)."""


# --- the glossary --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Location:
    """Where the corpus explains something: a file and a page or a slide, with its heading."""

    file: str
    page: int | None = None
    slide: int | None = None
    heading: str = ""

    @property
    def where(self) -> str:
        return location_label(self.page, self.slide)

    def label(self) -> str:
        """``'rbp-primer.pdf, page 8 - Splitting'``."""
        where = f", {self.where}" if self.where else ""
        return f"{self.file}{where}" + (f" - {self.heading}" if self.heading else "")


@dataclass(frozen=True)
class Vignette:
    title: str
    text: str
    location: Location


@dataclass(frozen=True)
class Chapter:
    """A primer chapter: its section headings, fictional vignette and reflective questions."""

    id: str
    title: str
    location: Location
    sections: tuple[str, ...] = ()
    vignette: Vignette | None = None
    questions: tuple[str, ...] = ()

    @property
    def questions_heading(self) -> str:
        return next((s for s in self.sections if s.lower().startswith("reflective question")), "")


@dataclass(frozen=True)
class Concept:
    id: str
    term: str
    definition: str
    topic: str = ""
    aliases: tuple[str, ...] = ()
    chapter: str = ""
    locations: tuple[Location, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


def fold(text: str) -> str:
    """Lower case, straight quotes, no accents or punctuation: for matching, never for display."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").casefold()
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass
class Glossary:
    """All concepts and chapters of one corpus, with term/alias search."""

    concepts: list[Concept]
    chapters: dict[str, Chapter] = field(default_factory=dict)
    #: Fuzzy matches below this similarity are not offered (``Settings.concept_min_score``).
    min_score: float = default_setting("concept_min_score")

    def get(self, concept_id: str) -> Concept | None:
        return next((c for c in self.concepts if c.id == concept_id), None)

    def topics(self) -> list[str]:
        return list(dict.fromkeys(c.topic for c in self.concepts if c.topic))

    def in_topic(self, topic: str | None) -> list[Concept]:
        return [c for c in self.concepts if not topic or c.topic == topic]

    def chapter_of(self, concept: Concept) -> Chapter | None:
        return self.chapters.get(concept.chapter)

    def search(self, query: str, limit: int = 10) -> list[Concept]:
        """Concepts whose term or an alias matches ``query``, best first (any case, fuzzy)."""
        scored = [(match_score(query, c), i, c) for i, c in enumerate(self.concepts)]
        ranked = sorted((s for s in scored if s[0] >= self.min_score), key=lambda s: (-s[0], s[1]))
        return [c for _, _, c in ranked[:limit]]

    def find(self, query: str) -> Concept | None:
        """The best match for ``query`` (an id, term or alias), or None."""
        exact = self.get(query.strip())
        if exact is not None:
            return exact
        found = self.search(query, limit=1)
        return found[0] if found else None

    def mentioned_in(self, text: str) -> list[Concept]:
        """Concepts whose term or alias appears as words in ``text`` (longest names first)."""
        folded = f" {fold(text)} "

        def named(name: str) -> bool:
            if name.isupper():  # acronyms (IDEAS, RBP) only when written in capitals
                return re.search(rf"\b{re.escape(name)}\b", text) is not None
            return bool(fold(name)) and f" {fold(name)} " in folded

        return [c for c in self.concepts if any(named(n) for n in c.names)]


def match_score(query: str, concept: Concept) -> float:
    """How well ``query`` names ``concept``: 1 exact, 0.9 whole words inside a name, else fuzzy."""
    q = fold(query)
    if not q:
        return 0.0
    best = 0.0
    for name in concept.names:
        n = fold(name)
        if not n:
            continue
        if q == n:
            return 1.0
        if f" {q} " in f" {n} " or (len(n) >= 4 and f" {n} " in f" {q} "):
            best = max(best, 0.9)
        elif n.startswith(q) and len(q) >= 3:
            best = max(best, 0.85)
        best = max(best, difflib.SequenceMatcher(None, q, n).ratio() * 0.95)
    return best


def _location(raw: dict[str, Any]) -> Location:
    return Location(
        file=str(raw["file"]),
        page=int(raw["page"]) if raw.get("page") is not None else None,
        slide=int(raw["slide"]) if raw.get("slide") is not None else None,
        heading=str(raw.get("section") or raw.get("title") or ""),
    )


def _chapter(raw: dict[str, Any]) -> Chapter:
    vignette = None
    if raw.get("vignette"):
        v = raw["vignette"]
        vignette = Vignette(
            title=str(v["title"]),
            text=" ".join(str(v["text"]).split()),
            location=_location({**v, "section": v["title"]}),
        )
    return Chapter(
        id=str(raw["id"]),
        title=str(raw["title"]),
        location=_location({**raw, "section": raw["title"]}),
        sections=tuple(str(s) for s in raw.get("sections") or ()),
        vignette=vignette,
        questions=tuple(" ".join(str(q).split()) for q in raw.get("questions") or ()),
    )


def _concept(raw: dict[str, Any]) -> Concept:
    return Concept(
        id=str(raw["id"]),
        term=str(raw["term"]),
        definition=" ".join(str(raw["definition"]).split()),
        topic=str(raw.get("topic") or ""),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        chapter=str(raw.get("chapter") or ""),
        locations=tuple(_location(loc) for loc in raw.get("locations") or ()),
    )


def load_glossary(path: Path, min_score: float | None = None) -> Glossary:
    """Read ``concepts.yaml`` (see corpus/README.md for its shape); ``min_score`` is the
    search's ``Settings.concept_min_score``."""
    import yaml

    if not path.is_file():
        raise GlossaryError(
            f"No glossary found at {path}. Trainer mode needs the course folder's {GLOSSARY_FILE}."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        chapters = {c.id: c for c in (_chapter(raw) for raw in data.get("chapters") or [])}
        concepts = [_concept(raw) for raw in data.get("concepts") or []]
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GlossaryError(f"The glossary {path.name} could not be read: {exc}") from exc
    if not concepts:
        raise GlossaryError(f"The glossary {path.name} lists no concepts.")
    if min_score is None:
        return Glossary(concepts, chapters)
    return Glossary(concepts, chapters, min_score)


# --- passages from the index ---------------------------------------------------------------------
class PageSource(Protocol):
    """Stored chunks of one page or slide of a file, in reading order."""

    def chunks(self, file: str, page: int | None, slide: int | None) -> list[Hit]: ...


class StorePages:
    """:class:`PageSource` over the Chroma collection (``assistant.index.store.ChunkStore``)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def chunks(self, file: str, page: int | None, slide: int | None) -> list[Hit]:
        from assistant.index.store import hit_from_record

        key, number = ("slide", slide) if slide is not None else ("page", page)
        if number is None:
            return []
        got = self.store.collection.get(
            where={"$and": [{"file_name": file}, {key: int(number)}]},
            include=["documents", "metadatas"],
        )
        hits = [
            hit_from_record(cid, text or "", dict(meta or {}))
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(
            hits, key=lambda h: (bool(h.metadata.get("is_notes")), h.metadata.get("chunk_index", 0))
        )


def page_source_for(assistant: Any) -> PageSource | None:
    """The index behind an :class:`~assistant.pipeline.Assistant`, or None (e.g. a test fake)."""
    store = getattr(assistant, "store", None) if hasattr(type(assistant), "store") else None
    return StorePages(store) if store is not None and hasattr(store, "collection") else None


@dataclass
class _Line:
    text: str
    hit: Hit


def _lines(hits: Iterable[Hit]) -> list[_Line]:
    return [
        _Line(line.strip(), hit)
        for hit in hits
        if not hit.metadata.get("is_notes")
        for line in hit.text.split("\n")
        if line.strip()
    ]


def _section(lines: Sequence[_Line], heading: str, headings: set[str]) -> list[_Line] | None:
    """The lines after ``heading`` up to the next known heading, or None if it is absent."""
    target = fold(heading)
    start = next((i for i, ln in enumerate(lines) if fold(ln.text) == target), None)
    if start is None:
        return None
    while start + 1 < len(lines) and fold(lines[start + 1].text) == target:
        start += 1  # a chapter titled like its first section prints the heading twice
    body: list[_Line] = []
    for line in lines[start + 1 :]:
        if fold(line.text) in headings:
            break
        body.append(line)
    return body


@dataclass
class Passage:
    """Text of one cited location as stored in the index."""

    n: int
    text: str
    notes: str = ""
    same_as: int | None = None


@dataclass
class ConceptCard:
    """Everything trainer mode shows for one concept; ``[n]`` refer to ``citations``."""

    concept: Concept
    citations: list[Citation]
    definition_refs: list[int]
    passages: list[Passage]
    vignette: Vignette | None = None
    vignette_ref: int | None = None
    questions: list[str] = field(default_factory=list)
    questions_ref: int | None = None
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.concept.id,
            "term": self.concept.term,
            "aliases": list(self.concept.aliases),
            "topic": self.concept.topic,
            "definition": self.concept.definition,
            "definition_refs": self.definition_refs,
            "passages": [vars(p) for p in self.passages],
            "vignette": (
                {"title": self.vignette.title, "text": self.vignette.text, "ref": self.vignette_ref}
                if self.vignette
                else None
            ),
            "questions": self.questions,
            "questions_ref": self.questions_ref,
            "citations": [
                {**vars(c), "location": c.location, "label": c.label()} for c in self.citations
            ],
            "missing": self.missing,
        }


class _CardBuilder:
    """Numbers citations in order of first use and fetches their text from the index."""

    def __init__(self, glossary: Glossary, pages: PageSource | None) -> None:
        self.pages = pages
        self.citations: list[Citation] = []
        self.missing: list[str] = []
        self._numbers: dict[tuple[str, int | None, int | None, str], int] = {}
        self._cache: dict[tuple[str, int | None, int | None], list[Hit]] = {}
        self.headings = {
            fold(h)
            for ch in glossary.chapters.values()
            for h in (ch.title, *ch.sections)
            if fold(h)
        }

    def fetch(self, loc: Location, page: int | None = None) -> list[Hit]:
        number = page if page is not None else loc.page
        key = (loc.file, number, loc.slide)
        if self.pages is None:
            return []
        if key not in self._cache:
            self._cache[key] = self.pages.chunks(loc.file, number, loc.slide)
        return self._cache[key]

    def text_at(self, loc: Location) -> tuple[str, str, Hit | None]:
        """(body, speaker notes, first chunk) for a location; sections continue on the next page."""
        hits = self.fetch(loc)
        if not hits:
            return "", "", None
        notes = " ".join(h.text for h in hits if h.metadata.get("is_notes"))
        lines = _lines(hits)
        body = None
        if loc.page is not None and loc.heading:
            body = _section(lines, loc.heading, self.headings)
        if body is not None and loc.page is not None and _runs_on(body, lines):
            body += _until_heading(_lines(self.fetch(loc, loc.page + 1)), self.headings)
        chosen = body if body else lines
        text = join_lines([ln.text for ln in chosen])
        return text, notes, (chosen[0].hit if chosen else hits[0])

    def cite(self, loc: Location, snippet: str, first: Hit | None) -> int:
        key = (loc.file, loc.page, loc.slide, loc.heading)
        if key in self._numbers:
            return self._numbers[key]
        n = len(self.citations) + 1
        self._numbers[key] = n
        self.citations.append(
            Citation(
                n=n,
                chunk_id=first.chunk_id if first else "",
                source=first.source if first else loc.file,
                file_name=loc.file,
                title=first.title if first else "",
                page=loc.page,
                slide=loc.slide,
                section=loc.heading,
                snippet=snippet,
                score=0.0,
            )
        )
        return n


_BULLET = re.compile(r"^[•\-–*]\s|^\d+[.)]\s")
_ENDS = (".", "?", "!", ":", "”", '"', ")")


def join_lines(lines: Sequence[str]) -> str:
    """Lines of extracted text as paragraphs: a line carries on the previous one unless it is a
    bullet or the previous one ended a sentence (chunks and PDF lines break mid-sentence)."""
    out: list[str] = []
    for line in lines:
        if out and not _BULLET.match(line) and not out[-1].endswith(_ENDS):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def _runs_on(body: Sequence[_Line], lines: Sequence[_Line]) -> bool:
    """True when the section reaches the end of the page (it may continue overleaf)."""
    return not body or body[-1] is lines[-1]


def _until_heading(lines: Sequence[_Line], headings: set[str]) -> list[_Line]:
    out: list[_Line] = []
    for line in lines:
        if fold(line.text) in headings:
            break
        out.append(line)
    return out


def _find_page(builder: _CardBuilder, heading: str, near: Location) -> Location:
    """The page (``near`` or the next) on which ``heading`` is printed, per the index."""
    if near.page is None:
        return near
    for page in (near.page, near.page + 1):
        lines = _lines(builder.fetch(near, page))
        if any(fold(ln.text) == fold(heading) for ln in lines):
            return Location(near.file, page, None, heading)
    return Location(near.file, near.page, None, heading)


def build_card(glossary: Glossary, concept: Concept, pages: PageSource | None) -> ConceptCard:
    """The concept card; ``pages`` None (no index) still gives every citation, without passages."""
    b = _CardBuilder(glossary, pages)
    refs: list[int] = []
    passages: list[Passage] = []
    shown: list[tuple[int, str]] = []
    for loc in concept.locations:
        text, notes, first = b.text_at(loc)
        n = b.cite(loc, text or concept.definition, first)
        refs.append(n)
        if not text:
            b.missing.append(loc.label())
            continue
        same = next((m for m, t in shown if fold(text) in t), None)
        passages.append(Passage(n, text if same is None else "", notes, same))
        shown.append((n, fold(text + " " + notes)))
    card = ConceptCard(concept, b.citations, refs, passages, missing=b.missing)
    chapter = glossary.chapter_of(concept)
    if chapter is not None and chapter.vignette is not None:
        card.vignette = chapter.vignette
        vloc = chapter.vignette.location
        card.vignette_ref = b.cite(vloc, chapter.vignette.text, _first(b.fetch(vloc)))
    if chapter is not None and chapter.questions:
        near = chapter.vignette.location if chapter.vignette else chapter.location
        qloc = _find_page(b, chapter.questions_heading, near)
        card.questions = list(chapter.questions)
        card.questions_ref = b.cite(qloc, "\n".join(chapter.questions), _first(b.fetch(qloc)))
    return card


def _first(hits: Sequence[Hit]) -> Hit | None:
    return hits[0] if hits else None


# --- Markdown handout ----------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Text that Markdown shows literally (no links, HTML, emphasis or headings)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _refs(numbers: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def card_markdown(card: ConceptCard) -> str:
    """The concept card as a Markdown handout."""
    c = card.concept
    out = [f"# {md_escape(c.term)}", ""]
    if c.topic or c.aliases:
        meta = [f"Topic: {md_escape(c.topic)}"] if c.topic else []
        if c.aliases:
            meta.append("Also called: " + ", ".join(md_escape(a) for a in c.aliases))
        out += [" · ".join(meta), ""]
    out += ["## Definition", "", f"{md_escape(c.definition)} {_refs(card.definition_refs)}", ""]
    if card.passages:
        out += ["## In the course materials", ""]
        for p in card.passages:
            out.append(f"**{_refs([p.n])}**")
            if p.same_as is not None:
                out += ["", f"The same text as {_refs([p.same_as])}.", ""]
                continue
            quoted = "\n>\n".join(f"> {md_escape(line)}" for line in p.text.split("\n"))
            out += ["", quoted, ""]
            if p.notes:
                out += [f"> *{md_escape(p.notes)}*", ""]
    if card.vignette:
        v = card.vignette
        out += [f"## {md_escape(v.title)} {_refs([card.vignette_ref or 0])}", ""]
        out += [md_escape(v.text), ""]
    if card.questions:
        out += [f"## Questions for discussion {_refs([card.questions_ref or 0])}", ""]
        out += [f"- {md_escape(q)}" for q in card.questions] + [""]
    out += ["## Sources", ""]
    out += [f"- {md_escape(cite.label())}" for cite in card.citations]
    return "\n".join(out).rstrip() + "\n"
