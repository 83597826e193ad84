"""Whole Unicode categories through `coach match` and `coach play --script -`: never a traceback.

Digits of every script (Nd, and No such as the Ethiopic ፫ that `str.isdigit` accepts and
`int` refuses), combining marks, lone surrogates, controls and format characters, mixed with
ordinary words so the matcher has something to chew on. The app's input is fuzzed the same
way in `tests/app/test_unicode_fuzz.py`.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "core"
MINI = ["--scenarios", str(FIXTURES)]
CATEGORIES = {
    "digits": ["Nd", "No", "Nl"],
    "marks": ["Mn", "Mc", "Me"],
    "surrogates": ["Cs"],
    "controls": ["Cc", "Cf", "Zl", "Zp"],
}
WORDS = st.sampled_from(["set", "goals", "together", "how", "do", "you", "see", "it", "3", "'", "n't", " "])


def mixed(categories: list[str]) -> st.SearchStrategy[str]:
    """Text of characters from `categories`, mixed with words the mini scenario's phrases use."""
    odd = st.text(st.characters(categories=categories), min_size=1, max_size=6)
    return st.lists(odd | WORDS, min_size=1, max_size=12).map(" ".join)


ANY = st.sampled_from(sorted(CATEGORIES)).flatmap(lambda name: mixed(CATEGORIES[name]))
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
RAW = ("\x1b", "\x07", "\x9b")


def as_json_reads(text: str) -> str:
    """`text` as JSON gives it back: a high and low surrogate side by side read as one character."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_ethiopic_digit_of_the_issue(capsys):
    code, out, err = run(capsys, "match", *MINI, "--scenario", "mini", "meet in \u136b weeks")
    assert code == 0 and err == ""
    assert "nothing fires" in out


@FUZZ
@given(ANY)
def test_match_any_category(capsys, text):
    code, out, err = run(capsys, "match", *MINI, "--scenario", "mini", "--explain", text)
    assert code == 0, err
    assert not any(raw in out + err for raw in RAW)
    code, out, _ = run(capsys, "match", *MINI, "--scenario", "mini", "--json", text)
    assert code == 0 and json.loads(out)["text"] == as_json_reads(text)
    out.encode("utf-8")  # lone surrogates are escaped, so the output is valid UTF-8


@FUZZ
@given(st.lists(ANY, min_size=1, max_size=3))
def test_match_jsonl_any_category(capsys, monkeypatch, texts):
    lines = [t.replace("\n", " ").replace("\r", " ") for t in texts]  # one reply a line
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(t + "\n" for t in lines)))
    code, out, err = run(capsys, "match", *MINI, "--scenario", "mini", "--jsonl")
    assert code == 0, err
    assert [json.loads(line)["text"] for line in out.split("\n")[:-1]] == [as_json_reads(t) for t in lines]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(ANY, min_size=1, max_size=4))
def test_play_script_from_stdin_any_category(capsys, monkeypatch, replies):
    script = "".join(reply + "\n" for reply in replies)
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    code, out, err = run(capsys, "play", "mini", *MINI, "--script", "-", "--no-record")
    if not any(line.strip() for line in script.split("\n")):  # nothing but blanks: a clear refusal
        assert code == 2 and err.count("\n") == 1
        return
    assert code == 0, err
    assert not any(raw in out + err for raw in RAW)
    out.encode("utf-8")
