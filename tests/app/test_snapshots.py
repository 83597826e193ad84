"""Snapshots of home, a conversation mid-way and the report, at 80x24 and 120x40.

Stable by construction: the app's own fixture scenario, a fixed seed, no blinking cursor,
a fixed export folder. Update with `pytest --snapshot-update tests/app/test_snapshots.py`.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from coach.app.exports import ENV_EXPORT_DIR
from tests.app.helpers import make_app, send, settle, start

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _fixed_export_folder(monkeypatch):
    monkeypatch.setenv(ENV_EXPORT_DIR, "/exports/coach")


async def _still(pilot: Pilot) -> None:
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    await pilot.pause()


async def _home(pilot: Pilot) -> None:
    await settle(pilot)
    await _still(pilot)


async def _mid_conversation(pilot: Pilot) -> None:
    await start(pilot, "checkin")
    await send(pilot, "Hello Robin, [bold]how[/] are you?")
    await send(pilot, "How do you see the problem?")
    await _still(pilot)


async def _report(pilot: Pilot) -> None:
    await start(pilot, "checkin")
    await send(pilot, "Just listen to me.")
    await pilot.press("enter")
    await _still(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, size):
    assert snap_compare(make_app(last_results={"checkin": "strong"}), terminal_size=size, run_before=_home)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_conversation_mid_way(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_mid_conversation)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_report(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_report)
