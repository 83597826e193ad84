"""Escape sequences in scenario text, replies, names and records never reach the terminal raw.

A scenario and a recorded session full of `ESC ] 0;pwned BEL` (retitles the window),
`ESC [2J` (clears it), an 8-bit CSI, a right-to-left override and `<script>` go through
every command that prints them; no raw ESC, BEL or CSI byte may come out, and the text is
still there, shown visibly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "core"
HOSTILE = "\x1b]0;pwned\x07 \x1b[2J <script>alert(1)</script> \x9b31m \u202eevil"
WORKSHOP = HOSTILE + "\nline two"  # a name that would break a table row
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def _yaml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted string


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A scenario whose every free text carries the hostile string."""
    folder = tmp_path_factory.mktemp("hostile")
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    for old, new in [("id: mini", "id: hostile"), ("title: Mini check-in", f"title: {_yaml('Mini ' + HOSTILE)}"),
                     ("role: You mentor Sam", f"role: {_yaml(HOSTILE)}\nx: You mentor Sam"),
                     ("{name: Sam,", f"{{name: {_yaml('Sam ' + HOSTILE)},"),
                     ("feedback: Concrete goals make progress reviewable.",
                      f"feedback: {_yaml(HOSTILE)}\n    examples: {{no_match: [{_yaml(HOSTILE)}]}}"),
                     ("lines: [Hi! Thanks for making time.,", f"lines: [{_yaml(HOSTILE)},"),
                     ("title: A good start", f"title: {_yaml(HOSTILE)}"),
                     ("phrases: [set goals together,", f"phrases: [set goals together, {_yaml('goals ' + HOSTILE)},")]:
        assert old in text, old
        text = text.replace(old, new, 1)
    text = text.replace(f"role: {_yaml(HOSTILE)}\nx: You mentor Sam and are meeting for a quick check-in.",
                        f"role: {_yaml(HOSTILE)}")
    (folder / "hostile.yaml").write_text(text, encoding="utf-8")
    broken = text.replace("id: hostile", "id: broken").replace("minutes: 3", f"{_yaml(HOSTILE)}: 3")
    broken = broken.replace("start: hello", f"start: {_yaml('hello' + HOSTILE)}")
    (folder.parent / f"{folder.name}-broken").mkdir()
    (folder.parent / f"{folder.name}-broken" / "broken.yaml").write_text(broken, encoding="utf-8")
    (folder / "script.txt").write_text(f"How do you see it? {HOSTILE}\nLet's set goals together {HOSTILE}\n",
                                       encoding="utf-8")
    return folder


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def assert_safe(output: str) -> None:
    for raw in RAW:
        assert raw not in output, (raw, output[:400])


@pytest.fixture(scope="module")
def recorded(folder, tmp_path_factory) -> tuple[Path, str]:
    """A database with one hostile session: hostile workshop, participant and replies."""
    db = tmp_path_factory.mktemp("db") / "records.db"
    scenarios = ["--scenarios", str(folder)]
    assert main(["workshop", "new", WORKSHOP, "--db", str(db)]) == 0
    assert main(["play", "hostile", *scenarios, "--script", str(folder / "script.txt"), "--db", str(db),
                 "--workshop", WORKSHOP, "--participant", WORKSHOP]) == 0
    from coach.records.store import Store

    with Store.open(db) as store:
        [summary] = store.sessions()
    return db, summary.id


def test_scenario_text_through_every_scenario_command(capsys, folder):
    scenarios = ["--scenarios", str(folder)]
    commands = [
        ["list", *scenarios],
        ["play", "hostile", *scenarios, "--script", str(folder / "script.txt"), "--no-record"],
        ["play", "hostile", *scenarios, "--script", str(folder / "script.txt"), "--no-record", "--json"],
        ["match", *scenarios, "--scenario", "hostile", f"goals {HOSTILE}"],
        ["match", *scenarios, "--scenario", "hostile", "--explain", f"goals {HOSTILE}"],
        ["match", *scenarios, "--scenario", "hostile", "--json", f"goals {HOSTILE}"],
        ["validate", str(folder / "hostile.yaml")],
        ["validate", str(folder.parent / f"{folder.name}-broken")],
        ["validate", "--format", "json", str(folder.parent / f"{folder.name}-broken")],
        ["test", "-v", str(folder / "hostile.yaml")],
        ["graph", "hostile", *scenarios],
    ]
    for argv in commands:
        code, output = run(capsys, *argv)
        assert code in (0, 1), (argv, output)
        assert_safe(output)
        if "-broken" in argv[-1] or argv[0] not in ("match", "validate") or len(argv) > 6:  # else only what fired
            assert "pwned" in output, argv  # shown, not dropped
            assert any(form in output for form in ("\u241b", "\\u001b", "\\x1b")), argv  # ESC shown: ␛ or escaped


def test_json_output_keeps_the_exact_text(capsys, folder):
    code, output = run(capsys, "match", "--scenarios", str(folder), "--scenario", "hostile", "--json", HOSTILE)
    assert code == 0 and json.loads(output)["text"] == HOSTILE
    assert_safe(output)


def test_match_jsonl_keeps_the_exact_text(capsys, folder, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(HOSTILE + "\n"))
    code, output = run(capsys, "match", "--scenarios", str(folder), "--scenario", "hostile", "--jsonl")
    assert code == 0 and json.loads(output)["text"] == HOSTILE
    assert_safe(output)


def test_a_hostile_record_through_every_records_command(capsys, folder, recorded):
    db, session = recorded
    commands = [
        ["history", "--db", str(db)],
        ["history", "--db", str(db), "--json"],
        ["show", session, "--db", str(db)],
        ["show", session, "--db", str(db), "--json"],
        ["workshop", "list", "--db", str(db)],
        ["workshop", "report", WORKSHOP, "--db", str(db)],
        ["workshop", "report", WORKSHOP, "--db", str(db), "--format", "json"],
    ]
    for argv in commands:
        code, output = run(capsys, *argv)
        assert code == 0, (argv, output)
        assert_safe(output)
        assert "pwned" in output, argv


def test_tables_keep_one_row_per_line(capsys, recorded):
    db, _ = recorded
    for argv in (["workshop", "list"], ["history"]):
        _, output = run(capsys, *argv, "--db", str(db))
        assert len(output.strip().splitlines()) == 2, output
        assert "line two" in output


def test_error_messages_quoting_input_are_one_safe_line(capsys, folder):
    code, output = run(capsys, "play", f"nope{HOSTILE}", "--scenarios", str(folder), "--no-record")
    assert code == 2
    assert_safe(output)
    assert len(output.strip().splitlines()) == 1


def test_the_real_stdout_bytes_of_play(folder):
    """The bytes a terminal would receive, from a separate process."""
    env = {**os.environ, "COACH_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "coach", "play", "hostile", "--scenarios", str(folder),
                           "--script", "-", "--no-record"], input=f"{HOSTILE}\n".encode(),
                          capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    for raw in (b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode()):
        assert raw not in done.stdout + done.stderr
    assert "\u241b]0;pwned\u2407".encode() in done.stdout
