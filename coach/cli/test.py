"""`coach test`: run the examples and playthroughs written in scenario files, like a test runner."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from coach.cli.common import add_jobs, print_json
from coach.safetext import for_terminal, one_line

if TYPE_CHECKING:
    from coach.authoring.checks import TestRun


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "test", parents=[common], help="run the markers' examples and the scenarios' playthroughs",
        description="Run every marker example and every playthrough in the files (with no PATH, every "
                    "folder coach reads). Exit 1 if any fails.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to test")
    parser.add_argument("--coverage", action="store_true",
                        help="also list the beats and transitions no playthrough visits")
    parser.add_argument("-v", "--verbose", action="store_true", help="list passing checks too")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_jobs(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.authoring.checks import tested_files  # the matcher and engine load only when needed

    result, broken = tested_files(args.paths, args.scenarios, args.jobs)
    if args.json:
        print_json({"checks": [c.to_dict() for c in result.checks],
                    "coverage": [c.to_dict() for c in result.coverage] if args.coverage else None,
                    "broken": [p.to_dict() for p in broken],
                    "passed": len(result.checks) - len(result.failed), "failed": len(result.failed)})
    else:
        _print(result, broken, verbose=args.verbose, coverage=args.coverage)
    return 1 if result.failed or broken else 0


def _print(result: TestRun, broken: list, *, verbose: bool, coverage: bool) -> None:
    for problem in broken:
        print(f"BROKEN {one_line(str(problem))}")
    for check in result.checks:
        if check.passed:
            if verbose:
                print(f"ok     {check.owner}: {one_line(check.name)}")
            continue
        print(f"FAIL   {check.owner}: {one_line(check.name)}")
        if check.where:
            print(f"       at {check.where}")
        for line in check.detail.splitlines():
            print(f"       {for_terminal(line)}")
    if coverage:
        for cover in result.coverage:
            if not cover.states and not cover.transitions:
                print(f"coverage {cover.scenario}: every beat and transition visited")
                continue
            print(f"coverage {cover.scenario}: not visited by any playthrough")
            for state in cover.states:
                print(f"    state      {state}")
            for transition in cover.transitions:
                print(f"    transition {transition}")
    summary = result.summary()
    if broken:
        summary += f", {len(broken)} file error(s) (run `coach validate`)"
    print(summary)
