"""Inputs that keep keys in the order they were typed (outside `coach.app.widgets`, so the
home screen can use them without loading the conversation's widgets at start-up)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from coach.app.text import pasted_line


class KeysInOrder(Input):
    """An Input that applies its own editing keys (backspace, delete, arrows, enter) the moment
    they arrive.

    Textual runs a focused widget's non-priority bindings only after the key has bubbled back
    up to the app, a few message hops later, while printable keys are inserted at once. When
    keys arrive in a burst (a busy app, a terminal multiplexer, fast typing) `⌫⌫⌫my` became
    `my⌫⌫⌫`: the letters vanished and the wrong text stayed. Running the bindings here keeps
    the order the keys were typed in.
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)


class FilterInput(KeysInOrder):
    """The home screen's filter. Remembers what it said when Enter was pressed, so that keys
    typed on before the chosen conversation has opened can be handed to it (`hand_over`)."""

    BINDINGS = [Binding("enter", "submit", "Rehearse", key_display="Enter")]  # named in the footer and help

    value_at_submit: str | None = None

    def _on_paste(self, event: events.Paste) -> None:
        event.text = pasted_line(event.text)  # several lines filter as one: nothing pasted is dropped

    async def action_submit(self) -> None:
        self.value_at_submit = self.value
        await super().action_submit()

    def hand_over(self) -> str:
        """What was typed here after Enter (taken back out of the filter), or ""."""
        submitted, self.value_at_submit = self.value_at_submit, None
        if submitted is None or self.value == submitted or not self.value.startswith(submitted):
            return ""
        extra = self.value[len(submitted):]
        self.value = submitted
        self.cursor_position = len(submitted)
        return extra
