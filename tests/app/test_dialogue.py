"""The counterpart answers what was said, in the app: small talk keeps the beat, a blank reply is
no turn, and a reply can be taken back (ctrl+z or /undo) and tried again."""

from __future__ import annotations

import pytest

from coach.app.screens.conversation import ConversationScreen
from coach.app.widgets import ReplyInput, Transcript
from coach.app.widgets.feedback import TurnFeedback
from coach.app.widgets.transcript import Bubble
from coach.scenario.loader import load_catalog
from coach.scenario.sources import bundled_folder
from tests.app.helpers import make_app, send, start

ROLE = "I'm not your manager, and nothing we talk about goes into your review."
BRUSH_OFF = "We'll be friends! Call me anytime, weekends included."


@pytest.fixture(scope="module")
def bundled():
    return load_catalog([bundled_folder()])


def bubbles(screen) -> list[str]:
    return [bubble.line.text for bubble in screen.query_one(Transcript).query(Bubble)]


async def test_small_talk_is_answered_and_keeps_the_beat(bundled):
    app = make_app(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "onboarding-talk")
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await send(pilot, "Did you see the football last night?")
        turn = screen.session.turns[-1]
        assert turn.beat == "hello" and not turn.feedback
        said = bubbles(screen)[-1]
        assert said.endswith(screen.session.scenario.state("hello").again) and "work with that" not in said
        await send(pilot, ROLE)
        assert screen.session.state.id == "kickoff"


async def test_a_blank_reply_is_not_a_turn(bundled):
    app = make_app(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "onboarding-talk")
        screen = app.screen
        await send(pilot, "   ")
        assert not screen.session.turns and len(bubbles(screen)) == 1


@pytest.mark.parametrize("how", ["key", "command"])
async def test_a_reply_is_taken_back_and_tried_again(bundled, how):
    app = make_app(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "onboarding-talk")
        screen = app.screen
        session = screen.session
        await send(pilot, BRUSH_OFF)
        assert session.state.id == "wary" and len(bubbles(screen)) == 3
        if how == "key":
            screen.query_one(ReplyInput).focus()
            await pilot.press("ctrl+z")
        else:
            await send(pilot, "/undo")
        await pilot.pause()
        assert screen.session is session and session.state.id == "hello" and not session.turns
        assert len(bubbles(screen)) == 1 and session.report().retries == 1
        assert not screen.query(TurnFeedback)  # the feedback of the reply taken back went with it
        assert screen.query_one(ReplyInput).value == BRUSH_OFF  # back in the box to rework
        await send(pilot, ROLE)
        assert session.state.id == "kickoff" and len(bubbles(screen)) == 3
        assert bubbles(screen)[1] == ROLE
        assert [shown.turn.reply for shown in screen.query(TurnFeedback)] == [ROLE]


async def test_nothing_to_take_back_at_the_start(bundled):
    app = make_app(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "onboarding-talk")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not app.screen.session.turns and app.screen.session.retries == 0


async def test_a_reply_taken_back_while_recording_is_kept_aside_in_the_records(bundled, tmp_path):
    from coach.app.records import RecordsLink, RecordsOptions
    from coach.records.store import Store

    link = RecordsLink(RecordsOptions(db=tmp_path / "records.sqlite3"))
    app = make_app(bundled, records=link)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "onboarding-talk")
        await send(pilot, BRUSH_OFF)
        await pilot.press("ctrl+z")
        await send(pilot, ROLE)
        link.call(lambda: None)  # the queued writes are done
        assert app.screen.session.state.id == "kickoff"
    with Store.open(tmp_path / "records.sqlite3") as store:
        [summary] = store.sessions()
        assert store.session(summary.id).replies == [ROLE]
        assert [turn.reply for turn in store.undone_turns(summary.id)] == [BRUSH_OFF]
