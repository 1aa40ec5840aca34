"""Move the flat ``assistant`` modules into stage packages and rewrite every reference to them.

Run from the repository root on a clean tree, with the project's Python (ruff is used to sort
and format the files it touched)::

    python tools/restructure.py            # moves, rewrites, prints a summary
    python tools/restructure.py --dry-run  # prints the moves only

Deterministic and module-level only: files are ``git mv``-ed according to :data:`MODULES`
(old dotted module -> new dotted module, packages move with everything under them), then every
reference is rewritten in the tracked text files of :data:`SCOPE`:

* ``from assistant import x`` / ``from assistant.pkg import mod`` (regrouped per new parent),
* dotted names anywhere (``import assistant.x``, ``assistant.x.attr``, ``"assistant.x.f"`` in
  ``monkeypatch``/``mock.patch`` targets and registries, ``python -m assistant.x``, ``:mod:``),
* file paths (``assistant/x.py``, ``assistant/loaders/``) in docs and comments,
* ``Path(__file__).parent`` / ``.parents[n]`` in moved modules (their depth changed),
* the few module names kept as bare strings (:data:`BARE_NAME_TUPLES`).
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

PKG = "assistant"

#: old module (dotted, under ``assistant``) -> new module. A package entry moves every file
#: under it; a more specific entry (a submodule) wins over its package.
MODULES: dict[str, str] = {
    # ingest: files -> documents -> chunks, and the record of what was ingested
    "ingest": "ingest.run",
    "chunking": "ingest.chunking",
    "manifest": "ingest.manifest",
    "reporting": "ingest.report",
    "loaders": "ingest.loaders",
    # index: embeddings and the stores that hold them (Chroma, BM25, token vectors)
    "embedding": "index.embedding",
    "store": "index.store",
    "lexical": "index.lexical",
    "late": "index.late",
    "vectorcache": "index.vectorcache",
    "profiles": "index.profiles",
    # query: reading the question before retrieval
    "framing": "query.framing",
    "locations": "query.locations",
    "spelling": "query.spelling",
    "followup": "query.followup",
    # retrieve: candidates and their ranking
    "retrieval": "retrieve.retriever",
    "fusion": "retrieve.fusion",
    # answer: composing the cited answer
    "answer": "answer.base",
    "answerers": "answer",
    "citations": "answer.citations",
    "units": "answer.units",
    # guards: when not to answer, and what must not be kept
    "abstention": "guards.abstention",
    "triage": "guards.triage",
    "safeguarding": "guards.safeguarding",
    "privacy": "guards.privacy",
    # teach: trainer-facing material built from the corpus
    "concepts": "teach.concepts",
    "quiz": "teach.quiz",
    "cpd": "teach.cpd",
    "cpd_pdf": "teach.cpd_pdf",
    # evaluate: scoring on question sets, and fitting the parts that are fitted on them
    "evaluate": "evaluate.run",
    "eval_report": "evaluate.report",
    "testset": "evaluate.testset",
    "metrics": "evaluate.metrics",
    "baseline": "evaluate.baseline",
    "calibrate": "evaluate.calibrate",
    "answerers.fit": "evaluate.fit_answers",
    # ui
    "feedback": "ui.feedback",
}

#: Top-level modules that stay where they are: the shells and the records every stage shares.
KEEP = {"__init__", "settings", "settings_doc", "records", "pipeline", "cli"}

#: Docstrings of the new packages (an ``__init__.py`` that moves in with only a docstring is
#: replaced by this one).
PACKAGE_DOCS: dict[str, str] = {
    "ingest": "Ingest: read files (``loaders``), split them into chunks and record what was "
    "indexed.",
    "index": "Index: embed chunks and keep them searchable (Chroma, BM25, token vectors).",
    "query": "Query: read a question before retrieval: framing, page and slide references, "
    "spelling, follow-ups.",
    "retrieve": "Retrieve: find the passages for a question and rank them (dense, BM25, fused).",
    "answer": "Answer: compose a cited answer from the retrieved passages "
    "(:mod:`assistant.answer.base` holds the registry that picks a back-end).",
    "guards": "Guards: decide when not to answer (abstention, triage, safeguarding) and keep "
    "personal data out (``privacy``).",
    "teach": "Teach: concept cards, quizzes and CPD records built from the materials.",
    "evaluate": "Evaluate: score retrieval and answers on question sets, and fit the fitted parts "
    "(abstention model, answer weights) on them.",
}

#: Tracked files whose references are rewritten: folders (recursively) and single files.
SCOPE = ("assistant", "tests", "bench", "scripts", "docs", ".ci")
SCOPE_FILES = ("app.py", "Makefile", "pyproject.toml", "README.md")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".sh", ".txt", ""}

#: Tuples of bare module names (no ``assistant.`` prefix) used as paths below the package:
#: (file after the move, name of the tuple). Each name is rewritten to its new relative path.
BARE_NAME_TUPLES = (("assistant/evaluate/run.py", "INDEX_MODULES"),)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def tracked(paths: Iterable[str]) -> list[str]:
    return [line for line in git("ls-files", "--", *paths).splitlines() if line]


# --- the module table --------------------------------------------------------------------------
def old_modules(files: Iterable[str]) -> dict[str, str]:
    """Every module and package under ``assistant/`` (dotted, without the prefix) -> its file."""
    found: dict[str, str] = {}
    for name in files:
        path = PurePosixPath(name)
        if path.suffix != ".py" or path.parts[0] != PKG:
            continue
        parts = list(path.with_suffix("").parts[1:])
        if parts[-1] == "__init__":
            parts.pop()
        if parts:
            found[".".join(parts)] = name
    return found


def mapped(module: str) -> str:
    """New name of dotted ``module`` (without prefix): its most specific table entry applied."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        head = ".".join(parts[:n])
        if head in MODULES:
            return ".".join([MODULES[head], *parts[n:]])
    return module


