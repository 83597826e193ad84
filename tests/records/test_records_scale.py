"""Opening costs the same at any size; listings are answered by indexes; checks run where they
belong (version change, unclean shutdown, on demand) and never leave files beside a bad database;
SQLite's errors say what happened (read-only, disk full, corrupt)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.records import store as store_module
from coach.records.store import MIGRATIONS, SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[2]


def _add(store: Store, n: int, *, scenario: str = "s", ended: bool = True, outcome: str = "strong",
         prefix: str = "id") -> list[str]:
    """`n` sessions, started a second apart after those already stored."""
    ids = []
    first = store.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    for i in range(first, first + n):
        sid = store.start_session(scenario=scenario, title="t", scenario_hash="h", seed=i, mode="practice",
                                  opening="o", goals_total=1, session_id=f"{prefix}{i - first:05d}",
                                  started=f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}+00:00")
        if ended:
            store.finish_session(sid, None, outcome)
        ids.append(sid)
    return ids


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The integrity checks run while opening (None: only the version was read)."""
    seen: list[str | None] = []
    inspect = store_module._inspect

    def spy(path: Path, *, check: str | None) -> int:
        seen.append(check)
        return inspect(path, check=check)

    monkeypatch.setattr(store_module, "_inspect", spy)
    return seen


def _plan(store: Store, sql: str, params: tuple = ()) -> str:
    return " | ".join(row[-1] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))


# -- opening ------------------------------------------------------------------------------------

def test_opening_a_current_database_runs_no_check(db_path: Path, checks: list) -> None:
    with Store.open(db_path) as store:
        _add(store, 3)
    with Store.open(db_path) as store:
        assert len(store.sessions()) == 3
    assert checks == []


def test_a_schema_change_is_checked_then_migrated_keeping_the_data(db_path: Path, checks: list) -> None:
    db = sqlite3.connect(db_path)
    MIGRATIONS[0](db)  # a database as the first released coach left it
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO sessions (id, scenario, title, scenario_hash, seed, mode, opening, started,"
               " ended, outcome, goals_total) VALUES ('old1', 's', 't', 'h', 0, 'practice', 'o', '2025', '2025',"
               " 'mixed', 1)")
    db.commit()
    db.close()
    with Store.open(db_path) as store:
        assert [s.id for s in store.sessions()] == ["old1"] and store.last_results() == {"s": "mixed"}
        names = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"sessions_by_started", "sessions_open", "sessions_finished"} <= names
    assert checks == [None]  # the version was read, and the quick check ran because it differed
    assert sqlite3.connect(db_path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


_CRASH = """
import os, sys
from coach.records.store import Store
store = Store.open(sys.argv[1])
store.start_session(scenario="s", title="t", scenario_hash="h", seed=0, mode="practice", opening="o", goals_total=1)
print("written", flush=True)
os.kill(os.getpid(), 9)
"""


def test_an_unclean_shutdown_is_checked_once(db_path: Path, checks: list) -> None:
    Store.open(db_path).close()
    run = subprocess.run([sys.executable, "-c", _CRASH, str(db_path)], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert run.returncode == -signal.SIGKILL and "written" in run.stdout
    assert (db_path.parent / (db_path.name + "-wal")).stat().st_size > 0  # what a killed coach leaves
    with Store.open(db_path) as store:
        assert len(store.sessions(open_only=True)) == 1  # nothing committed was lost
    assert checks == ["quick_check"]
    Store.open(db_path).close()  # closed cleanly this time: no check
    assert checks == ["quick_check"]


def test_a_wal_in_use_by_another_coach_is_not_taken_for_a_crash(db_path: Path, checks: list) -> None:
    with Store.open(db_path) as first:
        _add(first, 2)
        with Store.open(db_path) as second:  # the first still holds it: its -wal is in use
            assert len(second.sessions()) == 2
    assert not any(checks)  # at most the version read again (the file's header lags the -wal), never a check


def test_check_on_demand_is_a_full_integrity_check(db_path: Path, checks: list) -> None:
    Store.open(db_path).close()
    Store.open(db_path, check=True).close()
    assert checks == ["integrity_check"]


def _corrupt(db_path: Path) -> None:
    with Store.open(db_path) as store:
        for n in range(200):  # enough pages that corruption lands in data
            store.start_session(scenario="s", title="t" * 200, scenario_hash="h", seed=n, mode="practice",
                                opening="o" * 200, goals_total=1)
    data = bytearray(db_path.read_bytes())
    for offset in range(4096, len(data), 4096):  # scribble over the start of every page but the first
        data[offset:offset + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))


def test_checking_a_corrupt_wal_database_refuses_it_and_leaves_no_files_beside_it(db_path: Path) -> None:
    _corrupt(db_path)
    before = db_path.read_bytes()
    with pytest.raises(CoachError, match="corrupt") as caught:
        Store.open(db_path, check=True)
    assert caught.value.problem.file == db_path
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]
    assert db_path.read_bytes() == before


