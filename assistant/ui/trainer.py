"""The trainer tab's logic: who may upload, and putting uploaded documents safely into the corpus
(and taking them out again).

Uploads land in ``<corpus>/uploads/`` under a cleaned file name (letters, digits, ``. _ -`` and
spaces; no folders, no hidden files), only for the kinds the loaders read, within the size limit,
and only if the first bytes match the kind (a PDF starts with ``%PDF-``, PPTX/DOCX are zip files).
A removed upload is moved to ``<data dir>/removed/``, never deleted, so a slip can be undone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assistant.ui.logins import HOW_TO_HASH, PlainPasswordError, is_hash, verify_password

UPLOAD_KINDS = {".pdf": b"%PDF-", ".pptx": b"PK\x03\x04", ".docx": b"PK\x03\x04", ".md": b""}
UPLOAD_FOLDER = "uploads"
#: Where removed uploads are kept, under the data dir.
REMOVED_FOLDER = "removed"
_UNSAFE = re.compile(r"[^A-Za-z0-9._ \-]+")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class UploadError(ValueError):
    """An upload that cannot be accepted, with a message for the trainer."""


# --- who may upload ------------------------------------------------------------------------------
def parse_auth(value: str | None) -> dict[str, str]:
    """Trainers from ``settings.auth``: ``'name:hash'`` or a users file of such lines.

    Every password must be an argon2id hash (see :mod:`assistant.ui.logins`); a plain-text one
    is refused with :class:`~assistant.ui.logins.PlainPasswordError`, saying how to hash it.
    """
    if not value:
        return {}
    path = Path(value).expanduser()
    from_file = path.is_file()
    lines = path.read_text(encoding="utf-8").splitlines() if from_file else [value]
    where = f"the users file {path}" if from_file else "RBP_AUTH"
    users: dict[str, str] = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, stored = line.partition(":")
        if not sep or not user.strip() or not stored:
            raise ValueError(
                f"{where} must hold 'name:hash' lines (one per trainer). {HOW_TO_HASH}"
            )
        if not is_hash(stored.strip()):
            raise PlainPasswordError(
                f"The password for '{user.strip()}' in {where} is plain text, which is refused. "
                + HOW_TO_HASH
            )
        users[user.strip()] = stored.strip()
    return users


def check_login(users: dict[str, str], user: str, password: str) -> bool:
    """Check a user name and password against the stored hashes (unknown names cost the same)."""
    return verify_password(users.get((user or "").strip()), password)


@dataclass(frozen=True)
class TrainerAccess:
    """Whether the trainer tab is shown, and whether it needs a login."""

    enabled: bool
    needs_login: bool
    reason: str = ""


def trainer_access(users: dict[str, str], host: str) -> TrainerAccess:
    """With users configured the tab needs a login. Without, it is open only on this computer
    (a loopback host); on a shared network it is switched off rather than left open."""
    if users:
        return TrainerAccess(enabled=True, needs_login=True)
    if host in _LOOPBACK:
        return TrainerAccess(enabled=True, needs_login=False)
    return TrainerAccess(
        enabled=False,
        needs_login=False,
        reason="Uploads are off: the chat is open to the network and RBP_AUTH is not set.",
    )


# --- saving uploads ------------------------------------------------------------------------------
def safe_filename(name: str) -> str:
    """A file name that cannot leave the upload folder; raises :class:`UploadError` if unusable."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name or ""))[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = "." + ext.lower() if ext else ""
    if ext not in UPLOAD_KINDS:
        kinds = ", ".join(k.lstrip(".").upper() for k in UPLOAD_KINDS)
        raise UploadError(f"'{base}' is not a document the assistant can read ({kinds}).")
    stem = _UNSAFE.sub("_", stem)
    stem = re.sub(r"_+", "_", stem).strip(" ._-")[:100]
    if not stem:
        stem = "document"
    return stem + ext


def _check_content(path: Path, ext: str) -> None:
    with path.open("rb") as fh:
        head = fh.read(8)
    magic = UPLOAD_KINDS[ext]
    if magic and not head.startswith(magic):
        raise UploadError(f"This file does not look like a real {ext.lstrip('.').upper()} file.")
    if ext == ".md":
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise UploadError("Markdown files must be plain UTF-8 text.") from exc


def save_upload(src: Path, original_name: str, corpus_dir: Path, max_mb: float) -> Path:
    """Copy an uploaded file into ``<corpus_dir>/uploads/`` and return where it went."""
    name = safe_filename(original_name)
    size = src.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise UploadError(f"'{name}' is {size / 1024 / 1024:.1f} MB; the limit is {max_mb:g} MB.")
    if size == 0:
        raise UploadError(f"'{name}' is empty.")
    _check_content(src, Path(name).suffix)
    folder = (corpus_dir / UPLOAD_FOLDER).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    dest = (folder / name).resolve()
    if dest.parent != folder:  # belt and braces: safe_filename already removed separators
        raise UploadError("That file name is not allowed.")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


# --- removing uploads ----------------------------------------------------------------------------
def uploaded_files(corpus_dir: Path) -> list[str]:
    """Names of the documents in ``<corpus_dir>/uploads/`` that a trainer can remove."""
    folder = corpus_dir / UPLOAD_FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in UPLOAD_KINDS
    )


def remove_upload(name: str, corpus_dir: Path, data_dir: Path) -> Path:
    """Move the uploaded document ``name`` out of the corpus into ``<data_dir>/removed/`` (under a
    time-stamped name) and return where it went; raises :class:`UploadError` if there is none."""
    if not name or name not in uploaded_files(corpus_dir):
        raise UploadError(f"There is no added document called '{name}'.")
    kept = data_dir / REMOVED_FOLDER
    kept.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    dest = kept / f"{stamp}-{name}"
    n = 1
    while dest.exists():
        n += 1
        dest = kept / f"{stamp}-{n}-{name}"
    shutil.move(str(corpus_dir / UPLOAD_FOLDER / name), dest)
    return dest
