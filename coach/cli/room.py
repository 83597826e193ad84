"""`coach workshop watch NAME`: the trainer's live room view in a plain terminal.

No Textual: it is a table redrawn every couple of seconds, which a plain terminal does well
(starts in a fraction of the app's time, works over ssh and in a terminal multiplexer, and
its output can be piped or logged: when not on a terminal, a new table is printed only when
the room changed).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from coach.safetext import one_line

if TYPE_CHECKING:
    from coach.records.room import Room

CLEAR = "\x1b[H\x1b[2J"
REPLY_WIDTH = 48


def add_watch(actions: argparse._SubParsersAction, add_db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    watch = actions.add_parser(
        "watch", help="the live room: who is in which scenario, turns, goals, pitfalls",
        description="Show the room while participants play (coach serve --workshop NAME, or coach play "
                    "--workshop NAME): one row per participant, their latest attempt, refreshed as turns "
                    "arrive. Participants are anonymised and their replies hidden unless --names is given.")
    watch.add_argument("name", metavar="NAME")
    watch.add_argument("--names", action="store_true",
                       help="show participants' names and their latest reply (for the trainer's eyes only)")
    watch.add_argument("--interval", type=float, default=2.0, metavar="SECONDS",
                       help="seconds between looks at the records (default 2)")
    watch.add_argument("--once", action="store_true", help="print the room once and exit")
    add_db_option(watch)
    watch.set_defaults(run=run_watch)


def room_rows(room: Room, now: datetime, *, names: bool) -> list[list[str]]:
    from coach.conversation.render import outcome_label
    from coach.records.room import since

    header = ["PARTICIPANT", "SCENARIO", "NOW", "TURNS", "GOALS", "PITFALLS", "HINTS", "ATTEMPTS", "LAST TURN"]
    if names:
        header.append("LAST REPLY")
    rows = [header]
    for seat in sorted(room.seats, key=lambda s: (not s.playing, s.participant)):
        row = [one_line(seat.participant), one_line(seat.scenario),
               "playing" if seat.playing else outcome_label(seat.outcome), str(seat.turns),
               f"{seat.goals_met}/{seat.goals_total}", str(seat.pitfalls), str(seat.hints), str(seat.attempts),
               since(seat.last_activity, now)]
        if names:
            reply = one_line(seat.last_reply or "")
            row.append(reply if len(reply) <= REPLY_WIDTH else reply[: REPLY_WIDTH - 1] + "\u2026")
        rows.append(row)
    return rows


def room_text(room: Room, now: datetime, *, names: bool) -> str:
    title = (f"Workshop {one_line(room.workshop)} \u00b7 {len(room.seats)} participant(s) \u00b7 {room.playing} "
             f"playing \u00b7 {room.sessions} attempt(s) \u00b7 {now.astimezone().strftime('%H:%M:%S')}")
    if not room.seats:
        return f"{title}\nNobody has started yet. Participants join with --workshop {one_line(room.workshop)}."
    rows = room_rows(room, now, names=names)
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join([title, "", *lines])


def run_watch(args: argparse.Namespace) -> int:
    from coach.cli.history import open_store
    from coach.errors import CoachError
    from coach.records.room import read_room

    if args.interval <= 0:
        raise CoachError("--interval must be more than 0 seconds")
    live = sys.stdout.isatty() and not args.once
    shown = None
    with open_store(args) as store:
        try:
            while True:
                room = read_room(store, args.name, names=args.names)
                if live:
                    sys.stdout.write(CLEAR + room_text(room, datetime.now(UTC), names=args.names)
                                     + "\n\nCtrl+C stops watching.\n")
                    sys.stdout.flush()
                elif room != shown:
                    print(room_text(room, datetime.now(UTC), names=args.names), flush=True)
                    shown = room
                if args.once:
                    return 0
                time.sleep(args.interval)
        except KeyboardInterrupt:
            return 0
