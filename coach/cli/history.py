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
from coach.errors import CoachError, Problem
from coach.safetext import one_line
from coach.records import ENV_DB, EXPORT_FORMATS
from coach.conversation.render import local_time, outcome_label

if TYPE_CHECKING:
    from coach.conversation.engine import Session
    from coach.scenario.loader import Catalog
    from coach.scenario.models import Scenario
    from coach.records.service import SessionService
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


def open_store(args: argparse.Namespace, *, check: bool = False) -> Store:
    from coach.records.store import Store

    return Store.open(getattr(args, "db", None), check=check)


def session_service(args: argparse.Namespace) -> SessionService:
    """The session lifecycle for `coach play`, from its records options."""
    from coach.records.service import RecordsOptions, SessionService

    options = RecordsOptions(getattr(args, "db", None), args.workshop, args.participant, not args.no_record)
    return SessionService(options)


def play_session(args: argparse.Namespace, scenario: Scenario | None) -> tuple[Scenario, Session]:
    """The session `coach play` runs: new (recorded unless --no-record) or resumed."""
    service = session_service(args)
    if args.resume:
        catalog = None if scenario is not None else _catalog(args)
        session = service.resume(args.resume, lambda sid: scenario or catalog.scenario(sid))  # type: ignore[union-attr]
        return session.scenario, session
    if scenario is None:
        raise CoachError("give a scenario ID to play (or --resume SESSION)")
    service.options.validate()
    if service.enabled:
        service.open()  # the database and the workshop name are checked before the first line
    return scenario, service.new_session(scenario, seed=args.seed, mode=args.mode)


def _catalog(args: argparse.Namespace) -> Catalog:
    """Scenarios for rebuilding sessions; files with errors are skipped, not fatal, here."""
    from coach.scenario.catalog_cache import load_default_catalog

    return load_default_catalog(getattr(args, "scenarios", None) or [])


# -- commands ----------------------------------------------------------------------------------

def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    history = subparsers.add_parser("history", parents=[common], help="list your recorded sessions",
                                    description="List recorded sessions, oldest first.")
    history.add_argument("--scenario", metavar="ID", help="only this scenario")
    history.add_argument("--workshop", metavar="NAME", help="only this workshop")
    history.add_argument("--open", action="store_true", help="only interrupted sessions (to resume or close)")
    history.add_argument("--limit", type=_positive, metavar="N", help="only the last N")
    history.add_argument("--json", action="store_true", help="print JSON")
    history.add_argument("--check", action="store_true",
                         help="check the whole database's integrity (read-only) and say how many sessions it holds")
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

    imp = subparsers.add_parser("import", parents=[common], help="add JSON exports to your records",
                                description="Add sessions exported as JSON (`coach export --format json` or the "
                                            "app's export). Every file is checked before anything is written.")
    imp.add_argument("files", metavar="FILE", nargs="+", type=Path, help="export files, or folders of them")
    add_db_option(imp)
    imp.set_defaults(run=run_import)

    close = subparsers.add_parser("close", parents=[common], help="close an interrupted session",
                                  description="Close an interrupted session as it stands (outcome: unfinished).")
    close.add_argument("session", metavar="SESSION")
    add_db_option(close)
    close.set_defaults(run=run_close)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


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
    with open_store(args, check=args.check) as store:
        if args.check:
            print(f"{store.path}: ok, {store.count()} session(s)")
            return 0
        sessions = store.sessions(scenario=args.scenario, workshop=args.workshop, open_only=args.open,
                                  limit=args.limit)
        recorded = bool(sessions) or bool(store.sessions(limit=1))
    if args.json:
        print_json([s.to_dict() for s in sessions])
    elif not sessions:
        print(_none_listed(args, recorded), file=sys.stderr)
    else:
        print_table(history_rows(sessions))
        if any(s.is_open for s in sessions):
            print("\nOpen sessions are in progress or were interrupted: `coach play --resume SESSION` or `coach close SESSION`.")
    return 0


def _none_listed(args: argparse.Namespace, recorded: bool) -> str:
    """Why history lists nothing: no sessions at all, or none that the filters let through."""
    if not recorded:
        return "No sessions recorded yet. Play one with `coach play ID`."
    if args.open and not (args.scenario or args.workshop):
        return "No open sessions: every recorded session is finished (see `coach history`)."
    which = ", ".join(filter(None, ["open" if args.open else "",
                                    f"scenario {args.scenario!r}" if args.scenario else "",
                                    f"workshop {args.workshop!r}" if args.workshop else ""]))
    return f"No sessions match ({which}); `coach history` lists them all."


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
    try:
        print(export_session(record, args.format, args.out))
    except OSError as exc:
        raise CoachError(Problem(f"cannot write the export: {_os_reason(exc)}", Path(exc.filename or args.out))) from None
    return 0


def _os_reason(exc: OSError) -> str:
    """An OS error in words: a full disk and a read-only one say so."""
    import errno

    if exc.errno == errno.ENOSPC:
        return "the disk is full (nothing was left half-written)"
    if exc.errno == errno.EROFS:
        return "the disk is read-only; choose another folder with --out"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "no permission to write there; choose another folder with --out"
    return exc.strerror or str(exc)


def run_import(args: argparse.Namespace) -> int:
    from coach.records.exports import import_files

    with open_store(args) as store:
        imported = import_files(store, args.files)
    for session_id, path in imported[:20]:
        print(f"imported session {session_id} from {path}")
    if len(imported) > 20:
        print(f"... and {len(imported) - 20} more: {len(imported)} sessions imported")
    return 0


def run_close(args: argparse.Namespace) -> int:
    from coach.records.service import RecordsOptions, SessionService

    service = SessionService(RecordsOptions(getattr(args, "db", None)))
    try:
        session_id, outcome = service.close_interrupted(args.session, _catalog(args).scenarios.get)
    finally:
        service.close()
    print(f"closed session {session_id} ({outcome_label(outcome)})")
    return 0