def depth(module: str, is_package: bool) -> int:
    """Folders between ``assistant/`` and the module's file."""
    return module.count(".") + (1 if is_package else 0)


def moves(files: list[str]) -> list[tuple[str, str]]:
    """(old path, new path) for every tracked file that moves, in path order."""
    result = []
    for name in sorted(files):
        path = PurePosixPath(name)
        if path.parts[0] != PKG or len(path.parts) < 2:
            continue
        inner = list(path.parts[1:])
        if path.suffix == ".py":
            stem = inner[:-1] if inner[-1] == "__init__.py" else [*inner[:-1], path.stem]
            if not stem:
                continue
            new = mapped(".".join(stem)).split(".")
            tail = ["__init__.py"] if inner[-1] == "__init__.py" else []
            new_parts = new + tail if tail else [*new[:-1], new[-1] + ".py"]
        else:  # a data file inside a moved package folder
            folder = mapped(".".join(inner[:-1])).split(".") if len(inner) > 1 else []
            new_parts = [*folder, inner[-1]] if folder else inner
        new_path = str(PurePosixPath(PKG, *new_parts))
        if new_path != name:
            result.append((name, new_path))
    return result


# --- rewriting ---------------------------------------------------------------------------------
def dotted_pattern(modules: Iterable[str]) -> re.Pattern[str]:
    names = sorted(modules, key=lambda m: (-len(m), m))
    alternation = "|".join(re.escape(m) for m in names)
    return re.compile(rf"(?<![\w.]){PKG}\.(?P<mod>{alternation})(?![\w])")


def path_pattern(paths: Iterable[str]) -> re.Pattern[str]:
    names = sorted(paths, key=lambda p: (-len(p), p))
    alternation = "|".join(re.escape(p) for p in names)
    return re.compile(rf"(?<![\w/.]){PKG}/(?P<path>{alternation})(?![\w])")


