"""The default answerer: no language model, only verbatim sentences and list items from the hits.

Candidates are the body-text units (sentences, bullets, list items; see
:mod:`assistant.answer.units`) of the top hits. Lines the loader marked as titles, headings,
furniture, "Source:" lines, dates, captions, bylines or reference entries (the passage's
``structure`` metadata) are never quoted, nor are pieces cut at a passage edge. Each candidate is
scored by a logistic model fitted on a tune split (:mod:`assistant.answer.features`): embedding
similarity to the question, IDF-weighted term overlap, rank and place, length and shape. The answer
opens with the best unit; further units follow, best first, while the model rates them highly and
the answer stays within its fitted word budget (so a definition is one to three sentences). When the
list a unit belongs to is the answer (at least two of its items rate highly), it is quoted whole as
a Markdown bullet list. Every sentence and item is followed by its ``[n]``; every word comes from a
cited page or slide.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer.base import abstain, snippet
from assistant.answer.edges import ChunkTable, PageChunks
from assistant.answer.features import AnswerWeights, Row, asks_list, feature_matrix, load_weights
from assistant.answer.units import Unit, has_bullet, split_units, strip_bullet
from assistant.index.lexical import tokenize
from assistant.index.lexical import words as lexical_words
from assistant.index.vectorcache import VectorCache
from assistant.ingest.loaders.structure import read_marks
from assistant.query.locations import named_locations, strip_locations
from assistant.records import Answer, AnswerRequest, Citation, Hit, QueryAnalysis
from assistant.retrieve.retriever import QUERY_STOPWORDS, answer_type, similarity
from assistant.settings import Settings, prefixed
from assistant.settings import default as _default

#: Units compared with the question by embedding, and how many of a unit's words are embedded.
MAX_EMBEDDED, EMBED_WORDS = 40, 64

Idf = Callable[[str], float]


@dataclass(frozen=True)
class AnswerLimits:
    """The selection thresholds (the ``answer_*`` settings; defaults are the settings' defaults)."""

    #: Hits whose units are considered.
    max_hits: int = _default("answer_max_hits")
    #: Further units an answer may hold besides the best one (a definition: 1-3 sentences).
    max_extra: int = _default("answer_max_extra")
    #: A list is quoted whole up to this many words (else its best items only).
    max_list_words: int = _default("answer_max_list_words")
    #: A unit longer than this (a run-on paragraph with no sentence breaks) is cut short.
    max_unit_words: int = _default("answer_max_unit_words")
    #: Units at least this similar (word bigrams) to one already quoted are left out.
    duplicate_similarity: float = _default("answer_duplicate_similarity")
    #: ... or that share this share of their words (the same sentence reworded slightly).
    same_words: float = _default("answer_same_words")
    #: Fallback selection when no fitted weights exist: IDF overlap + this x similarity.
    semantic_weight: float = _default("answer_semantic_weight")

    @classmethod
    def from_settings(cls, settings: Settings) -> AnswerLimits:
        """The limits of ``settings``: each field from the setting ``answer_<field>``."""
        return prefixed(cls, settings, "answer_")


@dataclass
class Candidate:
    unit: Unit
    hit_rank: int
    score: float = 0.0
    #: Only repeats the question ("Countertransference" for "what is countertransference?"):
    #: it answers nothing alone, so it is quoted only as part of its list or page.
    echo: bool = False

    @property
    def key(self) -> tuple[int, int]:
        return (self.hit_rank, self.unit.position)


class ExtractiveAnswerer:
    """Select, order and cite verbatim units; see the module docstring."""

    label = "extractive"

    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings | None = None,
        idf: Idf | None = None,
        cache: VectorCache | None = None,
        weights: AnswerWeights | None = None,
        pages: Callable[[], ChunkTable | None] | None = None,
    ) -> None:
        self.settings = settings
        self._pages_source = pages
        self._pages: PageChunks | None = None
        self.embeddings = embeddings
        self.idf = idf
        if cache is None and embeddings is not None:
            cache = VectorCache(embeddings)
        self.cache = cache
        if weights is None:
            from assistant.index.embedding import canonical_name

            name = canonical_name(settings.embedding_model)
            weights = load_weights(name, refits=[settings.data_dir / "answer-weights"])
        self.weights = weights

    @property
    def limits(self) -> AnswerLimits:
        """The ``answer_*`` settings this answerer selects by."""
        return AnswerLimits.from_settings(self.settings)

    # --- public API ----------------------------------------------------------------------------
    def answer(self, request: AnswerRequest) -> Answer:
        """Quote the units of the hits that best answer the question, each with its ``[n]``;
        units are scored against ``request.searched`` when given, so an answer does not change
        with "Morning all!", "according to BASW" or a mended typo."""
        question, searched, mode = request.question, request.searched, request.mode
        limits = self.limits
        hits = list(request.hits)[: limits.max_hits]
        candidates = self.score(searched or question, hits, request.query_vector, request.analysis)
        if not candidates:
            return abstain(question, hits[:3], self.label, mode)
        if self.asks_for_the_page(question, searched, request.analysis):
            blocks = [page_block(candidates, limits)]
        else:
            blocks = select(candidates, self.weights, asks_list(searched or question), limits)
        text, cited = render(blocks, limits.max_unit_words)
        citations = [
            Citation.from_hit(n, hits[rank], snippet(hits[rank].text))
            for n, rank in enumerate(cited, 1)
        ]
        return Answer(question, text, citations, mode=self.label, retrieval_mode=mode)

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]:
        final = self.answer(request)
        yield final.text
        yield final

    def asks_for_the_page(
        self, question: str, searched: str | None = None, analysis: QueryAnalysis | None = None
    ) -> bool:
        """Whether ``question`` names a page or slide and asks nothing else of it ("What is on
        slide 14?"): then the page itself is the answer, read from its start."""
        if analysis is not None and analysis.question == question:
            named = analysis.locations
        else:
            named = named_locations(question, self.settings.location_max_range)
        if not named:
            return False
        rest = strip_locations(searched or question)
        return not tokenize(rest, self.settings.bm25_stemming, QUERY_STOPWORDS)

    # --- scoring -------------------------------------------------------------------------------
    def score(
        self,
        question: str,
        hits: Sequence[Hit],
        query_vector: Sequence[float] | None = None,
        analysis: QueryAnalysis | None = None,
    ) -> list[Candidate]:
        """Every quotable unit of ``hits`` with its score (probability it answers), best first;
        the question's terms are read from ``analysis`` when it is that of ``question``."""
        candidates, matrix, echoes = self._candidates(question, hits, query_vector, analysis)
        if not candidates:
            return []
        if self.weights is not None:
            scores = self.weights.probabilities(matrix)
        else:  # no fitted weights: overlap plus similarity (columns of FEATURES)
            semantic = self.limits.semantic_weight
            scores = matrix[:, 0] + semantic * matrix[:, 4] + 0.2 * matrix[:, 5]
        for cand, value in zip(candidates, scores, strict=True):
            cand.score = float(value)
        for cand in echoes:
            cand.score, cand.echo = 0.0, True
        return sorted([*candidates, *echoes], key=lambda c: (-c.score, c.key))

    def candidates(
        self,
        question: str,
        hits: Sequence[Hit],
        query_vector: Sequence[float] | None = None,
        analysis: QueryAnalysis | None = None,
    ) -> tuple[list[Candidate], np.ndarray]:
        """The quotable units of ``hits`` (body text, no passage-edge fragments) and their
        feature matrix (:data:`assistant.answer.features.FEATURES`); units only repeating the
        question are left out when others say something."""
        candidates, matrix, _ = self._candidates(question, hits, query_vector, analysis)
        return candidates, matrix

    def _candidates(
        self,
        question: str,
        hits: Sequence[Hit],
        query_vector: Sequence[float] | None = None,
        analysis: QueryAnalysis | None = None,
    ) -> tuple[list[Candidate], np.ndarray, list[Candidate]]:
        """:meth:`candidates`, and the units left out for only repeating the question."""
        candidates: list[Candidate] = []
        places: list[tuple[int, int]] = []
        for rank, (hit, starts, ends) in enumerate(self.completed(hits)):
            units = split_units(hit.text, read_marks(hit.metadata))
            body = quotable_units(units, starts, ends)
            candidates += [Candidate(unit, rank) for unit in body]
            places += [(i, len(body)) for i in range(len(body))]
        if not candidates:
            return [], np.zeros((0, 0)), []
        rows = self._rows(question, candidates, places, query_vector, analysis)
        saying = [i for i, row in enumerate(rows) if row.novelty > 0]
        echoes: list[Candidate] = []
        if saying and len(saying) < len(rows):  # a unit only repeating the question answers nothing
            echoes = [c for i, c in enumerate(candidates) if rows[i].novelty == 0]
            candidates, rows = [candidates[i] for i in saying], [rows[i] for i in saying]
        return candidates, feature_matrix(question, rows), echoes

    def completed(self, hits: Sequence[Hit]) -> list[tuple[Hit, bool, bool]]:
        """The first ``answer_max_hits`` hits with sentences cut at a passage edge completed
        from the neighbouring passage of the same page (:mod:`assistant.answer.edges`), each with
        whether it starts and ends where its page does (False when not known)."""
        top = list(hits)[: self.settings.answer_max_hits]
        table = self._pages_source() if self._pages_source else None
        if table is None:
            return [(hit, False, False) for hit in top]
        words = self.settings.answer_max_completion_words
        if (
            self._pages is None
            or self._pages.fingerprint != table.fingerprint
            or self._pages.max_words != words
        ):
            self._pages = PageChunks(table, words)
        return [self._pages.complete(hit) for hit in top]

    def _rows(
        self,
        question: str,
        candidates: list[Candidate],
        places: list[tuple[int, int]],
        query_vector: Sequence[float] | None,
        analysis: QueryAnalysis | None = None,
    ) -> list[Row]:
        stem = self.settings.bm25_stemming
        if analysis is not None and analysis.tokenises(question, stem):
            q_terms, asked = set(analysis.terms), set(analysis.tokens)
        else:
            q_terms = set(tokenize(question, stem, QUERY_STOPWORDS))
            asked = set(tokenize(question, stem))  # every word the question says
        unit_terms = [set(tokenize(c.unit.text, stem)) for c in candidates]
        weights = self._weights(q_terms, unit_terms)
        total = sum(weights.values()) or 1.0
        needs = answer_type(question)
        lexical = [sum(w for t, w in weights.items() if t in terms) / total for terms in unit_terms]
        order = sorted(range(len(candidates)), key=lambda i: (-lexical[i], candidates[i].key))
        shortlist = order[:MAX_EMBEDDED]
        texts = [" ".join(candidates[i].unit.text.split()[:EMBED_WORDS]) for i in shortlist]
        semantic: list[float | None] = [None] * len(candidates)
        similar = self._similarities(question, texts, query_vector) or []
        for i, value in zip(shortlist, similar, strict=False):  # none without embeddings
            semantic[i] = value
        return [
            Row(
                lexical=lexical[i],
                coverage=len(q_terms & terms) / len(q_terms) if q_terms else 0.0,
                novelty=len(terms - asked) / len(terms) if terms else 0.0,
                semantic=semantic[i],
                hit_rank=cand.hit_rank,
                body_index=places[i][0],
                body_count=places[i][1],
                answer_type=bool(needs is not None and needs.search(cand.unit.text)),
                n_words=cand.unit.n_words,
                is_item=cand.unit.is_item,
                text=strip_bullet(cand.unit.text),
            )
            for i, (cand, terms) in enumerate(zip(candidates, unit_terms, strict=True))
        ]

    def _weights(self, q_terms: set[str], unit_terms: list[set[str]]) -> dict[str, float]:
        """IDF of each query term: corpus-wide when known, else among the candidate units."""
        df = Counter(t for terms in unit_terms for t in terms if t in q_terms)
        n = len(unit_terms)
        weights = {}
        for term in q_terms:
            if not df[term]:
                continue
            weights[term] = self.idf(term) if self.idf else math.log(1 + n / df[term])
        return weights

    def _similarities(
        self, question: str, texts: list[str], query_vector: Sequence[float] | None
    ) -> list[float] | None:
        """Cosine similarity of each text to the question (None without embeddings)."""
        if self.cache is None or not texts:
            return None
        if query_vector is None:
            query_vector = self.cache.embeddings.embed_query(question)
        query = np.asarray(query_vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        return [float(x) for x in self.cache.vectors(texts) @ query]


def quotable_units(
    units: list[Unit], page_start: bool = False, page_end: bool = False
) -> list[Unit]:
    """The body-text units of one passage: structure-marked lines (headings, titles, "Source:"
    lines...) are left out, and so is a piece cut at the passage's edge (it starts in lower
    case at the start, or stops without final punctuation at the end, and is no list item).
    Where the passage starts or ends its page (``page_start``, ``page_end``) such a sentence
    runs on from or to the next page: it is quoted with an ellipsis marking the cut."""
    body = [u for u in units if u.is_body]
    out = []
    for i, unit in enumerate(body):
        text = strip_bullet(unit.text)
        if not text:
            continue
        if i == 0 and not unit.is_item and text[:1].islower():
            if not page_start:
                continue  # the tail of a sentence that began in the passage before
            unit = replace(unit, text=f"\u2026 {unit.text}")
        last = i == len(body) - 1 and len(body) > 1
        if last and not unit.is_item and _is_cut(text):
            if not page_end:
                continue  # the start of a sentence that goes on in the next passage
            if not text.endswith(('"', "'", "\u2019", "\u201d", ")")):  # a quotation ends there
                unit = replace(unit, text=f"{unit.text.rstrip(',;')} \u2026")
        out.append(unit)
    return out


def _is_cut(text: str) -> bool:
    """Whether ``text`` stops without final punctuation."""
    return not text.rstrip("\"'\u2019\u201d)").endswith((".", "!", "?", ":", "\u2026"))


# --- selection ---------------------------------------------------------------------------------
Block = list[Candidate]  # one sentence, or the items of one list (with its introduction)


def select(
    candidates: list[Candidate],
    weights: AnswerWeights | None,
    wants_list: bool = False,
    limits: AnswerLimits | None = None,
) -> list[Block]:
    """What to quote, best first: the best unit (or, when the question asks for several things,
    its whole list), then units the model rates at least ``keep``, within the word budget and
    ``limits.max_extra`` more units; a unit ending in ':' brings what it introduces."""
    limits = limits or AnswerLimits()
    keep = weights.keep if weights else 0.5 * candidates[0].score
    list_keep = weights.list_keep if weights else keep
    budget = weights.budget if weights else 60
    list_words = weights.list_words if weights else 0
    groups: dict[tuple[int, int], list[Candidate]] = {}
    ordered = sorted(candidates, key=lambda c: c.key)
    for cand in ordered:
        groups.setdefault((cand.hit_rank, cand.unit.group), []).append(cand)
    blocks: list[Block] = []
    chosen: set[tuple[int, int]] = set()
    said: list[str] = []
    words = 0
    for cand in candidates:
        if cand.echo:
            continue  # quoted only with the list it belongs to
        if blocks and (cand.score < keep or len(blocks) > limits.max_extra):
            break
        whole = _as_list(cand, groups, list_keep, limits.max_list_words)
        block = _block_for(cand, whole, wants_list, list_words)
        if block[-1].unit.text.endswith(":"):
            block += introduced(block[-1], ordered, limits.max_list_words)
        new: Block = []
        for c in block:
            if c.key not in chosen and not _repeats(
                _norm(c), said + [_norm(n) for n in new], limits
            ):
                new.append(c)
        size = sum(min(c.unit.n_words, limits.max_unit_words) for c in new)
        if all(c.unit.text.endswith(":") for c in new) or (blocks and words + size > budget):
            continue  # nothing new, or a lead-in whose list is quoted already, or too long
        blocks.append(new)
        chosen.update(c.key for c in new)
        said += [_norm(c) for c in new]
        words += size
    return blocks


def _block_for(cand: Candidate, whole: Block | None, wants_list: bool, list_words: int) -> Block:
    """What quoting ``cand`` brings: its whole list when the question asks for a list (in the
    source's order) or the list is at most ``list_words`` long (``cand`` first, as it answers);
    else ``cand`` alone."""
    if whole is None:
        return [cand]
    if wants_list:
        return whole
    if sum(c.unit.n_words for c in whole) > list_words:
        return [cand]
    if not cand.unit.is_item:
        return whole
    return [cand] + [c for c in whole if c is not cand and c.unit.is_item]


def page_block(candidates: list[Candidate], limits: AnswerLimits | None = None) -> Block:
    """The body of the best-ranked hit in reading order, whole units up to
    ``limits.max_list_words`` words (its first unit always)."""
    limits = limits or AnswerLimits()
    top = min(c.hit_rank for c in candidates)
    block: Block = []
    words = 0
    for cand in sorted((c for c in candidates if c.hit_rank == top), key=lambda c: c.key):
        size = min(cand.unit.n_words, limits.max_unit_words)
        if block and words + size > limits.max_list_words:
            break
        block.append(cand)
        words += size
    return block


def _as_list(
    cand: Candidate,
    groups: dict[tuple[int, int], list[Candidate]],
    list_keep: float,
    max_words: int,
) -> Block | None:
    """The whole list ``cand`` belongs to (or introduces), when at least two of its items rate
    ``list_keep`` or more and it fits ``max_words``; else None."""
    group = groups[(cand.hit_rank, cand.unit.group)]
    items = [c for c in group if c.unit.is_item]
    label = _list_label(items)
    items = [c for c in items if c is not label]
    if len(items) < 2 or sum(1 for c in items if c.score >= list_keep) < 2:
        return None
    if sum(c.unit.n_words for c in group) > max_words:
        return None
    intro = [c for c in group if not c.unit.is_item and c.unit.text.endswith(":")]
    return intro[:1] + items


def _list_label(items: Block) -> Candidate | None:
    """The first item of a list whose other items carry bullet marks in the source and it none
    ("Elements of care (Tronto)" over "■ Attentiveness ..."): the list's label, not an item."""
    if len(items) < 3 or has_bullet(items[0].unit.text):
        return None
    return items[0] if all(has_bullet(c.unit.text) for c in items[1:]) else None


def introduced(
    lead: Candidate, ordered: list[Candidate], max_words: int = _default("answer_max_list_words")
) -> Block:
    """What a unit ending in ':' introduces: the list after it (up to ``max_words`` words), or
    else the next sentence of its passage."""
    after = [c for c in ordered if c.hit_rank == lead.hit_rank and c.key > lead.key]
    if not after:
        return []
    if not after[0].unit.is_item:
        return after[:1]
    items: Block = []
    for c in after:
        if not c.unit.is_item or sum(i.unit.n_words for i in items) + c.unit.n_words > max_words:
            break
        items.append(c)
    return items


def _norm(cand: Candidate) -> str:
    return " ".join(lexical_words(cand.unit.text))


def _repeats(text: str, said: list[str], limits: AnswerLimits) -> bool:
    """Whether ``text`` says nothing new: it is (nearly) something already quoted."""
    if not text:
        return True
    for other in said:
        if text == other or (len(text.split()) >= 3 and f" {text} " in f" {other} "):
            return True
        if similarity(text, other) >= limits.duplicate_similarity:
            return True
        a, b = set(text.split()), set(other.split())
        if min(len(a), len(b)) >= 4 and len(a & b) / len(a | b) >= limits.same_words:
            return True
    return False


# --- rendering ---------------------------------------------------------------------------------
def render(
    blocks: list[Block], max_unit_words: int = _default("answer_max_unit_words")
) -> tuple[str, list[int]]:
    """Answer text with ``[n]`` markers, and the hit ranks cited in order of ``n`` (a unit
    longer than ``max_unit_words`` is cut short).

    Sentences follow each other in one paragraph; a list is a Markdown bullet list (its
    introduction, if any, on the line before), set off from the paragraphs around it."""
    order = list(dict.fromkeys(c.hit_rank for block in blocks for c in block))
    number = {rank: n for n, rank in enumerate(order, 1)}
    paragraphs: list[list[str]] = []
    prose = False
    last_list: set[tuple[int, int]] = set()  # the list(s) the last bullet paragraph quotes
    for block in blocks:
        lines = [
            f"{'- ' if _is_bullet(c.unit) else ''}"
            f"{_clip(strip_bullet(c.unit.text), max_unit_words)} [{number[c.hit_rank]}]"
            for c in block
        ]
        if not any(line.startswith("- ") for line in lines):  # sentences: one paragraph
            if not prose:
                paragraphs.append([""])
            paragraphs[-1][-1] = " ".join([paragraphs[-1][-1], *lines]).strip()
            prose = True
            continue
        groups = {(c.hit_rank, c.unit.group) for c in block}
        if not prose and paragraphs and groups <= last_list:
            paragraphs[-1] += lines  # more items of the list just quoted: the same list
        else:
            paragraphs.append(lines)
            last_list = groups
        prose = False
    return "\n\n".join("\n".join(lines) for lines in paragraphs), order


def _is_bullet(unit: Unit) -> bool:
    """A list item (a bullet, a numbered item, a short slide line) other than a lead-in."""
    return unit.is_item and not unit.text.endswith(":")


def _clip(text: str, max_words: int) -> str:
    words = text.split()
    return text if len(words) <= max_words else " ".join(words[:max_words]) + " …"
