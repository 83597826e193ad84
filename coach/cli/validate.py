"""`coach validate`: every problem of the scenario files, one line each, for authors and CI."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from coach.cli.common import add_jobs, print_json
from coach.safetext import one_line

if TYPE_CHECKING:
    from coach.errors import Problem


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "validate", parents=[common], help="check scenario files for errors and warnings",
        description="Check scenario, marker library and briefing files: the schema, references, and "
                    "the shape of each conversation. With no PATH, every folder coach reads. "
                    "Exit 0 when there are no errors, 1 when there are.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="count warnings as errors")
    add_jobs(parser)
    parser.set_defaults(run=run)


def validate(paths: list[str], extra: list[str], *, strict: bool = False, jobs: int = 1) -> tuple[list[Problem], int]:
    """The problems of the files in `paths` (loader and lint), and how many files were read."""
    from coach.authoring.checks import streamed_problems  # the matcher and engine load only when needed

    problems, files = streamed_problems(paths, extra, jobs)  # one scenario file at a time: flat memory
    if strict:
        problems = [replace(p, severity="error") for p in problems]
    problems.sort(key=lambda p: (str(p.file), p.line or 0, p.column or 0))
    return problems, files


def run(args: argparse.Namespace) -> int:
    problems, files = validate(args.paths, args.scenarios, strict=args.strict, jobs=args.jobs)
    errors = sum(p.is_error for p in problems)
    if args.format == "json":
        print_json({"files": files, "errors": errors, "warnings": len(problems) - errors,
                    "problems": [p.to_dict() for p in problems]})
    else:
        for problem in problems:
            print(one_line(str(problem)))
        print(f"{files} file(s) checked: {errors} error(s), {len(problems) - errors} warning(s)")
    return 1 if errors else 0
