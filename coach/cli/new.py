"""`coach new ID`: write an annotated starter scenario an author can grow into their own."""

from __future__ import annotations

import argparse
import os
import re
from importlib.resources import files
from pathlib import Path

from coach.errors import CoachError, Problem
from coach.scenario.schema import ID_PATTERN
from coach.scenario.sources import user_folder

TEMPLATE = "starter.yaml"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "new", parents=[common], help="write a starter scenario to edit",
        description="Write an annotated starter scenario (it validates, its tests pass, it plays) "
                    "to the user scenario folder, or to --out. Never overwrites a file.")
    parser.add_argument("scenario", metavar="ID", help="the new scenario's id (lower-case, digits, - _ .)")
    parser.add_argument("--out", metavar="PATH", help="file to write, or a folder to write ID.yaml in")
    parser.add_argument("--title", help="title (default: from the id)")
    parser.set_defaults(run=run)


def starter_text(scenario_id: str, title: str | None = None) -> str:
    """The starter scenario with its id and title filled in."""
    if not re.match(ID_PATTERN, scenario_id):
        raise CoachError(f"{scenario_id!r} is not a valid id: use lower-case letters, digits, '-', '_' and '.'")
    title = title or scenario_id.replace("-", " ").replace("_", " ").capitalize()
    text = files("coach.authoring").joinpath("templates", TEMPLATE).read_text(encoding="utf-8")
    return text.replace("__ID__", scenario_id).replace("__TITLE__", title.replace("\n", " "))


def target_path(scenario_id: str, out: str | None) -> Path:
    if out is None:
        return user_folder() / f"{scenario_id}.yaml"
    path = Path(out)
    folder = path.is_dir() or out.endswith(("/", os.sep)) or path.suffix not in (".yaml", ".yml")
    return path / f"{scenario_id}.yaml" if folder else path


def run(args: argparse.Namespace) -> int:
    text = starter_text(args.scenario, args.title)
    path = target_path(args.scenario, args.out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # "x": refuse to overwrite
            handle.write(text)
    except FileExistsError:
        raise CoachError(Problem("already exists: not overwriting it (choose another --out or id)", path)) from None
    except OSError as exc:
        raise CoachError(Problem(f"cannot write file: {exc.strerror or exc}", path)) from None
    print(f"wrote {path}")
    print(f"next: coach validate {path}  ·  coach test {path}  ·  coach graph {args.scenario}"
          f"{'' if args.out is None else f' --scenarios {path}'}")
    return 0
