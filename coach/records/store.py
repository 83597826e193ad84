"""Practice records in SQLite: a versioned schema, one transaction per turn, cheap opening.

Why this shape: several processes (a room of participants through `coach serve`, or many
terminals) write into one database at once, and a crash must lose nothing already answered.
So the database runs in WAL mode with a busy timeout, every write is its own short
`BEGIN IMMEDIATE` transaction, and a file that is not ours, is corrupt, or comes from a newer
coach is refused with a clear `CoachError` and never touched.

Opening costs the same at ten sessions and at a million: the integrity check (which reads the
whole file) runs only when the schema version changes, after an unclean shutdown (a non-empty
`-wal` file that no other coach holds: see `_Holder`) or on demand (`coach history --check`),
and then through a read-only connection, so checking never leaves files beside a bad database.
Every query is answered by an index; SQLite errors become one-line `CoachError`s that say
what happened (read-only, disk full, corrupt, busy).
"""

from __future__ import annotations

import functools
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from coach.conversation.record import (
    RecordError, Report, SessionRecord, SessionSummary, StoredRows, Turn, from_json, rows_of, to_json,
)
from coach.errors import CoachError, Problem
from coach.records import ENV_DB
from coach.safetext import one_line

SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
USER_VERSION_OFFSET = 60  # the header's big-endian `PRAGMA user_version`
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


FINISHED = "outcome <> 'unfinished'"
"""Sessions that reached an ending (open ones have no outcome; stopped ones are "unfinished")."""


def _v2(db: sqlite3.Connection) -> None:
    """Indexes for every listing: newest first, open ones, and each scenario's last ending."""
    db.execute("CREATE INDEX sessions_by_started ON sessions(started)")
    db.execute("CREATE INDEX sessions_open ON sessions(started) WHERE ended IS NULL")
    db.execute(f"CREATE INDEX sessions_finished ON sessions(scenario, started) WHERE {FINISHED}")


def _v3(db: sqlite3.Connection) -> None:
    """Replies taken back (`Session.undo`): kept, with when they were taken back."""
    db.execute("""CREATE TABLE undone_turns (
        session TEXT NOT NULL REFERENCES sessions(id), idx INTEGER NOT NULL,
        reply TEXT NOT NULL, hints INTEGER NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
        undone TEXT NOT NULL)""")


MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3)
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
class Activity:
    """How far one session has got, for the trainer's room view (read every few seconds)."""

    pitfalls: int  # pitfall feedback items so far
    last_turn_at: str | None
    last_reply: str | None  # private: shown only when the trainer asks for names


@dataclass(frozen=True, slots=True)
class Workshop:
    name: str
    created: str
    sessions: int = 0
    participants: int = 0


# -- what went wrong, in words ---------------------------------------------------------------

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def read_only_reason(path: Path) -> str:
    """Why a database cannot be written: read-only media, or no permission."""
    folder = _existing_folder(path)
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on read-only media"
    except (OSError, AttributeError):  # no statvfs (Windows)
        pass
    return "there is no permission to write it or its folder"


