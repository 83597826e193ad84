"""Inputs that keep keys in the order they were typed (outside `coach.app.widgets`, so the
home screen can use them without loading the conversation's widgets at start-up)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


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
    """The home screen's filter."""
