"""Issue 13: the trainer's live room (`coach workshop watch`, read via coach.records.room)."""

from __future__ import annotations

import io

from coach.cli import main
from coach.records.room import read_room
from coach.records.store import Store
from tests.records.room_data import SECRET, turn, workshop_in_progress


def row(text: str, who: str) -> list[str]:
    """The cells of `who`'s row in a printed room (split on whitespace)."""
    [line] = [line for line in text.splitlines() if line.startswith(who + " ")]
    return line.split()


def test_the_room_has_one_seat_per_participant_with_their_latest_attempt(tmp_path):
    path = workshop_in_progress(tmp_path / "r.sqlite3")
    with Store.open(path) as store:
        room = read_room(store, "spring")
    seats = {seat.participant: seat for seat in room.seats}
    assert set(seats) == {"Participant 1", "Participant 2"}  # in order of first attempt: Bea, then Ana
    bea, ana = seats["Participant 1"], seats["Participant 2"]
    assert (bea.scenario, bea.outcome, bea.turns, bea.goals_met, bea.pitfalls) == ("A quick check-in", "strong", 1, 2, 0)
    assert (ana.scenario, ana.playing, ana.turns, ana.goals_met, ana.goals_total, ana.pitfalls) == \
        ("Giving hard feedback", True, 2, 1, 5, 2)
    assert ana.last_activity == "2026-01-01T10:05:00+00:00"
    assert all(seat.last_reply is None for seat in room.seats)  # no replies without names
    assert (room.sessions, room.playing) == (2, 1)
    with Store.open(path) as store:
        named = {seat.participant: seat for seat in read_room(store, "spring", names=True).seats}
    assert named["Ana"].last_reply == SECRET


def test_watch_once_prints_the_room_without_names_or_replies(tmp_path, capsys):
    path = workshop_in_progress(tmp_path / "r.sqlite3")
    assert main(["workshop", "watch", "spring", "--once", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Workshop spring \u00b7 2 participant(s) \u00b7 1 playing \u00b7 2 attempt(s)" in out
    ana, bea = row(out, "Participant 2"), row(out, "Participant 1")
    assert ana[-7:-3] == ["2", "1/5", "2", "0"]  # turns, goals, pitfalls, hints
    assert "playing" in ana and "Strong" in bea
    assert "Ana" not in out and "Bea" not in out and "private" not in out


def test_watch_with_names_shows_them_and_the_last_reply_literally(tmp_path, capsys):
    path = workshop_in_progress(tmp_path / "r.sqlite3")
    assert main(["workshop", "watch", "spring", "--once", "--names", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Ana" in out and "Bea" in out and SECRET in out


def test_watch_refreshes_as_turns_arrive(tmp_path, monkeypatch):
    path = workshop_in_progress(tmp_path / "r.sqlite3")
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    calls = []

    def stop_after_a_change(seconds):  # the watcher's sleep: add a turn, then stop it
        calls.append(seconds)
        if len(calls) == 1:
            with Store.open(path) as store:
                [playing] = store.sessions(workshop="spring", open_only=True)
                store.add_turn(playing.id, turn(2, "third", pitfalls=1))
        elif len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr("coach.cli.room.time.sleep", stop_after_a_change)
    assert main(["workshop", "watch", "spring", "--interval", "0.1", "--db", str(path)]) == 0
    blocks = out.getvalue().split("Workshop spring")
    assert len(blocks) == 3  # printed at first, then once for the change (not again while nothing changed)
    assert row(blocks[1], "Participant 2")[-7:-4] == ["2", "1/5", "2"]
    assert row(blocks[2], "Participant 2")[-7:-4] == ["3", "1/5", "3"]  # the new turn and its pitfall


def test_an_unknown_workshop_is_one_line(tmp_path, capsys):
    path = workshop_in_progress(tmp_path / "r.sqlite3")
    assert main(["workshop", "watch", "autumn", "--once", "--db", str(path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_watch_loads_no_textual(tmp_path):
    import subprocess
    import sys

    path = workshop_in_progress(tmp_path / "r.sqlite3")
    code = ("import io, contextlib, sys\nfrom coach.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main(['workshop', 'watch', 'spring', '--once', '--db', {str(path)!r}]) == 0\n"
            "print(sorted({m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'sqlite3'" in out  # the watch really read the records
    assert not {"'textual'", "'rich'", "'textual_serve'"} & set(out.strip("[]\n").split(", "))
