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


# -- issue 13: help, the introduction, history, briefing, problems panel, presenter ----------------

async def _help_in_conversation(pilot: Pilot) -> None:
    await start(pilot, "checkin")
    await pilot.press("f1")
    await pilot.pause()


async def _introduction(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.show_introduction()
    await pilot.pause()
    await _still(pilot)


async def _briefing(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause()


async def _presenter(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f8")
    await start(pilot, "checkin")
    await send(pilot, "How do you see the problem?")
    await _still(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_help_in_conversation)


def test_introduction(snap_compare):
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=_introduction)


def test_briefing(snap_compare):
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=_briefing)


def test_presenter_conversation(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_presenter)


def test_problems_panel(snap_compare, monkeypatch):
    from pathlib import Path

    from coach.scenario.loader import load_catalog
    from tests.app.helpers import FIXTURES

    monkeypatch.chdir(FIXTURES)  # relative paths: the panel reads the same in every checkout
    catalog = load_catalog([Path("scenarios"), Path("broken")])
    assert snap_compare(make_app(catalog), terminal_size=(100, 30), run_before=_home)


@pytest.fixture
def _utc(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_history(snap_compare, tmp_path, _utc):
    from coach.app.records import RecordsLink, RecordsOptions
    from coach.records.store import Store
    from tests.records.room_data import turn

    path = tmp_path / "records.sqlite3"
    with Store.open(path) as store:
        store.create_workshop("spring")
        for number, (outcome, met) in enumerate([("poor", 0), ("strong", 2), (None, 1)]):
            session = store.start_session(scenario="checkin", title="A quick check-in", scenario_hash="x", seed=number,
                                          mode="practice", opening="Hi.", goals_total=2, workshop="spring",
                                          participant="Ana", session_id=f"s{number}",
                                          started=f"2026-01-0{number + 1}T10:00:00+00:00")
            store.add_turn(session, turn(0, "Hello", goals=("g1", "g2")[:met]))
            if outcome:
                store.finish_session(session, None, outcome, ended=f"2026-01-0{number + 1}T10:05:00+00:00")

    async def _history(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()

    app = make_app(records=RecordsLink(RecordsOptions(db=path)))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_history)


def test_room(snap_compare, tmp_path, _utc, monkeypatch):
    from datetime import datetime as real_datetime

    from coach.app.records import RecordsLink, RecordsOptions
    from tests.records.room_data import workshop_in_progress

    class Frozen(real_datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime(2026, 1, 1, 10, 6, tzinfo=tz)

    monkeypatch.setattr("coach.app.screens.room.datetime", Frozen)
    path = workshop_in_progress(tmp_path / "r.sqlite3")

    async def _room(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.open_room()
        for _ in range(3):  # the room is read by a records worker
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    app = make_app(records=RecordsLink(RecordsOptions(db=path, workshop="spring", participant="T")))
    assert snap_compare(app, terminal_size=(100, 24), run_before=_room)


def test_compare(snap_compare, tmp_path, _utc):
    from coach.app.records import RecordsLink, RecordsOptions
    from coach.records.store import Store

    path = tmp_path / "records.sqlite3"

    async def _compare(pilot: Pilot) -> None:
        app = pilot.app
        for number, replies in enumerate([["Just listen to me."],
                                          ["How do you see the problem?", "Let us check in again next week."]]):
            await start(pilot, "checkin")
            for reply in replies:
                await send(pilot, reply)
            if not app.screen.session.ended:
                app.show_report(app.screen.session)
            await pilot.pause()
            app.go_home()
            await pilot.pause()
        with Store.open(path) as store:  # fixed times: the snapshot must not depend on when it ran
            for number, summary in enumerate(store.sessions()):
                store.db.execute("UPDATE sessions SET started = ? WHERE id = ?",
                                 (f"2026-01-0{number + 1}T10:00:00+00:00", summary.id))
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()

    app = make_app(records=RecordsLink(RecordsOptions(db=path)))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_compare)
