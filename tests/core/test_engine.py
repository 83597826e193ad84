"""The engine: whole conversations played from scripted replies."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.authoring.checks import playthrough_check
from coach.conversation.engine import Session, replay

from .helpers import mini

GOOD = ["How do you see it? It's okay to make mistakes.",
        "Let's set goals together and schedule a regular check-in every two weeks."]
BAD = ["Do it because I said so.", "Whatever."]


def test_a_good_playthrough_reaches_the_best_ending():
    session = replay(mini(), GOOD)
    report = session.report()
    assert session.ended and report.outcome == "strong" and report.ending == "warm"
    assert {g.id for g in report.goals_met} == {"nearby.psychological-safety", "helps.goal-setting", "helps.check-ins"}
    assert not report.goals_missed and not report.pitfalls


def test_a_pitfall_sends_the_counterpart_defensive_and_ends_poorly():
    session = Session(mini())
    turn = session.reply(BAD[0])
    assert turn.beat == "tense" and turn.mood == "defensive" and turn.trust == -2
    [item] = turn.feedback
    assert item.kind == "pitfall" and item.better and item.citations[0].id == "nearby.power-dynamics"
    assert item.citations[0].title  # cites the briefing item's title, too
    assert item.evidence.lower().startswith("do it because")
    last = session.reply(BAD[1])
    assert last.ended and last.outcome == "poor"
    report = session.report()
    assert [p.marker for p in report.pitfalls] == ["pull-rank"]
    missed = {g.id: g.model_answer for g in report.goals_missed}
    assert missed["helps.goal-setting"].startswith("Let's set goals together")  # from the beat that shows it
    assert report.debrief == ("Where did it turn?",)


def test_nothing_recognised_keeps_the_counterpart_in_the_beat():
    session = Session(mini())
    turn = session.reply("Nice weather today.")
    assert turn.beat == "hello" and not turn.matches and not turn.feedback and not turn.ended


def test_good_practice_is_credited_wherever_it_appears():
    session = Session(mini())
    turn = session.reply("Let's set goals together.")  # a goal the first beat does not ask for
    assert turn.goals_met == ("helps.goal-setting",)


def test_the_same_seed_replays_exactly_and_seeds_vary_lines():
    one, two = replay(mini(), GOOD, seed=5), replay(mini(), GOOD, seed=5)
    assert one.to_dict() == two.to_dict()
    openings = {Session(mini(), seed=seed).opening for seed in range(20)}
    assert len(openings) == 2  # both authored variants are used


def test_hints_are_counted_per_turn_and_in_the_report():
    session = Session(mini())
    assert session.hint().startswith("Ask how they see")
    session.hint()
    turn = session.reply(GOOD[0])
    assert turn.hints == 2 and session.report().hints_used == 2


def test_listeners_see_every_event_once():
    events = []

    class Listener:
        def session_started(self, session): events.append("start")
        def turn_played(self, session, turn): events.append(f"turn{turn.index}")
        def hint_used(self, session, hint): events.append("hint")
        def session_closed(self, session): events.append("closed")

    session = Session(mini(), listeners=[Listener()])
    session.hint()
    for text in GOOD:
        session.reply(text)
    session.close()
    assert events == ["start", "hint", "turn0", "turn1", "closed"]


def test_an_ended_conversation_takes_no_more_replies():
    session = replay(mini(), GOOD)
    with pytest.raises(RuntimeError):
        session.reply("one more thing")


def test_unfinished_report():
    report = Session(mini()).report()
    assert report.outcome == "unfinished" and report.ending is None and len(report.transcript) == 1


def test_many_sessions_share_one_machine():
    scenario = mini()
    sessions = [Session(scenario, seed=i) for i in range(50)]
    for session in sessions[:25]:
        session.reply(BAD[0])
    assert {s.state.id for s in sessions} == {"hello", "tense"}
    assert sum(s.state.id == "tense" for s in sessions) == 25


# -- the bundled scenarios ----------------------------------------------------------------

BUNDLED = ("onboarding-talk", "hard-feedback", "ending-mentoring")


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_bundled_scenario_shape(catalog, scenario_id):
    scenario = catalog.scenario(scenario_id)
    assert len(scenario.beats) >= 6 and len(scenario.endings) >= 2
    assert {e.outcome for e in scenario.endings} >= {"strong", "poor"}


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_bundled_playthroughs_reach_best_and_worst_endings(catalog, scenario_id):
    scenario = catalog.scenario(scenario_id)
    outcomes = {}
    for index, playthrough in enumerate(scenario.playthroughs):
        check, session = playthrough_check(scenario, index, playthrough)  # steps may be /undo, /hint
        report = session.report()
        assert check.passed and report.ending == playthrough.ending, (playthrough.name, check.detail)
        assert set(playthrough.goals_met) <= {g.id for g in report.goals_met}, playthrough.name
        outcomes.setdefault(report.outcome, report)  # the first of each outcome: the canonical runs
    assert "strong" in outcomes and "poor" in outcomes
    assert len(outcomes["strong"].goals_met) > len(outcomes["poor"].goals_met)
    assert len(outcomes["poor"].pitfalls) > len(outcomes["strong"].pitfalls)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(BUNDLED), st.lists(st.text(max_size=300), min_size=1, max_size=12), st.integers(0, 2**31))
def test_any_replies_play_without_error_and_are_kept_literally(catalog, scenario_id, replies, seed):
    session = Session(catalog.scenario(scenario_id), seed=seed)
    for text in replies:
        if session.ended:
            break
        turn = session.reply(text)
        assert turn.reply == text
        assert all(item.citations for item in turn.feedback)  # every piece of feedback cites the briefing
    users = [line.text for line in session.report().transcript if line.speaker == "user"]
    assert users == replies[: len(users)]
