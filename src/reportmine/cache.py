"""A user cache of structures the package compiles from its own data (jieba's prefix dictionary with
the domain dictionary loaded, the lexicons' parsed tables), so a new process starts in a fraction of
the time that building them takes.

Each entry is keyed by the hash of everything it is built from (file contents, the package's
version of the builder): a changed lexicon is a new key, never a stale entry. Entries are written
with marshal (plain values only: str, int, tuple, list, dict; no pickle, nothing that runs code when
read), atomically (a parallel worker never reads half a file), and only ever read back by the code
that wrote their format; anything unreadable is rebuilt. The folder is $REPORTMINE_CACHE_DIR, else
$XDG_CACHE_HOME/reportmine/compiled, else ~/.cache/reportmine/compiled; REPORTMINE_CACHE_DIR=off
turns the cache off. A folder that cannot be written costs each start-up the build, nothing more.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Iterable, Optional


KEEP = 8  # entries kept per name: a few lexicon folders in turn do not rebuild each other's


def cache_dir() -> Optional[Path]:
    configured = os.environ.get("REPORTMINE_CACHE_DIR")
    if configured:
        return None if configured.lower() == "off" else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reportmine" / "compiled"


def content_key(parts: Iterable) -> str:
    """A hash of bytes and strings, in order (each length-prefixed, so parts cannot run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def _path(name: str, key: str) -> Optional[Path]:
    folder = cache_dir()
    return None if folder is None else folder / f"{name}-{key}.marshal"


def load(name: str, key: str):
    """The value stored under name and key, or None (absent, unreadable, or the cache off)."""
    path = _path(name, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read()  # one read: marshal.load on a file object reads item by item
        return marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store(name: str, key: str, value) -> None:
    """Write value under name and key; of name's entries under other keys (lexicons since
    edited), the newest KEEP stay."""
    path = _path(name, key)
    if path is None:
        return
    try:
        data = marshal.dumps(value)
    except ValueError:
        return  # a value marshal cannot hold: nothing is stored
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with open(partial, "wb") as out:
            out.write(data)
        os.replace(partial, path)  # atomic
        others = sorted((p for p in path.parent.glob(f"{name}-*.marshal") if p != path),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP - 1:]:
            old.unlink()
    except (OSError, ValueError):
        pass  # a read-only or full disk only costs the next start-up the build
