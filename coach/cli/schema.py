"""`coach schema`: print a file format's JSON Schema, for editors' completion and checks, or
the key tables of the authoring guide. Both come from the keys declared on the models."""

from __future__ import annotations

import argparse

from coach.cli.common import print_json
from coach.scenario.schema import FILE_FORMATS, json_schema, key_tables


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "schema", parents=[common], help="print the JSON Schema of a file format",
        description="Print the JSON Schema of scenario files (or marker libraries, briefings). Save it "
                    "with `coach schema > coach-scenario.schema.json` and point a yaml-language-server "
                    "header at it for completion and checks in your editor.")
    parser.add_argument("--format", choices=tuple(FILE_FORMATS), default="scenario", help="which file format")
    parser.add_argument("--keys", action="store_true",
                        help="print every key of every format as Markdown tables instead (the guide's key reference)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.keys:
        print(key_tables(), end="")
        return 0
    print_json(json_schema(args.format))
    return 0
