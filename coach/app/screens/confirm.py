"""A yes/no question, asked before throwing away a conversation in progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from coach.app.text import literal


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (y, or the Yes button) or False (n, escape, No)."""

    CSS_PATH = ["confirm.tcss"]  # loaded when first shown: start-up parses only coach.tcss

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(self.question), id="question")
            with Horizontal(id="buttons"):
                yield Button(literal(self.yes), id="yes", variant="error")
                yield Button(literal(self.no), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