def test_reading_a_corrupt_database_is_a_one_line_error_not_a_traceback(db_path: Path) -> None:
    _corrupt(db_path)
    with Store.open(db_path) as store, pytest.raises(CoachError, match="corrupt.*coach history --check") as caught:
        store.sessions()
    assert "\n" not in str(caught.value)


# -- answered by indexes ------------------------------------------------------------------------

def test_limit_reads_the_last_sessions_through_an_index(store: Store) -> None:
    ids = _add(store, 30)
    assert [s.id for s in store.sessions(limit=3)] == ids[-3:]
    assert store.sessions(limit=0) == []
    assert [s.id for s in store.sessions(limit=100)] == ids
    plan = _plan(store, store_module._SUMMARY + " ORDER BY s.started DESC, s.rowid DESC LIMIT 20")
    assert "USING INDEX sessions_by_started" in plan and "TEMP B-TREE" not in plan


@pytest.mark.parametrize(("where", "index"), [
    ("s.scenario = 'x'", "sessions_by_scenario"),
    ("s.workshop = 'x'", "sessions_by_workshop"),
    ("s.ended IS NULL", "sessions_open"),
])
def test_filters_use_their_index(store: Store, where: str, index: str) -> None:
    plan = _plan(store, store_module._SUMMARY + f" WHERE {where} ORDER BY s.started DESC, s.rowid DESC LIMIT 20")
    assert f"INDEX {index}" in plan and "TEMP B-TREE" not in plan


def test_filters_and_limit_together(store: Store) -> None:
    _add(store, 5, scenario="a", prefix="a")
    opened = _add(store, 4, scenario="b", prefix="b", ended=False)
    assert [s.id for s in store.sessions(open_only=True, limit=2)] == opened[-2:]
    assert [s.id for s in store.sessions(scenario="a", limit=10)] == [f"a{i:05d}" for i in range(5)]


def test_a_prefix_resolves_through_the_primary_key(store: Store) -> None:
    _add(store, 3, prefix="abc")
    store.start_session(scenario="s", title="t", scenario_hash="h", seed=0, mode="practice", opening="o",
                        goals_total=1, session_id="abd999")
    assert store.resolve("abd") == "abd999" and store.resolve("abc00002") == "abc00002"
    with pytest.raises(CoachError, match="ambiguous"):
        store.resolve("abc")
    with pytest.raises(CoachError, match="no session"):
        store.resolve("abe")
    with pytest.raises(CoachError, match="give a session id"):
        store.resolve("")
    plan = _plan(store, "SELECT id FROM sessions WHERE id >= ? ORDER BY id LIMIT 3", ("abc",))
    assert "SEARCH sessions USING COVERING INDEX" in plan


def test_last_results_follow_the_latest_attempt_that_reached_an_ending(store: Store) -> None:
    _add(store, 2, scenario="a", prefix="a", outcome="poor")
    _add(store, 1, scenario="a", prefix="a2", outcome="strong")
    _add(store, 1, scenario="a", prefix="a3", outcome="unfinished")  # stopped early: kept, not "the result"
    _add(store, 1, scenario="b", prefix="b", ended=False)
    _add(store, 1, scenario="c", prefix="c", outcome="mixed")
    assert store.last_results() == {"a": "strong", "c": "mixed"}
    plan = _plan(store, f"SELECT outcome FROM sessions WHERE {store_module.FINISHED} AND scenario = 'a'"
                        " ORDER BY started DESC, rowid DESC LIMIT 1")
    assert "INDEX sessions_finished" in plan


# -- errors in words --------------------------------------------------------------------------------

