"""Keys typed in a burst take effect in the order they were typed (issue 13: lost keystrokes).

Pilot's `press` waits for each key to be handled; a terminal delivers a burst at once (a busy
app, tmux, fast typing), so these tests post the keys the way the driver does.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.widgets import Input

from coach.app.screens.conversation import ConversationScreen
from coach.app.widgets import ReplyInput
from tests.app.helpers import make_app, send, settle, start

CHARACTERS = {"backspace": "\x7f", "space": " ", "enter": "\r"}


def burst(app: App, keys: list[str]) -> None:
    """Post every key at once, as the terminal driver does when they arrive together."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


def typed(text: str) -> list[str]:
    return ["space" if char == " " else char for char in text]


async def test_backspaces_then_letters_in_one_burst_keep_their_order():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"checkinx")
        burst(app, ["backspace"] * 8 + typed("quick ch"))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "quick ch"


async def test_back_from_a_report_the_filter_takes_every_key_and_enter_starts_the_filtered_scenario(catalog):
    app = make_app(catalog)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "hard-feedback")
        await send(pilot, "How did the week go for you?")
        await pilot.press("ctrl+n", "y")  # end here: the report
        await pilot.pause()
        await pilot.press("escape")  # home, the filter still says "hard-feedback"
        burst(app, ["backspace"] * len("hard-feedback") + typed("onboard") + ["enter"])
        for _ in range(4):
            await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.scenario.id == "onboarding-talk"


async def test_the_reply_box_keeps_a_burst_in_order():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        burst(app, typed("hellp") + ["backspace"] + typed("o you"))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one(ReplyInput).value == "hello you"


async def test_keys_typed_right_after_enter_start_the_reply_and_leave_the_filter_as_it_was():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"checkin")
        burst(app, ["enter"] + typed("Hi Robin"))  # typing on while the conversation opens
        for _ in range(6):
            await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.query_one(ReplyInput).value == "Hi Robin"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "checkin"
