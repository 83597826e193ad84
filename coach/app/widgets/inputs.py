"""Where the user writes: a one-line input and a multi-line editor, both showing text literally."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, TextArea

from coach.app.keys import KeysInOrder
from coach.app.text import pasted_lines, visible


class ReplyInput(KeysInOrder):
    """A one-line reply. A paste of several lines goes to the multi-line editor, whole."""

    class LongPaste(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @property
    def _value(self) -> Text:
        # Same as Input's, but control characters are drawn as visible symbols.
        return Text(visible(self.value), no_wrap=True, overflow="ignore", end="")

    def _on_paste(self, event: events.Paste) -> None:
        text = pasted_lines(event.text)  # a vertical tab or U+2028 is a line break too: nothing after it is lost
        if "\n" in text:
            event.stop()
            event.prevent_default()
            at = self.cursor_position
            self.post_message(self.LongPaste(self.value[:at] + text + self.value[at:]))
            return
        event.text = text
        # otherwise Input's own handler (called next, as the base class's) inserts the line


class LongReply(TextArea):
    """A multi-line reply: ctrl+s (or ctrl+enter where the terminal sends it) sends it."""

    BINDINGS = [Binding("ctrl+s,ctrl+enter", "send", "Send", priority=True)]

    class Send(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    async def _on_paste(self, event: events.Paste) -> None:
        event.text = pasted_lines(event.text)  # one kind of line break in the editor: \n
        await super()._on_paste(event)
        event.prevent_default()  # TextArea's handler has run (with the text as folded here)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        line.plain = visible(line.plain)
        return line

    def action_send(self) -> None:
        self.post_message(self.Send(self.text))
