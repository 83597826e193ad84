"""Work that touches SQLite runs in a Textual thread worker, never on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from coach.errors import CoachError

T = TypeVar("T")


def off_ui(node: DOMNode, work: Callable[[], T], then: Callable[[T], object], name: str) -> None:
    """Run `work` in a thread worker of `node` (cancelled with it), then `then(result)` on the
    UI thread; a `CoachError` becomes an error notification."""
    app = node.app

    def run() -> None:
        try:
            result = work()
        except CoachError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error", markup=False, timeout=8)
            return
        app.call_from_thread(then, result)

    node.run_worker(run, thread=True, name=name, group="records")
