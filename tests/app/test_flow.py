"""The app through its UI: home, a conversation, feedback, the report, exports, quitting."""

from __future__ import annotations

import json

import pytest
from textual.widgets import OptionList

from coach.app.exports import ENV_EXPORT_DIR
from coach.app.screens.briefing import BriefingScreen
from coach.app.screens.confirm import ConfirmScreen
from coach.app.screens.conversation import ConversationScreen
from coach.app.screens.home import HomeScreen
from coach.app.screens.report import ReportScreen
from coach.app.widgets import CitationLink, FeedbackPanel, GoalProgress
from coach.app.widgets.feedback import TurnFeedback
from coach.cli import main
from tests.app.helpers import BROKEN, fixture_catalog, make_app, screen_text, send, start

GOOD = ["How do you see the problem?", "Let us check in again next week."]


@pytest.fixture(autouse=True)
def _exports(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_EXPORT_DIR, str(tmp_path / "exports"))


async def test_home_lists_scenarios_with_details_and_last_result():
    app = make_app(last_results={"checkin": "strong, 2/2 goals"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        listing = app.screen.query_one(OptionList)
        assert listing.option_count == 1
        prompt = str(listing.get_option_at_index(0).prompt)
        for expected in ("A quick check-in", "~5 min", "Robin", "Junior developer", "Ask before advising",
                         "Last result: strong, 2/2 goals"):
            assert expected in prompt
        assert "You mentor Robin" in screen_text(pilot)


async def test_typing_filters_the_list():
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press(*"zzz")
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 0
        assert "No scenario matches" in screen_text(pilot)
        await pilot.press("backspace", "backspace", "backspace", *"robin")
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 1


async def test_broken_files_are_listed_and_good_scenarios_still_offered():
    app = make_app(fixture_catalog(BROKEN))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(pilot)
        assert "broken.yaml:4:1: error: invalid YAML" in text
        assert app.screen.query_one(OptionList).option_count == 1


async def test_play_to_the_end_shows_feedback_goals_and_report():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.query_one(GoalProgress).border_title == "Goals 0/2"
        await send(pilot, GOOD[0])
        links = [link.citation.id for link in screen.query(CitationLink)]
        assert links == ["habits.ask"]
        assert "Your words: \u201cHow do you see the problem\u201d" in screen_text(pilot)
        assert screen.query_one(GoalProgress).border_title == "Goals 1/2"
        assert "Robin is relieved" in screen_text(pilot, "#status")
        await send(pilot, GOOD[1])
        assert screen.session.ended
        assert "Robin has a plan (strong)" in screen_text(pilot)
        await pilot.press("enter")  # the "see the report" button has focus
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        text = screen_text(pilot)
        assert "Outcome: Strong: Robin has a plan" in text
        assert "Learning goals met (2/2)" in text
        assert "What made Robin open up?" in text
        assert GOOD[1] in text  # the transcript
        assert [link.citation.id for link in app.screen.query(CitationLink)][:2] == ["habits.ask", "habits.follow-up"]


async def test_missed_goal_shows_model_answer_and_pitfall_its_better_alternative():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await send(pilot, "Just listen to me.")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(pilot)
        assert "Outcome: Poor: Robin shuts down" in text
        assert "Learning goals missed (2)" in text
        assert "A model answer: \u201cHow do you see the problem? What do you think is blocking you?\u201d" in text
        assert "That shuts Robin out of the conversation." in text
        assert "Better: Ask what Robin has tried so far." in text


async def test_selecting_a_citation_opens_the_item():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await send(pilot, GOOD[0])
        link = app.screen.query_one(CitationLink)
        await pilot.click(link)
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert "Asking how the mentee sees things" in screen_text(pilot, "#item-text")
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one(CitationLink).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)


async def test_briefing_browser_from_home_shows_sections_and_items():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert "Two habits that make a mentoring check-in work." in screen_text(pilot, "#item-text")
        await pilot.press("down")  # section "Good habits"
        await pilot.pause()
        assert "What helps a check-in." in screen_text(pilot, "#item-text")
        await pilot.press("down")
        await pilot.pause()
        assert "habits.ask" in screen_text(pilot, "#item-text")


async def test_hint_is_shown_and_counted():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Ask how Robin sees the problem" in screen_text(pilot, ".note")
        assert "Hints 1" in screen_text(pilot, "#status")
        assert app.screen.session.hints_used == 1


async def test_assessment_mode_holds_feedback_until_the_end():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.mode == "assessment"
        assert "Assessment" in screen_text(pilot, "#mode-label")
        await start(pilot, "checkin")
        screen = app.screen
        assert screen.session.mode == "assessment"
        await send(pilot, GOOD[0])
        assert not screen.query(TurnFeedback)
        assert screen.query_one(GoalProgress).border_title == "Goals ?/2"
        assert "Assessment" in screen_text(pilot, "#status")
        await send(pilot, GOOD[1])
        assert len(screen.query_one(FeedbackPanel).query(TurnFeedback)) == 2
        assert screen.query_one(GoalProgress).border_title == "Goals 2/2"


async def test_multi_line_reply_with_ctrl_s():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await pilot.press("ctrl+l")
        await pilot.press(*"first line", "enter", *"second line")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.session.turns[0].reply == "first line\nsecond line"


async def test_quit_asks_while_a_conversation_is_in_progress():
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "checkin")
        await send(pilot, "Hello Robin.")
        session = app.screen.session
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert session._closed
    assert app.return_code == 0


