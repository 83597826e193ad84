"""A counterpart who listens: a question to her is not an answer, no line is said twice while
another is left, a question asked again is heard as asked again, and an ending can be taken back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.authoring.checks import playthrough_check
from coach.conversation.engine import Session, replay

from .helpers import load_with

LISTENING = Path(__file__).resolve().parent.parent / "fixtures" / "listening"


@pytest.fixture(scope="module")
def listen():
    catalog = load_with(LISTENING)
    assert not catalog.errors, catalog.errors
    return catalog.scenario("listen")


def test_a_question_to_the_counterpart_is_answered_and_is_not_an_answer_to_the_beat(listen):
    session = Session(listen)
    turn = session.reply("What do you think?")  # a good marker, but only inside the move's words
    assert {m.marker for m in turn.matches} == {"invite-view", "asks-their-view"}
    assert turn.goals_met == ("nearby.psychological-safety",)  # still credited in the feedback
    assert turn.beat == "hello" and turn.answer.startswith("I'd rather hear you first.")
    assert "how often" in turn.answer.lower()


def test_the_same_practice_said_as_a_statement_moves_on(listen):
    turn = Session(listen).reply("It is safe to disagree with me here.")
    assert turn.beat == "plans" and turn.answer == "What should I aim for?"


def test_an_open_question_moves_on_only_when_it_asks_about_the_beats_own_point(listen):
    early = Session(listen).reply("What goals matter to you?")  # goals, asked at the rhythm beat
    assert early.beat == "hello"
    session = replay(listen, ["Let's meet every two weeks."])
    assert session.reply("What goals matter to you?").outcome == "strong"  # the point of `plans`


def test_no_line_is_repeated_word_for_word_while_another_is_left(listen):
    session = Session(listen, seed=5)
    answers = [session.reply("ok").answer for _ in range(4)]
    assert len(set(answers[:2])) == 2  # two responses and two again-lines: the first two differ
    for answer in answers[:2]:
        assert answer.startswith(("Hm.", "Okay...")) and "how often" in answer.lower()
    assert {answers[0].split(" ", 1)[0], answers[1].split(" ", 1)[0]} == {"Hm.", "Okay..."}


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_a_question_asked_again_is_heard_as_asked_again(listen, seed):
    session = Session(listen, seed=seed)
    first = session.reply("What do you think?")
    again = session.reply("what do you think")
    assert first.answer.startswith("I'd rather hear you first.")
    assert again.answer.startswith("Like I said, you first.") and again.beat == "hello"


def test_an_ending_can_be_taken_back_and_played_again(listen):
    events = []

    class Listener:
        def session_started(self, session): events.append("started")
        def turn_played(self, session, turn): events.append(f"turn{turn.index}")
        def hint_used(self, session, hint): events.append("hint")
        def turn_undone(self, session, turn): events.append(f"undone{turn.index}")
        def session_closed(self, session): events.append(f"closed:{session.report().outcome}")

    session = Session(listen, listeners=[Listener()])
    session.reply("Let's meet every two weeks.")
    assert session.reply("Do it because I said so.").outcome == "poor" and session.ended
    session.undo()
    assert not session.ended and session.state.id == "plans" and not session.pitfalls
    turn = session.reply("Let's set goals together.")
    assert turn.outcome == "strong" and session.report().retries == 1
    assert events == ["started", "turn0", "turn1", "closed:poor", "undone1", "turn1", "closed:strong"]


def test_a_session_stopped_before_an_ending_stays_closed(listen):
    session = Session(listen)
    session.reply("Let's meet every two weeks.")
    session.close()
    with pytest.raises(RuntimeError):
        session.undo()


def test_the_fixture_playthrough_passes(listen):
    for index, playthrough in enumerate(listen.playthroughs):
        check, _ = playthrough_check(listen, index, playthrough)
        assert check.passed, check.detail


def _play(*args: str, script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], input=script, capture_output=True, text=True,
                          timeout=120, check=False)


def test_play_takes_back_an_ending_with_undo_and_plays_on(tmp_path):
    script = "\n".join([
        "We'll be friends! Call me anytime, weekends included.",
        "Just run every decision past me and you'll be fine.",
        "You should lead the database migration next month, just jump straight in.",
        "/undo",
        "Sorry, that came out wrong. I'm not your boss and I'm not assessing you; ask me anything.",
    ])
    done = _play("play", "onboarding-talk", "--no-record", "--script", "-", "--json", script=script)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["report"]["retries"] == 1 and not data["ended"]
    assert [turn["beat"] for turn in data["turns"]][-1] == "kickoff"


def test_play_records_into_the_database_given_before_the_command(tmp_path):
    db = tmp_path / "records.db"
    done = _play("--db", str(db), "play", "onboarding-talk", "--script", "-", script="Hello!\n")
    assert done.returncode == 0, done.stderr
    listed = _play("history", "--db", str(db), script="")
    assert "onboarding-talk" in listed.stdout


def test_a_point_said_again_does_not_answer_the_next_beat(listen):
    session = replay(listen, ["Let's meet every two weeks."])
    turn = session.reply("Let's meet every two weeks, as I said.")  # nothing new: not an answer to `plans`
    assert turn.beat == "plans" and turn.answer == "Yes, you said. So what should I aim for?"
    assert session.reply("Let's set goals together.").outcome == "strong"


def test_a_point_said_again_still_answers_the_beat_it_is_about(listen):
    session = Session(listen)
    assert session.reply("Let's set goals together.").beat == "plans"  # said early, at the rhythm beat
    turn = session.reply("Let's set goals together.")  # the same words, now at the beat about goals
    assert turn.outcome == "strong"


def test_a_point_asked_first_and_stated_later_is_new(listen):
    session = Session(listen)
    session.reply("What do you think?")  # asked: the invitation is not yet heard as said
    assert session.reply("It is safe to disagree with me here.").beat == "plans"


def test_a_replacing_response_never_swallows_the_question_of_a_beat_reached_by_skipping(tmp_path):
    text = (LISTENING / "listen.yaml").read_text(encoding="utf-8")
    text = text.replace("id: listen", "id: skip", 1).replace(
        "      - {to: plans, when: good}",
        "      - {to: plans, when: good}\n    responses:\n"
        "      - {when: [meet-often, set-goals], say: [\"Both at once, great.\"], replace: true}", 1).replace(
        "    lines: [\"What should I aim for?\"]",
        "    asks: [helps.goal-setting]\n    acknowledge: [\"Goals too, good.\"]\n    lines: [\"What should I aim for?\"]", 1)
    (tmp_path / "skip.yaml").write_text(text, encoding="utf-8")
    catalog = load_with(tmp_path)
    assert not catalog.errors, catalog.errors
    turn = Session(catalog.scenario("skip")).reply("Let's meet every two weeks and set goals together.")
    assert turn.outcome == "strong"  # `plans` was skipped: its goals were given
    assert turn.answer == "Both at once, great. Goals too, good. Great, see you then!"


def test_a_topic_is_acknowledged_once_however_often_its_beat_is_skipped(tmp_path):
    text = (LISTENING / "listen.yaml").read_text(encoding="utf-8")
    text = text.replace("id: listen", "id: loop", 1).replace(
        "    lines: [\"What should I aim for?\"]",
        "    asks: [helps.goal-setting]\n    acknowledge: [\"Goals too, good.\"]\n    lines: [\"What should I aim for?\"]", 1)
    text = text.replace("      - {to: warm, when: good}", "      - {to: back, when: good}", 1).replace(
        "endings:", "  - id: back\n    lines: [\"Can we go over it once more?\"]\n    hint: Again.\n"
        "    model_answer: Sure.\n    next:\n      - {to: plans, when: good}\nendings:", 1)
    (tmp_path / "loop.yaml").write_text(text, encoding="utf-8")
    catalog = load_with(tmp_path)
    assert not catalog.errors, catalog.errors
    session = Session(catalog.scenario("loop"))
    first = session.reply("Let's meet every two weeks and set goals together.")
    assert first.beat == "back" and first.answer == "Goals too, good. Can we go over it once more?"
    again = session.reply("It is safe to disagree with me here.")  # back to `plans`, skipped again
    assert again.beat == "back" and "Goals too" not in again.answer
