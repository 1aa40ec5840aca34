"""Which files an ingest reads: the given files, and every file under the given folders except
hidden ones, those a folder's ``.rbpignore`` lists, and links that lead out of the folder."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

#: Name of the optional file in a corpus folder listing glob patterns to leave out.
IGNORE_FILE = ".rbpignore"


def _ignore_patterns(root: Path) -> list[str]:
    ignore = root / IGNORE_FILE
    if not ignore.is_file():
        return []
    lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def _ignored(rel: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern.endswith("/"):
            if rel.startswith(pattern) or f"/{pattern}" in f"/{rel}":
                return True
        elif fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pattern):
            return True
    return False


def discover(
    paths: Iterable[Path], refused: list[tuple[str, str]] | None = None
) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """``(root, file)`` pairs to ingest, plus the folders scanned (for removals).

    Hidden files and anything matched by a folder's ``.rbpignore`` are left out. Inside a folder,
    a link (symlink or junction) is never followed out of it: such files, and links to folders,
    are left out and listed in ``refused`` as ``(source, reason)``. A link to a file inside the
    same folder is followed.
    """
    found: list[tuple[Path, Path]] = []
    folders: list[Path] = []
    for given in paths:
        path = given.resolve()
        if path.is_dir():
            folders.append(path)
            patterns = _ignore_patterns(path)
            for file, reason in _walk(path):
                rel = file.relative_to(path).as_posix()
                if any(part.startswith(".") for part in rel.split("/")) or _ignored(rel, patterns):
                    continue
                if reason:
                    if refused is not None:
                        refused.append((rel, reason))
                else:
                    found.append((path, file))
        elif path.is_file():
            found.append((path.parent, path))
        else:
            raise FileNotFoundError(f"No such file or folder: {given}")
    return found, folders


#: Why a link in a course folder is left out (shown to the trainer, one line each).
LINK_OUTSIDE = (
    "refused: this is a link to a file outside the course folder; copy the file into the "
    "folder instead"
)
LINK_FOLDER = (
    "refused: this is a link to another folder, which is not followed; copy the files into the "
    "course folder instead"
)


def _walk(root: Path) -> Iterable[tuple[Path, str]]:
    """Every file under ``root`` in name order, with a reason to refuse it ('' when fine).

    Links to folders are never descended; any file whose real location (links and junctions
    resolved) is outside ``root`` is refused.
    """
    entries: list[tuple[Path, str]] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in list(dirs):
            if (base / name).is_symlink() or outside(base / name, root):
                dirs.remove(name)
                entries.append((base / name, LINK_FOLDER))
        for name in names:
            file = base / name
            if outside(file, root):
                entries.append((file, LINK_OUTSIDE))
            elif file.is_file():
                entries.append((file, ""))
    return sorted(entries, key=lambda e: e[0].relative_to(root).as_posix())


def outside(path: Path, root: Path) -> bool:
    """Whether ``path``'s real location (links resolved) is outside ``root``."""
    try:
        return not path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop or an unreadable link
        return True
