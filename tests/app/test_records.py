"""Records in the app: sessions recorded like `coach play`, history, progress, comparing,
workshops and presenter mode. Every test uses its own database under tmp_path."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Sparkline

from coach.app.exports import ENV_EXPORT_DIR
from coach.app.records import RecordsLink, RecordsOptions
from coach.app.screens.compare import CompareScreen
from coach.app.screens.conversation import ConversationScreen
from coach.app.screens.history import HistoryScreen, ScenarioProgress
from coach.app.screens.participant import ParticipantScreen
from coach.records.store import Store
from tests.app.helpers import make_app, screen_text, send, settle, start


@pytest.fixture(autouse=True)
def _exports(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_EXPORT_DIR, str(tmp_path / "exports"))
    monkeypatch.delenv("COACH_WORKSHOP", raising=False)
    monkeypatch.delenv("COACH_PARTICIPANT", raising=False)


def link(tmp_path, **options) -> RecordsLink:
    return RecordsLink(RecordsOptions(db=tmp_path / "records.sqlite3", **options))


async def play_once(pilot, *replies: str) -> None:
    await start(pilot, "checkin")
    for reply in replies:
        await send(pilot, reply)
    app = pilot.app
    if isinstance(app.screen, ConversationScreen):
        app.show_report(app.screen.session)
    await pilot.pause()
    app.go_home()
    await pilot.pause()


async def test_sessions_played_in_the_app_are_recorded_and_last_result_shown(tmp_path):
    app = make_app(records=link(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await play_once(pilot, "How do you see the problem?", "Let us check in again next week.")
        assert "Last result: strong" in str(app.screen.query_one("#scenario-list").get_option_at_index(0).prompt)
    with Store.open(tmp_path / "records.sqlite3") as store:
        [summary] = store.sessions()
        record = store.session(summary.id)
    assert summary.scenario == "checkin" and summary.outcome == "strong" and summary.goals_met == 2
    assert record.replies == ["How do you see the problem?", "Let us check in again next week."]


async def test_no_record_writes_nothing(tmp_path):
    app = make_app(records=link(tmp_path, record=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await play_once(pilot, "How do you see the problem?")
    assert not (tmp_path / "records.sqlite3").exists()


async def test_history_lists_sessions_charts_progress_and_compares_two_attempts(tmp_path):
    app = make_app(records=link(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await play_once(pilot, "Just listen to me.")
        await play_once(pilot, "How do you see the problem?", "Let us check in again next week.")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(2)]
        assert rows[0][3] == "Strong" and rows[0][4] == "2/2"  # newest first
        assert rows[1][4] == "0/2"
        [progress] = screen.query(ScenarioProgress)
        assert [a.goals_met for a in progress.attempts] == [0, 2]
        assert list(progress.query_one(Sparkline).data) == [0, 2]
        chart = screen_text(pilot, ".bars")
        assert "#1" in chart and "0/2" in chart and "#2" in chart and "\u2588\u2588  2/2" in chart
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        text = screen_text(pilot)
        assert "Just listen to me." in text and "How do you see the problem?" in text
        assert "Let us check in again next week." in text
        assert "Attempt 1" in text and "Attempt 2" in text
        assert "cites" in text  # feedback with its briefing item


async def test_workshop_asks_for_the_name_and_tags_sessions(tmp_path):
    with Store.open(tmp_path / "records.sqlite3") as store:
        store.create_workshop("spring")
    app = make_app(records=link(tmp_path, workshop="spring"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        app.screen.query_one("#participant", Input).value = "Ana [b]x[/b]"
        await pilot.press("enter")
        await pilot.pause()
        assert "spring, Ana [b]x[/b]" in app.screen.sub_title
        await play_once(pilot, "How do you see the problem?")
    with Store.open(tmp_path / "records.sqlite3") as store:
        [summary] = store.sessions()
    assert (summary.workshop, summary.participant) == ("spring", "Ana [b]x[/b]")


async def test_an_unknown_workshop_stops_the_app_with_the_error(tmp_path):
    app = make_app(records=link(tmp_path, workshop="nope"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause()
    assert app.startup_error is not None and "no workshop 'nope'" in str(app.startup_error)


async def test_presenter_mode_uses_the_projector_theme_big_layout_and_live_feedback(tmp_path):
    app = make_app(records=link(tmp_path), presenter=True, mode="assessment")
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "coach-projector" and app.has_class("presenter")
        await start(pilot, "checkin")
        screen = app.screen
        assert isinstance(screen, ConversationScreen) and screen.session.mode == "practice"
        body = screen.query_one("#body")
        assert body.styles.layout.name == "vertical"  # feedback under the chat, full width
        feedback, transcript = screen.query_one("#feedback").region, screen.query_one("#transcript").region
        assert feedback.y >= transcript.bottom and feedback.width >= 90 and transcript.width == 120
        await send(pilot, "How do you see the problem?")
        assert "Ask before advising" in screen_text(pilot, "#feedback Static")
        await pilot.press("escape", "y")  # leave the conversation in progress
        await pilot.pause()
        await settle(pilot)
        await pilot.press("f8")
        await pilot.pause()
        assert not app.has_class("presenter") and app.theme != "coach-projector"