def database_error(exc: sqlite3.Error, path: Path, doing: str) -> CoachError:
    """A SQLite error as one line that says what happened (full, read-only, corrupt, busy)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # extended codes keep the primary in the low byte
    text = one_line(str(exc))
    low = text.lower()
    if code == _SQLITE_FULL or "disk is full" in low:
        message = (f"the disk holding the records database is full: could not {doing} (nothing of it was written); "
                   "free some space, or choose another database with --db")
    elif code == _SQLITE_READONLY or "readonly" in low or (code == _SQLITE_CANTOPEN and not _writable(path)):
        message = (f"the records database is read-only ({read_only_reason(path)}): could not {doing}; "
                   "use --no-record, or choose another database with --db")
    elif code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in low or "not a database" in low:
        message = (f"the records database is corrupt ({text}): could not {doing}; it was left as it was "
                   "(`coach history --check` checks it; move it away to start afresh)")
    elif code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in low:
        message = (f"the records database stayed busy for {BUSY_TIMEOUT_MS // 1000} s (another coach is writing): "
                   f"could not {doing}; try again")
    else:
        message = f"could not {doing} in the records database: {text}"
    return CoachError(Problem(message, path))


T = TypeVar("T")
P = ParamSpec("P")


def _guarded(doing: str) -> Callable[[Callable[Concatenate[Store, P], T]], Callable[Concatenate[Store, P], T]]:
    """A `Store` method whose SQLite errors become a `database_error` saying it could not `doing`
    (typed so the method keeps its parameters' types)."""

    def wrap(method: Callable[Concatenate[Store, P], T]) -> Callable[Concatenate[Store, P], T]:
        @functools.wraps(method)
        def guarded(self: Store, *args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise database_error(exc, self.path, doing) from None

        return guarded

    return wrap


# -- opening -------------------------------------------------------------------------------------

def _existing_folder(path: Path) -> Path:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _writable(path: Path) -> bool:
    """Whether the database (and its folder, for the `-wal` and `-shm` files) can be written."""
    return os.access(_existing_folder(path), os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _read_header(path: Path) -> bytes | None:
    """The SQLite header of an existing database (None if there is none yet); refuse a file
    that is not an SQLite database before SQLite may write to it."""
    if not path.exists():
        return None
    if path.is_dir():
        raise CoachError(Problem("the records database is a folder, not a file", path))
    try:
        with path.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as exc:
        raise CoachError(Problem(f"cannot read the records database: {exc.strerror or exc}", path)) from None
    if not header:
        return None
    if not header.startswith(SQLITE_HEADER) or len(header) < HEADER_SIZE:
        raise CoachError(Problem(
            "this is not a coach records database (not SQLite, or corrupt); it was left untouched: "
            "move it away or choose another with --db", path))
    return header


class _Holder:
    """This process's hold on the database: a shared `flock` beside SQLite's own locks.

    Every coach that has the database open holds one (flock and SQLite's fcntl locks do not
    interact). An opener that can take it exclusively knows no other coach has the file open;
    a non-empty `-wal` file is then left by one that did not close (killed, or the machine went
    down): an unclean shutdown, worth an integrity check. Without `fcntl` (Windows) nothing is
    held and the check runs only on a version change or on demand.
    """

    def __init__(self, path: Path) -> None:
        self.alone = False
        self._fd: int | None = None
        try:
            import fcntl
        except ImportError:
            return
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.alone = True
        except OSError:
            pass
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            os.close(fd)
            return
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None


def _read_only_uri(path: Path) -> str:
    """A connection that cannot change anything, nor create `-wal`/`-shm` beside the file
    when there is no `-wal` (immutable); with one, read-only so its content is seen."""
    query = "mode=ro" if _wal(path).exists() else "immutable=1"
    return f"{path.resolve().as_uri()}?{query}"


def _inspect(path: Path, *, check: str | None) -> int:
    """The schema version of an existing database, read without changing it; refuse a foreign
    or newer one; `check` ("quick_check" or "integrity_check") also runs that check."""
    try:
        db = sqlite3.connect(_read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise database_error(exc, path, "open it") from None
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
        if check is not None or version != SCHEMA_VERSION:
            result = db.execute(f"PRAGMA {check or 'quick_check'}(1)").fetchone()[0]
            if result != "ok":
                raise CoachError(Problem(f"the records database is corrupt ({one_line(result)}); it was left untouched",
                                         path))
        return version
    except sqlite3.Error as exc:
        raise database_error(exc, path, "check it") from None
    finally:
        db.close()


_SUMMARY = """SELECT s.id, s.scenario, s.title, s.started, s.ended, s.outcome, s.goals_met,
    s.goals_total, s.hints_used, (SELECT COUNT(*) FROM turns t WHERE t.session = s.id),
    s.mode, s.seed, s.workshop, s.participant FROM sessions s"""


class Store:
    """The records database. Open with `Store.open(path)`; use as a context manager."""

    def __init__(self, db: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self._holder: _Holder | None = None

    @classmethod
    def open(cls, path: str | Path | None = None, *, check: bool = False) -> Store:
        """Open (creating or migrating if needed) the database at `path` or the default place.

        Costs the same whatever the database's size, unless a check is due (see the module's
        docstring) or asked for with `check` (a full integrity check).
        """
        path = Path(path) if path is not None else default_db_path()
        header = _read_header(path)
        holder = _Holder(path) if header is not None else None
        try:
            if header is not None:
                wal = _wal(path)
                unclean = holder is not None and holder.alone and wal.exists() and wal.stat().st_size > 0
                stored = int.from_bytes(header[USER_VERSION_OFFSET:USER_VERSION_OFFSET + 4], "big")
                if check or unclean or stored != SCHEMA_VERSION:  # the header can lag the WAL: ask SQLite
                    _inspect(path, check="integrity_check" if check else "quick_check" if unclean else None)
            store = cls._connect(path, exists=header is not None)
        except BaseException:
            if holder is not None:
                holder.release()
            raise
        store._holder = holder or _Holder(path)
        return store

    @classmethod
    def _connect(cls, path: Path, *, exists: bool) -> Store:
        writable = _writable(path)
        if not writable and not exists:
            raise CoachError(Problem(f"cannot create the records database: {read_only_reason(path)}", path))
        try:
            if writable:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                     check_same_thread=False)
            else:
                db = sqlite3.connect(_read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                     isolation_level=None, check_same_thread=False)
        except OSError as exc:
            raise CoachError(Problem(f"cannot open the records database: {exc.strerror or exc}", path)) from None
        except sqlite3.Error as exc:
            raise database_error(exc, path, "open it") from None
        store = cls(db, path, read_only=not writable)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            if writable:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable across process crashes
            store._migrate()
        except sqlite3.Error as exc:
            db.close()
            raise database_error(exc, path, "open it") from None
        except BaseException:
            db.close()
            raise
        return store

    def _migrate(self) -> None:
        """Bring the schema up to date; concurrent openers serialise on the write lock."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        with self.transaction("bring it up to date for this coach") as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]  # again, under the lock
            if version > SCHEMA_VERSION:
                raise CoachError(Problem(f"the records database is from a newer coach (schema {version})", self.path))
            for migration in MIGRATIONS[version:]:
                migration(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection (SQLite then folds the `-wal` file in), then let go of the hold."""
        self.db.close()
        if self._holder is not None:
            self._holder.release()
            self._holder = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, doing: str = "record the session") -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once so it cannot deadlock; its
        SQLite errors say they could not `doing`."""
        if self.read_only:
            raise CoachError(Problem(
                f"the records database is read-only ({read_only_reason(self.path)}): could not {doing}; "
                "use --no-record, or choose another database with --db", self.path))
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise database_error(exc, self.path, doing) from None

    @_guarded("count the sessions")
    def count(self) -> int:
        """How many sessions are stored (reads the whole index: for `--check`, not for listing)."""
        return self.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]

    # -- writing a session as it is played -------------------------------------------------

    def start_session(self, *, scenario: str, title: str, scenario_hash: str, seed: int, mode: str,
                      opening: str, goals_total: int, workshop: str | None = None,
                      participant: str | None = None, session_id: str | None = None,
                      started: str | None = None) -> str:
        """Record a new session and return its id."""
        session_id = session_id or new_session_id()
        with self.transaction() as db:
            if workshop is not None:
                self._require_workshop(workshop)
            db.execute(
                "INSERT INTO sessions (id, scenario, title, scenario_hash, seed, mode, workshop, participant,"
                " opening, started, goals_total) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, scenario, title, scenario_hash, seed, mode, workshop, participant, opening,
                 started or now(), goals_total))
        return session_id

    def add_turn(self, session_id: str, turn: Turn, at: str | None = None) -> None:
        """Commit one answered turn (and the goals and hints it brings) in one transaction."""
        with self.transaction() as db:
            db.execute("INSERT INTO turns (session, idx, reply, hints, data, at) VALUES (?,?,?,?,?,?)",
                       (session_id, turn.index, turn.reply, turn.hints, to_json(turn), at or now()))
            db.execute("UPDATE sessions SET goals_met = goals_met + ? WHERE id = ?",
                       (len(turn.goals_met), session_id))

    def undo_turn(self, session_id: str, index: int, at: str | None = None) -> None:
        """Move a turn taken back out of the session's turns, keeping it among the undone ones."""
        with self.transaction() as db:
            db.execute("INSERT INTO undone_turns (session, idx, reply, hints, data, at, undone) "
                       "SELECT session, idx, reply, hints, data, at, ? FROM turns WHERE session = ? AND idx = ?",
                       (at or now(), session_id, index))
            db.execute("DELETE FROM turns WHERE session = ? AND idx = ?", (session_id, index))
            undone = self.db.execute("SELECT data FROM undone_turns WHERE session = ? AND idx = ? "
                                     "ORDER BY rowid DESC LIMIT 1", (session_id, index)).fetchone()
            met = len(from_json(undone[0], Turn).goals_met) if undone else 0
            db.execute("UPDATE sessions SET goals_met = goals_met - ? WHERE id = ?", (met, session_id))

    def undone_turns(self, session_id: str) -> list[Turn]:
        """The turns taken back in a session, oldest first."""
        return [from_json(row[0], Turn) for row in self.db.execute(
            "SELECT data FROM undone_turns WHERE session = ? ORDER BY rowid", (self.resolve(session_id),))]

    def add_hint(self, session_id: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE sessions SET hints_used = hints_used + 1 WHERE id = ?", (session_id,))

    def finish_session(self, session_id: str, report: Report | None, outcome: str,
                       ended: str | None = None) -> None:
        """Close a session with its report (`outcome` "unfinished" if it stopped early)."""
        with self.transaction() as db:
            db.execute("UPDATE sessions SET ended = ?, outcome = ?, report = ? WHERE id = ?",
                       (ended or now(), outcome, to_json(report) if report else None, session_id))
            if report is not None:
                db.execute("UPDATE sessions SET goals_met = ?, hints_used = ? WHERE id = ?",
                           (len(report.goals_met), report.hints_used, session_id))

    def reopen_session(self, session_id: str) -> None:
        """Open a finished session again: the reply that ended it was taken back (undo)."""
        with self.transaction() as db:
            db.execute("UPDATE sessions SET ended = NULL, outcome = NULL, report = NULL WHERE id = ?", (session_id,))

    # -- reading ----------------------------------------------------------------------------

    @_guarded("read the sessions")
    def sessions(self, *, scenario: str | None = None, workshop: str | None = None,
                 open_only: bool = False, limit: int | None = None) -> list[SessionSummary]:
        """Sessions, oldest first, filtered by scenario and workshop; with `limit`, the last
        `limit` of them, read newest first through an index (cheap however many there are)."""
        where, params = [], []
        if scenario is not None:
            where.append("s.scenario = ?")
            params.append(scenario)
        if workshop is not None:
            where.append("s.workshop = ?")
            params.append(workshop)
        if open_only:
            where.append("s.ended IS NULL")
        sql = _SUMMARY + (" WHERE " + " AND ".join(where) if where else "")
        if limit is None:
            return [SessionSummary(*row) for row in self.db.execute(sql + " ORDER BY s.started, s.rowid", params)]
        if limit <= 0:
            return []
        rows = self.db.execute(sql + " ORDER BY s.started DESC, s.rowid DESC LIMIT ?", [*params, limit])
        return [SessionSummary(*row) for row in rows][::-1]

    @_guarded("find the session")
    def resolve(self, session_id: str) -> str:
        """The full id for an id or a unique prefix of one (as git accepts short hashes).

        Ids sort, so those starting with `session_id` are the first ones from it on: two rows
        of the primary key's index answer, whatever the number of sessions."""
        if not session_id:
            raise CoachError("give a session id (see `coach history`)")
        rows = self.db.execute("SELECT id FROM sessions WHERE id >= ? ORDER BY id LIMIT 3", (session_id,))
        ids = [row[0] for row in rows if row[0].startswith(session_id)]
        if not ids:
            raise CoachError(f"no session {session_id!r} in the records (see `coach history`)")
        if ids[0] == session_id or len(ids) == 1:
            return ids[0]
        raise CoachError(f"session id {session_id!r} is ambiguous: {', '.join(ids[:2])}...")

    @_guarded("read the session")
    def session(self, session_id: str) -> SessionRecord:
        """One session with its turns; `session_id` may be a unique prefix."""
        full = self.resolve(session_id)
        summary = SessionSummary(*self.db.execute(_SUMMARY + " WHERE s.id = ?", (full,)).fetchone())
        scenario_hash, opening, report = self.db.execute(
            "SELECT scenario_hash, opening, report FROM sessions WHERE id = ?", (full,)).fetchone()
        try:
            turns = tuple(from_json(row[0], Turn) for row in self.db.execute(
                "SELECT data FROM turns WHERE session = ? ORDER BY idx", (full,)))
            return SessionRecord(summary, scenario_hash, opening, turns, from_json(report, Report) if report else None)
        except RecordError as exc:  # a row no version of coach wrote: say which, do not crash
            raise CoachError(Problem(f"session {full} cannot be read: {exc}", self.path)) from None

    @_guarded("read the room")
    def activity(self, workshop: str) -> dict[str, Activity]:
        """Per session of `workshop`: pitfalls so far, when its last turn came, its last reply.

        One query over the stored turns (SQLite's JSON functions count the pitfalls), so a
        room view can refresh every second without loading every session."""
        rows = self.db.execute(
            "SELECT s.id,"
            " (SELECT COUNT(*) FROM turns t, json_each(t.data, '$.feedback') f"
            "   WHERE t.session = s.id AND json_extract(f.value, '$.kind') = 'pitfall'),"
            " (SELECT MAX(t.at) FROM turns t WHERE t.session = s.id),"
            " (SELECT t.reply FROM turns t WHERE t.session = s.id ORDER BY t.idx DESC LIMIT 1)"
            " FROM sessions s WHERE s.workshop = ?", (workshop,))
        return {session: Activity(pitfalls, at, reply) for session, pitfalls, at, reply in rows}

    @_guarded("read the last results")
    def last_results(self) -> dict[str, str]:
        """Each scenario's latest outcome among attempts that reached an ending, for the home
        screen (one stopped early does not hide how the last finished one went).

        A skip-scan of the `sessions_finished` index: one step per scenario, not per session."""
        rows = self.db.execute(f"""
            WITH RECURSIVE scenarios(id) AS (
                SELECT MIN(scenario) FROM sessions WHERE {FINISHED}
                UNION ALL
                SELECT (SELECT MIN(scenario) FROM sessions WHERE {FINISHED} AND scenario > scenarios.id)
                FROM scenarios WHERE scenarios.id IS NOT NULL)
            SELECT id, (SELECT outcome FROM sessions WHERE {FINISHED} AND scenario = scenarios.id
                        ORDER BY started DESC, rowid DESC LIMIT 1)
            FROM scenarios WHERE id IS NOT NULL""")
        return dict(rows.fetchall())

    # -- workshops ----------------------------------------------------------------------------

    def create_workshop(self, name: str) -> Workshop:
        name = name.strip()
        if not name:
            raise CoachError("a workshop needs a name")
        with self.transaction("create the workshop") as db:
            if db.execute("SELECT 1 FROM workshops WHERE name = ?", (name,)).fetchone():
                raise CoachError(f"workshop {name!r} already exists")
            created = now()
            db.execute("INSERT INTO workshops (name, created) VALUES (?, ?)", (name, created))
        return Workshop(name, created)

    _WORKSHOPS = ("SELECT w.name, w.created, COUNT(s.id), COUNT(DISTINCT s.participant) FROM workshops w"
                  " LEFT JOIN sessions s ON s.workshop = w.name")

    @_guarded("read the workshops")
    def workshops(self) -> list[Workshop]:
        rows = self.db.execute(self._WORKSHOPS + " GROUP BY w.name ORDER BY w.created")
        return [Workshop(*row) for row in rows]

    @_guarded("read the workshop")
    def workshop(self, name: str) -> Workshop:
        row = self.db.execute(self._WORKSHOPS + " WHERE w.name = ? GROUP BY w.name", (name,)).fetchone()
        if row is None:
            raise self._no_workshop(name)
        return Workshop(*row)

    def _require_workshop(self, name: str) -> None:
        if not self.db.execute("SELECT 1 FROM workshops WHERE name = ?", (name,)).fetchone():
            raise self._no_workshop(name)

    def _no_workshop(self, name: str) -> CoachError:
        known = [row[0] for row in self.db.execute("SELECT name FROM workshops ORDER BY created LIMIT 6")]
        listed = ", ".join(known[:5]) + (", ..." if len(known) > 5 else "")
        return CoachError(f"no workshop {name!r}; create it with `coach workshop new {name}`"
                          + (f" (known: {listed})" if known else ""))

    # -- importing ----------------------------------------------------------------------------

    def insert_records(self, records: Sequence[SessionRecord | StoredRows]) -> None:
        """Store whole sessions at once (an import), all in one transaction: all or none."""
        rows = [rows_of(r) if isinstance(r, SessionRecord) else r for r in records]
        with self.transaction("import the sessions") as db:
            workshops = {row[0] for row in db.execute("SELECT name FROM workshops")}
            for session in rows:
                workshop = session.summary.workshop
                if workshop is not None and workshop not in workshops:
                    db.execute("INSERT INTO workshops (name, created) VALUES (?, ?)", (workshop, session.summary.started))
                    workshops.add(workshop)
                self._insert(db, session)

    def insert_record(self, record: SessionRecord) -> None:
        self.insert_records([record])

    def has_sessions(self, ids: Sequence[str]) -> set[str]:
        """Which of `ids` are already in the records."""
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            found.update(row[0] for row in self.db.execute(
                f"SELECT id FROM sessions WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def _insert(self, db: sqlite3.Connection, rows: StoredRows) -> None:
        summary = rows.summary
        if db.execute("SELECT 1 FROM sessions WHERE id = ?", (summary.id,)).fetchone():
            raise CoachError(f"session {summary.id} is already in the records")
        db.execute(
            "INSERT INTO sessions (id, scenario, title, scenario_hash, seed, mode, workshop, participant,"
            " opening, started, ended, outcome, goals_met, goals_total, hints_used, report)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (summary.id, summary.scenario, summary.title, rows.scenario_hash, summary.seed, summary.mode,
             summary.workshop, summary.participant, rows.opening, summary.started, summary.ended,
             summary.outcome, summary.goals_met, summary.goals_total, summary.hints_used, rows.report))
        db.executemany("INSERT INTO turns (session, idx, reply, hints, data, at) VALUES (?,?,?,?,?,?)",
                       [(summary.id, index, reply, hints, data, summary.started)
                        for index, reply, hints, data in rows.turns])


def new_session_id() -> str:
    """A fresh session id (made before anything is written, so a recorder need not wait for it)."""
    return uuid.uuid4().hex[:12]
