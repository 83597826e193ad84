"""`coach workshop new|list|report`: run a workshop and get the group's results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.cli.common import print_json
from coach.cli.history import add_db_option, open_store, print_table
from coach.records import EXPORT_FORMATS
from coach.conversation.render import local_time


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("workshop", parents=[common], help="run a workshop and report on it",
                                   description="Workshops tag the sessions of a group so a trainer can debrief.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="create a workshop", description="Create a workshop; participants then "
                             "play with `coach play ID --workshop NAME --participant THEIR-NAME`.")
    new.add_argument("name", metavar="NAME")
    add_db_option(new)
    new.set_defaults(run=run_new)
    listing = actions.add_parser("list", help="list workshops")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_db_option(listing)
    listing.set_defaults(run=run_list)
    report = actions.add_parser("report", help="the workshop's results for the debrief",
                                description="Aggregate a workshop: attempts, outcomes, goals met, pitfalls with "
                                            "example replies, briefing items to discuss.")
    report.add_argument("name", metavar="NAME")
    report.add_argument("--format", choices=EXPORT_FORMATS, default="md")
    report.add_argument("--names", action="store_true", help="show participants' names (default: anonymised)")
    report.add_argument("--out", metavar="DIR", type=Path,
                        help="write the report into this folder instead of printing it")
    add_db_option(report)
    report.set_defaults(run=run_report)
    from coach.cli.room import add_watch

    add_watch(actions, add_db_option)


def run_new(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        workshop = store.create_workshop(args.name)
    print(f"Workshop {workshop.name!r} created. Participants join with:\n"
          f"  coach play ID --workshop {_shell(workshop.name)} --participant THEIR-NAME\n"
          f"and afterwards: coach workshop report {_shell(workshop.name)} --format html --out .")
    return 0


def _shell(text: str) -> str:
    import shlex

    return shlex.quote(text)


def run_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        workshops = store.workshops()
    if args.json:
        print_json([{"name": w.name, "created": w.created, "sessions": w.sessions, "participants": w.participants}
                    for w in workshops])
    elif workshops:
        print_table([["WORKSHOP", "CREATED", "SESSIONS", "PARTICIPANTS"]] + [
            [w.name, local_time(w.created), str(w.sessions), str(w.participants)] for w in workshops])
    else:
        print("No workshops yet: `coach workshop new NAME`.", file=sys.stderr)
    return 0


def run_report(args: argparse.Namespace) -> int:
    from coach.files import safe_stem, write_new
    from coach.records.workshop import build_report, render, report_stem

    with open_store(args) as store:
        report = build_report(store, args.name, names=args.names)
    text = render(report, args.format)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(write_new(args.out, safe_stem(report_stem(report)), args.format, text))
    return 0
