"""Each bundled scenario played end to end through the UI, replies taken from its first
playthrough (`coach test` runs them all): what the screen shows, and the same session as
`coach play --json` gives for those replies and seed."""

from __future__ import annotations

import pytest

from coach.app.screens.conversation import ConversationScreen
from coach.app.screens.report import ReportScreen
from coach.app.widgets import CitationLink, GoalProgress
from coach.scenario.loader import load_catalog
from coach.conversation.render import OUTCOME_WORDS
from coach.scenario.sources import bundled_folder
from tests.app.helpers import make_app, screen_text, send, start
from tests.app.test_same_engine import play_in_cli

BUNDLED = sorted(path.stem for path in bundled_folder().glob("*.yaml"))


@pytest.fixture(scope="module")
def bundled():
    return load_catalog([bundled_folder()])


@pytest.mark.parametrize("scenario_id", BUNDLED)
async def test_playthrough_through_the_ui(bundled, scenario_id, capsys, tmp_path):
    scenario = bundled.scenarios.get(scenario_id)
    if scenario is None or not scenario.playthroughs:
        pytest.skip(f"{scenario_id} is not loadable yet or has no playthroughs")
    items = scenario.briefing.items
    for playthrough in scenario.playthroughs[:1]:
        app = make_app(bundled, seed=playthrough.seed)
        async with app.run_test(size=(120, 40)) as pilot:
            await start(pilot, scenario_id)
            screen = app.screen
            assert isinstance(screen, ConversationScreen)
            session = screen.session
            for reply in playthrough.replies:
                await send(pilot, reply)
                turn = session.turns[-1]
                shown_links = [link.citation.id for link in screen.query(CitationLink)]
                expected = [c.id for t in session.turns for f in t.feedback for c in f.citations]
                assert shown_links == expected, playthrough.name
                met, total = session.goal_progress()
                assert screen.query_one(GoalProgress).border_title == f"Goals {met}/{total}"
                if turn.ended:
                    break
            assert session.ended, playthrough.name
            assert session.state.id == playthrough.ending, playthrough.name
            assert set(playthrough.goals_met) <= set(session.goals_met), playthrough.name
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReportScreen)
            text = screen_text(pilot)
            report = session.report()
            assert f"Outcome: {OUTCOME_WORDS[report.outcome]}: {report.ending_title}" in text
            assert f"Learning goals met ({len(report.goals_met)}/{len(report.goals)})" in text
            for goal in report.goals_missed:
                assert items[goal.id].title in text
                if goal.model_answer:
                    assert goal.model_answer.split("\n")[0][:40] in text
            for question in report.debrief:
                assert question in text
        cli_data = play_in_cli(capsys, tmp_path, scenario_id, playthrough.replies, playthrough.seed)
        assert session.to_dict() == cli_data
