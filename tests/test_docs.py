"""The README stays short, and what the docs point at exists.

docs/settings.md being current is checked in tests/test_settings_doc.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
#: Docs whose commands, settings and paths are checked (the ones written for users).
USER_DOCS = [README] + [
    REPO / "docs" / name for name in ("evaluation.md", "ingest.md", "web-chat.md", "trainers.md")
]
#: Link targets written on other branches; remove each entry once its file is merged.
PENDING: set[str] = set()
MAX_README_LINES = 180

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
TOP_DIRS = ("assistant", "bench", "tests", "corpus", "docs", "prompts", "scripts", ".ci")
PLACEHOLDER = re.compile(r"[<{*]|(?<![A-Za-z])[A-Z_]{3,}(?![A-Za-z.])")
#: RBP_ variables that are not Settings fields.
NOT_FIELDS = {"RBP_CONFIG"}


def relative_links(path: Path) -> list[str]:
    """Link targets in a Markdown file that are not URLs or anchors, without their #fragment."""
    targets = [t.split("#", 1)[0] for t in LINK.findall(path.read_text(encoding="utf-8"))]
    return [t for t in targets if t and not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def code_text(text: str) -> str:
    """The fenced blocks and inline code spans of a Markdown text, one per line."""
    blocks = FENCE.findall(text)
    rest = FENCE.sub("", text)
    return "\n".join(blocks + CODE.findall(rest))


def repo_paths(text: str) -> list[str]:
    """Paths inside the repository named in code; for a path with a placeholder (<x>, {a,b}, *),
    the folder that holds it."""
    found = []
    for word in code_text(text).split():
        word = word.strip(".,;:()'\"")
        if "/" not in word or word.split("/", 1)[0] not in TOP_DIRS:
            continue
        cut = PLACEHOLDER.split(word, 1)[0]
        found.append(cut if cut == word else cut.rsplit("/", 1)[0])
    return found


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; keep it under 180"


def test_readme_keeps_the_ci_test_command() -> None:
    commands = code_text(README.read_text(encoding="utf-8"))
    assert re.search(r"^make test\b", commands, re.M), ".ci/run runs `make test`"


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_relative_links_point_at_files(path: Path) -> None:
    missing = []
    for target in relative_links(path):
        resolved = (path.parent / target).resolve()
        if resolved.exists():
            continue
        inside = resolved.is_relative_to(REPO)
        if not inside or resolved.relative_to(REPO).as_posix() not in PENDING:
            missing.append(target)
    assert not missing, f"{path.name} links to missing files: {missing}"


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: p.name)
def test_named_paths_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    missing = [p for p in repo_paths(text) if not (REPO / p).exists()]
    assert not missing, f"{path.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: p.name)
def test_named_settings_exist(path: Path) -> None:
    from assistant.settings import Settings

    fields = {f"RBP_{name.upper()}" for name in Settings.model_fields} | NOT_FIELDS
    named = set(re.findall(r"\bRBP_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    assert not named - fields, f"{path.name} names unknown settings: {sorted(named - fields)}"


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: p.name)
def test_named_commands_exist(path: Path) -> None:
    import typer.main

    from assistant.cli import app

    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    text = code_text(path.read_text(encoding="utf-8"))
    used = set(re.findall(r"rbp-assistant ([a-z][a-z-]+)", text))
    made = set(re.findall(r"\bmake ([a-z][a-z-]+)", text))
    assert not used - commands, f"{path.name}: unknown rbp-assistant commands {used - commands}"
    assert not made - targets, f"{path.name}: unknown make targets {made - targets}"


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("[a](gone.md) [b](https://example.org) [c](#top) [d](here.md#x)\n")
    assert relative_links(page) == ["gone.md", "here.md"]
    spans = "`bench/heldout/seed-heldout-{tune,test}.jsonl` and `assistant/data/x/<model>.json`"
    assert repo_paths(spans) == ["bench/heldout", "assistant/data/x"]
    assert repo_paths("`../shared/eval/dev.jsonl` `data_dir/eval` bench/x.py in prose") == []
    assert repo_paths("```\nmake eval\npython bench/query.py\n```\n") == ["bench/query.py"]
