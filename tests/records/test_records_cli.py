"""The records commands as a user runs them: history, show, export, import, close, resume, workshops."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coach.cli import main

from .conftest import FIXTURES, POOR, STRONG


@pytest.fixture
def coach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """Run `coach ARGS` against a temporary database and our fixture scenario."""
    monkeypatch.setenv("COACH_DB", str(tmp_path / "records.sqlite3"))
    monkeypatch.setenv("COACH_SCENARIOS", str(FIXTURES))

    def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", __import__("io").StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _ids(coach) -> list[str]:
    return [s["id"] for s in json.loads(coach("history", "--json")[1])]


def test_play_records_and_history_lists(coach) -> None:
    assert coach("play", "records-fixture", stdin="\n".join(STRONG))[0] == 0
    assert coach("play", "records-fixture", "--no-record", stdin="\n".join(POOR))[0] == 0
    code, out, _ = coach("history")
    assert code == 0 and "records-fixture" in out and "Strong" in out and "3/3" in out
    assert len(_ids(coach)) == 1


def test_show_export_import_round_trip(coach, tmp_path: Path) -> None:
    coach("play", "records-fixture", stdin="\n".join(POOR))
    (sid,) = _ids(coach)
    code, out, _ = coach("show", sid[:6])
    assert code == 0 and "**Outcome:** Poor" in out
    code, out, _ = coach("export", sid, "--format", "json", "--out", str(tmp_path / "out"))
    exported = Path(out.strip())
    assert code == 0 and exported.parent == (tmp_path / "out").resolve()
    code, _, _ = coach("import", str(exported), "--db", str(tmp_path / "second.sqlite3"))
    assert code == 0
    code, again, _ = coach("show", sid, "--json", "--db", str(tmp_path / "second.sqlite3"))
    assert json.loads(again) == json.loads(exported.read_text())


def test_errors_are_one_line_and_exit_2(coach, tmp_path: Path) -> None:
    code, _, err = coach("show", "nope")
    assert code == 2 and err.count("\n") == 1 and "no session 'nope'" in err
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database")
    code, _, err = coach("history", "--db", str(bad))
    assert code == 2 and "not a coach records database" in err and bad.read_text() == "not a database"
    code, _, err = coach("play", "records-fixture", "--workshop", "nope", stdin="hi\n")
    assert code == 2 and "coach workshop new nope" in err


def test_an_interrupted_session_is_resumed_or_closed(coach) -> None:
    from coach.conversation.engine import Session
    from coach.scenario.catalog_cache import load_default_catalog
    from coach.records import RecordingListener
    from coach.records.store import Store

    scenario = load_default_catalog().scenario("records-fixture")
    with Store.open() as store:  # as if `coach play` had died after one turn
        Session(scenario, listeners=[RecordingListener(store)]).reply(STRONG[0])
        Session(scenario, listeners=[RecordingListener(store)]).reply(STRONG[0])
    first, second = _ids(coach)
    code, out, _ = coach("history", "--open")
    assert "coach play --resume SESSION" in out
    code, out, _ = coach("play", "--resume", first[:8], stdin="\n".join(STRONG[1:]))
    assert code == 0 and "**Outcome:** Strong" in out and STRONG[0] in out
    code, out, _ = coach("close", second)
    assert code == 0 and "Unfinished" in out
    sessions = {s["id"]: s for s in json.loads(coach("history", "--json")[1])}
    assert (sessions[first]["outcome"], sessions[first]["turns"]) == ("strong", 3)
    assert (sessions[second]["outcome"], sessions[second]["turns"]) == ("unfinished", 1)


def test_a_workshop_of_three(coach, tmp_path: Path) -> None:
    assert coach("workshop", "new", "spring")[0] == 0
    for who, replies in (("Ann", STRONG), ("Bob", POOR), ("Cy", [STRONG[0], "do as I say, <b>now</b>"])):
        assert coach("play", "records-fixture", "--workshop", "spring", "--participant", who,
                     stdin="\n".join(replies))[0] == 0
    code, out, _ = coach("workshop", "report", "spring")
    assert code == 0 and "3 attempts by 3 participants" in out and "Participant 3" in out
    assert "Ann" not in out and "strong 1, poor 2" in out
    assert "`nearby.power-dynamics` Power dynamics: pitfall 'rank' hit 2 times" in out
    assert "| `nearby.psychological-safety` Psychological safety | 2/3 | 67% |" in out
    assert "Ann" in coach("workshop", "report", "spring", "--names")[1]
    data = json.loads(coach("workshop", "report", "spring", "--format", "json")[1])
    (stats,) = data["scenarios"]
    assert stats["attempts"] == 3 and stats["pitfalls"][0]["hits"] == 2
    assert [e["reply"] for e in stats["pitfalls"][0]["examples"]] == ["do as I say", "do as I say, <b>now</b>"]
    code, out, _ = coach("workshop", "report", "spring", "--format", "html", "--out", str(tmp_path))
    page = Path(out.strip()).read_text()
    tags: list[str] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append(tag)  # type: ignore[method-assign]
    parser.feed(page)
    assert "svg" in tags and "rect" in tags and "b" not in tags and "script" not in tags
    assert "&lt;b&gt;now&lt;/b&gt;" in page
    assert "src=" not in page and "<link" not in page  # one self-contained page
