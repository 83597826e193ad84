"""A cache of the checked scenario files, so the app and `coach list` start without parsing YAML.

Reading, budget- and schema-checking ~160 KB of scenarios costs ~60 ms (with the YAML
import); reading the cached documents back costs a few ms. The cache holds data only (JSON:
each checked file's data with the line and column of every value, and the problems of the
files that failed), never code: whoever can write to the cache folder can at most change
what a scenario says, as they could by writing a scenario file, and even that is refused
unless the entry belongs to this user and only this user can write it. Models are rebuilt
from the documents on every load (`coach.scenario.loader.build_catalog`), so cross-file
checks still run. This module sits above the loader (an import-linter contract holds it):
`load_default_catalog`, what the front ends call, is here. The key covers everything the entry depends on: every scenario file's
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
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from coach import __version__
from coach.errors import Problem
from coach.scenario import loader
from coach.scenario.sources import scenario_paths, yaml_files
from coach.scenario.yamlsource import Document, Where

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


def load_default_catalog(extra: Iterable[str | Path] = (), *, include_defaults: bool = True) -> loader.Catalog:
    """The catalog of every folder coach reads (see `coach.scenario.sources`), cached between runs."""
    return load_catalog_cached(scenario_paths(extra, include_defaults=include_defaults))


def load_catalog_cached(paths: Sequence[Path]) -> loader.Catalog:
    """`coach.scenario.loader.load_catalog(paths)`, from the cache when nothing has changed."""
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


class Positions(MutableMapping[Where, tuple[int, int]]):
    """A document's positions as the cache stores them (rows of `[*where, line, column]`),
    made a table only when first looked up: a catalog without problems never looks, and
    building the ~11,000 entries of the bundled files cost as much as reading the JSON.
    A row that is not `[*where, line, column]` (an entry edited by hand) is left out."""

    __slots__ = ("_rows", "_table")

    def __init__(self, rows: list[Any]) -> None:
        if not isinstance(rows, list):
            raise TypeError("positions should be a list of rows")
        self._rows: list[Any] | None = rows
        self._table: dict[Where, tuple[int, int]] = {}

    def _built(self) -> dict[Where, tuple[int, int]]:
        if self._rows is not None:
            rows, self._rows = self._rows, None
            for row in rows:
                if isinstance(row, list) and len(row) >= 2 and type(row[-2]) is int and type(row[-1]) is int:
                    self._table[tuple(row[:-2])] = (row[-2], row[-1])
        return self._table

    def __getitem__(self, where: Where) -> tuple[int, int]:
        return self._built()[where]

    def __setitem__(self, where: Where, at: tuple[int, int]) -> None:
        self._built()[where] = at

    def __delitem__(self, where: Where) -> None:
        del self._built()[where]

    def __contains__(self, where: object) -> bool:
        return where in self._built()

    def __iter__(self) -> Iterator[Where]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


def _trusted(entry: Path) -> bool:
    """Whether `entry` is a regular file of this user's that no one else may write."""
    status = entry.lstat()
    owner_ok = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return stat.S_ISREG(status.st_mode) and owner_ok and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(entry: Path, files: Sequence[Path]) -> tuple[list[Path], list[Document], list[Problem]] | None:
    """The files, documents and problems stored in `entry`, or None if it is missing or unusable."""
    try:
        if not _trusted(entry):
            return None
        with entry.open("rb") as stream:
            data = json.load(stream)
        if data.get("format") != FORMAT or data["files"] != [str(path) for path in files]:
            return None
        documents = [Document(Path(d["path"]), d["data"], Positions(d["values"]), Positions(d["keys"]))
                     for d in data["documents"]]
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
