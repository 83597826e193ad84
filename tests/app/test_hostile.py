"""Whatever the user types or pastes is shown literally, never interpreted, never lost."""

from __future__ import annotations

import pytest
from textual import events

from coach.app.screens.report import ReportScreen
from coach.app.text import literal, visible
from coach.app.widgets import Bubble, LongReply, ReplyInput
from tests.app.helpers import make_app, screen_text, shown, start

TYPED = ["[bold]x[/]", "[/]", "[link=https://x]y[/link]", "caf\u00e9", "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"]
PASTED = ["\x1b[31mred\x1b[0m", "\U0001f600\U0001f44d\U0001f3fd \U0001f468\u200d\U0001f469\u200d\U0001f467 [i]", "[bold]" + "x" * 10_000 + "[/]", "line one\n[/]\nline \x1b three"]


def user_bubbles(app) -> list[Bubble]:
    return [b for b in app.screen.query(Bubble) if b.line.speaker == "user"]


@pytest.mark.parametrize("text", TYPED)
async def test_typed_text_is_shown_literally_and_kept(text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await pilot.press(*text)
        assert app.screen.query_one(ReplyInput).value == text
        await pilot.press("enter")
        await pilot.pause()
        session = app.screen.session
        assert session.turns[0].reply == text
        assert [shown(b) for b in user_bubbles(app)] == [text]
        assert text in screen_text(pilot, "TurnFeedback Static")  # the feedback's turn title
        await pilot.press("ctrl+n", "y")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert text in screen_text(pilot, "Bubble")
        assert session.report().transcript[1].text == text


@pytest.mark.parametrize("text", PASTED)
async def test_pasted_text_is_shown_literally_and_kept(text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        app.post_message(events.Paste(text))  # as the terminal's bracketed paste arrives
        await pilot.pause()
        multi_line = "\n" in text
        if multi_line:  # a paste of several lines moves, whole, to the multi-line editor
            assert app.screen.query_one(LongReply).text == text
            await pilot.press("ctrl+s")
        else:
            assert app.screen.query_one(ReplyInput).value == text
            assert "\x1b" not in app.screen.query_one(ReplyInput)._value.plain
            await pilot.press("enter")
        await pilot.pause()
        session = app.screen.session
        assert session.turns[0].reply == text
        drawn = shown(user_bubbles(app)[0])
        assert drawn == visible(text) and "\x1b" not in drawn
        assert "\u241b" in drawn or "\x1b" not in text  # ESC drawn as the visible symbol
        await pilot.press("ctrl+n", "y")
        await pilot.pause()
        assert session.report().transcript[1].text == text


async def test_pasting_into_the_multi_line_editor_keeps_everything():
    text = "a\x1b[2Jb\n" * 3
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await pilot.press("ctrl+l")
        long = app.screen.query_one(LongReply)
        app.post_message(events.Paste(text))
        await pilot.pause()
        assert long.text == text
        assert "\x1b" not in long.get_line(0).plain
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.session.turns[0].reply == text


def test_literal_never_reads_markup_nor_passes_escapes():
    for text in [*TYPED, *PASTED, "\x07\x08\r\x7f\x9b"]:
        content = literal(text)
        assert not content.spans
        assert all(ord(c) >= 0x20 or c == "\n" for c in content.plain)
        assert not any(0x7F <= ord(c) < 0xA0 for c in content.plain)
    assert visible("\x1b[31m") == "\u241b[31m"
    assert len(visible("a\tb\x1bc")) == len("a\tb\x1bc")


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
async def test_a_paste_keeps_what_follows_a_line_separator(separator):
    """Input keeps only the first line of a paste (as str.splitlines splits it): a Word line
    break (\\x0b) or U+2028 used to drop the rest. Now it is a line (or a space), never lost."""
    text = f"I noticed{separator}in the review yesterday{separator}that you went quiet"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        app.post_message(events.Paste(text))
        await pilot.pause()
        long, short = app.screen.query_one(LongReply), app.screen.query_one(ReplyInput)
        box = long.text if not long.has_class("hidden") else short.value
        assert box.split() == text.split()
        await pilot.press("ctrl+s" if not long.has_class("hidden") else "enter")
        await pilot.pause()
        assert app.screen.session.turns[0].reply.split() == text.split()


async def test_a_paste_into_the_filter_keeps_every_line_as_words():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        from tests.app.helpers import settle

        await settle(pilot)
        app.post_message(events.Paste("check\u2028in"))
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "check in"
