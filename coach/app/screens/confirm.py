"""A yes/no question, asked before throwing away a conversation in progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from coach.app.text import literal, visible


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (y, or the Yes button) or False (n, escape, No).

    Which button Enter would press is shown twice: the focused button is drawn highlighted and
    a line under the buttons names it, so nobody answers Yes believing they chose No.
    """

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
            yield Static(id="focus-note")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_descendant_focus(self) -> None:
        """Name the button Enter would press now."""
        focused = self.focused
        if isinstance(focused, Button):
            label = self.yes if focused.id == "yes" else self.no
            self.query_one("#focus-note", Static).update(Content.assemble(
                "Enter answers ", (f"\u201c{visible(label)}\u201d", "bold"), " \u00b7 Tab switches \u00b7 y / n"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
