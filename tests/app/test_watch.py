"""Live editing (`coach --watch`): a broken edit shows its problems and keeps the last good
version playable; the fix clears them and the list shows the new version."""

from __future__ import annotations

import shutil

from textual.widgets import OptionList

from coach.app.screens.conversation import ConversationScreen
from coach.scenario.loader import load_catalog
from coach.authoring.watch import Watcher
from tests.app.helpers import SCENARIOS, make_app, screen_text, settle, start


def errors_shown(pilot) -> list[str]:
    """The error lines of the problems panel (warnings, e.g. markers without examples, may stay)."""
    text = screen_text(pilot, "#problems-text")
    return [line for line in text.splitlines() if ": error: " in line]


def prompts(pilot) -> str:
    options = pilot.app.screen.query_one("#scenario-list", OptionList)
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def test_edit_broken_then_fixed(tmp_path):
    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    checkin = folder / "checkin.yaml"
    good = checkin.read_text()
    app = make_app(load_catalog([folder]), watcher=Watcher([folder]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.poll_watch()  # the first look (the timer would do it within half a second)
        await pilot.pause()
        assert "A quick check-in" in prompts(pilot)
        assert errors_shown(pilot) == []
        assert "warning" in screen_text(pilot, "#problems-text")  # lint, as `coach validate` says it

        checkin.write_text(good.replace("title:", "titel:", 1))  # an unknown key: the file is broken
        app.poll_watch()
        await pilot.pause()
        [error, *_] = errors_shown(pilot)
        assert error.startswith(f"{checkin}:") and "titel" in error  # file:line:col: error: message
        assert "A quick check-in" in prompts(pilot)  # the last good version is still listed
        await start(pilot, "checkin")
        assert isinstance(app.screen, ConversationScreen)  # ... and playable
        await pilot.press("escape")
        await pilot.pause()

        checkin.write_text(good.replace("A quick check-in", "A quicker check-in", 1))
        app.poll_watch()
        await pilot.pause()
        assert errors_shown(pilot) == []
        assert "A quicker check-in" in prompts(pilot)
        assert app.catalog.scenarios["checkin"].title == "A quicker check-in"


async def test_a_conversation_in_progress_is_not_interrupted(tmp_path):
    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    checkin = folder / "checkin.yaml"
    app = make_app(load_catalog([folder]), watcher=Watcher([folder]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.poll_watch()
        await start(pilot, "checkin")
        screen = app.screen
        session = screen.session
        checkin.write_text(checkin.read_text().replace("A quick check-in", "Edited check-in", 1))
        app.poll_watch()
        await pilot.pause()
        assert app.screen is screen and screen.session is session  # still the same conversation
        assert app.catalog.scenarios["checkin"].title == "Edited check-in"
        await pilot.press("ctrl+r")  # the offered restart (no reply yet: no question asked)
        await pilot.pause()
        assert app.screen.session.scenario.title == "Edited check-in"
