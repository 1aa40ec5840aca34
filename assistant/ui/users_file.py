"""The trainers' users file: one ``name:argon2id-hash`` line per trainer, readable only by its
owner. Written by ``rbp-assistant add-trainer``; read by :func:`assistant.ui.trainer.parse_auth`."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from assistant.settings import Settings
from assistant.ui.logins import hash_password

_NAME = re.compile(r"^[^\s:#][^:]{0,63}$")


def default_users_file(settings: Settings) -> Path:
    """RBP_AUTH's file when it names one, else ``trainers.txt`` in the data dir."""
    if settings.auth and ":" not in settings.auth:
        return Path(settings.auth).expanduser()
    return settings.data_dir / "trainers.txt"


def write_trainer(path: Path, name: str, password: str) -> None:
    """Add ``name`` with a hash of ``password`` to ``path`` (replacing an earlier line for the
    same name), atomically and with owner-only permissions."""
    name = name.strip()
    if not _NAME.match(name):
        raise ValueError("A user name needs 1-64 characters, without ':' or spaces at the start.")
    if len(password) < 8:
        raise ValueError("Choose a password of at least 8 characters.")
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [ln for ln in lines if ln.partition(":")[0].strip() != name]
    if not kept:
        kept = ["# rbp-assistant trainers: name:argon2id hash (rbp-assistant add-trainer)"]
    kept.append(f"{name}:{hash_password(password)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(kept) + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
