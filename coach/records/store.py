"""Practice records in SQLite: a versioned schema, one transaction per turn, safe opening.

Why this shape: several processes (a room of participants through `coach serve`, or many
terminals) write into one database at once, and a crash must lose nothing already answered.
So the database runs in WAL mode with a busy timeout, every write is its own short
`BEGIN IMMEDIATE` transaction, and a file that is not ours, is corrupt, or comes from a newer
coach is refused with a clear `CoachError` and never touched.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.errors import CoachError, Problem
from coach.records import ENV_DB

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000

Migration = Callable[[sqlite3.Connection], None]


def _v1(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE workshops (
        name TEXT PRIMARY KEY, created TEXT NOT NULL)""")
    db.execute("""CREATE TABLE sessions (
        id TEXT PRIMARY KEY, scenario TEXT NOT NULL, title TEXT NOT NULL,
        scenario_hash TEXT NOT NULL, seed INTEGER NOT NULL, mode TEXT NOT NULL,
        workshop TEXT REFERENCES workshops(name), participant TEXT,
        opening TEXT NOT NULL, started TEXT NOT NULL, ended TEXT,
        outcome TEXT, goals_met INTEGER NOT NULL DEFAULT 0, goals_total INTEGER NOT NULL,
        hints_used INTEGER NOT NULL DEFAULT 0, report TEXT)""")
    db.execute("""CREATE TABLE turns (
        session TEXT NOT NULL REFERENCES sessions(id), idx INTEGER NOT NULL,
        reply TEXT NOT NULL, hints INTEGER NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (session, idx))""")
    db.execute("CREATE INDEX sessions_by_scenario ON sessions(scenario, started)")
    db.execute("CREATE INDEX sessions_by_workshop ON sessions(workshop, started)")


def _v2(db: sqlite3.Connection) -> None:
    """Replies taken back (`Session.undo`): kept, with when they were taken back."""
    db.execute("""CREATE TABLE undone_turns (
        session TEXT NOT NULL REFERENCES sessions(id), idx INTEGER NOT NULL,
        reply TEXT NOT NULL, hints INTEGER NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
        undone TEXT NOT NULL)""")


MIGRATIONS: tuple[Migration, ...] = (_v1, _v2)
"""Migration n (1-based) takes the schema from version n-1 to n; never edit a released one."""

SCHEMA_VERSION = len(MIGRATIONS)


