"""The trainer's live room view in the app: `coach workshop watch` as a screen.

One row per participant (their latest attempt), read again as soon as the records change (the
database files are looked at twice a second, which costs a `stat`, not a query) and every
`REFRESH_SECONDS` for the "last turn" times; anonymised, with no replies, until the trainer presses `n` (names and last replies,
for their eyes only: turn it off before putting the screen on a projector).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from coach.app.text import visible
from coach.app.work import off_ui
from coach.conversation.render import outcome_label

if TYPE_CHECKING:
    from coach.app.records import RecordsLink
    from coach.records.room import Room

LOOK_SECONDS = 0.5
"""How often the records' files are looked at for a change (a stat of the database and its WAL)."""
REFRESH_SECONDS = 15.0
"""How often the room is read even without a change, so "last turn 2 min ago" stays true."""
COLUMNS = ("Participant", "Scenario", "Now", "Turns", "Goals", "Pitfalls", "Hints", "Attempts", "Last turn")


class RoomScreen(Screen):
    """Who is in which scenario, turns, goals met and pitfalls so far, live."""

    CSS_PATH = ["room.tcss"]
    BINDINGS = [
        Binding("w", "next_workshop", "Workshop"),
        Binding("n", "toggle_names", "Names"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, records: RecordsLink, workshops: list[str], workshop: str) -> None:
        super().__init__()
        self.records = records
        self.workshops = workshops
        self.workshop = workshop
        self.names = False
        self.room: Room | None = None
        self._stamp: tuple[tuple[int, int], ...] | None = None  # the records' files when last read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="room-title")
        yield DataTable(id="room", cursor_type="row", zebra_stripes=True)
        yield Static(id="room-note")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Room"
        self._stamp = self._files_stamp()
        self.refresh_room()
        self.set_interval(LOOK_SECONDS, self._look, name="room change watch")
        self.set_interval(REFRESH_SECONDS, self.refresh_room, name="room refresh")
        self.query_one(DataTable).focus()

    def _files_stamp(self) -> tuple[tuple[int, int], ...]:
        """Size and modification time of the database and its write-ahead log (a commit by any
        participant's coach changes one of them)."""
        from coach.records.store import default_db_path

        path = self.records.options.db or default_db_path()
        stamps = []
        for file in (path, path.with_name(path.name + "-wal")):
            try:
                info = file.stat()
            except OSError:
                stamps.append((0, 0))
            else:
                stamps.append((info.st_size, info.st_mtime_ns))
        return tuple(stamps)

    def _look(self) -> None:
        stamp = self._files_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            self.refresh_room()

    def refresh_room(self) -> None:
        """Read the room again, on the records thread (the UI never waits for SQLite)."""
        from coach.records.room import read_room

        records, workshop, names = self.records, self.workshop, self.names
        off_ui(self, lambda: records.call(lambda: read_room(records.service.open(), workshop, names=names)),
               lambda room: self.show_room(room, names), "read the room")

    def show_room(self, room: Room, names: bool) -> None:
        """Redraw the table (it keeps its cursor row)."""
        from coach.records.room import since

        if not self.is_attached or room.workshop != self.workshop or names != self.names:
            return  # left, or switched workshop or names while this was read: a newer read is coming
        now = datetime.now(UTC)
        self.room = room
        self.query_one("#room-title", Static).update(
            f"Workshop {visible(room.workshop)} \u00b7 {len(room.seats)} participant(s) \u00b7 {room.playing} playing"
            f" \u00b7 {room.sessions} attempt(s) \u00b7 updated {now.astimezone():%H:%M:%S}")
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns(*COLUMNS, *(("Last reply",) if self.names else ()))
        for seat in sorted(room.seats, key=lambda s: (not s.playing, s.participant)):
            cells = [visible(seat.participant), visible(seat.scenario),
                     "playing" if seat.playing else outcome_label(seat.outcome), str(seat.turns),
                     f"{seat.goals_met}/{seat.goals_total}", str(seat.pitfalls), str(seat.hints), str(seat.attempts),
                     since(seat.last_activity, now)]
            if self.names:
                cells.append(" ".join(visible(seat.last_reply or "").split()))
            table.add_row(*(Text(cell, no_wrap=True, overflow="ellipsis") for cell in cells))  # Text: never markup
        if row is not None and table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        note = ("Names and last replies are shown: n hides them before the room sees this screen." if self.names
                else "Anonymised, replies hidden. n shows names and last replies (for your eyes only).")
        if not room.seats:
            note = f"Nobody has started yet. Participants join with --workshop {visible(room.workshop)}. " + note
        self.query_one("#room-note", Static).update(note)

    def action_toggle_names(self) -> None:
        self.names = not self.names
        self.refresh_room()

    def action_next_workshop(self) -> None:
        if len(self.workshops) > 1:
            self.workshop = self.workshops[(self.workshops.index(self.workshop) + 1) % len(self.workshops)]
            self.refresh_room()
