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


async def loaded(pilot) -> None:
    """Wait for the records workers (reads queue behind the writes before them), and for the
    workers they start (the records, then the workshops for the name dialog)."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # the app is closing (an unusable database ends it)
            return
        await pilot.pause()


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
    await loaded(pilot)


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
        await loaded(pilot)
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
        await loaded(pilot)
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
        await loaded(pilot)
        assert isinstance(app.screen, ParticipantScreen)
        app.screen.query_one("#participant", Input).value = "Ana [b]x[/b]"
        await pilot.press("enter")
        await loaded(pilot)
        assert "spring, Ana [b]x[/b]" in app.screen.sub_title
        await play_once(pilot, "How do you see the problem?")
    with Store.open(tmp_path / "records.sqlite3") as store:
        [summary] = store.sessions()
    assert (summary.workshop, summary.participant) == ("spring", "Ana [b]x[/b]")


async def test_an_unknown_workshop_stops_the_app_with_the_error(tmp_path):
    app = make_app(records=link(tmp_path, workshop="nope"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await loaded(pilot)
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


async def test_stopped_early_says_it_is_kept_keeps_it_and_home_shows_the_finished_result(tmp_path):
    from coach.app.screens.confirm import ConfirmScreen

    app = make_app(records=link(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await play_once(pilot, "How do you see the problem?", "Let us check in again next week.")
        for key in ("escape", "ctrl+r"):  # leave, then restart, each after a reply
            if not isinstance(app.screen, ConversationScreen):
                await start(pilot, "checkin")
            await send(pilot, "Hmm, okay.")
            assert app.in_progress
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "kept in your history as unfinished" in app.screen.question
            assert "will not be kept" not in app.screen.question
            await pilot.press("y")
            await loaded(pilot)
        app.go_home()
        await loaded(pilot)
        assert "Last result: strong" in str(app.screen.query_one("#scenario-list").get_option_at_index(0).prompt)
    app.records.close()
    with Store.open(tmp_path / "records.sqlite3") as store:
        assert [s.outcome for s in store.sessions()] == ["strong", "unfinished", "unfinished"]  # the restarted
        # attempt, left without a reply, is not an attempt


async def test_without_recording_the_app_says_nothing_is_kept(tmp_path):
    app = make_app(records=link(tmp_path, record=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await send(pilot, "Hmm, okay.")
        await pilot.press("escape")
        await pilot.pause()
        assert "will not be kept (not recorded)" in app.screen.question


async def test_the_records_are_opened_read_and_written_off_the_ui_thread(tmp_path, monkeypatch):
    import threading

    from coach.records.store import Store as RealStore

    threads: set[str] = set()
    for name in ("open", "last_results", "sessions", "start_session", "add_turn", "finish_session"):
        real = getattr(RealStore, name)

        def spy(*args, _real=real, **kwargs):
            threads.add(threading.current_thread().name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(RealStore, name, staticmethod(spy) if name == "open" else spy)  # `open`: bound already
    app = make_app(records=link(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await play_once(pilot, "How do you see the problem?", "Let us check in again next week.")
        await pilot.press("ctrl+y")
        await loaded(pilot)
    assert threads and all(name.startswith("coach-records") for name in threads), threads


async def test_slow_records_never_hold_up_home(tmp_path, monkeypatch):
    import threading
    import time as clock

    from coach.records.store import Store as RealStore

    with RealStore.open(tmp_path / "records.sqlite3") as store:  # a result to show once read
        sid = store.start_session(scenario="checkin", title="t", scenario_hash="h", seed=0, mode="practice",
                                  opening="o", goals_total=2)
        store.finish_session(sid, None, "mixed")
    gate = threading.Event()
    real = RealStore.last_results

    def slow(self):
        gate.wait(10)  # the disk is slow today
        return real(self)

    monkeypatch.setattr(RealStore, "last_results", slow)
    app = make_app(records=link(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        started = clock.monotonic()
        await settle(pilot)
        await pilot.press("c", "h")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "ch"  # keys taken while the records load
        assert not app.records.loaded and clock.monotonic() - started < 5
        gate.set()
        await loaded(pilot)
        assert "Last result: mixed" in str(app.screen.query_one("#scenario-list").get_option_at_index(0).prompt)


async def test_history_lists_the_latest_sessions_when_there_are_very_many(tmp_path, monkeypatch):
    monkeypatch.setattr("coach.app.records.HISTORY_LIMIT", 2)
    with Store.open(tmp_path / "records.sqlite3") as store:
        for n in range(5):
            sid = store.start_session(scenario="checkin", title="t", scenario_hash="h", seed=n, mode="practice",
                                      opening="o", goals_total=2, session_id=f"s{n}",
                                      started=f"2026-01-01T00:00:0{n}+00:00")
            store.finish_session(sid, None, "mixed")
    app = make_app(records=link(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await loaded(pilot)
        await pilot.press("ctrl+y")
        await loaded(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(2)] == ["s4", "s3"]  # newest first
