"""`coach play --script`: the examples of issue 9 get a line that fits; `/` lines are commands,
blank lines are skipped, in a script as typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "dialogue" / "examples"
SEEDS = (0, 3)  # both opening variants of each scenario


def play(capsys, scenario: str, script: Path, seed: int = 0, json_out: bool = True) -> dict | str:
    capsys.readouterr()
    args = ["play", scenario, "--script", str(script), "--seed", str(seed), "--no-record"]
    assert main([*args, "--json"] if json_out else args) == 0
    out = capsys.readouterr().out
    return json.loads(out) if json_out else out


def said(data: dict) -> str:
    return " ".join([data["opening"], *(turn["answer"] for turn in data["turns"])])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_rhythm_offered_early_is_welcomed_and_never_asked_for(capsys, seed):
    data = play(capsys, "onboarding-talk", EXAMPLES / "onboarding-rhythm.txt", seed)
    rhythm, goals = data["turns"][2], data["turns"][3]
    assert rhythm["beat"] == "goals" and "rhythm works for me" in rhythm["answer"]
    assert goals["beat"] == "scope" and "regular slot" in goals["answer"]
    assert "How often" not in said(data) and "how does meeting work" not in said(data)


@pytest.mark.parametrize("seed", SEEDS)
def test_football_is_small_talk_and_keeps_the_beat(capsys, seed):
    data = play(capsys, "onboarding-talk", EXAMPLES / "onboarding-football.txt", seed)
    before, football = data["turns"][1], data["turns"][2]
    assert football["beat"] == before["beat"] == "goals" and not football["feedback"]
    assert "work with that" not in football["answer"] and "How often" not in football["answer"]
    assert "grow" in football["answer"]  # back to her point


@pytest.mark.parametrize("seed", SEEDS)
def test_a_welcoming_question_is_answered_and_hers_comes_back(capsys, seed):
    data = play(capsys, "onboarding-talk", EXAMPLES / "onboarding-welcome.txt", seed)
    [turn] = data["turns"]
    assert turn["beat"] == "hello" and "bluffing" in turn["answer"]
    assert "relief" not in turn["answer"] and "tell you about" not in turn["answer"]
    assert "review" in turn["answer"] or "assessment" in turn["answer"]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_trial_offered_is_not_asked_for_and_the_ending_invents_nothing(capsys, seed):
    data = play(capsys, "hard-feedback", EXAMPLES / "hard-feedback-trial.txt", seed)
    assert data["turns"][1]["beat"] == "wrap-up" and data["report"]["outcome"] == "strong"
    assert "differently" not in said(data) and "what would you suggest" not in said(data)
    assert "dry run" not in said(data)  # no dry run was mentioned


@pytest.mark.parametrize("seed", SEEDS)
def test_coffee_offered_early_is_acknowledged_not_asked_again(capsys, seed):
    data = play(capsys, "ending-mentoring", EXAMPLES / "ending-coffee.txt", seed)
    last = data["turns"][-1]
    assert last["beat"] == "closing" and "coffee now and then" in last["answer"]
    assert "Do we still meet" not in said(data) and "what are we" not in said(data)


def test_commands_and_blank_lines_in_a_script_are_never_replies(capsys, tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("\n".join([
        "", "/help", "/hint", "We'll be friends! Call me anytime, weekends included.", "   ", "/undo",
        "/bogus", "I'm not your manager, and nothing here goes into your review.",
    ]) + "\n", encoding="utf-8")
    data = play(capsys, "onboarding-talk", script)
    assert [turn["reply"] for turn in data["turns"]] == [
        "I'm not your manager, and nothing here goes into your review."]
    assert data["turns"][0]["beat"] == "kickoff"
    assert data["report"]["hints_used"] == 1 and data["report"]["retries"] == 1
    text = play(capsys, "onboarding-talk", script, json_out=False)
    assert "unknown command '/bogus'" in text and "/undo" in text and "took back" in text
    assert "hint:" in text
