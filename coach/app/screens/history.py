"""Practice history: past sessions, each scenario's progress as a chart, two attempts compared."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static
from textual.widgets.data_table import ColumnKey

from coach.app.messages import CompareAttempts, ResumeSession
from coach.app.text import visible
from coach.conversation.render import local_time, outcome_label

if TYPE_CHECKING:
    from coach.app.records import RecordsLink
    from coach.records.store import SessionSummary

MARK = "\u2713"
FREE_COLUMNS = ("Scenario", "Workshop")  # free text: cut to fit, so the other columns always show
MIN_FREE = 12
BAR, GAP = "\u2588", "\u2591"


def progress_bar(summary: SessionSummary, number: int) -> Content:
    """One attempt as a chart row: `#2 06-01 10:00 ███░ 3/4 strong`."""
    met, total = summary.goals_met, max(summary.goals_total, 0)
    bar = BAR * met + GAP * max(total - met, 0)
    return Content.assemble((f"#{number:<2} ", "dim"), (local_time(summary.started)[5:], "dim"), "  ",  # month-day time
                            (bar, "bold"), f"  {met}/{total}  ", (visible(outcome_label(summary.outcome)), "italic"))


def by_scenario(sessions: Iterable[SessionSummary]) -> dict[str, list[SessionSummary]]:
    """Finished attempts per scenario, oldest first (the order the records give)."""
    grouped: dict[str, list[SessionSummary]] = {}
    for summary in sessions:
        if not summary.is_open:
            grouped.setdefault(summary.scenario, []).append(summary)
    return grouped


class ScenarioProgress(Vertical):
    """One scenario's attempts: a sparkline of goals met, and a bar per attempt."""

    def __init__(self, attempts: Sequence[SessionSummary]) -> None:
        super().__init__(classes="scenario-progress")
        self.attempts = list(attempts)

    def compose(self) -> ComposeResult:
        first = self.attempts[0]
        yield Static(Content.assemble((visible(first.title), "bold"),
                                      (f"  {len(self.attempts)} attempt(s), goals met per attempt", "dim")),
                     classes="progress-title")
        if len(self.attempts) > 1:
            yield Sparkline([a.goals_met for a in self.attempts], summary_function=max, classes="trend")
        yield Static(Content("\n").join(progress_bar(a, n) for n, a in enumerate(self.attempts, 1)),
                     classes="bars")


class HistoryScreen(Screen):
    """The sessions in the records, newest first; space marks two to compare; an open (interrupted)
    one can be resumed."""

    CSS_PATH = ["history.tcss"]
    BINDINGS = [
        Binding("space", "mark", "Mark to compare"),
        Binding("c", "compare", "Compare"),
        Binding("r", "resume", "Resume", tooltip="Go on with an interrupted attempt (Open) where it stopped"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, sessions: Sequence[SessionSummary], records: RecordsLink) -> None:
        super().__init__()
        self.sessions = list(reversed(sessions))  # newest first
        self.records = records
        self.marked: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history-body"):
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="progress"):
                grouped = by_scenario(reversed(self.sessions))
                if not grouped:
                    yield Static("No finished session yet: rehearse a scenario and come back.", classes="nothing")
                for attempts in grouped.values():
                    yield ScenarioProgress(attempts)
        yield Footer()

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_columns)

    def fit_columns(self) -> None:
        """Share the table's width out so every column shows: the fixed ones at their natural
        width, the free text (scenario title, workshop) in what is left, cut with an ellipsis."""
        table = self.query_one(DataTable)
        available = table.scrollable_content_region.width
        if not available or not table.columns:
            return
        padding = 2 * table.cell_padding * len(table.columns)
        natural = {key.value: max(column.content_width, len(str(column.label)))
                   for key, column in table.columns.items()}
        free = [key for key in FREE_COLUMNS if key in natural]
        fixed = sum(width for key, width in natural.items() if key not in free)
        room = max(available - padding - fixed, len(free) * MIN_FREE)
        wanted = {key: natural[key] for key in free}
        shares = {key: max(MIN_FREE, room * wanted[key] // max(sum(wanted.values()), 1)) for key in free}
        for key in free:
            column = table.columns[ColumnKey(key)]
            column.auto_width = False
            column.width = min(wanted[key], shares[key])
        table.refresh(layout=True)
        table._require_update_dimensions = True

    def on_mount(self) -> None:
        self.sub_title = f"{len(self.sessions)} session(s)"  # the footer says what space and c do
        self.query_one("#progress").border_title = "Progress over attempts"
        table = self.query_one(DataTable)
        workshops = any(summary.workshop for summary in self.sessions)  # no empty column for solo practice
        for label in (" ", "When", "Scenario", "Outcome", "Goals", "Hints", "Turns", *(["Workshop"] if workshops else [])):
            table.add_column(label, key=label)
        for summary in self.sessions:
            workshop = summary.workshop or ""
            if workshop and summary.participant:
                workshop += f" ({summary.participant})"
            cells = ["", local_time(summary.started), visible(summary.title), visible(outcome_label(summary.outcome)),
                     f"{summary.goals_met}/{summary.goals_total}", str(summary.hints_used), str(summary.turns),
                     *([visible(workshop)] if workshops else [])]
            table.add_row(*(Text(cell, no_wrap=True, overflow="ellipsis") for cell in cells),
                          key=summary.id)  # Text: never markup
        table.focus()

    def _cursor_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.sessions or table.cursor_row is None:
            return None
        return self.sessions[table.cursor_row].id

    def _cursor_summary(self) -> SessionSummary | None:
        session_id = self._cursor_id()
        return next((s for s in self.sessions if s.id == session_id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Resume is offered (in the footer) only on an open attempt."""
        if action == "resume":
            summary = self._cursor_summary()
            return summary is not None and summary.is_open
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def action_resume(self) -> None:
        summary = self._cursor_summary()
        if summary is None or not summary.is_open:
            return
        question = (f"Resume this interrupted attempt at “{summary.title}” ({summary.turns} turn(s) so far)? "
                    "If it is still open in another coach window, leave it there first.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(ResumeSession(summary.id))

        from coach.app.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_mark(self) -> None:
        """Mark (or unmark) the session under the cursor; the two latest marks are compared."""
        session_id = self._cursor_id()
        if session_id is None:
            return
        if session_id in self.marked:
            self.marked.remove(session_id)
        else:
            self.marked = [*self.marked, session_id][-2:]
        table = self.query_one(DataTable)
        for summary in self.sessions:
            table.update_cell(summary.id, " ", Text(MARK if summary.id in self.marked else ""))

    def action_compare(self) -> None:
        if len(self.marked) < 2:
            self.notify("Mark two attempts at the same scenario with space, then press c.", severity="warning")
            return
        summaries = {s.id: s for s in self.sessions}
        first, second = (summaries[i] for i in sorted(self.marked, key=lambda i: summaries[i].started))
        if first.scenario != second.scenario:
            self.notify("Those two sessions are of different scenarios: mark two attempts at the same one.",
                        severity="warning")
            return
        self.post_message(CompareAttempts(first.id, second.id))

    def action_leave(self) -> None:
        self.dismiss()
