"""The command line's contract: exit codes, one-line errors, JSON shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "core"
MINI = ["--scenarios", str(FIXTURES)]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_ids_titles_and_goals(capsys):
    code, out, _ = run(capsys, "list", *MINI)
    assert code == 0
    assert "mini  Mini check-in" in out and "helps.check-ins" in out and "Regular check-ins" in out


def test_list_json(capsys):
    code, out, _ = run(capsys, "list", "--json", *MINI)
    mini = next(s for s in json.loads(out) if s["id"] == "mini")
    assert code == 0 and mini["goals"][0] == {"id": "helps.check-ins", "title": "Regular check-ins"}


def test_match_json_contract(capsys):
    text = "Let's sett goals together, ok?"
    code, out, _ = run(capsys, "match", *MINI, "--scenario", "mini", "--json", text)
    data = json.loads(out)
    assert code == 0 and data["text"] == text
    [match] = data["matches"]
    assert set(match) >= {"marker", "kind", "briefing", "score", "phrase", "span"}
    assert (match["marker"], match["kind"], match["briefing"]) == ("set-goals", "good", ["helps.goal-setting"])
    assert match["phrase"] == "set goals together" and match["span"] == "sett goals together"
    assert isinstance(match["score"], float)


def test_match_with_state_says_where_it_leads(capsys):
    code, out, _ = run(capsys, "match", *MINI, "--scenario", "mini", "--state", "hello", "--json",
                       "Do it because I said so")
    assert code == 0 and json.loads(out)["next"] == "tense"


def test_match_jsonl_keeps_order_and_lines(capsys, monkeypatch):
    import io

    lines = ["How do you see it?", "", "[bold]x[/] 💥", "Let's set goals together"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "match", *MINI, "--scenario", "mini", "--jsonl")
    objects = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [o["text"] for o in objects] == lines
    assert [len(o["matches"]) for o in objects] == [1, 0, 0, 1]


def test_play_script_json_plays_to_an_ending(capsys, tmp_path):
    script = tmp_path / "replies.txt"
    script.write_text("How do you see it?\n\nLet's set goals together and schedule a regular check-in.\n")
    code, out, _ = run(capsys, "play", "mini", *MINI, "--script", str(script), "--seed", "3", "--json")
    session = json.loads(out)
    assert code == 0 and session["seed"] == 3 and session["ended"]
    assert [t["reply"] for t in session["turns"]] == ["How do you see it?",
                                                     "Let's set goals together and schedule a regular check-in."]
    assert session["report"]["outcome"] == "strong"
    assert session["turns"][0]["feedback"][0]["citations"][0]["id"] == "nearby.psychological-safety"


def test_play_text_shows_feedback_and_report(capsys, tmp_path):
    script = tmp_path / "replies.txt"
    script.write_text("Do it because I said so\nfine\n")
    code, out, _ = run(capsys, "play", "mini", *MINI, "--script", str(script))
    assert code == 0
    assert "! Pulling rank" in out and "nearby.power-dynamics (Power dynamics)" in out
    assert "**Outcome:** Poor" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["play", "nope", *MINI, "--script", "-"], "coach: error: unknown scenario 'nope'"),
        (["play", "mini", *MINI, "--script", "/nonexistent/replies.txt"], "/nonexistent/replies.txt: error: cannot read file"),
        (["match", *MINI, "--scenario", "mini", "--state", "nowhere", "x"], "coach: error: unknown beat 'nowhere'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith(message) and len(err.strip().splitlines()) == 1


def test_empty_script_and_broken_file_exit_2_without_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("format: coach-scenario/1\nid: [oops\n")
    for argv, expected in (
        (["play", "mini", *MINI, "--script", str(empty)], f"{empty}:1: error: the script has no replies"),
        (["list", "--scenarios", str(broken)], f"{broken / 'bad.yaml'}:3:1: error: invalid YAML"),
    ):
        result = subprocess.run([sys.executable, "-m", "coach", *argv], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert result.returncode == 2
        assert result.stderr.startswith(expected), result.stderr
        assert "Traceback" not in result.stderr