def default_db_path() -> Path:
    """`$COACH_DB`, else `records.sqlite3` in the platform's user data folder."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    from platformdirs import user_data_path

    return user_data_path("coach", appauthor=False) / "records.sqlite3"


def now() -> str:
    """The current UTC time as ISO 8601 text (sorts as it reads)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One attempt as history lists it."""

    id: str
    scenario: str
    title: str
    started: str
    ended: str | None
    outcome: str | None  # None while the session is open (interrupted or in progress)
    goals_met: int
    goals_total: int
    hints_used: int
    turns: int
    mode: str
    seed: int
    workshop: str | None
    participant: str | None

    @property
    def is_open(self) -> bool:
        return self.ended is None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True)
class SessionRecord:
    """Everything stored about one attempt: enough to show, export, resume or compare it."""

    summary: SessionSummary
    scenario_hash: str
    opening: str
    turns: tuple[dict[str, Any], ...]
    report: dict[str, Any] | None

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def replies(self) -> list[str]:
        return [turn["reply"] for turn in self.turns]


@dataclass(frozen=True, slots=True)
class Workshop:
    name: str
    created: str
    sessions: int = 0
    participants: int = 0


_SUMMARY = """SELECT s.id, s.scenario, s.title, s.started, s.ended, s.outcome, s.goals_met,
    s.goals_total, s.hints_used, (SELECT COUNT(*) FROM turns t WHERE t.session = s.id),
    s.mode, s.seed, s.workshop, s.participant FROM sessions s"""


def _check_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, before SQLite may write to it."""
    if not path.exists():
        return
    if path.is_dir():
        raise CoachError(Problem("the records database is a folder, not a file", path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CoachError(Problem(f"cannot read the records database: {exc.strerror or exc}", path)) from None
    if header and header != SQLITE_HEADER:
        raise CoachError(Problem(
            "this is not a coach records database (not SQLite, or corrupt); it was left untouched: "
            "move it away or choose another with --db", path))


def _inspect_read_only(path: Path) -> None:
    """Check an existing database's integrity and version without being able to change it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise CoachError(Problem(f"cannot open the records database: {exc}", path)) from None
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables:
            raise CoachError(Problem(
                "this SQLite file is not a coach records database; it was left untouched", path))
        if version > SCHEMA_VERSION:
            raise CoachError(Problem(
                f"the records database is from a newer coach (schema {version}, this coach knows up to "
                f"{SCHEMA_VERSION}); upgrade coach, it was left untouched", path))
        check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            raise CoachError(Problem(f"the records database is corrupt ({check}); it was left untouched", path))
    except sqlite3.DatabaseError as exc:
        raise CoachError(Problem(
            f"the records database is corrupt or unreadable ({exc}); it was left untouched", path)) from None
    finally:
        db.close()


class Store:
    """The records database. Open with `Store.open(path)`; use as a context manager."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        """Open (creating or migrating if needed) the database at `path` or the default place."""
        path = Path(path) if path is not None else default_db_path()
        _check_file(path)
        _inspect_read_only(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise CoachError(Problem(f"cannot open the records database: {exc}", path)) from None
        store = cls(db, path)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable across process crashes
            store._migrate()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise CoachError(Problem(f"the records database is unusable ({exc}); it was left as it was", path)) from None
        except BaseException:
            db.close()
            raise
        return store

    def _migrate(self) -> None:
        """Bring the schema up to date; concurrent openers serialise on the write lock."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]  # again, under the lock
            if version > SCHEMA_VERSION:
                raise CoachError(Problem(f"the records database is from a newer coach (schema {version})", self.path))
            for migration in MIGRATIONS[version:]:
                migration(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once so it cannot deadlock."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing a session as it is played -------------------------------------------------

    def start_session(self, *, scenario: str, title: str, scenario_hash: str, seed: int, mode: str,
                      opening: str, goals_total: int, workshop: str | None = None,
                      participant: str | None = None, session_id: str | None = None,
                      started: str | None = None) -> str:
        """Record a new session and return its id."""
        session_id = session_id or uuid.uuid4().hex[:12]
        with self.transaction() as db:
            if workshop is not None:
                self._require_workshop(workshop)
            db.execute(
                "INSERT INTO sessions (id, scenario, title, scenario_hash, seed, mode, workshop, participant,"
                " opening, started, goals_total) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, scenario, title, scenario_hash, seed, mode, workshop, participant, opening,
                 started or now(), goals_total))
        return session_id

    def add_turn(self, session_id: str, turn: dict[str, Any], at: str | None = None) -> None:
        """Commit one answered turn (and the goals and hints it brings) in one transaction."""
        with self.transaction() as db:
            db.execute("INSERT INTO turns (session, idx, reply, hints, data, at) VALUES (?,?,?,?,?,?)",
                       (session_id, turn["index"], turn["reply"], turn.get("hints", 0),
                        json.dumps(turn, ensure_ascii=False), at or now()))
            db.execute("UPDATE sessions SET goals_met = goals_met + ? WHERE id = ?",
                       (len(turn.get("goals_met", ())), session_id))

    def undo_turn(self, session_id: str, index: int, at: str | None = None) -> None:
        """Move a turn taken back out of the session's turns, keeping it among the undone ones."""
        with self.transaction() as db:
            db.execute("INSERT INTO undone_turns (session, idx, reply, hints, data, at, undone) "
                       "SELECT session, idx, reply, hints, data, at, ? FROM turns WHERE session = ? AND idx = ?",
                       (at or now(), session_id, index))
            db.execute("DELETE FROM turns WHERE session = ? AND idx = ?", (session_id, index))
            goals = self.db.execute("SELECT data FROM undone_turns WHERE session = ? AND idx = ? "
                                    "ORDER BY rowid DESC LIMIT 1", (session_id, index)).fetchone()
            met = len(json.loads(goals[0]).get("goals_met", ())) if goals else 0
            db.execute("UPDATE sessions SET goals_met = goals_met - ? WHERE id = ?", (met, session_id))

    def undone_turns(self, session_id: str) -> list[dict[str, Any]]:
        """The turns taken back in a session, oldest first."""
        return [json.loads(row[0]) for row in self.db.execute(
            "SELECT data FROM undone_turns WHERE session = ? ORDER BY rowid", (self.resolve(session_id),))]

    def add_hint(self, session_id: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE sessions SET hints_used = hints_used + 1 WHERE id = ?", (session_id,))

    def finish_session(self, session_id: str, report: dict[str, Any] | None, outcome: str,
                       ended: str | None = None) -> None:
        """Close a session with its report (`outcome` "unfinished" if it stopped early)."""
        with self.transaction() as db:
            db.execute("UPDATE sessions SET ended = ?, outcome = ?, report = ? WHERE id = ?",
                       (ended or now(), outcome, json.dumps(report, ensure_ascii=False) if report else None,
                        session_id))
            if report is not None:
                db.execute("UPDATE sessions SET goals_met = ?, hints_used = ? WHERE id = ?",
                           (len(report.get("goals_met", ())), report.get("hints_used", 0), session_id))

    # -- reading ----------------------------------------------------------------------------

    def sessions(self, *, scenario: str | None = None, workshop: str | None = None,
                 open_only: bool = False, limit: int | None = None) -> list[SessionSummary]:
        """Sessions, oldest first, filtered by scenario and workshop."""
        where, params = [], []
        if scenario is not None:
            where.append("s.scenario = ?")
            params.append(scenario)
        if workshop is not None:
            where.append("s.workshop = ?")
            params.append(workshop)
        if open_only:
            where.append("s.ended IS NULL")
        sql = _SUMMARY + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.started, s.rowid"
        rows = [SessionSummary(*row) for row in self.db.execute(sql, params)]
        return rows[-limit:] if limit else rows

    def resolve(self, session_id: str) -> str:
        """The full id for an id or a unique prefix of one (as git accepts short hashes)."""
        rows = self.db.execute("SELECT id FROM sessions WHERE id = ? OR substr(id, 1, ?) = ? LIMIT 3",
                               (session_id, len(session_id), session_id)).fetchall()
        ids = {row[0] for row in rows}
        if session_id in ids:
            return session_id
        if not ids or not session_id:
            raise CoachError(f"no session {session_id!r} in the records (see `coach history`)")
        if len(ids) > 1:
            raise CoachError(f"session id {session_id!r} is ambiguous: {', '.join(sorted(ids))}...")
        return ids.pop()

    def session(self, session_id: str) -> SessionRecord:
        """One session with its turns; `session_id` may be a unique prefix."""
        full = self.resolve(session_id)
        summary = SessionSummary(*self.db.execute(_SUMMARY + " WHERE s.id = ?", (full,)).fetchone())
        scenario_hash, opening, report = self.db.execute(
            "SELECT scenario_hash, opening, report FROM sessions WHERE id = ?", (full,)).fetchone()
        turns = tuple(json.loads(row[0]) for row in self.db.execute(
            "SELECT data FROM turns WHERE session = ? ORDER BY idx", (full,)))
        return SessionRecord(summary, scenario_hash, opening, turns, json.loads(report) if report else None)

    def last_results(self) -> dict[str, str]:
        """Each scenario's latest finished outcome, for the app's home screen."""
        rows = self.db.execute(
            "SELECT scenario, outcome FROM sessions WHERE ended IS NOT NULL ORDER BY started, rowid")
        return {scenario: outcome for scenario, outcome in rows}

    # -- workshops ----------------------------------------------------------------------------

    def create_workshop(self, name: str) -> Workshop:
        name = name.strip()
        if not name:
            raise CoachError("a workshop needs a name")
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM workshops WHERE name = ?", (name,)).fetchone():
                raise CoachError(f"workshop {name!r} already exists")
            created = now()
            db.execute("INSERT INTO workshops (name, created) VALUES (?, ?)", (name, created))
        return Workshop(name, created)

    def workshops(self) -> list[Workshop]:
        rows = self.db.execute(
            "SELECT w.name, w.created, COUNT(s.id), COUNT(DISTINCT s.participant) FROM workshops w"
            " LEFT JOIN sessions s ON s.workshop = w.name GROUP BY w.name ORDER BY w.created")
        return [Workshop(*row) for row in rows]

    def workshop(self, name: str) -> Workshop:
        for workshop in self.workshops():
            if workshop.name == name:
                return workshop
        raise self._no_workshop(name)

    def _require_workshop(self, name: str) -> None:
        if not self.db.execute("SELECT 1 FROM workshops WHERE name = ?", (name,)).fetchone():
            raise self._no_workshop(name)

    def _no_workshop(self, name: str) -> CoachError:
        known = [w.name for w in self.workshops()]
        return CoachError(f"no workshop {name!r}; create it with `coach workshop new {name}`"
                          + (f" (known: {', '.join(known)})" if known else ""))

    # -- importing ----------------------------------------------------------------------------

    def insert_record(self, summary: SessionSummary, scenario_hash: str, opening: str,
                      turns: Sequence[dict[str, Any]], report: dict[str, Any] | None) -> None:
        """Store a whole session at once (an import), in one transaction."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (summary.id,)).fetchone():
                raise CoachError(f"session {summary.id} is already in the records")
            if summary.workshop is not None and not db.execute(
                    "SELECT 1 FROM workshops WHERE name = ?", (summary.workshop,)).fetchone():
                db.execute("INSERT INTO workshops (name, created) VALUES (?, ?)", (summary.workshop, summary.started))
            db.execute(
                "INSERT INTO sessions (id, scenario, title, scenario_hash, seed, mode, workshop, participant,"
                " opening, started, ended, outcome, goals_met, goals_total, hints_used, report)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (summary.id, summary.scenario, summary.title, scenario_hash, summary.seed, summary.mode,
                 summary.workshop, summary.participant, opening, summary.started, summary.ended,
                 summary.outcome, summary.goals_met, summary.goals_total, summary.hints_used,
                 json.dumps(report, ensure_ascii=False) if report else None))
            for turn in turns:
                db.execute("INSERT INTO turns (session, idx, reply, hints, data, at) VALUES (?,?,?,?,?,?)",
                           (summary.id, turn["index"], turn["reply"], turn.get("hints", 0),
                            json.dumps(turn, ensure_ascii=False), summary.started))

