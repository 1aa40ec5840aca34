"""Abstention: decide whether the retrieved evidence is strong enough to answer from.

One calibrated decision. :func:`features` measures what retrieval found (the top dense, BM25
and late-interaction scores, their gaps to the next passages and their z-scores against all
candidates, how much of the question the top passages cover, the share of the question's words
the materials never use, the share of its term pairs a top passage holds side by side, a number
it names that the materials never use, and the best question-to-sentence similarity); a
logistic regression fitted per embedder (:mod:`assistant.evaluate.calibrate`, shipped in
``assistant/data/abstention/``) turns them into the probability that the materials answer it.

Hard rules are few: no passages, or no word of the question that could be searched, always
abstain. Two rule families can be switched off (``abstain_rules`` in the settings); the bench
``bench/abstention.py`` prints what each is worth on a held-out split:

- ``located``: the question names a page or slide that exists ("what is on slide 14?");
- ``unknown_name``: the question names someone or something (a capitalised word that does not
  start a sentence) that occurs nowhere in the materials. Numbers, years, decades ("1950s"),
  acronyms ("KVETS") and codes ("4x4x4") are never taken for names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from langchain_core.documents import Document

from assistant.index.lexical import LexicalIndex, indexed_text, tokenize
from assistant.index.vectorcache import unit_rows
from assistant.query.spelling import common_english, english_compound
from assistant.records import Hit
from assistant.retrieve.retriever import QUERY_STOPWORDS, Retrieval
from assistant.settings import Settings, prefixed
from assistant.settings import default as _default

#: Where the fitted models ship, one file per embedder.
MODELS = Path(__file__).parents[1] / "data" / "abstention"


#: Standardised features are clipped to this many standard deviations by default
#: (``Settings.abstain_clip_sd``): the fitted model is not trusted far outside its range.
CLIP_SD: float = _default("abstain_clip_sd")


@dataclass(frozen=True)
class EvidenceLimits:
    """The thresholds of the evidence signals (the ``abstain_*`` settings; defaults are the
    settings' defaults, which the shipped models were fitted with)."""

    #: Top passages whose words and sentences count as evidence.
    evidence_hits: int = _default("abstain_evidence_hits")
    #: Passages after the top one whose mean score the gap features compare with.
    gap_hits: int = _default("abstain_gap_hits")
    #: A corpus of fewer passages than this gives no z-scores: the features count as unmeasured
    #: (NaN), which the model reads as the training mean.
    min_z_passages: int = _default("abstain_min_z_passages")
    #: Standardised features are clipped to this many standard deviations.
    clip_sd: float = CLIP_SD

    @classmethod
    def from_settings(cls, settings: Settings) -> EvidenceLimits:
        """The limits of ``settings``: each field from the setting ``abstain_<field>``."""
        return prefixed(cls, settings, "abstain_")


RULE_FAMILIES = ("located", "unknown_name")
#: Feature names, in the order the fitted coefficients use.
FEATURES = (
    "dense_top",
    "dense_gap",
    "dense_z",
    "bm25_rel",
    "bm25_z",
    "late_top",
    "late_gap",
    "coverage",
    "missing_idf",
    "unknown_share",
    "sentence_top",
    "agree",
    "phrase_share",
    "unknown_number",
    "unknown_rare",
)
#: The subset used for a question in another language (words cannot match English passages).
DENSE_FEATURES = ("dense_top", "dense_gap", "dense_z", "sentence_top")
#: Features whose scale does not depend on the embedder: the "generic" model, used for an
#: embedder with no fitted file of its own until ``rbp-assistant calibrate`` has been run.
GENERIC_FEATURES = ("dense_z", "bm25_rel", "bm25_z", "coverage", "missing_idf", "unknown_share")
GENERIC = "generic"

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*[A-Za-z]|[A-Za-z]|\d+[A-Za-z0-9]*")
_OPENING = " \t\n\"'\u2018\u201c("
_SENTENCE = re.compile(r"\n|(?<=[.!?])\s+")


class EmbedsDocuments(Protocol):
    """What the sentence feature needs: LangChain ``Embeddings`` or the pipeline's vector cache."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


def anchors(question: str) -> list[str]:
    """Names, acronyms and numbers in ``question``: capitalised words that do not start a
    sentence, all-caps words and digits (question words such as "What" never count)."""
    found = []
    for match in _TOKEN.finditer(question):
        word = match.group()
        if word.lower() in QUERY_STOPWORDS or word == "I":
            continue
        is_name = word[0].isupper() and (
            not _starts_sentence(question, match.start()) or word.isupper()
        )
        if word[0].isdigit() or is_name:
            found.append(word)
    return found


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins ``text`` or a sentence (after ". ", "? ", ": "...)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    return i < 0 or (text[i] in ".!?:" and text[i + 1].isspace())


def unknown_names(question: str, index: LexicalIndex) -> list[str]:
    """Capitalised names of ``question`` the materials never use; acronyms, numbers and codes
    (any word in capitals or with a digit) are left to the calibrated model."""
    return [
        w
        for w in anchors(question)
        if len(w) > 1 and not w.isupper() and not _coded(w) and not index.knows_word(w)
    ]


def _coded(word: str) -> bool:
    """Whether ``word`` holds a digit or a second capital ("4x4x4", "1950s", "McDonald")."""
    return any(ch.isdigit() for ch in word) or sum(ch.isupper() for ch in word) > 1


def query_terms(retrieval: Retrieval, index: LexicalIndex) -> list[str]:
    """The searched text's terms in order, repeats kept (stemmed, question words and stopwords
    removed): read from the retrieval's ``analysis`` when it tokenised that text alike."""
    analysis = retrieval.analysis
    if analysis is not None and analysis.tokenises(retrieval.query, index.stemming):
        return list(analysis.terms)
    return tokenize(retrieval.query, index.stemming, QUERY_STOPWORDS)


