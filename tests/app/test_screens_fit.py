"""Issue 13: what a screen shows is readable at the sizes people use (80x24, 120x40), and a
dialog says which button Enter would press."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable

from coach.app.records import RecordsLink, RecordsOptions
from coach.app.screens.confirm import ConfirmScreen
from coach.app.screens.history import HistoryScreen
from coach.records.store import Store
from tests.app.helpers import make_app, send, settle, shown, start


async def test_the_confirm_dialog_names_the_focused_button_and_follows_tab():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "checkin")
        await send(pilot, "How do you see the problem?")
        await pilot.press("escape")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        note = dialog.query_one("#focus-note")
        assert isinstance(dialog.focused, Button) and dialog.focused.id == "no"
        assert "\u201cNo\u201d" in shown(note)
        await pilot.press("tab")
        await pilot.pause()
        assert dialog.focused is dialog.query_one("#yes") and "\u201cYes\u201d" in shown(note)


def record_sessions(path, count: int = 3) -> None:
    """Sessions with a long title, a workshop and a participant: the widest rows history shows."""
    with Store.open(path) as store:
        store.create_workshop("spring workshop")
        for number in range(count):
            session = store.start_session(
                scenario="hard-feedback", title="Giving hard feedback after a bad week", scenario_hash="x",
                seed=number, mode="practice", opening="Hi.", goals_total=9, workshop="spring workshop",
                participant=f"Participant {number}")
            if number:
                store.finish_session(session, None, "unfinished")


@pytest.mark.parametrize("size", [(120, 40), (100, 30)])
async def test_every_history_column_is_readable_without_scrolling_sideways(tmp_path, size):
    record_sessions(tmp_path / "records.sqlite3")
    app = make_app(records=RecordsLink(RecordsOptions(db=tmp_path / "records.sqlite3")))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        outcomes = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "Unfinished" in outcomes


async def _onboarding(pilot, catalog_app) -> None:
    await start(pilot, "onboarding-talk")
    await send(pilot, "Hi Amara, my role is to be a sounding board, not your manager. How do you like to work? "
                      "Let's agree goals and meet every two weeks.")


async def test_at_120x40_the_goals_panel_shows_every_goal(catalog):
    app = make_app(catalog)
    async with app.run_test(size=(120, 40)) as pilot:
        await _onboarding(pilot, app)
        goals = app.screen.query_one("#goals")
        total = len(app.screen.session.scenario.goal_items)
        assert total == 9
        assert goals.max_scroll_y == 0
        assert shown(goals.query_one("#goal-list")).count("\n") + 1 == total


async def test_at_80x24_every_goal_is_reachable_by_scrolling_and_ids_are_never_broken(catalog):
    from coach.app.widgets import CitationLink

    app = make_app(catalog)
    async with app.run_test(size=(80, 24)) as pilot:
        await _onboarding(pilot, app)
        goals = app.screen.query_one("#goals")
        visible_rows = goals.scrollable_content_region.height
        if visible_rows < 9:
            assert goals.max_scroll_y >= 9 - visible_rows and goals.show_vertical_scrollbar
        links = list(app.screen.query(CitationLink))
        assert links
        for link in links:
            rows = [strip.text.rstrip() for strip in link.render_lines(link.region.reset_offset)]
            id_row = rows[-1].strip()
            assert len(rows) == 2, rows  # the title line and the id line, neither wrapped
            assert link.citation.id == id_row or (id_row.endswith("\u2026") and link.citation.id.startswith(id_row[:-1]))
