"""Exports: round trips, escaping, atomic writes that never leave the chosen folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.conversation.engine import replay
from coach.errors import CoachError
from coach.files import safe_name, write_atomic
from coach.records import RecordingListener
from coach.records.exports import export_session, import_file, render
from coach.records.store import Store

from .conftest import POOR, STRONG
from .html_texts import HTMLTexts


@pytest.fixture
def recorded(store: Store, scenario) -> str:
    replay(scenario, ["hello <script>alert(1)</script>", *POOR[1:]], seed=1, listeners=[RecordingListener(store)])
    return store.sessions()[0].id


def test_json_export_round_trips_through_import(store: Store, recorded: str, tmp_path: Path) -> None:
    path = export_session(store.session(recorded), "json", tmp_path / "out")
    with Store.open(tmp_path / "other.sqlite3") as other:
        assert import_file(other, path) == recorded
        assert render(other.session(recorded), "json") == path.read_text(encoding="utf-8")
        with pytest.raises(CoachError, match="already in the records"):
            import_file(other, path)


def test_markdown_export_reuses_the_report(store: Store, recorded: str) -> None:
    text = render(store.session(recorded), "md")
    assert text.startswith("# Records fixture: report") and f"Session: {recorded}" in text
    assert "**Outcome:** Poor" in text and "Pulling rank." in text
    assert "## Turn by turn" in text and "your words: \u201cdo as I say\u201d" in text


def test_html_export_escapes_what_the_user_typed(store: Store, recorded: str) -> None:
    html = render(store.session(recorded), "html")
    parsed = HTMLTexts()
    parsed.feed(html)
    assert "script" not in parsed.tags and "<script>alert(1)</script>" in parsed.text
    assert "http://" not in html and "https://" not in html  # self-contained


@pytest.mark.parametrize("stem", ["../../etc/passwd", "/abs/path", "..", ".hidden", "a\\b", "", "名前", "x" * 300])
def test_file_names_never_escape_the_folder(stem: str, tmp_path: Path) -> None:
    name = safe_name(stem, "md")
    path = write_atomic(tmp_path / "out", name, "hello")
    assert path.parent == (tmp_path / "out").resolve() and not path.name.startswith(".")
    assert path.read_text() == "hello"


def test_write_atomic_refuses_a_path_outside_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    with pytest.raises(CoachError, match="outside"):
        write_atomic(tmp_path / "out", "../escape.md", "x")
    write_atomic(tmp_path / "out", "a.md", "one")
    write_atomic(tmp_path / "out", "a.md", "two")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.md"]
    assert not (tmp_path / "escape.md").exists()


def test_an_imported_hostile_id_is_exported_inside_the_folder(store: Store, recorded: str, tmp_path: Path) -> None:
    data = json.loads(render(store.session(recorded), "json"))
    data["summary"]["id"] = "../../../../tmp/evil"
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(data))
    with Store.open(tmp_path / "other.sqlite3") as other:
        sid = import_file(other, source)
        path = export_session(other.session(sid), "html", tmp_path / "out")
    assert path.parent == (tmp_path / "out").resolve()


@pytest.mark.parametrize("text, words", [
    ("{not json", "not JSON"),
    ('{"format": "something-else"}', "not a coach session export"),
    ('{"format": "coach-session/1", "session": {}}', "summary.id: missing"),
    ('{"format": "coach-session/2", "summary": {"id": 3}}', "summary.id: expected str, got int"),
])
def test_bad_imports_are_clear_errors(text: str, words: str, store: Store, tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text(text)
    with pytest.raises(CoachError, match=words) as caught:
        import_file(store, source)
    assert caught.value.problem.file == source
    assert store.sessions() == []


def test_an_open_session_exports_its_turns_so_far(store: Store, scenario) -> None:
    from coach.conversation.engine import Session

    Session(scenario, listeners=[RecordingListener(store)]).reply(STRONG[0])
    text = render(store.session(store.sessions()[0].id), "md")
    assert "Unfinished (interrupted, not closed yet)" in text and STRONG[0] in text


def test_counts_agree_with_their_nouns():
    from coach.records.workshop import counted

    assert (counted(1, "hit"), counted(2, "hit"), counted(0, "participant")) == ("1 hit", "2 hits", "0 participants")