def old_paths(known: dict[str, str]) -> dict[str, str]:
    """Relative paths under ``assistant/`` (files ``x.py``, folders ``x/``) -> their new ones."""
    result: dict[str, str] = {}
    for module, name in known.items():
        new = mapped(module)
        if new == module:
            continue
        old_rel = str(PurePosixPath(name).relative_to(PKG))
        if old_rel.endswith("/__init__.py"):
            result[old_rel[: -len("__init__.py")]] = new.replace(".", "/") + "/"
            result[old_rel] = new.replace(".", "/") + "/__init__.py"
            result[old_rel[: -len("/__init__.py")]] = new.replace(".", "/")
        else:
            result[old_rel] = new.replace(".", "/") + ".py"
    return result


def import_from_replacement(node: ast.ImportFrom, known: dict[str, str], indent: str) -> str | None:
    """New text for ``from assistant... import ...`` if any name moves, else None."""
    assert node.module is not None
    base = node.module[len(PKG) + 1 :] if node.module != PKG else ""
    groups: dict[str, list[str]] = {}
    changed = False
    for alias in node.names:
        full = f"{base}.{alias.name}" if base else alias.name
        if full in known and alias.name != "*":  # a module imported by name
            new = mapped(full)
            parent, _, leaf = new.rpartition(".")
            local = alias.asname or alias.name
            text = leaf if local == leaf else f"{leaf} as {local}"
            changed |= new != full
        else:  # an attribute of the module
            parent = mapped(base) if base else ""
            text = alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
            changed |= parent != base
        groups.setdefault(parent, []).append(text)
    if not changed:
        return None
    lines = []
    for parent, names in groups.items():
        module = f"{PKG}.{parent}" if parent else PKG
        lines.append(f"from {module} import {', '.join(names)}")
    return ("\n" + indent).join(lines)


def line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def package_bound(tree: ast.Module) -> bool:
    """Whether the name ``assistant`` is the package here (``import assistant[.x]``)."""
    return any(
        isinstance(node, ast.Import)
        and any(a.asname is None and a.name.split(".")[0] == PKG for a in node.names)
        for node in ast.walk(tree)
    )


def attribute_chains(tree: ast.Module) -> list[ast.Attribute]:
    """Outermost ``assistant.x.y`` attribute chains rooted at the name ``assistant``."""
    inner: set[int] = set()
    chains: list[ast.Attribute] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            root: ast.expr = node
            while isinstance(root, ast.Attribute):
                inner.add(id(root.value))
                root = root.value
            if isinstance(root, ast.Name) and root.id == PKG:
                chains.append(node)
    return chains


