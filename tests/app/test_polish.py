"""What a mentor or trainer would notice: keys named where they work, pastes, dialogs, records."""

from __future__ import annotations

from textual.widgets import Footer

from coach.app.screens.help import HelpScreen
from tests.app.helpers import make_app, settle


def footer_keys(app) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(f"{key.key_display} {key.description}" for key in footer.query("FooterKey"))


async def test_home_footer_and_help_name_enter_from_the_filter_and_the_list():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Enter Rehearse" in footer_keys(app)  # the filter has focus
        await pilot.press("tab")  # the list
        await pilot.pause()
        assert app.screen.focused.id == "scenario-list"
        assert "Enter Rehearse" in footer_keys(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("Enter", "Rehearse") in app.screen.keys


async def test_trainer_keys_left_off_the_home_footer_are_in_help_and_the_palette():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = footer_keys(app)
        assert "f1 Help" in shown and "Workshop" not in shown and "Presenter" not in shown  # fits 80 columns
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Presenter mode" in titles and "Join a workshop" in titles
        await pilot.press("f1")
        await pilot.pause()
        assert ("^o", "Workshop") in app.screen.keys and ("f8", "Presenter") in app.screen.keys


def test_records_that_cannot_be_opened_are_said_in_one_line_before_the_app_paints(tmp_path, monkeypatch):
    """Not a flash of the app then an error: the error alone, and the app never starts."""
    import argparse

    import pytest

    from coach.app import run_app
    from coach.app.app import CoachApp
    from coach.errors import CoachError

    bad = tmp_path / "records.sqlite3"
    bad.write_bytes(b"not a database at all" * 10)
    started = []
    monkeypatch.setattr(CoachApp, "run", lambda self, *a, **k: started.append(self))
    monkeypatch.setenv("COACH_SETTINGS", str(tmp_path / "settings.json"))
    with pytest.raises(CoachError) as raised:
        run_app(argparse.Namespace(db=str(bad), scenarios=[], watch=[], seed=None))
    assert not started
    assert "not a coach records database" in str(raised.value) and "\n" not in str(raised.value)
    assert bad.read_bytes() == b"not a database at all" * 10  # left untouched


async def test_an_interrupted_session_is_resumed_from_history(tmp_path):
    """Killed mid-conversation (never closed): history offers `r` on that row only, and the
    conversation goes on where it stopped, recording into the same attempt."""
    from textual.widgets import DataTable

    from coach.app.records import RecordsLink, RecordsOptions
    from coach.app.screens.conversation import ConversationScreen
    from coach.app.screens.history import HistoryScreen
    from coach.records.service import SessionService
    from coach.records.store import Store
    from tests.app.helpers import fixture_catalog, send
    from tests.app.test_records import loaded

    db = tmp_path / "records.sqlite3"
    catalog = fixture_catalog()
    service = SessionService(RecordsOptions(db=db))
    played = service.new_session(catalog.scenarios["checkin"], seed=7, mode="practice")
    played.reply("How do you see the problem?")
    service.close()  # the process "dies": the session is never closed
    app = make_app(catalog, records=RecordsLink(RecordsOptions(db=db)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await loaded(pilot)
        await pilot.press("ctrl+y")
        await loaded(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "r Resume" in footer_keys(app)
        await pilot.press("r", "y")
        await loaded(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert [t.reply for t in app.screen.session.turns] == ["How do you see the problem?"]
        await send(pilot, "Let us check in again next week.")
        assert len(app.screen.session.turns) == 2
    with Store.open(db) as store:
        sessions = store.sessions()
        assert len(sessions) == 1 and sessions[0].turns == 2  # the same attempt, recorded on


def _engine_takes_back_an_ending() -> bool:
    from coach.conversation.engine import Session
    from tests.app.helpers import fixture_catalog

    session = Session(fixture_catalog().scenarios["checkin"], seed=7)
    for reply in ENDING:
        session.reply(reply)
    assert session.ended
    try:
        session.undo()
    except RuntimeError:
        return False
    return True


ENDING = ("How do you see the problem?", "Let us check in again next week.")


async def test_ctrl_z_after_the_ending_takes_the_last_reply_back(tmp_path):
    """The conversation goes on from before the reply that ended it, and the records reopen the
    attempt; an engine that keeps an ended session closed is said so, and nothing changes."""
    from textual.widgets import Button

    from coach.app.records import RecordsLink, RecordsOptions
    from coach.app.widgets import ReplyInput
    from coach.records.store import Store
    from tests.app.helpers import send, start
    from tests.app.test_records import loaded

    db = tmp_path / "records.sqlite3"
    app = make_app(records=RecordsLink(RecordsOptions(db=db)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await start(pilot, "checkin")
        for reply in ENDING:
            await send(pilot, reply)
        screen = app.screen
        assert screen.session.ended and not screen.query_one("#to-report", Button).has_class("hidden")
        await pilot.press("ctrl+z")
        await pilot.pause()
        await loaded(pilot)
        if _engine_takes_back_an_ending():
            assert not screen.session.ended and len(screen.session.turns) == 1
            reply = screen.query_one(ReplyInput)
            assert not reply.disabled and reply.value == ENDING[1] and app.screen.focused is reply
            assert screen.query_one("#to-report", Button).has_class("hidden") and not screen.query(".end")
            app.records.call(lambda: None)  # the queued writes are done
            with Store.open(db) as store:
                assert store.sessions()[0].is_open  # reopened, not left "finished" with the old report
        else:
            assert screen.session.ended and len(screen.session.turns) == 2
            assert not screen.query_one("#to-report", Button).has_class("hidden")


async def test_keys_that_reach_no_text_box_in_a_conversation_go_to_the_reply():
    """Typed while the conversation was still mounting (a busy machine), or with a citation
    focused: the reply box takes them instead of dropping them."""
    from textual import events

    from coach.app.widgets import ReplyInput
    from tests.app.helpers import start

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "checkin")
        app.screen.set_focus(None)
        for character in "Hi Robin":
            app.post_message(events.Key(character if character != " " else "space", character))
        await pilot.pause()
        assert app.screen.query_one(ReplyInput).value == "Hi Robin"
