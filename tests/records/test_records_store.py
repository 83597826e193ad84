"""The database: schema version, WAL, and refusing files it must not touch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.records.store import SCHEMA_VERSION, Store, default_db_path


def test_a_new_database_is_versioned_and_in_wal_mode(db_path: Path) -> None:
    Store.open(db_path).close()
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_keeps_the_data(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.create_workshop("spring")
    with Store.open(db_path) as store:
        assert [w.name for w in store.workshops()] == ["spring"]


def test_default_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_DB", raising=False)
    assert default_db_path().name == "records.sqlite3"
    assert str(default_db_path()).startswith(str(tmp_path.parent.parent))  # under the test's XDG_DATA_HOME
    monkeypatch.setenv("COACH_DB", str(tmp_path / "elsewhere.db"))
    assert default_db_path() == tmp_path / "elsewhere.db"


def _refused(path: Path, words: str, check: bool = False) -> None:
    before = path.read_bytes()
    with pytest.raises(CoachError, match=words) as caught:
        Store.open(path, check=check)
    assert caught.value.problem.file == path
    assert path.read_bytes() == before, "the file must never be overwritten"


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    path.write_bytes(b"my important notes\n" * 100)
    _refused(path, "not a coach records database")


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE things (x)")
    db.commit()
    db.close()
    _refused(path, "not a coach records database")


def test_a_database_from_a_newer_coach_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    db = sqlite3.connect(db_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    _refused(db_path, "newer coach")


def test_a_corrupt_database_is_refused(db_path: Path, scenario) -> None:
    with Store.open(db_path) as store:
        for n in range(200):  # enough pages that corruption lands in data
            store.start_session(scenario="s", title="t" * 200, scenario_hash="h", seed=n, mode="practice",
                                opening="o" * 200, goals_total=1)
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(db_path.read_bytes())
    for offset in range(4096, len(data), 4096):  # scribble over the start of every page but the first
        data[offset:offset + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))
    _refused(db_path, "corrupt", check=True)  # opening alone does not read every page (see test_records_scale)


def test_session_ids_resolve_from_a_unique_prefix(store: Store) -> None:
    ids = [store.start_session(scenario="s", title="t", scenario_hash="h", seed=0, mode="practice", opening="o",
                               goals_total=1, session_id=sid) for sid in ("abc123", "abd456")]
    assert store.resolve("abc") == ids[0]
    with pytest.raises(CoachError, match="ambiguous"):
        store.resolve("ab")
    with pytest.raises(CoachError, match="no session"):
        store.resolve("zzz")


def test_unknown_workshop_is_an_error_with_the_way_out(store: Store) -> None:
    with pytest.raises(CoachError, match="coach workshop new spring"):
        store.start_session(scenario="s", title="t", scenario_hash="h", seed=0, mode="practice", opening="o",
                            goals_total=1, workshop="spring")
    store.create_workshop("spring")
    with pytest.raises(CoachError, match="already exists"):
        store.create_workshop("spring")
