"""`coach graph ID`: draw a scenario's beats, endings and rules as Mermaid or DOT."""

from __future__ import annotations

import argparse

from coach.cli.common import catalog_from


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "graph", parents=[common], help="draw a scenario's state machine",
        description="Print a scenario's state machine as a Mermaid state diagram (default) or Graphviz "
                    "DOT: beats and endings as states, each rule an edge labelled with what triggers it.")
    parser.add_argument("scenario", metavar="ID", help="scenario id (see `coach list`)")
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="diagram language")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.authoring.diagram import diagram  # transitions' diagram modules load only for this command

    print(diagram(catalog_from(args).scenario(args.scenario), args.format), end="")
    return 0
