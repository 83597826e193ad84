"""Where scenario folders come from: bundled, the user's data folder, the environment, options.

Kept apart from loading so front ends can show authors exactly which folders are read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

ENV_SCENARIOS = "COACH_SCENARIOS"
"""Extra scenario folders or files, separated like PATH."""


def bundled_folder() -> Path:
    """The scenarios shipped with coach: inside the package when installed from a wheel,
    beside it in a source checkout or an editable install."""
    package = Path(__file__).resolve().parent.parent  # the coach package
    inside = package / "bundled_scenarios"
    return inside if inside.is_dir() else package.parent / "scenarios"


def user_folder() -> Path:
    """The platform's user data folder for scenarios an author adds (it may not exist)."""
    from platformdirs import user_data_path

    return user_data_path("coach", appauthor=False) / "scenarios"


def scenario_paths(extra: Iterable[str | Path] = (), *, include_defaults: bool = True) -> list[Path]:
    """Every folder or file to read, in order, without repeats: bundled, user, env, extra."""
    paths: list[Path] = []
    if include_defaults:
        paths.append(bundled_folder())
        user = user_folder()
        if user.is_dir():
            paths.append(user)
    paths.extend(Path(p) for p in os.environ.get(ENV_SCENARIOS, "").split(os.pathsep) if p)
    paths.extend(Path(p) for p in extra)
    unique: list[Path] = []
    for path in paths:
        if path.resolve() not in {seen.resolve() for seen in unique}:
            unique.append(path)
    return unique


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files in `paths` (folders are searched recursively), sorted per folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            files.append(path)
    return files
