"""Trainer logins: passwords kept only as salted argon2id hashes, and failed logins limited.

A users file holds one ``name:hash`` line per trainer, written by ``rbp-assistant add-trainer``.
Hashes are made and checked by argon2-cffi (argon2id, a random salt per password, its cost
parameters inside the hash). Plain-text passwords are refused with a message saying how to hash
them. :class:`LoginGuard` locks a user name, and separately a client address, for a while after
repeated failures, so guessing is slow even from many addresses or against many names.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: Every stored password must start like this (argon2id, as written by :func:`hash_password`).
HASH_PREFIX = "$argon2id$"
_HASHER = PasswordHasher()

HOW_TO_HASH = (
    "Passwords are kept only as hashes. Add each trainer with "
    "`rbp-assistant add-trainer NAME --users FILE` (it asks for the password and writes the "
    "hash), then set RBP_AUTH to that file."
)


class PlainPasswordError(ValueError):
    """A users file or RBP_AUTH holds a password that is not an argon2id hash."""


def hash_password(password: str) -> str:
    """A salted argon2id hash of ``password`` (the salt and costs are inside the string)."""
    if not password:
        raise ValueError("The password is empty.")
    return _HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    """Verified for unknown user names, so they cost the same time as known ones."""
    return _HASHER.hash("not the password of anyone")


def is_hash(value: str) -> bool:
    return value.startswith(HASH_PREFIX)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash; an unknown user (None) costs the same."""
    try:
        return _HASHER.verify(stored or _dummy_hash(), password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass
class _Failures:
    times: deque[float] = field(default_factory=deque)
    locked_until: float = 0.0


class LoginGuard:
    """Counts failed logins per user name and per client address.

    After ``max_failures`` failures within ``window_s`` seconds, that name (or address) is locked
    for ``lockout_s`` seconds: no password is checked for it until then, right or wrong.
    """

    def __init__(
        self,
        max_failures: int = 5,
        window_s: float = 900.0,
        lockout_s: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.lockout_s = lockout_s
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, _Failures] = {}

    def locked_for(self, user: str, address: str | None) -> float:
        """Seconds until this user name or address may try again (0 when it may now)."""
        now = self.clock()
        with self._lock:
            waits = [
                self._seen[k].locked_until - now
                for k in self._keys(user, address)
                if k in self._seen
            ]
        return max([0.0, *waits])

    def failed(self, user: str, address: str | None) -> None:
        """Record a failed attempt; lock the name or address once it has failed too often."""
        now = self.clock()
        with self._lock:
            for key in self._keys(user, address):
                entry = self._seen.setdefault(key, _Failures())
                entry.times.append(now)
                while entry.times and entry.times[0] < now - self.window_s:
                    entry.times.popleft()
                if len(entry.times) >= self.max_failures:
                    entry.locked_until = now + self.lockout_s
                    entry.times.clear()
            if len(self._seen) > 10_000:  # forget old entries rather than grow without bound
                self._forget_idle(now)

    def succeeded(self, user: str, address: str | None) -> None:
        """A correct login clears the user name's count (not the address's)."""
        with self._lock:
            self._seen.pop(f"user:{user.strip().lower()}", None)

    def _keys(self, user: str, address: str | None) -> list[str]:
        keys = [f"user:{(user or '').strip().lower()}"]
        return keys + ([f"addr:{address}"] if address else [])

    def _forget_idle(self, now: float) -> None:
        idle = [
            k
            for k, e in self._seen.items()
            if e.locked_until < now and (not e.times or e.times[-1] < now - self.window_s)
        ]
        for key in idle:
            del self._seen[key]
