"""Two attempts at one scenario side by side, turn by turn, with each turn's feedback."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.app.text import literal, visible
from coach.conversation.record import FeedbackItem, SessionRecord, Turn
from coach.conversation.render import feedback_view, local_time, outcome_label


def attempt_heading(record: SessionRecord, number: int) -> Content:
    summary = record.summary
    return Content.assemble((f"Attempt {number}", "bold"), "  ", (local_time(summary.started), "dim"), "\n",
                            (visible(outcome_label(summary.outcome)), "bold italic"),
                            f" \u00b7 goals {summary.goals_met}/{summary.goals_total} \u00b7 hints {summary.hints_used}")


def item_content(item: FeedbackItem) -> Content:
    """A feedback item as one block of text: the shared description, drawn with styles."""
    view = feedback_view(item)
    parts: list[str | Content | tuple[str, str]] = [(f"{view.mark} ", "bold"), literal(view.message)]
    for part in view.parts:
        parts += ["\n    ", (f"{part.label} ", "dim"), literal(part.text)]
    return Content.assemble(*parts)


def feedback_content(items: Sequence[FeedbackItem]) -> Content:
    """A turn's feedback: + for what worked, ! for a pitfall, with the briefing item cited."""
    if not items:
        return Content.styled("(nothing recognised in this reply)", "dim")
    return Content("\n").join(item_content(item) for item in items)


def turn_cell(turn: Turn | None, counterpart: str) -> Vertical:
    """One attempt's turn: the reply, the answer it got, its feedback."""
    if turn is None:
        return Vertical(Static(Content.styled("(no turn: this attempt stopped before it)", "dim")), classes="cell empty")
    reply = Content.assemble(("You: ", "bold"), literal(turn.reply))
    answer = Content.assemble((f"{visible(counterpart)}: ", "bold"), literal(turn.answer),
                              (f"  ({visible(turn.mood)})", "dim"))
    return Vertical(Static(reply, classes="reply"), Static(answer, classes="answer"),
                    Static(feedback_content(turn.feedback), classes="turn-feedback"),
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
        self.dismiss()
