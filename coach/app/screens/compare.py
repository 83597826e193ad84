"""Two attempts at one scenario side by side, turn by turn, with each turn's feedback."""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.app.text import literal, visible
from coach.records.store import SessionRecord
from coach.conversation.render import local_time, outcome_label


def attempt_heading(record: SessionRecord, number: int) -> Content:
    summary = record.summary
    return Content.assemble((f"Attempt {number}", "bold"), "  ", (local_time(summary.started), "dim"), "\n",
                            (visible(outcome_label(summary.outcome)), "bold italic"),
                            f" \u00b7 goals {summary.goals_met}/{summary.goals_total} \u00b7 hints {summary.hints_used}")


def feedback_content(items: list[dict[str, Any]]) -> Content:
    """A turn's stored feedback: + for what worked, ! for a pitfall, with the briefing item cited."""
    if not items:
        return Content.styled("(nothing recognised in this reply)", "dim")
    lines = []
    for item in items:
        good = item.get("kind") == "good"
        cited = "; ".join(f"{c.get('id')} {c.get('title')}" for c in item.get("citations", []))
        parts: list[str | Content | tuple[str, str]] = [
            ("+ " if good else "! ", "bold"),
            literal(str(item.get("message", "")))]
        if cited:
            parts += ["\n    ", (f"cites {visible(cited)}", "dim")]
        if item.get("evidence"):
            parts += ["\n    ", ("your words: \u201c", "dim"), literal(str(item["evidence"])), ("\u201d", "dim")]
        if item.get("better") and not good:
            parts += ["\n    ", ("better: ", "dim"), literal(str(item["better"]))]
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


def turn_cell(turn: dict[str, Any] | None, counterpart: str) -> Vertical:
    """One attempt's turn: the reply, the answer it got, its feedback."""
    if turn is None:
        return Vertical(Static(Content.styled("(no turn: this attempt stopped before it)", "dim")), classes="cell empty")
    reply = Content.assemble(("You: ", "bold"), literal(str(turn.get("reply", ""))))
    answer = Content.assemble((f"{visible(counterpart)}: ", "bold"), literal(str(turn.get("answer", ""))),
                              (f"  ({visible(str(turn.get('mood', '')))})", "dim"))
    return Vertical(Static(reply, classes="reply"), Static(answer, classes="answer"),
                    Static(feedback_content(list(turn.get("feedback", []))), classes="turn-feedback"),
                    classes="cell")


class CompareScreen(Screen):
    """Attempt 1 on the left, attempt 2 on the right; a row per turn."""

    CSS_PATH = ["history.tcss", "compare.tcss"]
    BINDINGS = [Binding("escape", "leave", "Back")]

    def __init__(self, first: SessionRecord, second: SessionRecord, counterpart: str = "They") -> None:
        super().__init__()
        self.first, self.second = first, second
        self.counterpart = counterpart

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="compare-row compare-head"):
            yield Static(attempt_heading(self.first, 1), classes="cell head", id="head-1")
            yield Static(attempt_heading(self.second, 2), classes="cell head", id="head-2")
        with VerticalScroll(id="compare"):
            with Horizontal(classes="compare-row"):
                yield Static(literal(self.first.opening), classes="cell opening")
                yield Static(literal(self.second.opening), classes="cell opening")
            for number, (left, right) in enumerate(zip_longest(self.first.turns, self.second.turns), 1):
                yield Static(Content.styled(f"Turn {number}", "bold"), classes="turn-number")
                with Horizontal(classes="compare-row turn", id=f"turn-{number}"):
                    yield turn_cell(left, self.counterpart)
                    yield turn_cell(right, self.counterpart)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.first.summary.title} \u00b7 two attempts, turn by turn"

    def action_leave(self) -> None:
        self.app.pop_screen()