async def test_quit_from_home_does_not_ask():
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def session_started(self, session) -> None:
        self.events.append(("started", id(session)))

    def turn_played(self, session, turn) -> None:
        self.events.append(("turn", id(session)))

    def hint_used(self, session, hint) -> None:
        self.events.append(("hint", id(session)))

    def session_closed(self, session) -> None:
        self.events.append(("closed", id(session)))


async def test_listeners_follow_sessions_and_restart_closes_the_old_one():
    recorder = Recorder()
    made = []
    app = make_app(listeners_factory=lambda scenario: made.append(scenario.id) or [recorder])
    async with app.run_test() as pilot:
        await start(pilot, "checkin")
        first = id(app.screen.session)
        await send(pilot, "Hello Robin.")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        second = id(app.screen.session)
        assert second != first
        await pilot.press("escape")  # nothing said yet: leaves without asking
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert made == ["checkin", "checkin"]
    assert recorder.events == [("started", first), ("turn", first), ("closed", first),
                               ("started", second), ("closed", second)]


async def test_export_writes_markdown_and_json_and_shows_where(tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        session = app.screen.session
        for reply in GOOD:
            await send(pilot, reply)
        await pilot.press("enter")
        await pilot.pause()
        assert str(tmp_path / "exports") in screen_text(pilot, "#export-path")
        await pilot.press("e")
        await pilot.pause()
        exported = sorted((tmp_path / "exports").iterdir())
        assert [p.suffix for p in exported] == [".json", ".md"]
        assert "Exported: " + str(exported[1]) in screen_text(pilot, "#export-path")
        markdown = exported[1].read_text()
        assert markdown.startswith("# A quick check-in: report") and "## Turn by turn" in markdown
        data = json.loads(exported[0].read_text())
        assert data["format"] == "coach-session/2" and len(data["turns"]) == len(session.turns)
    # the app's export imports with `coach import` and writes back exactly the same file
    db = tmp_path / "other.sqlite3"
    assert main(["import", "--db", str(db), str(exported[0])]) == 0
    from coach.records.exports import render
    from coach.records.store import Store

    with Store.open(db) as store:
        assert render(store.session(data["summary"]["id"]), "json") == exported[0].read_text()


async def test_palette_switches_scenario_and_offers_screen_keys():
    catalog = fixture_catalog()
    app = make_app(catalog)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        await send(pilot, "Hello Robin.")
        first = app.screen.session
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Rehearse: A quick")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session is not first and first._closed
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Hint", "Briefing", "Restart", "Export", "Theme"):
            assert title in titles


async def test_projector_theme_is_registered():
    app = make_app(theme="coach-projector")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "coach-projector" in app.available_themes
        assert app.theme == "coach-projector"
