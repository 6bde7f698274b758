"""What code and environment a result comes from: a digest of gan/'s sources (and of any
other files named), and the lock file this environment was installed from (`make setup`
copies it into the venv). One definition for the checkpoints' fingerprint, the Dask
workers' identity check and the stages' interpreter check."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(path: Path) -> str:
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def code(extra: Iterable[str | Path] = ()) -> str:
    """sha256 of every gan/*.py and of `extra`, each with its path: a change of any of
    them (or a renamed module) changes it."""
    digest = hashlib.sha256()
    paths = sorted(ROOT.joinpath("gan").rglob("*.py")) + sorted(Path(p) for p in extra)
    for path in paths:
        digest.update(_name(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def installed_lock() -> Path:
    """Where `make setup` put a copy of the lock this interpreter's packages came from."""
    return Path(sys.prefix) / "requirements.lock"


def lock_digest() -> str | None:
    """sha256 (16 hex digits) of the lock this environment was installed from, or None
    if it was not set up by `make setup`."""
    stamp = installed_lock()
    return hashlib.sha256(stamp.read_bytes()).hexdigest()[:16] if stamp.is_file() else None
