"""A cache of the loaded catalog, so the app and `coach list` start without parsing YAML.

Reading, checking and building ~160 KB of scenarios costs ~60 ms (with the YAML import);
unpickling the result costs ~4 ms. The cache key covers everything the result depends on:
every scenario file's path, size and modification time, and coach's own version and core
source files. Any change gives a new key, so a stale catalog is never served. The cache
lives in the user's cache folder; a broken or unreadable entry is ignored and rewritten.
Set COACH_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from coach import __version__

ENV_NO_CACHE = "COACH_NO_CACHE"
_PACKAGE = Path(__file__).resolve().parent
KEEP = 4  # cache entries kept per folder (different checkouts or versions)


def cache_folder() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("coach", appauthor=False) / "catalog"


def _stamp(path: Path) -> str:
    try:
        status = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{status.st_size}:{status.st_mtime_ns}"


def cache_key(files: Sequence[Path]) -> str:
    """A digest of the inputs: the files, and the code that turns them into a catalog."""
    code = sorted(_PACKAGE.glob("*.py"))
    parts = [__version__, sys.version, *map(_stamp, code), "--", *map(_stamp, files)]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def load_catalog_cached(paths: Sequence[Path]):
    """`coach.scenario.loader.load_catalog(paths)`, from the cache when nothing has changed."""
    from coach.scenario.sources import yaml_files

    if os.environ.get(ENV_NO_CACHE):
        from coach.scenario.loader import load_catalog

        return load_catalog(paths)
    folder = cache_folder()
    entry = folder / f"{cache_key(yaml_files(paths))}.pickle"
    try:
        with entry.open("rb") as stream:
            return pickle.load(stream)
    except Exception:  # missing, truncated, or from another version: rebuild it
        pass
    from coach.scenario.loader import load_catalog

    catalog = load_catalog(paths)
    _store(folder, entry, catalog)
    return catalog


def _store(folder: Path, entry: Path, catalog: object) -> None:
    """Write atomically, keep the newest few entries; never fail the caller."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(catalog, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, RecursionError):
        pass
