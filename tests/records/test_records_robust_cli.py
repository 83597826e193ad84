"""The records commands under bad input and bad disks: non-UTF-8 replies, read-only media, a
full disk, corrupt files, taken ports; and the words history uses (issues 12.3, 12.7, 13)."""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli import main
from coach.records import store as store_module

from .conftest import FIXTURES, STRONG

ROOT = Path(__file__).resolve().parents[2]
BAD_STDIN = b"hello\n\xff\xfe\x80bad\n"


@pytest.fixture
def coach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """Run `coach ARGS` against a temporary database; stdin as bytes, decoded as a terminal would."""
    monkeypatch.setenv("COACH_DB", str(tmp_path / "records.sqlite3"))
    monkeypatch.setenv("COACH_SCENARIOS", str(FIXTURES))

    def run(*argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="strict"))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _one_line(code: int, err: str, words: str) -> None:
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err


def _sessions(coach) -> list[dict]:
    return json.loads(coach("history", "--json")[1] or "[]")


# -- issue 12.3: non-UTF-8 replies --------------------------------------------------------------

def test_non_utf8_replies_on_stdin_are_a_one_line_error_and_nothing_is_recorded(coach) -> None:
    code, _, err = coach("play", "records-fixture", "--script", "-", stdin=BAD_STDIN)
    _one_line(code, err, "<stdin>:2: error: standard input is not UTF-8 text (byte 0xff)")
    code, _, err = coach("play", "records-fixture", stdin=BAD_STDIN)  # piped without --script
    _one_line(code, err, "<stdin>:2:")
    assert _sessions(coach) == []  # no half-written open session


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
def test_non_utf8_on_stdin_under_any_locale(tmp_path: Path, locale: str) -> None:
    env = {**os.environ, "LC_ALL": locale, "LANG": locale, "PYTHONPATH": str(ROOT),
           "COACH_DB": str(tmp_path / "records.sqlite3")}
    env.pop("PYTHONUTF8", None)
    for argv in (["match", "--scenario", "hard-feedback", "--jsonl"], ["play", "hard-feedback", "--script", "-"]):
        run = subprocess.run([sys.executable, "-m", "coach", *argv], input=BAD_STDIN, capture_output=True,
                             env=env, cwd=tmp_path, timeout=120)
        err = run.stderr.decode()
        assert run.returncode == 2 and "Traceback" not in err and err.count("\n") == 1, err
        assert "<stdin>:2: error: standard input is not UTF-8 text" in err
    if (tmp_path / "records.sqlite3").exists():
        db = sqlite3.connect(tmp_path / "records.sqlite3")
        assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0


# -- issue 12.7: database and disk errors -------------------------------------------------------

def test_history_check_says_ok_or_corrupt_without_leaving_files(coach, tmp_path: Path) -> None:
    coach("play", "records-fixture", stdin="\n".join(STRONG).encode())
    code, out, _ = coach("history", "--check")
    assert code == 0 and "ok, 1 session(s)" in out
    bad = tmp_path / "bad.sqlite3"
    db = sqlite3.connect(bad)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE sessions (x)")
    db.executemany("INSERT INTO sessions VALUES (?)", [("x" * 500,)] * 200)
    db.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION}")
    db.commit()
    db.close()
    data = bytearray(bad.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset:offset + 64] = b"\xff" * 64
    bad.write_bytes(bytes(data))
    code, _, err = coach("history", "--check", "--db", str(bad))
    _one_line(code, err, "corrupt")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("bad")) == ["bad.sqlite3"]


def test_a_read_only_database_is_listed_and_not_called_corrupt(coach, monkeypatch: pytest.MonkeyPatch) -> None:
    coach("play", "records-fixture", stdin="\n".join(STRONG).encode())
    monkeypatch.setattr(store_module, "_writable", lambda path: False)
    code, out, _ = coach("history")
    assert code == 0 and "Strong" in out
    code, _, err = coach("play", "records-fixture", stdin=b"hello\n")
    _one_line(code, err, "read-only")
    assert "corrupt" not in err and "--no-record" in err


