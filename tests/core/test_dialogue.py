"""The counterpart answers what was said: responses by specificity, topics not asked twice,
small talk and questions answered in character without moving on, undo by replay."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.authoring.checks import playthrough_check
from coach.conversation.commands import command_of
from coach.conversation.engine import Session, replay
from coach.conversation.record import to_data
from coach.conversation.text import is_open_question, is_question
from coach.scenario.models import Playthrough, Step

from .helpers import load_with, mini

DIALOGUE = Path(__file__).resolve().parent.parent / "fixtures" / "dialogue"
SAFE = "It's fine to make mistakes here."


@pytest.fixture(scope="module")
def talk():
    catalog = load_with(DIALOGUE)
    assert not catalog.errors, catalog.errors
    return catalog.scenario("talk")


def test_small_talk_is_answered_in_character_and_keeps_the_beat(talk):
    session = Session(talk)
    turn = session.reply("Did you see the football last night?")
    assert turn.beat == "hello" and not turn.feedback and turn.trust == 0 and not turn.goals_met
    assert turn.answer.startswith("Ha, I missed the match")
    assert turn.answer.endswith(("Sorry, but is this some kind of review?", "But, um, am I being reviewed here?"))


def test_a_reply_that_recognises_nothing_is_not_progress(talk):
    session = Session(talk)
    turn = session.reply("Um, well, hmm.")
    assert turn.beat == "hello" and turn.answer.startswith("Hm, okay.")


def test_a_plain_yes_is_heard_as_agreeing_and_moves_nothing_on(talk):
    turn = Session(talk).reply("Right, yes.")  # "yes" is no longer dropped as a filler
    assert turn.beat == "hello" and [m.marker for m in turn.matches] == ["agrees"]


def test_the_most_specific_response_wins(talk):
    turn = Session(talk).reply("Hmm, where were we?")  # nothing recognised, and a question
    assert turn.answer.startswith("I'm not sure, honestly.")


def test_a_question_to_the_counterpart_gets_an_answer_then_the_point_again(talk):
    turn = Session(talk).reply("How are you finding the first weeks?")
    assert turn.beat == "hello" and turn.answer.startswith("It's going well") and "review" in turn.answer


def test_something_recognised_but_not_the_point_stays_with_the_beats_own_response(talk):
    turn = Session(talk).reply("Let's set goals together.")
    assert turn.beat == "hello" and turn.goals_met == ("helps.goal-setting",)
    assert turn.answer.startswith("Okay, thanks.") and "review" in turn.answer


def test_a_later_point_given_early_is_acknowledged_and_not_asked_again(talk):
    session = Session(talk)
    first = session.reply(f"{SAFE} And let's meet every two weeks.")
    assert first.beat == "plans" and first.answer == "Every two weeks works for me. What should I aim for?"
    second = session.reply("Let's set goals together.")
    assert second.ended and second.outcome == "strong"
    assert second.answer == "Goals, good. And every two weeks suits me. Great, see you then!"
    assert all("How often" not in line.text for line in session.transcript)


def test_topics_given_in_any_order_skip_every_beat_that_asks_them(talk):
    session = Session(talk)
    session.reply("Let's set goals together, and let's meet every two weeks.")  # both, before the point
    turn = session.reply(SAFE)
    assert turn.ended and turn.answer == "Goals together, as you said. And every two weeks suits me. Great, see you then!"


def test_a_pitfall_then_a_repair(talk):
    session = Session(talk)
    assert session.reply("Do it because I said so.").beat == "tense"
    assert session.reply(SAFE).beat == "plans"


def test_undo_replays_to_the_state_before_the_last_reply(talk):
    events = []

    class Listener:
        def session_started(self, session): events.append("started")
        def turn_played(self, session, turn): events.append(f"turn{turn.index}")
        def hint_used(self, session, hint): events.append("hint")
        def turn_undone(self, session, turn): events.append(f"undone{turn.index}:{turn.reply}")
        def session_closed(self, session): events.append("closed")

    session = Session(talk, seed=3, listeners=[Listener()])
    session.reply(SAFE)
    session.hint()
    session.reply("Do it because I said so.")
    assert session.state.id == "tense" and session.trust < 0
    undone = session.undo()
    assert undone.reply == "Do it because I said so."
    expected = replay(talk, [SAFE], seed=3)
    assert session.to_dict()["turns"] == expected.to_dict()["turns"]
    assert session.state.id == "plans" and session.trust == expected.trust and not session.pitfalls
    assert session.transcript == expected.transcript
    assert events == ["started", "turn0", "hint", "turn1", "undone1:Do it because I said so."]
    report = session.report()
    assert report.retries == 1 and report.hints_used == 1 and to_data(report)["retries"] == 1
    session.reply("Let's set goals together.")  # plays on from the restored state
    assert session.state.id == "rhythm" and events[-1] == "turn1"


def test_undo_needs_a_reply_to_take_back(talk):
    with pytest.raises(RuntimeError):
        Session(talk).undo()


def test_moves_earn_no_credit_and_no_feedback(talk):
    turn = Session(talk).reply("Nice to meet you! How are you finding the first weeks?")
    assert {m.kind for m in turn.matches} == {"move"} and not turn.feedback and turn.trust == 0


def test_format_1_keeps_moving_on_whatever_was_said():
    session = Session(mini())
    turn = session.reply("I had a sandwich.")
    assert turn.beat == "hello"  # mini says so explicitly: {to: hello, when: nothing}
    scenario = mini()
    assert scenario.version == 1


@pytest.mark.parametrize("text, expected", [
    ("Did you see the football last night", True), ("What do you think?", True),
    ("How are you finding it", True), ("So, do you want to meet weekly", True),
    ("When the export failed, you kept retrying.", False), ("Do it because I said so.", False),
    ("Tell me about yourself.", False), ("Let's meet every other Thursday.", False),
])
def test_questions_are_recognised_by_mark_or_opening(text, expected):
    assert is_question(text) is expected


def test_playthroughs_check_the_answer_and_beat_of_each_step(talk):
    steps = (Step("Did you see the football last night?", expect_beat="plans",
                  expect_line_contains=("not said",), expect_line_lacks=("missed",)), Step("/undo"), Step("/bogus"))
    check, _ = playthrough_check(talk, 0, Playthrough("p", steps, "warm"))
    assert not check.passed
    for part in ("step 1: at 'hello' instead of 'plans'", "does not contain \u201cnot said\u201d",
                 "contains \u201cmissed\u201d", "step 3: unknown command '/bogus'"):
        assert part in check.detail


def test_replies_at_a_beat_are_counted_for_conditions(talk):
    session = Session(talk)
    counts = []
    for text in ("Hmm.", "Right.", "Okay then."):
        counts.append(session.facts((), text).replies_here)
        session.reply(text)
    assert counts == [1, 2, 3]
    session.reply(SAFE)
    assert session.state.id == "plans" and session.facts((), "x").replies_here == 1


def test_a_beats_own_response_counts_its_beat_and_wins_a_tie(talk):
    session = Session(talk)
    session.reply("Do it because I said so.")
    turn = session.reply("Let's set goals together.")  # tense's {when: set-goals} vs the scenario's two
    assert turn.answer.startswith("Goals? Okay, fine.")
    session = Session(talk)
    session.reply(SAFE)
    assert session.reply("Let's set goals together.").answer.startswith("Goals, good.")  # plans has none


def test_a_topic_only_asked_about_is_not_taken_as_given(talk):
    asked = Session(talk).reply(f"{SAFE} What goals should we set together?")  # an open question
    assert asked.beat == "plans" and asked.answer.endswith("What should I aim for?")
    told = Session(talk).reply(f"{SAFE} Let's set goals together.")
    assert told.beat == "rhythm" and "Goals together, as you said." in told.answer


def test_a_topic_asked_about_earlier_is_still_not_given_later(talk):
    session = Session(talk)
    session.reply("What goals should we set together?")  # asked at the first beat, credited, not given
    turn = session.reply(SAFE)
    assert turn.beat == "plans" and "as you said" not in turn.answer and turn.answer.endswith("What should I aim for?")


REPLIES = [SAFE, "Did you see the football last night?", "Let's set goals together.", "Do it because I said so.",
           "Let's meet every two weeks.", "Hmm.", "How are you finding the first weeks?", "/undo", "/hint"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(REPLIES), max_size=8), seed=st.integers(0, 5))
def test_undo_leaves_the_session_as_a_replay_of_the_replies_kept(talk, steps, seed):
    session = Session(talk, seed=seed)
    kept: list[tuple[int, str]] = []  # (hints before, reply)
    hints = 0
    for step in steps:
        if session.ended:
            break
        if step == "/undo":
            if session.turns:
                session.undo()
                kept.pop()
                hints = 0
        elif step == "/hint":
            session.hint()
            hints += 1
        else:
            session.reply(step)
            kept.append((hints, step))
            hints = 0
    fresh = Session(talk, seed=seed)
    for before, text in kept:
        for _ in range(before):
            fresh.hint()
        fresh.reply(text)
    assert session.to_dict()["turns"] == fresh.to_dict()["turns"]
    assert session.transcript == fresh.transcript and session.state.id == fresh.state.id
    assert session.trust == fresh.trust and session.goals_met == fresh.goals_met


TALK = (DIALOGUE / "talk.yaml").read_text(encoding="utf-8")


def _problems(tmp_path, text: str, *, lint: bool = False) -> list[str]:
    from coach.authoring.lint import lint_catalog

    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    catalog = load_with(tmp_path)
    found = [*catalog.problems, *(lint_catalog(catalog) if lint else ())]
    return [str(p).replace(str(tmp_path) + "/", "") for p in found if p.file and p.file.name == "s.yaml"]


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize("old, new, expected", [
    ("asks: [helps.goal-setting]", "asks: [helps.goal-settin]",
     "error: unknown learning goal or marker 'helps.goal-settin' (did you mean 'helps.goal-setting'?)"),
    ("    asks: [helps.check-ins]\n", "",
     "error: beat 'rhythm': `acknowledge` is said when what the beat `asks` was already given, but it asks for nothing"),
    ("{when: small-talk, say:", "{when: smalltalk, say:",
     "error: unknown marker or goal (or good, pitfall, move, nothing, question, stayed, repeated) 'smalltalk' (did you mean 'small-talk'?)"),
    ("{when: nothing, say: [\"Hm, okay.\"]}", "{when: nothing, sayy: [\"Hm, okay.\"]}",
     "error: responses[0]: unknown key 'sayy' (did you mean 'say'?)"),
    ("expect_beat: rhythm}", "expect_beat: rythm}", "error: unknown beat or ending 'rythm' (did you mean 'rhythm'?)"),
    ("    feedback: Concrete goals make progress reviewable.\n", "",
     "error: markers[0]: missing required key 'feedback' (a good marker needs it)"),
    ("kind: pitfall", "kind: move", "error: marker 'pull-rank': a move earns no credit and gives no feedback, so it has no 'briefing'"),
    ("replace: true", "replace: yes please", None),
])
def test_new_keys_are_checked_with_file_line_and_column(tmp_path, old, new, expected):
    text = TALK
    if old == "replace: true":  # not in the fixture: add a response that uses it
        text = text.replace('  - {when: check-ins, say: ["Every two weeks works for me."]}',
                            '  - {when: check-ins, say: ["Every two weeks works for me."], replace: true}')
        expected = "error: responses[4].replace: should be true or false, not text"
    assert old in text, old
    broken = text.replace(old, new, 1)
    problems = _problems(tmp_path, broken)
    assert any(p.startswith("s.yaml:") and expected in p for p in problems), problems
    assert all(p.split(":")[1].isdigit() and p.split(":")[2].isdigit() for p in problems)


def test_validate_warns_about_beats_that_cannot_answer_nothing_or_acknowledge_what_was_given(tmp_path):
    text = TALK.replace('  - {when: nothing, say: ["Hm, okay."]}\n', "").replace(
        '    acknowledge: ["Goals together, as you said."]\n', "")
    problems = _problems(tmp_path, text, lint=True)
    for beat in ("hello", "tense", "plans", "rhythm"):
        assert any(f"beat {beat!r} has no response for a reply that recognised nothing" in p for p in problems), beat
    line = _line_of(text, "asks: [helps.goal-setting]")
    assert any(p.startswith(f"s.yaml:{line}:") and "beat 'plans' asks for helps.goal-setting but has no `acknowledge:`" in p
               for p in problems), problems
    assert not any("rhythm' asks" in p for p in problems)
    assert not [p for p in _problems(tmp_path, TALK, lint=True) if "response" in p or "acknowledge" in p]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_reading_any_text_for_questions_and_commands_never_fails(text):
    assert isinstance(is_question(text), bool)
    command = command_of(text)
    assert command is None or (command.startswith("/") and text.strip().startswith("/"))
    assert is_question(text) or not is_open_question(text)  # an open question is a question


def test_the_diagram_labels_rules_as_format_2_reads_them(talk):
    from coach.authoring.diagram import diagram

    text = diagram(talk)
    assert "rhythm --> closed: recognised" in text and "otherwise" not in text
    assert "plans --> rhythm: recognised" in text
