"""A cache of the checked scenario files, so the app and `coach list` start without parsing YAML.

Reading, budget- and schema-checking ~160 KB of scenarios costs ~60 ms (with the YAML
import); reading the cached documents back costs a few ms. The cache holds data only (JSON:
each checked file's data with the line and column of every value, and the problems of the
files that failed), never code: whoever can write to the cache folder can at most change
what a scenario says, as they could by writing a scenario file, and even that is refused
unless the entry belongs to this user and only this user can write it. Models are rebuilt
from the documents on every load (`coach.scenario.loader.build_catalog`), so cross-file
checks still run. The key covers everything the entry depends on: every scenario file's
path, size and modification time, and coach's own version and reading code. Any change gives
a new key, so a stale entry is never served; a broken, foreign or unreadable one is ignored
and rewritten. Set COACH_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__
from coach.errors import Problem

if TYPE_CHECKING:
    from coach.scenario.loader import Catalog

ENV_NO_CACHE = "COACH_NO_CACHE"
_PACKAGE = Path(__file__).resolve().parent
KEEP = 4  # cache entries kept per folder (different checkouts or versions)
SUFFIX = ".json"
FORMAT = "coach-catalog-cache/1"


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


def load_catalog_cached(paths: Sequence[Path]) -> Catalog:
    """`coach.scenario.loader.load_catalog(paths)`, from the cache when nothing has changed."""
    from coach.scenario import loader
    from coach.scenario.sources import yaml_files

    if os.environ.get(ENV_NO_CACHE):
        return loader.load_catalog(paths)
    files = yaml_files(paths)
    folder = cache_folder()
    entry = folder / f"{cache_key(files)}{SUFFIX}"
    cached = _load(entry, files)
    if cached is not None:
        try:
            return loader.build_catalog(*cached)
        except Exception:  # an entry that does not describe checked documents: read the files
            pass
    files, documents, problems = loader.read_documents(paths)
    _store(folder, entry, files, documents, problems)
    return loader.build_catalog(files, documents, problems)


def _trusted(entry: Path) -> bool:
    """Whether `entry` is a regular file of this user's that no one else may write."""
    status = entry.lstat()
    owner_ok = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return stat.S_ISREG(status.st_mode) and owner_ok and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(entry: Path, files: Sequence[Path]) -> tuple[list[Path], list[Any], list[Problem]] | None:
    """The files, documents and problems stored in `entry`, or None if it is missing or unusable."""
    from coach.scenario.yamlsource import Document

    try:
        if not _trusted(entry):
            return None
        with entry.open("rb") as stream:
            data = json.load(stream)
        if data.get("format") != FORMAT or data["files"] != [str(path) for path in files]:
            return None
        documents = [
            Document(Path(d["path"]), d["data"], {tuple(w[:-2]): (w[-2], w[-1]) for w in d["values"]},
                     {tuple(w[:-2]): (w[-2], w[-1]) for w in d["keys"]})
            for d in data["documents"]
        ]
        problems = [Problem(p["message"], Path(p["file"]) if p["file"] else None, p["line"], p["column"],
                            p["severity"]) for p in data["problems"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # missing, truncated, or from another version: rebuild it
    return list(files), documents, problems


def _encode(documents: Sequence[Any], files: Sequence[Path], problems: Sequence[Problem]) -> str:
    return json.dumps({
        "format": FORMAT,
        "files": [str(path) for path in files],
        "documents": [{"path": str(d.path), "data": d.data,
                       "values": [[*where, *at] for where, at in d.values.items()],
                       "keys": [[*where, *at] for where, at in d.keys.items()]} for d in documents],
        "problems": [problem.to_dict() for problem in problems],
    }, allow_nan=False, separators=(",", ":"))  # ASCII: a lone surrogate in a text is escaped


def _store(folder: Path, entry: Path, files: Sequence[Path], documents: Sequence[Any],
           problems: Sequence[Problem]) -> None:
    """Write atomically (readable and writable by this user only), keep the newest few entries;
    never fail the caller."""
    try:
        text = _encode(documents, files, problems)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")  # mode 0600
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(text)
        os.replace(temporary, entry)
        entries = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [*entries[KEEP:], *folder.glob("*.pickle")]:  # and any pickle an older coach left
            old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError, RecursionError):  # e.g. a date in a document: not cached
        pass
