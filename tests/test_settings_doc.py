"""docs/settings.md is the generated settings reference, and it is current."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from assistant.settings_doc import settings_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_has_a_row_with_its_description() -> None:
    text = settings_markdown()
    for name, field in Settings.model_fields.items():
        assert f"`RBP_{name.upper()}`" in text
        assert field.description, f"{name} has no description"


def test_the_committed_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == settings_markdown(), (
        "docs/settings.md is out of date: run `python -m assistant.settings_doc > docs/settings.md`"
    )
