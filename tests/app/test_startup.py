"""Start-up: the home screen is usable at its first paint, and no key typed early is lost."""

from __future__ import annotations

from textual.widgets import Footer, Header, Input, OptionList, Switch

from coach.app.screens.home import HomeScreen
from tests.app.helpers import make_app, screen_text, settle


async def test_ready_means_filter_focused_and_list_filled():
    app = make_app()
    seen: dict[str, object] = {}

    def at_ready() -> None:
        screen = app.screen
        seen["focused"] = screen.focused.id if screen.focused else None
        seen["options"] = screen.query_one("#scenario-list", OptionList).option_count

    app.after_start = at_ready
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert seen == {"focused": "filter", "options": 1}
        assert app.after_start is None  # run once


async def test_the_rest_of_home_is_mounted_after_the_first_paint():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        for kind in (Header, Footer, Switch):
            assert len(screen.query(kind)) == 1
        assert "A quick check-in" in screen_text(pilot, "#details")


async def test_keys_typed_at_once_reach_the_filter():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"zzz")
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "zzz"
        assert app.screen.query_one("#scenario-list", OptionList).option_count == 0


async def test_typing_on_the_list_filters():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#scenario-list", OptionList).focus()
        await pilot.pause()
        await pilot.press(*"qx")
        await pilot.pause()
        filter_input = app.screen.query_one("#filter", Input)
        assert filter_input.value == "qx"
        assert app.screen.focused is filter_input
