"""The conversation as a chat: the counterpart's lines and the user's replies as bubbles."""

from __future__ import annotations

from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from coach.app.text import literal
from coach.conversation.engine import Line


class Bubble(Static):
    """One line of the transcript, titled with the speaker's name; its class is the speaker."""

    def __init__(self, line: Line, *, extra: str = "") -> None:
        super().__init__(literal(line.text), classes=f"bubble {line.speaker} {extra}".strip())
        self.line = line
        self.border_title = literal(line.name)


def bubble_row(line: Line, *, extra: str = "") -> Horizontal:
    """A bubble in a full-width row, so the user's replies can sit on the right."""
    return Horizontal(Bubble(line, extra=extra), classes=f"row {line.speaker}")


class Note(Static):
    """Something said about the conversation rather than in it: a hint, the ending."""

    def __init__(self, label: str, text: str, *, classes: str = "") -> None:
        super().__init__(literal(text), classes=f"note {classes}".strip())
        self.border_title = literal(label)


class Transcript(VerticalScroll):
    """The chat log, kept pinned to the newest line."""

    def on_mount(self) -> None:
        self.anchor()

    def add_line(self, line: Line, *, extra: str = "") -> None:
        self.mount(bubble_row(line, extra=extra))

    def add_note(self, label: str, text: str, *, classes: str = "") -> None:
        self.mount(Note(label, text, classes=classes))
