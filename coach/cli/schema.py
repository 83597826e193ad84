"""`coach schema`: print a file format's JSON Schema, for editors' completion and checks."""

from __future__ import annotations

import argparse

from coach.cli.common import print_json
from coach.scenario.schema import BRIEFING, MARKER_LIBRARY, SCENARIO

SCHEMAS = {"scenario": SCENARIO, "markers": MARKER_LIBRARY, "briefing": BRIEFING}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "schema", parents=[common], help="print the JSON Schema of a file format",
        description="Print the JSON Schema of scenario files (or marker libraries, briefings). Save it "
                    "with `coach schema > coach-scenario.schema.json` and point a yaml-language-server "
                    "header at it for completion and checks in your editor.")
    parser.add_argument("--format", choices=tuple(SCHEMAS), default="scenario", help="which file format")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print_json(SCHEMAS[args.format])
    return 0