class _Failing:
    """A connection whose writes fail as SQLite fails on a full disk."""

    def __init__(self, db: sqlite3.Connection, error: sqlite3.Error) -> None:
        self._db, self._error = db, error

    def execute(self, sql: str, *args):
        if sql.startswith(("INSERT", "UPDATE")):
            raise self._error
        return self._db.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._db, name)


def test_a_full_disk_says_so_and_writes_nothing(store: Store) -> None:
    store.db = _Failing(store.db, sqlite3.OperationalError("database or disk is full"))  # type: ignore[assignment]
    with pytest.raises(CoachError, match=r"disk holding the records database is full: could not record") as caught:
        store.start_session(scenario="s", title="t", scenario_hash="h", seed=0, mode="practice", opening="o",
                            goals_total=1)
    assert "\n" not in str(caught.value) and "corrupt" not in str(caught.value)
    store.db = store.db._db  # type: ignore[attr-defined]
    assert store.sessions() == [] and not store.db.in_transaction


def test_a_read_only_database_is_read_and_says_read_only_when_written(db_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db_path) as store:
        _add(store, 2)
    monkeypatch.setattr(store_module, "_writable", lambda path: False)
    with Store.open(db_path) as store:
        assert store.read_only and len(store.sessions()) == 2
        with pytest.raises(CoachError, match="read-only") as caught:
            _add(store, 1, prefix="new")
    assert "corrupt" not in str(caught.value)
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 256 KiB file system (needs the right to mount; skipped without it)."""
    where = tmp_path / "disk"
    if not _mount_tmpfs(where, "256k"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_real_full_disk_and_read_only_media(small_disk: Path) -> None:
    path = small_disk / "records.sqlite3"
    with Store.open(path) as store:
        _add(store, 3)
        with pytest.raises(CoachError, match="is full"):
            for n in range(2000):
                store.start_session(scenario="s", title="t" * 500, scenario_hash="h", seed=n, mode="practice",
                                    opening="o" * 2000, goals_total=1)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with Store.open(path) as store:
        assert store.read_only and len(store.sessions()) >= 3
        with pytest.raises(CoachError, match="read-only .it is on read-only media") as caught:
            _add(store, 1, prefix="new")
    assert "corrupt" not in str(caught.value)


# -- the SQL answers agree with the plain definitions -----------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_IDS = st.lists(st.text("ab0\u00e9", min_size=1, max_size=4), min_size=1, max_size=12, unique=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=_IDS, prefix=st.text("ab0\u00e9", max_size=4))
def test_prefixes_resolve_as_a_scan_would(tmp_path_factory, ids: list[str], prefix: str) -> None:
    with Store.open(tmp_path_factory.mktemp("p") / "r.sqlite3") as store:
        for sid in ids:
            store.start_session(scenario="s", title="t", scenario_hash="h", seed=0, mode="practice", opening="o",
                                goals_total=1, session_id=sid)
        matching = sorted(i for i in ids if i.startswith(prefix))
        if not prefix or not matching:
            with pytest.raises(CoachError):
                store.resolve(prefix)
        elif prefix in ids or len(matching) == 1:
            assert store.resolve(prefix) == (prefix if prefix in ids else matching[0])
        else:
            with pytest.raises(CoachError, match="ambiguous"):
                store.resolve(prefix)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 5), st.booleans()), max_size=15),
       limit=st.integers(1, 20), scenario=st.sampled_from([None, "a", "b"]), open_only=st.booleans())
def test_limit_and_filters_are_the_tail_of_the_full_listing(tmp_path_factory, rows, limit, scenario, open_only):
    with Store.open(tmp_path_factory.mktemp("l") / "r.sqlite3") as store:
        for n, (name, minute, ended) in enumerate(rows):  # equal start times too: ties keep insertion order
            sid = store.start_session(scenario=name, title="t", scenario_hash="h", seed=n, mode="practice",
                                      opening="o", goals_total=1, started=f"2026-01-01T00:0{minute}:00+00:00")
            if ended:
                store.finish_session(sid, None, "strong")
        everything = store.sessions(scenario=scenario, open_only=open_only)
        assert store.sessions(scenario=scenario, open_only=open_only, limit=limit) == everything[-limit:]
        latest = {}
        for s in store.sessions():
            if s.outcome not in (None, "unfinished"):
                latest[s.scenario] = s.outcome
        assert store.last_results() == latest