def rewrite_python(text: str, known: dict[str, str], dotted: re.Pattern[str]) -> str:
    """Rewrite by what the text is: import statements regrouped; dotted names in strings,
    comments, ``import assistant.x`` and ``assistant.x.attr`` chains (only where ``assistant`` is
    the package, never a variable such as an ``Assistant`` instance)."""
    tree = ast.parse(text)
    offsets = line_offsets(text)

    def span(node: ast.AST) -> tuple[int, int]:
        start = offsets[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end = offsets[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
        return start, end

    spans: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == PKG or node.module.startswith(PKG + "."):
                start, end = span(node)
                indent = text[offsets[node.lineno - 1] : start]
                new = import_from_replacement(node, known, indent if not indent.strip() else "")
                if new is not None:
                    spans.append((start, end, new))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                start, end = span(alias)
                spans.append((start, end, rewrite_dotted(text[start:end], dotted)))
        elif isinstance(node, ast.Constant | ast.JoinedStr) and (
            isinstance(node, ast.JoinedStr) or isinstance(node.value, str)
        ):
            start, end = span(node)
            spans.append((start, end, rewrite_dotted(text[start:end], dotted)))
    if package_bound(tree):
        for chain in attribute_chains(tree):
            start, end = span(chain)
            spans.append((start, end, rewrite_dotted(text[start:end], dotted)))
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            start = offsets[tok.start[0] - 1] + tok.start[1]
            spans.append((start, start + len(tok.string), rewrite_dotted(tok.string, dotted)))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out, pos = [], 0
    for start, end, new in spans:
        if start < pos:  # inside a span already rewritten (a constant inside an f-string)
            continue
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def rewrite_dotted(text: str, dotted: re.Pattern[str]) -> str:
    return dotted.sub(lambda m: f"{PKG}.{mapped(m.group('mod'))}", text)


def rewrite_paths(text: str, paths: dict[str, str], pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: f"{PKG}/{paths[m.group('path')]}", text)


FILE_REF = re.compile(
    r"Path\(__file__\)(?P<resolve>\.resolve\(\))?\.(?:parent(?![\w\[])|parents\[(?P<n>\d+)\])"
)


def shift_file_refs(text: str, delta: int) -> str:
    """``Path(__file__).parent`` / ``.parents[n]`` of a module now ``delta`` folders deeper."""
    if delta == 0:
        return text

    def shifted(match: re.Match[str]) -> str:
        n = int(match.group("n") or 0) + delta
        return f"Path(__file__){match.group('resolve') or ''}.parents[{n}]"

    return FILE_REF.sub(shifted, text)


LIMIT = 100
SECTION = re.compile(r"^(?P<head>\s*# --- .*? )-{3,}$")


def text_rows(text: str) -> tuple[set[int], set[int]]:
    """0-based rows of docstrings (string statements) and of comment-only lines."""
    strings: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Constant):
            continue
        if isinstance(node.value.value, str) and node.end_lineno is not None:
            strings.update(range(node.lineno - 1, node.end_lineno))
    comments: set[int] = set()
    lines = text.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        row = tok.start[0]
        if tok.type == tokenize.COMMENT and lines[row - 1].lstrip().startswith("#"):
            comments.add(row - 1)
    return strings, comments


def comment_prefix(line: str) -> str:
    match = re.match(r"\s*#[:!]?\s?", line)
    return match.group(0) if match else ""


def leading(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


#: A line that starts its own item: a bullet, a numbered item, a field, a doctest.
ITEM = re.compile(r"(?:[-*]|\d+\.|:\w+|>>>)\s")


def reflow(text: str) -> str:
    """Wrap the docstring and comment lines the longer names pushed over :data:`LIMIT`: the
    overflow joins the next line of the same paragraph, or starts a line of its own."""
    strings, comments = text_rows(text)
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if len(line) <= LIMIT or (i not in strings and i not in comments) or "noqa" in line:
            i += 1
            continue
        if i in comments and (section := SECTION.match(line)):
            lines[i] = (section["head"] + "-" * LIMIT)[:LIMIT]
            continue
        indent = comment_prefix(line) if i in comments else leading(line)
        cut = line.rfind(" ", len(indent) + 1, LIMIT + 1)
        if cut <= len(indent):
            i += 1
            continue
        head, overflow = line[:cut].rstrip(), line[cut + 1 :]
        lines[i] = head
        j = i + 1
        nxt = lines[j] if j < len(lines) else ""
        if i in comments:
            same = j in comments and comment_prefix(nxt) == indent
            body = nxt[len(indent) :]
        else:
            same = j in strings and nxt.strip() not in ("", '"""') and '"""' not in overflow
            body = nxt.lstrip()
        if same and not ITEM.match(body):
            lines[j] = f"{indent if i in comments else leading(nxt)}{overflow} {body}"
        else:
            lines.insert(j, f"{indent}{overflow}")
            strings, comments = text_rows("\n".join(lines))
        i += 1
    return "\n".join(lines)


def rewrite_bare_names(text: str, name: str) -> str:
    """``NAME = ("loaders", "ingest", ...)``: each module name -> its new path below the package."""
    match = re.search(rf"^{name} = \((?P<body>[^)]*)\)", text, re.M)
    if match is None:
        print(f"restructure: warning: {name} not found; check BARE_NAME_TUPLES", file=sys.stderr)
        return text

    def moved(m: re.Match[str]) -> str:
        return '"' + mapped(m.group("m")).replace(".", "/") + '"'

    body = re.sub(r'"(?P<m>[\w.]+)"', moved, match["body"])
    return text[: match.start("body")] + body + text[match.end("body") :]


# --- the run -----------------------------------------------------------------------------------
def write_packages(new_files: Iterable[str]) -> list[str]:
    """``__init__.py`` for every new package folder (a docstring-only one is replaced)."""
    written = []
    folders = {str(PurePosixPath(f).parent) for f in new_files}
    for folder in sorted(folders):
        parts = PurePosixPath(folder).parts
        if len(parts) != 2 or parts[1] not in PACKAGE_DOCS:
            continue
        init = Path(folder, "__init__.py")
        if init.exists():
            tree = ast.parse(init.read_text())
            if len(tree.body) != 1 or ast.get_docstring(tree) is None:
                continue
        init.write_text(reflow(f'"""{PACKAGE_DOCS[parts[1]]}"""') + "\n")
        written.append(str(init))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="Print the moves only.")
    args = parser.parse_args()
    if not Path(PKG, "__init__.py").is_file():
        raise SystemExit("restructure: run from the repository root")
    if Path(PKG, "index").exists() or not Path(PKG, "retrieval.py").exists():
        raise SystemExit("restructure: the tree is already restructured")
    if git("status", "--porcelain", "--untracked-files=no").strip() and not args.dry_run:
        raise SystemExit("restructure: the tree has uncommitted changes")

    files = tracked([PKG])
    known = old_modules(files)
    for module in sorted(m for m in known if "." not in m and m not in KEEP | set(MODULES)):
        if module != "ui":  # a module added since the table was written stays where it is
            print(f"restructure: warning: assistant.{module} is not in MODULES", file=sys.stderr)
    planned = moves(files)
    for old, new in planned:
        print(f"{old} -> {new}")
    if args.dry_run:
        return

    scope = [f for f in tracked([*SCOPE, *SCOPE_FILES]) if Path(f).suffix in TEXT_SUFFIXES]
    scope = [f for f in scope if f != "tools/restructure.py"]
    moved_to = dict(planned)
    delta = {}
    for module, name in known.items():
        is_pkg = name.endswith("__init__.py")
        delta[name] = depth(mapped(module), is_pkg) - depth(module, is_pkg)

    for old, new in planned:
        Path(new).parent.mkdir(parents=True, exist_ok=True)
        git("mv", old, new)
    dotted = dotted_pattern(m for m in known if mapped(m) != m)
    paths = old_paths(known)
    path_re = path_pattern(paths)
    changed_py = []
    for name in scope:
        path = Path(moved_to.get(name, name))
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        new = rewrite_python(text, known, dotted) if path.suffix == ".py" else text
        if path.suffix != ".py":
            new = rewrite_dotted(new, dotted)
        new = rewrite_paths(new, paths, path_re)
        if path.suffix == ".py":
            new = reflow(shift_file_refs(new, delta.get(name, 0)))
        for target, tuple_name in BARE_NAME_TUPLES:
            if str(path) == target:
                new = rewrite_bare_names(new, tuple_name)
        if new != text:
            path.write_text(new, encoding="utf-8")
            if path.suffix == ".py":
                changed_py.append(str(path))
    created = write_packages(moved_to.values())
    if created:
        git("add", *created)
    tidy(sorted(set(changed_py) | set(created)))
    print(f"moved {len(planned)} files, rewrote {len(changed_py)} Python files")


def tidy(paths: list[str]) -> None:
    """Sort imports and format the rewritten files (their import lines changed length)."""
    if not paths:
        return
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--select", "I", "--fix", "--quiet", *paths], check=False)
    subprocess.run([*ruff, "format", "--quiet", *paths], check=True)


if __name__ == "__main__":
    main()
