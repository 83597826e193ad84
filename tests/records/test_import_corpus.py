"""`coach import` checks every field before writing anything: the mutant corpus in tests/imports."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.cli import main
from coach.errors import CoachError
from coach.records.exports import import_files, read_file, render
from coach.records.store import Store
from coach.records.workshop import build_report
from coach.records.workshop import render as render_workshop

CORPUS = Path(__file__).resolve().parent.parent / "imports"
CASES = sorted(CORPUS.glob("*.json"))
BAD = [path for path in CASES if path.with_suffix(".expected").read_text().strip()]


def expected(path: Path) -> str:
    return path.with_suffix(".expected").read_text().strip()


def test_the_corpus_has_every_case_of_issue_12_2():
    names = {path.stem for path in CASES}
    assert {"report-missing-keys", "goal-is-a-number", "turn-without-goals-met", "pitfall-without-citations",
            "feedback-without-marker", "goals-met-is-a-string", "seed-huge", "nested-100000-deep",
            "lone-surrogate", "empty-session-id", "valid", "older-format-1"} <= names
    assert all(path.with_suffix(".expected").exists() for path in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_each_file_imports_or_gives_its_one_line_error(path: Path):
    try:
        read_file(path)
        found = ""
    except CoachError as exc:
        assert len(exc.problems) == 1
        found = str(exc.problem).replace(str(path), path.name)
    assert found == expected(path)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_the_command_prints_one_line_and_writes_nothing(path: Path, tmp_path: Path, capsys):
    db = tmp_path / "records.sqlite3"
    good = CORPUS / "valid.json"
    assert main(["import", "--db", str(db), str(good), str(path)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [expected(path).replace(path.name, str(path), 1)]
    with Store.open(db) as store:
        assert store.sessions() == []  # the good file beside it was not written either


def test_an_older_export_imports_and_reads_as_the_new_one(tmp_path: Path):
    new, old = read_file(CORPUS / "valid.json"), read_file(CORPUS / "older-format-1.json")
    assert old.summary == new.summary and old.turns == new.turns
    assert {g.id for g in old.report.goals} == {g.id for g in new.report.goals}
    with Store.open(tmp_path / "r.sqlite3") as store:
        import_files(store, [CORPUS / "older-format-1.json"])
        text = render(store.session(new.id), "md")
    assert "## Turn by turn" in text


def test_a_folder_imports_all_its_exports(tmp_path: Path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    for n in range(3):
        data = json.loads((CORPUS / "valid.json").read_text())
        data["summary"]["id"] = f"session-{n}"
        (folder / f"s{n}.json").write_text(json.dumps(data))
    assert main(["import", "--db", str(tmp_path / "r.sqlite3"), str(folder)]) == 0
    assert capsys.readouterr().out.count("imported session") == 3


def test_an_empty_folder_is_said_so(tmp_path: Path, capsys):
    assert main(["import", "--db", str(tmp_path / "r.sqlite3"), str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path}: error: no session exports (*.json) in this folder"


def test_the_same_session_twice_in_one_import_is_refused(tmp_path: Path):
    shutil.copy(CORPUS / "valid.json", tmp_path / "copy.json")
    with Store.open(tmp_path / "r.sqlite3") as store, pytest.raises(CoachError, match="is also in"):
        import_files(store, [CORPUS / "valid.json", tmp_path / "copy.json"])


# -- fuzzing: any mutation of a valid export is refused cleanly or read by every reader -------------

_VALID = json.loads((CORPUS / "valid.json").read_text())
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=6)


def _places(data, path=()):
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _places(value, (*path, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            yield from _places(value, (*path, n))


_PLACES = [p for p in _places(_VALID) if p]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(_PLACES), _JSON | st.just("<drop>"))
def test_a_mutated_export_is_refused_or_read_by_every_reader(tmp_path_factory, place, value):
    data = copy.deepcopy(_VALID)
    parent = data
    for key in place[:-1]:
        parent = parent[key]
    if value == "<drop>":
        parent.pop(place[-1])
    else:
        parent[place[-1]] = value
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "mutant.json"
    source.write_text(json.dumps(data))
    with Store.open(folder / "r.sqlite3") as store:
        try:
            import_files(store, [source])
        except CoachError as exc:
            assert "\n" not in str(exc.problem) and str(source) in str(exc.problem)
            assert store.sessions() == []
            return
        record = store.session(store.sessions()[0].id)
        for fmt in ("md", "html", "json"):
            render(record, fmt)
        if record.summary.workshop:
            report = build_report(store, record.summary.workshop, names=True)
            for fmt in ("md", "html", "json"):
                render_workshop(report, fmt)


_RAW = (CORPUS / "valid.json").read_bytes()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(_RAW)), st.integers(0, 40), st.binary(max_size=40) | st.text(max_size=20).map(
    lambda s: s.encode("utf-8", "surrogatepass")))
def test_any_bytes_spliced_into_an_export_are_refused_or_read_never_a_crash(at, cut, inserted):
    from coach.conversation.record import RecordError, read_export

    data = _RAW[:at] + inserted + _RAW[at + cut:]
    try:
        read_export(data)
    except RecordError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize("name", ["valid", "older-format-1"])
def test_the_fast_way_to_store_a_checked_file_stores_what_the_record_would(name: str):
    from coach.conversation.record import Report, Turn, from_json, read_export, rows_of, stored_rows

    data = (CORPUS / f"{name}.json").read_bytes()
    fast, slow = stored_rows(data), rows_of(read_export(data))
    assert fast.summary == slow.summary and fast.opening == slow.opening
    assert [t[:3] for t in fast.turns] == [t[:3] for t in slow.turns]
    # the same when read back (the fast way keeps the file's text, without fields newer than it)
    assert [from_json(t[3], Turn) for t in fast.turns] == [from_json(t[3], Turn) for t in slow.turns]
    assert from_json(fast.report, Report) == from_json(slow.report, Report)
