"""The built knowledge kept on disk, so a start does not rebuild the matching index.

A cache file holds one pickled `Knowledge` and is named by a key: a SHA-256 of the content
(every file of the intents and corpus folders, path and bytes), of the code that builds it
(privbot's `core` and `content` sources, the Python version and the libraries whose output
it stores) and of the build's parameters, after a shorter hash of the folders' paths and the
parameters alone (where the content lives). A change to either gives another key, so the
knowledge is rebuilt and written under it; the older files of the same place are then
removed, and only those: instances of different content sharing the folder keep theirs.

Several instances may share the folder: a file is written to a temporary name and renamed
(`os.replace`), so a reader sees a whole file or none. A file that cannot be read (truncated,
corrupt, from another version of a library) is ignored and rebuilt. Pickle runs code when
loaded, so only a file owned by this user and writable by nobody else, in a folder that is
likewise private, is read; the folder is created with mode 0700.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from privbot.content.knowledge import Knowledge

log = logging.getLogger(__name__)

_PREFIX = "knowledge-"
_SUFFIX = ".pickle"
_PROTOCOL = 4
_FORMAT = b"privbot-knowledge-2\n"
_PLACE = 12  # hex digits of a key naming where its content lives (`cache_key`)
# Libraries whose output the pickled knowledge holds (stems, parsed text).
_LIBRARIES = ("snowballstemmer", "yaml", "bs4")


def cache_key(folders: Iterable[Path], parameters: str) -> str:
    """The key of a knowledge built from `folders` with `parameters`, by this code: where
    (`_PLACE` hex digits of the folders and parameters), a dash, then what (SHA-256)."""
    folders = list(folders)
    place = hashlib.sha256(parameters.encode())
    digest = hashlib.sha256(_code_version().encode())
    digest.update(parameters.encode())
    for folder in folders:
        place.update(b"\0folder\0" + str(folder).encode())
        digest.update(b"\0folder\0" + str(folder).encode())
        for path in _files(folder):
            digest.update(b"\0" + str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes())
    return f"{place.hexdigest()[:_PLACE]}-{digest.hexdigest()}"


def cached_knowledge(
    cache_dir: Path | None,
    key: str,
    build: Callable[[], Knowledge],
) -> tuple[Knowledge, bool]:
    """The knowledge of `key` from `cache_dir`, else built and stored there.

    Returns (knowledge, True when it came from the cache). Without a folder, or when the
    folder cannot be used, the knowledge is built and nothing is written.
    """
    if cache_dir is None:
        return build(), False
    path = cache_dir / f"{_PREFIX}{key[: _PLACE + 41]}{_SUFFIX}"
    loaded = _read(path, key)
    if loaded is not None:
        return loaded, True
    knowledge = build()
    _write(cache_dir, path, key, knowledge)
    return knowledge, False


def _read(path: Path, key: str) -> Knowledge | None:
    try:
        with open(path, "rb") as f:
            if not _private(os.fstat(f.fileno())) or not _private(path.parent.stat()):
                log.warning("knowledge cache: %s is not private to this user, ignored", path)
                return None
            if f.readline() != _FORMAT or f.readline().decode().strip() != key:
                return None
            knowledge = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a corrupt or foreign file: rebuilt
        log.warning("knowledge cache: %s unreadable (%s), rebuilding", path, type(exc).__name__)
        return None
    return knowledge if isinstance(knowledge, Knowledge) else None


def _write(cache_dir: Path, path: Path, key: str, knowledge: Knowledge) -> None:
    try:
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{_PREFIX}", suffix=".tmp", dir=cache_dir)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_FORMAT + key.encode() + b"\n")
                # Protocol 4, not 5: 5 gave each of the index's arrays (numpy's then) a
                # buffer of its own on load, 4 MB more resident for the same index.
                pickle.dump(knowledge, f, protocol=_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("knowledge cache: cannot write in %s (%s)", cache_dir, type(exc).__name__)
        return
    for old in cache_dir.glob(f"{_PREFIX}*{_SUFFIX}"):
        name = old.name[len(_PREFIX) :]
        if old != path and (name.startswith(f"{key[:_PLACE]}-") or "-" not in name):
            old.unlink(missing_ok=True)  # older, of this place (or named before places were)


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    owner = getattr(os, "getuid", lambda: st.st_uid)()
    return st.st_uid == owner and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


@functools.cache
def _code_version() -> str:
    """privbot's knowledge-building sources, the Python version and the libraries' files."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(sys.version.encode())
    for sub in ("core", "content"):
        for path in sorted((package / sub).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            st = os.stat(spec.origin)  # an upgrade rewrites the package's files
            digest.update(f"{name}:{spec.origin}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()
