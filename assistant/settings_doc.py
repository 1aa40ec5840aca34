"""The settings reference (``docs/settings.md``), generated from :class:`Settings` so that it
cannot drift: ``python -m assistant.settings_doc > docs/settings.md``."""

from __future__ import annotations

from assistant.settings import Settings

HEADER = """# Settings

Every setting can be given as an environment variable (below) or, by its field name in lower case,
in a `rbp.toml` file in the working directory (`RBP_CONFIG` names another file). Fields marked
*profile* default to the embedding model's fitted profile (`assistant/data/profiles/`).
This page is generated from `assistant/settings.py` by `python -m assistant.settings_doc`.

| variable | default | meaning |
| --- | --- | --- |
"""


def settings_markdown() -> str:
    """The reference table: one row per field, its variable, default and description."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = (
            "*profile*"
            if field.default is None and "profile" in (field.description or "")
            else field.default
        )
        text = (field.description or "").replace("|", "\\|").replace("\n", " ")
        shown = "" if default is None else f"`{default}`"
        rows.append(f"| `RBP_{name.upper()}` | {shown} | {text} |")
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(settings_markdown(), end="")
