"""The package layout: imports go one way, down the stages, and no modules import each other in a
circle. Imports are read with ``ast`` (also those inside functions and ``TYPE_CHECKING``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"

#: The stages, lowest first: a module may import its own stage and the ones before it. The most
#: specific prefix names a module's stage (``assistant.guards.privacy`` is not
#: ``assistant.guards``).
STAGES: tuple[tuple[str, ...], ...] = (
    ("assistant", "assistant.settings", "assistant.records", "assistant.words"),
    # personal-data checks need nothing else; ingest, CPD records and the chat use them
    ("assistant.guards.privacy",),
    ("assistant.index",),
    ("assistant.ingest",),  # above the index: it writes to it
    ("assistant.query",),
    ("assistant.retrieve",),
    ("assistant.guards",),
    ("assistant.answer",),
    ("assistant.pipeline",),
    ("assistant.teach",),
    ("assistant.evaluate",),  # runs the pipeline; fits abstention and answer weights
    ("assistant.ui", "assistant.cli", "assistant.settings_doc"),
)


def stage(module: str) -> int:
    """Index in :data:`STAGES` of the most specific prefix naming ``module``."""
    best: tuple[int, int] | None = None
    for rank, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            inside = prefix != "assistant" and module.startswith(prefix + ".")
            if (module == prefix or inside) and (best is None or len(prefix) > best[1]):
                best = (rank, len(prefix))
    if best is None:
        raise LookupError(f"{module} is in no stage of STAGES")
    return best[0]


def module_files(root: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> file, for every module and package under ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.ImportFrom):  # relative imports are not used in this project
            found.add(f"<relative import in {path.name}>")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m == "assistant" or m.startswith(("assistant.", "<"))}


def graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    return {name: imports(path, modules) - {name} for name, path in modules.items()}


def upward(edges: dict[str, set[str]]) -> list[str]:
    """``a -> b`` for every import of a later stage."""
    return [
        f"{a} -> {b}"
        for a, targets in sorted(edges.items())
        for b in sorted(targets)
        if b.startswith("<") or stage(b) > stage(a)
    ]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def test_every_module_has_a_stage() -> None:
    for module in module_files():
        stage(module)


#: Known upward imports, each to be removed (never add one without a reason and a way out).
KNOWN_UPWARD: set[str] = set()


def test_no_import_goes_up_a_stage() -> None:
    found = upward(graph(module_files()))
    assert [edge for edge in found if edge not in KNOWN_UPWARD] == []
    assert set(found) >= KNOWN_UPWARD, "a known upward import is gone: remove it from the list"


def test_no_import_cycles() -> None:
    assert cycles(graph(module_files())) == []


# --- the checks themselves catch what they are for ---------------------------------------------
def write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / "assistant" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return module_files(root / "assistant")


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    modules = write(
        tmp_path,
        {
            "__init__.py": "",
            "index/__init__.py": "",
            "index/lexical.py": "def f():\n    from assistant.query import spelling\n",
            "query/__init__.py": "",
            "query/spelling.py": "from assistant.index.lexical import f\n",
        },
    )
    assert upward(graph(modules)) == ["assistant.index.lexical -> assistant.query.spelling"]


def test_a_cycle_is_found(tmp_path: Path) -> None:
    modules = write(
        tmp_path,
        {
            "__init__.py": "",
            "teach/__init__.py": "",
            "teach/cpd.py": "import assistant.teach.cpd_pdf\n",
            "teach/cpd_pdf.py": "from assistant.teach.cpd import Record\n",
            "teach/quiz.py": "from assistant.teach import cpd\n",
        },
    )
    assert cycles(graph(modules)) == [["assistant.teach.cpd", "assistant.teach.cpd_pdf"]]


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("assistant.guards.privacy.names", "assistant.guards.privacy"),
        ("assistant.guards.triage", "assistant.guards"),
        ("assistant.records", "assistant.records"),
        ("assistant.ui.app", "assistant.ui"),
    ],
)
def test_most_specific_prefix_names_the_stage(module: str, expected: str) -> None:
    assert expected in STAGES[stage(module)]


def test_a_module_outside_every_stage_is_an_error() -> None:
    with pytest.raises(LookupError):
        stage("assistant.newstage.thing")