def text_sentences(text: str) -> list[str]:
    """Distinct lines / sentences of one passage (very short fragments dropped)."""
    parts = (p.strip() for p in _SENTENCE.split(text))
    return list(dict.fromkeys(p for p in parts if len(p) > 3))


def _score_stats(hits: Sequence[Hit], key: str, gap_hits: int) -> tuple[float, float, float]:
    """(top score, gap from the top to the mean of the next ``gap_hits``, z-score of the top
    against every candidate) of ``hits`` by ``scores[key]``; zeros when there are none."""
    values = np.array([h.scores[key] for h in hits if key in h.scores], dtype=float)
    if values.size == 0:
        return 0.0, 0.0, 0.0
    values = np.sort(values)[::-1]
    rest = values[1 : 1 + gap_hits]
    gap = float(values[0] - rest.mean()) if rest.size else 0.0
    spread = float(values.std())
    z = float((values[0] - values.mean()) / spread) if spread > 1e-9 else 0.0
    return float(values[0]), gap, z


def _coverage(
    terms: list[str], hits: Sequence[Hit], index: LexicalIndex, known: Callable[[str], bool]
) -> tuple[float, float]:
    """(IDF-weighted share of ``terms`` that one of ``hits`` holds at best, the highest IDF of a
    term that passage lacks as a share of the highest IDF possible). Unknown terms (``known``
    says no) count with that highest IDF; the context header of a passage counts as its text."""
    top_idf = index._idf(1) if index.ids else 1.0
    weights = {t: index.idf(t) if known(t) else top_idf for t in terms}
    total = sum(weights.values())
    if not total:
        return 0.0, 1.0
    best, missing = 0.0, 1.0
    for hit in hits:
        present = set(tokenize(f"{hit.metadata.get('context', '')} {hit.text}", index.stemming))
        share = sum(w for t, w in weights.items() if t in present) / total
        if share > best or not best:
            lacked = [w for t, w in weights.items() if t not in present]
            best, missing = share, max(lacked, default=0.0) / top_idf
    return best, missing


@lru_cache(maxsize=64)
def _vocabulary_without(index: LexicalIndex, exclude: frozenset[str]) -> frozenset[str]:
    """The index's tokens, counting only passages whose source is not in ``exclude``."""
    docs = (
        Document(page_content=text, metadata=meta)
        for text, meta in zip(index.texts, index.metadatas, strict=True)
        if str(meta.get("source", "")) not in exclude
    )
    return frozenset(t for doc in docs for t in tokenize(indexed_text(doc), index.stemming))


