"""Writing files users ask for (exports, reports): safe names, atomic writes, inside a folder.

Every export path goes through here, so whatever an id or a name contains, a file is never
written outside the folder the user chose, and a reader never sees half a file.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from coach.errors import CoachError, Problem

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_stem(text: str) -> str:
    """A file name stem made from `text` that cannot leave its folder or hide itself."""
    return _UNSAFE.sub("_", text).strip("._")[:80] or "session"


def safe_name(stem: str, suffix: str) -> str:
    return f"{safe_stem(stem)}.{suffix}"


def write_atomic(folder: Path, name: str, text: str) -> Path:
    """Write `text` to `folder/name` (temporary file, then rename); refuse any path that
    resolves outside `folder`. Returns the path written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CoachError(Problem(f"cannot create the folder: {exc.strerror or exc}", folder)) from None
    root = folder.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise CoachError(Problem(f"refusing to write {name!r} outside the chosen folder", folder))
    descriptor, temporary = tempfile.mkstemp(dir=root, prefix=".coach-", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; an export is an ordinary file
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_new(folder: Path, stem: str, suffix: str, text: str) -> Path:
    """Write `text` as `folder/stem.suffix`, or `stem-2.suffix`... if that exists: never overwrite."""
    folder = Path(folder)
    candidate, number = stem, 1
    while (folder / f"{candidate}.{suffix}").exists():
        number += 1
        candidate = f"{stem}-{number}"
    return write_atomic(folder, f"{candidate}.{suffix}", text)
