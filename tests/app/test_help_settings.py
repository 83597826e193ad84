"""Issue 13: help (F1, `?`, the palette), the first-run introduction, remembered settings.

Settings are read from `$COACH_SETTINGS`, pointed at tmp_path here; the shared conftest also
points XDG_CONFIG_HOME at a temporary folder, so no test touches the real user folder.
"""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Markdown

from coach.app.screens.conversation import ConversationScreen
from coach.app.screens.help import HelpScreen, IntroScreen
from coach.app.screens.home import HomeScreen
from coach.app.settings import ENV_SETTINGS, Settings, settings_path
from tests.app.helpers import make_app, settle, start


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "config" / "settings.json"
    monkeypatch.setenv(ENV_SETTINGS, str(path))
    return path


def help_text(app) -> str:
    return app.screen.query_one("#help-text", Markdown).source


async def test_f1_opens_help_with_the_keys_of_the_screen_and_the_guide():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "checkin")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        assert "Keys on the conversation screen" in text and "- `^g` Hint" in text and "Move cursor" not in text
        for topic in ("## Practice and assessment", "## Hints", "## Citations", "## The report"):
            assert topic in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)


async def test_question_mark_is_help_off_the_filter_and_text_in_it():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("?")
        assert app.screen.query_one("#filter", Input).value == "?"  # typing a filter, `?` is text
        app.screen.query_one("#filter", Input).value = ""
        app.screen.query_one("#scenario-list").focus()
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Keys on the home screen" in help_text(app)


async def test_help_and_the_introduction_are_in_the_command_palette():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Help" in titles and "Introduction" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"help")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_introduction_shows_on_first_run_only_and_can_be_reopened(settings_file):
    app = make_app(settings=Settings.load())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, IntroScreen)
        await pilot.press("escape")  # skip it
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert json.loads(settings_file.read_text())["intro_seen"] is True
    again = make_app(settings=Settings.load())
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert isinstance(again.screen, HomeScreen)
        again.show_introduction()
        await pilot.pause()
        assert isinstance(again.screen, IntroScreen)


async def test_theme_mode_and_presenter_are_remembered(settings_file):
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(json.dumps({"intro_seen": True}))
    app = make_app(settings=Settings.load())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.press("ctrl+t")  # assessment
        await pilot.pause()
    saved = json.loads(settings_file.read_text())
    assert (saved["theme"], saved["mode"], saved["presenter"]) == ("nord", "assessment", False)

    app = make_app(settings=Settings.load())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert (app.theme, app.mode) == ("nord", "assessment")
        await pilot.press("f8")  # presenter on
        await pilot.pause()
    assert json.loads(settings_file.read_text())["presenter"] is True
    app = make_app(settings=Settings.load())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.presenter and app.theme == "coach-projector"
        await pilot.press("f8")  # off again: back to the user's own theme and mode
        await pilot.pause()
        assert (app.theme, app.mode, app.presenter) == ("nord", "assessment", False)


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b'{"mode": "loud", "theme": 3}'])
async def test_corrupt_settings_fall_back_to_the_defaults_with_a_notice(settings_file, content):
    settings_file.parent.mkdir(parents=True)
    settings_file.write_bytes(content)
    settings = Settings.load()
    assert settings.notice and str(settings_file) in settings.notice
    assert (settings.mode, settings.theme, settings.presenter) == ("practice", None, False)
    app = make_app(settings=settings)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        assert any(str(settings_file) in str(n.message) for n in app._notifications)


async def test_unwritable_settings_are_a_notice_not_a_traceback(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(ENV_SETTINGS, str(blocker / "settings.json"))  # its folder is a file
    app = make_app(settings=Settings(intro_seen=True, path=settings_path()))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.mode == "assessment"
        assert any("could not save the settings" in str(n.message) for n in app._notifications)


def test_the_default_place_is_the_user_config_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_SETTINGS, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert settings_path() == tmp_path / "xdg" / "coach" / "settings.json"