def test_a_full_disk_while_recording_says_so_and_keeps_what_was_answered(coach,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    real = store_module.Store.add_turn
    calls = []

    def add_turn(self, session_id, turn, at=None):
        calls.append(turn.index)
        if len(calls) > 1:
            raise store_module.database_error(sqlite3.OperationalError("database or disk is full"), self.path,
                                              "record the session")
        return real(self, session_id, turn, at)

    monkeypatch.setattr(store_module.Store, "add_turn", add_turn)
    code, _, err = coach("play", "records-fixture", stdin="\n".join(STRONG).encode())
    _one_line(code, err, "the disk holding the records database is full")
    [session] = _sessions(coach)
    assert session["turns"] == 1 and session["outcome"] is None  # open, resumable: nothing lost


@pytest.mark.parametrize(("code", "words"), [(errno.EROFS, "the disk is read-only"),
                                             (errno.ENOSPC, "the disk is full")])
def test_export_onto_a_read_only_or_full_disk_is_one_line(coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          code: int, words: str) -> None:
    coach("play", "records-fixture", stdin="\n".join(STRONG).encode())
    (sid,) = [s["id"] for s in _sessions(coach)]

    def fail(folder, name, text):
        raise OSError(code, os.strerror(code), str(folder / name))

    monkeypatch.setattr("coach.records.exports.write_atomic", fail)
    status, _, err = coach("export", sid, "--out", str(tmp_path / "out"))
    _one_line(status, err, words)


def test_serve_refuses_a_port_out_of_range_or_taken(coach) -> None:
    code, _, err = coach("serve", "--port", "99999")
    _one_line(code, err, "port 99999 is out of range")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = coach("serve", "--port", str(port))
    _one_line(code, err, f"port {port} on 127.0.0.1 is taken")
    assert "http" not in out


# -- issue 13: what history says --------------------------------------------------------------

def test_history_open_with_none_open_says_so(coach) -> None:
    for _ in range(2):
        coach("play", "records-fixture", stdin="\n".join(STRONG).encode())
    code, out, err = coach("history", "--open")
    assert code == 0 and out == "" and "No open sessions" in err and "No sessions recorded yet" not in err
    code, _, err = coach("history", "--scenario", "nope")
    assert "No sessions match (scenario 'nope')" in err
    with pytest.raises(SystemExit):
        coach("history", "--limit", "0")


def test_an_open_session_is_labelled_like_the_other_outcomes(coach) -> None:
    from coach.conversation.engine import Session
    from coach.records import RecordingListener
    from coach.records.store import Store
    from coach.scenario.catalog_cache import load_default_catalog

    scenario = load_default_catalog().scenario("records-fixture")
    with Store.open() as store:
        Session(scenario, listeners=[RecordingListener(store)]).reply(STRONG[0])
    code, out, _ = coach("history")
    assert "  Open  " in out and " open " not in out


def test_resume_shows_the_opening_line_with_the_mood_it_had_then(coach) -> None:
    from coach.conversation.engine import Session
    from coach.records import RecordingListener
    from coach.records.store import Store
    from coach.scenario.catalog_cache import load_default_catalog

    scenario = load_default_catalog().scenario("hard-feedback")
    with Store.open() as store:  # as if `coach play` had died after a reply that changed the mood
        session = Session(scenario, listeners=[RecordingListener(store)])
        opening_mood = session.mood
        turn = session.reply("You always mess up the demos, do as I say.")
    assert turn.mood != opening_mood
    (sid,) = [s["id"] for s in _sessions(coach)]
    code, out, _ = coach("play", "--resume", sid, "--no-record", stdin=b"ok\n")
    assert code == 2  # --resume records
    code, out, _ = coach("play", "--resume", sid, stdin=b"ok\n")
    name = scenario.counterpart.name
    assert code == 0 and f"{name} ({opening_mood}): {session.opening}" in out
    assert f"{name} ({turn.mood}): {turn.answer}" in out


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.lists(st.text(max_size=20), max_size=5).map(lambda ls: "\n".join(ls).encode(
    "utf-8", "surrogatepass")))
def test_any_bytes_on_stdin_read_as_utf8_or_one_line_error(raw: bytes) -> None:
    """Whatever arrives on stdin: text SQLite can store, or one line naming where it went wrong."""
    from coach.cli.common import read_stdin_text
    from coach.errors import CoachError

    real = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="surrogateescape")
    try:
        text = read_stdin_text()
    except CoachError as exc:
        assert str(exc).count("\n") == 0 and str(exc).startswith("<stdin>:")
    else:
        text.encode("utf-8")  # no lone surrogates: storable
    finally:
        sys.stdin = real
