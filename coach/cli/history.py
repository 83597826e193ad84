"""`coach history`, `show`, `export`, `import` and `close`: the practice records from the terminal.

Also the records options other commands share (`--db`, and for `coach play` the workshop,
participant, `--no-record` and `--resume`), so every command finds the database the same way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import print_json
from coach.errors import CoachError
from coach.safetext import one_line
from coach.records import ENV_DB, EXPORT_FORMATS
from coach.conversation.render import local_time, outcome_label

if TYPE_CHECKING:
    from coach.conversation.engine import Session
    from coach.scenario.models import Scenario
    from coach.records.store import SessionSummary, Store


# -- shared options --------------------------------------------------------------------------

def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", type=Path, default=None,
                        help=f"records database (default: ${ENV_DB}, else the user data folder)")


def add_play_options(parser: argparse.ArgumentParser) -> None:
    """What `coach play` needs to record, tag and resume sessions."""
    group = parser.add_argument_group("records")
    add_db_option(group)  # type: ignore[arg-type]
    group.add_argument("--no-record", action="store_true", help="do not record this session")
    group.add_argument("--workshop", metavar="NAME", help="tag the session with this workshop")
    group.add_argument("--participant", metavar="NAME", help="your name in the workshop")
    group.add_argument("--resume", metavar="SESSION", help="continue an interrupted session (see `coach history --open`)")


def open_store(args: argparse.Namespace) -> Store:
    from coach.records.store import Store

    return Store.open(getattr(args, "db", None))


def play_session(args: argparse.Namespace, scenario: Scenario | None) -> tuple[Scenario, Session]:
    """The session `coach play` runs: new (recorded unless --no-record) or resumed."""
    from coach.conversation.engine import Session, SessionListener
    from coach.records.listener import RecordingListener, resume

    if args.resume:
        if args.no_record:
            raise CoachError("--resume continues a recorded session: it cannot go with --no-record")
        store = open_store(args)
        record = store.session(args.resume)
        if scenario is None:
            scenario = _catalog(args).scenario(record.summary.scenario)
        return scenario, resume(store, scenario, record.id)
    if scenario is None:
        raise CoachError("give a scenario ID to play (or --resume SESSION)")
    if args.participant and not args.workshop:
        raise CoachError("--participant goes with --workshop NAME")
    listeners: list[SessionListener] = []
    if not args.no_record:
        store = open_store(args)
        if args.workshop:
            store.workshop(args.workshop)
        listeners.append(RecordingListener(store, args.workshop, args.participant))
    elif args.workshop:
        raise CoachError("--workshop tags a recorded session: it cannot go with --no-record")
    return scenario, Session(scenario, seed=args.seed, mode=args.mode, listeners=listeners)


def _catalog(args: argparse.Namespace):
    """Scenarios for rebuilding sessions; files with errors are skipped, not fatal, here."""
    from coach.scenario.loader import load_default_catalog

    return load_default_catalog(getattr(args, "scenarios", None) or [])


# -- commands ----------------------------------------------------------------------------------

def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    history = subparsers.add_parser("history", parents=[common], help="list your recorded sessions",
                                    description="List recorded sessions, oldest first.")
    history.add_argument("--scenario", metavar="ID", help="only this scenario")
    history.add_argument("--workshop", metavar="NAME", help="only this workshop")
    history.add_argument("--open", action="store_true", help="only interrupted sessions (to resume or close)")
    history.add_argument("--limit", type=int, metavar="N", help="only the last N")
    history.add_argument("--json", action="store_true", help="print JSON")
    add_db_option(history)
    history.set_defaults(run=run_history)

    show = subparsers.add_parser("show", parents=[common], help="show one recorded session",
                                 description="Show a recorded session's report (a unique id prefix will do).")
    show.add_argument("session", metavar="SESSION")
    show.add_argument("--json", action="store_true", help="print the JSON export")
    add_db_option(show)
    show.set_defaults(run=run_show)

    export = subparsers.add_parser("export", parents=[common], help="write a session to a file",
                                   description="Write a recorded session as Markdown, JSON or HTML.")
    export.add_argument("session", metavar="SESSION")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="md")
    export.add_argument("--out", metavar="DIR", type=Path, default=Path("."), help="folder to write in (default .)")
    add_db_option(export)
    export.set_defaults(run=run_export)

    imp = subparsers.add_parser("import", parents=[common], help="add a JSON export to your records",
                                description="Add sessions exported with `coach export --format json`.")
    imp.add_argument("files", metavar="FILE", nargs="+", type=Path)
    add_db_option(imp)
    imp.set_defaults(run=run_import)

    close = subparsers.add_parser("close", parents=[common], help="close an interrupted session",
                                  description="Close an interrupted session as it stands (outcome: unfinished).")
    close.add_argument("session", metavar="SESSION")
    add_db_option(close)
    close.set_defaults(run=run_close)


def history_rows(sessions: Sequence[SessionSummary]) -> list[list[str]]:
    rows = [["SESSION", "WHEN", "SCENARIO", "OUTCOME", "GOALS", "HINTS", "TURNS", "WORKSHOP"]]
    for s in sessions:
        who = f"{s.workshop}/{s.participant}" if s.participant else (s.workshop or "")
        rows.append([s.id, local_time(s.started), s.scenario, outcome_label(s.outcome), f"{s.goals_met}/{s.goals_total}",
                     str(s.hints_used), str(s.turns), who])
    return rows


def print_table(rows: list[list[str]]) -> None:
    """Rows as aligned columns; every cell on one line with control characters shown."""
    rows = [[one_line(cell) for cell in row] for row in rows]
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def run_history(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        sessions = store.sessions(scenario=args.scenario, workshop=args.workshop, open_only=args.open,
                                  limit=args.limit)
    if args.json:
        print_json([s.to_dict() for s in sessions])
    elif not sessions:
        print("No sessions recorded yet. Play one with `coach play ID`.", file=sys.stderr)
    else:
        print_table(history_rows(sessions))
        if any(s.is_open for s in sessions):
            print("\nOpen sessions are in progress or were interrupted: `coach play --resume SESSION` or `coach close SESSION`.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from coach.records.exports import render

    with open_store(args) as store:
        record = store.session(args.session)
    sys.stdout.write(render(record, "json" if args.json else "md"))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from coach.records.exports import export_session

    with open_store(args) as store:
        record = store.session(args.session)
    print(export_session(record, args.format, args.out))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from coach.records.exports import import_file

    with open_store(args) as store:
        for path in args.files:
            print(f"imported session {import_file(store, path)} from {path}")
    return 0


def run_close(args: argparse.Namespace) -> int:
    from coach.records.listener import close_interrupted

    with open_store(args) as store:
        record = store.session(args.session)
        scenario = _catalog(args).scenarios.get(record.summary.scenario)
        outcome = close_interrupted(store, record.id, scenario)
    print(f"closed session {record.id} ({outcome_label(outcome)})")
    return 0
