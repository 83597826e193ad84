"""Issue 13: in `coach --watch`, notices about broken files never cover the problems panel or
the reply box (they sit at the top right, clear of both)."""

from __future__ import annotations

import shutil

from textual.widgets._toast import Toast

from tests.app.helpers import SCENARIOS, make_app, send, settle, start
from coach.authoring.watch import Watcher
from coach.scenario.loader import load_catalog


def overlaps(first, second) -> bool:
    return bool(first.region.intersection(second.region).area)


async def _break(app, pilot, path, good: str, number: int) -> None:
    path.write_text(good.replace("title:", f"titel{number}:", 1))
    app.poll_watch()
    await pilot.pause()
    await pilot.pause()


async def test_error_notices_leave_the_problems_panel_and_the_reply_box_visible(tmp_path):
    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    checkin = folder / "checkin.yaml"
    good = checkin.read_text()
    app = make_app(load_catalog([folder]), watcher=Watcher([folder]))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.poll_watch()
        await _break(app, pilot, checkin, good, 1)
        toasts = list(app.screen.query(Toast))
        assert toasts
        problems = app.screen.query_one("#problems")
        assert not any(overlaps(toast, problems) for toast in toasts), [(t.region, problems.region) for t in toasts]

        checkin.write_text(good)
        app.poll_watch()
        await start(pilot, "checkin")
        await send(pilot, "How do you see the problem?")
        await _break(app, pilot, checkin, good, 2)
        toasts = list(app.screen.query(Toast))
        assert toasts
        reply = app.screen.query_one("#reply")
        assert not any(overlaps(toast, reply) for toast in toasts)