def _known(index: LexicalIndex, exclude: frozenset[str]) -> Callable[[str], bool]:
    """Whether a token occurs in the materials; with ``exclude``, as if those sources were
    left out of the index (so a calibration question about a left-out document meets the
    unknown words a user's out-of-corpus question would)."""
    if not exclude:
        return index.knows
    return _vocabulary_without(index, exclude).__contains__


def unknown_rare(question: str, index: LexicalIndex, known: Callable[[str], bool]) -> float:
    """1.0 when the question uses a word the materials never do that is no common English word
    either ("chronosystem", "PPCT"): the name of a concept they do not cover. A paraphrase's
    unknown words are everyday ones ("overlooked", "recast"); words with digits are left out."""
    for match in _TOKEN.finditer(question):
        word = match.group()
        lower = word.lower()
        if len(word) < 3 or any(c.isdigit() for c in word) or lower in QUERY_STOPWORDS:
            continue
        tokens = tokenize(word, index.stemming)
        if not tokens or any(known(t) or t in index.link_words for t in tokens):
            continue
        if not common_english(lower) and not english_compound(lower):
            return 1.0
    return 0.0


def phrase_share(query: list[str], passages: Sequence[list[str]]) -> float:
    """The share of the question's neighbouring term pairs ("good lives", "lives model") that one
    of the ``passages`` (their tokens) holds side by side, at best (1.0 when the question has
    fewer than two terms)."""
    pairs = set(zip(query, query[1:], strict=False))
    if not pairs:
        return 1.0
    held = (len(pairs & set(zip(t, t[1:], strict=False))) / len(pairs) for t in passages)
    return max(held, default=0.0)


def _passage_tokens(hit: Hit, index: LexicalIndex) -> list[str]:
    """A passage's searchable terms in order, its context header counting as its text."""
    text = f"{hit.metadata.get('context', '')} {hit.text}"
    return tokenize(text, index.stemming, QUERY_STOPWORDS)


def sentence_top(
    retrieval: Retrieval, hits: Sequence[Hit], embeddings: EmbedsDocuments | None
) -> float:
    """The best similarity of the question to one sentence of ``hits`` (0 without embeddings)."""
    texts = list(dict.fromkeys(s for h in hits for s in text_sentences(h.text)))
    if embeddings is None or not texts or retrieval.query_vector is None:
        return 0.0
    query = unit_rows([retrieval.query_vector])[0]
    return float((unit_rows(embeddings.embed_documents(texts)) @ query).max())


def features(
    retrieval: Retrieval,
    index: LexicalIndex,
    embeddings: EmbedsDocuments | None = None,
    *,
    exclude: frozenset[str] = frozenset(),
    limits: EvidenceLimits | None = None,
) -> dict[str, float]:
    """The evidence signals of :data:`FEATURES` for ``retrieval``. Passages of the sources in
    ``exclude`` are ignored, as if left out of the index (calibration uses this)."""
    limits = limits or EvidenceLimits()
    top = limits.evidence_hits
    keep = [h for h in retrieval.hits if h.source not in exclude]
    dense = [h for h in retrieval.dense if h.source not in exclude]
    bm25 = [h for h in retrieval.bm25 if h.source not in exclude]
    query = query_terms(retrieval, index)
    terms = list(dict.fromkeys(query))  # each searchable term once
    d_top, d_gap, d_z = _score_stats(dense, "dense", limits.gap_hits)
    b_top, _, b_z = _score_stats(bm25, "bm25", limits.gap_hits)
    if len(index.texts) < limits.min_z_passages:
        d_z = b_z = float("nan")
    l_top, l_gap, _ = _score_stats(keep, "late", limits.gap_hits)
    max_bm25 = sum(index.idf(t) for t in terms) or 1.0
    known = _known(index, exclude)
    unknown = [t for t in terms if not known(t) and not any(c.isdigit() for c in t)]
    cov, missing = _coverage(terms, keep[:top], index, known)
    pages = lambda hits: {(h.source, h.number) for h in hits[:top]}  # noqa: E731
    return {
        "dense_top": d_top,
        "dense_gap": d_gap,
        "dense_z": d_z,
        "bm25_rel": b_top / max_bm25,
        "bm25_z": b_z,
        "late_top": l_top,
        "late_gap": l_gap,
        "coverage": cov,
        "missing_idf": missing,
        "unknown_share": len(unknown) / len(terms) if terms else 1.0,
        "sentence_top": sentence_top(retrieval, keep[:top], embeddings),
        "agree": float(bool(pages(dense) & pages(bm25))),
        "phrase_share": phrase_share(query, [_passage_tokens(h, index) for h in keep[:top]]),
        "unknown_number": float(any(t[0].isdigit() and not known(t) for t in terms)),
        "unknown_rare": unknown_rare(retrieval.query, index, known),
    }


