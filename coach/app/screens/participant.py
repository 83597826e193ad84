"""Join a workshop: choose it and type your name; the sessions started from now on are tagged."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from coach.app.text import visible

NO_WORKSHOP = ""  # the Select value for "no workshop"


class ParticipantScreen(ModalScreen[tuple[str | None, str | None] | None]):
    """Dismisses with (workshop or None, participant or None), or None when cancelled."""

    CSS_PATH = ["participant.tcss"]
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, workshops: Sequence[str], workshop: str | None, participant: str | None) -> None:
        super().__init__()
        self.workshops = list(workshops)
        self.workshop = workshop
        self.participant = participant

    def compose(self) -> ComposeResult:
        options = [(Content("No workshop"), NO_WORKSHOP)] + [(Content(visible(name)), name) for name in self.workshops]
        with Vertical(id="join"):
            yield Label("Workshop", classes="field")
            yield Select(options, value=self.workshop if self.workshop in self.workshops else NO_WORKSHOP,
                         allow_blank=False, id="workshop")
            if not self.workshops:
                yield Label("No workshop yet: a trainer creates one with `coach workshop new NAME`.",
                            classes="note", markup=False)
            yield Label("Your name (as the trainer will see it)", classes="field")
            yield Input(self.participant or "", placeholder="e.g. Ana", id="participant")
            with Horizontal(id="join-buttons"):
                yield Button("Join", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#participant", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._answer()
        else:
            self.dismiss(None)

    def _answer(self) -> None:
        workshop = self.query_one("#workshop", Select).value
        name = self.query_one("#participant", Input).value.strip()
        if workshop and not name:
            self.notify("Type your name to join the workshop.", severity="warning")
            return
        self.dismiss((str(workshop) if workshop else None, name or None))

    def action_cancel(self) -> None:
        self.dismiss(None)