@dataclass(frozen=True)
class AbstentionModel:
    """A fitted logistic regression over standardised features, with its decision threshold on
    the probability that the materials answer the question."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, values: dict[str, float], clip_sd: float = CLIP_SD) -> float:
        """Probability that the question is answerable, given its :func:`features` (an
        unmeasured, NaN, feature counts as its training mean; standardised features are clipped
        to ``clip_sd``, as when fitting)."""
        x = np.array([values[n] for n in self.names], dtype=float)
        z = np.nan_to_num((x - np.array(self.mean)) / np.array(self.scale), nan=0.0)
        z = np.clip(z, -clip_sd, clip_sd)
        logit = float(z @ np.array(self.coef) + self.intercept)
        return float(1.0 / (1.0 + np.exp(-logit)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AbstentionModel:
        return cls(
            names=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.names),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }


def model_slug(embedding_model: str) -> str:
    """File name stem for an embedder: its last path part, lower case, safe characters only."""
    last = Path(embedding_model.rstrip("/")).name or embedding_model
    return re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-")


def load_models(
    embedding_model: str, folders: Sequence[Path] = ()
) -> tuple[dict[str, AbstentionModel], Path]:
    """The fitted models ("full" and "dense") for an embedder: a refit in one of ``folders``
    (``rbp-assistant calibrate`` writes to ``data_dir/abstention``) wins over the shipped file;
    with neither, the shipped generic model (scale-free features only)."""
    name = f"{model_slug(embedding_model)}.json"
    for path in [*(Path(f) / name for f in folders), MODELS / name, MODELS / f"{GENERIC}.json"]:
        if path.is_file():
            data = json.loads(path.read_text("utf-8"))
            models = {k: AbstentionModel.from_dict(v) for k, v in data["models"].items()}
            return models, path
    raise FileNotFoundError(f"no abstention model for {embedding_model}: run calibrate")


def hard_abstain(retrieval: Retrieval, index: LexicalIndex) -> bool:
    """The principled rules: nothing was found, or the question has nothing to search for
    (checked after the rule families: "what is on page 14?" has only its location)."""
    return not retrieval.hits or not query_terms(retrieval, index)


def rule_decision(
    retrieval: Retrieval,
    index: LexicalIndex,
    rules: Sequence[str],
    evidence_hits: int = _default("abstain_evidence_hits"),
) -> bool | None:
    """True (abstain) or False (answer) when an enabled rule family decides, else None (a named
    page counts when it is among the top ``evidence_hits``)."""
    if "unknown_name" in rules and unknown_names(retrieval.query, index):
        return True
    if "located" in rules and any("location" in h.scores for h in retrieval.hits[:evidence_hits]):
        return False
    return None


def should_abstain(
    values: dict[str, float],
    model: AbstentionModel,
    rule: bool | None = None,
    clip_sd: float = CLIP_SD,
) -> bool:
    """Abstain when a rule says so, or when the model's probability is below its threshold."""
    if rule is not None:
        return rule
    return model.probability(values, clip_sd) < model.threshold


def decide(
    retrieval: Retrieval,
    index: LexicalIndex,
    model: AbstentionModel,
    values: dict[str, float] | None,
    rules: Sequence[str] = RULE_FAMILIES,
    limits: EvidenceLimits | None = None,
) -> bool:
    """The whole decision: no passages -> abstain; an enabled rule family; nothing to search
    for -> abstain; else the model on ``values`` (:func:`features`)."""
    limits = limits or EvidenceLimits()
    if not retrieval.hits:
        return True
    rule = rule_decision(retrieval, index, rules, limits.evidence_hits)
    if rule is not None:
        return rule
    if hard_abstain(retrieval, index) or values is None:
        return True
    return should_abstain(values, model, clip_sd=limits.clip_sd)
