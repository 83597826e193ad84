"""A recorded session as Markdown, JSON or HTML; JSON imports back; files written safely.

Every format comes from the template registry (`coach.records.formats`), so `coach export`,
`coach show` and the app write the same files, each with the turn-by-turn feedback. JSON is
the one `coach-session/N` format (`coach.conversation.record`), which `coach import` reads
back: every file is checked field by field before anything is written, and files go into the
database a batch per transaction.

Exports are written atomically (a temporary file in the same folder, then `os.replace`), and
only ever inside the folder asked for: the file name keeps the whole session id (the scenario
id is shortened instead), and the resolved path is checked to sit in that folder.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.conversation.record import (
    Line,
    RecordError,
    Report,
    SessionRecord,
    SessionSummary,
    StoredRows,
    export_data,
    read_export,
    stored_rows,
)
from coach.conversation.render import OUTCOME_WORDS, feedback_view
from coach.errors import CoachError, Problem
from coach.files import safe_stem, write_atomic
from coach.records import formats

if TYPE_CHECKING:
    from coach.conversation.engine import Session
    from coach.records.store import Store

COUNTERPART_NAME = "Counterpart"
IMPORT_BATCH = 500  # files per transaction


def report_of(record: SessionRecord) -> Report:
    """The session's report; for one still open, a provisional one from its turns."""
    if record.report is not None:
        return record.report
    from coach.conversation.record import GoalResult

    s = record.summary
    transcript = [Line("counterpart", COUNTERPART_NAME, record.opening)]
    for turn in record.turns:
        transcript += [Line("user", "You", turn.reply), Line("counterpart", COUNTERPART_NAME, turn.answer)]
    return Report(
        scenario=s.scenario, title=s.title, outcome="unfinished", ending=None,
        ending_title="interrupted, not closed yet", goals=tuple(
            GoalResult(goal, goal, True, turn.index) for turn in record.turns for goal in turn.goals_met),
        pitfalls=(), debrief=(), transcript=tuple(transcript), hints_used=s.hints_used, turns=len(record.turns),
        seed=s.seed, mode=s.mode)


def session_header(summary: SessionSummary) -> list[str]:
    """Who played and when, as `key: value` lines."""
    lines = [f"Session: {summary.id}", f"Started: {summary.started}", f"Ended: {summary.ended or 'not closed'}"]
    if summary.workshop:
        lines.append(f"Workshop: {summary.workshop}")
    if summary.participant:
        lines.append(f"Participant: {summary.participant}")
    return lines


def _counterpart(report: Report) -> str:
    """The counterpart's name as the transcript has it."""
    for line in report.transcript:
        if line.speaker == "counterpart":
            return line.name
    return COUNTERPART_NAME


def context(record: SessionRecord) -> dict[str, Any]:
    """What every session template is given."""
    report = report_of(record)
    return {
        "record": record, "report": report, "header": session_header(record.summary),
        "outcome": OUTCOME_WORDS.get(report.outcome, report.outcome), "opening": record.opening,
        "counterpart": _counterpart(report),
        "turns": [{"turn": turn, "feedback": [feedback_view(item) for item in turn.feedback]}
                  for turn in record.turns],
        "export": export_data(record),
    }


def render(record: SessionRecord, fmt: str) -> str:
    """The session in `fmt` (md, json or html)."""
    return formats.render("session", fmt, context(record))


def export_stem(scenario: str, session_id: str) -> str:
    """`coach-SCENARIO-ID`: the id kept whole (or, if it had to change, made unique by a hash)."""
    ident = safe_stem(session_id)
    if ident != session_id or len(ident) > 40:
        ident = f"{ident[:24]}-{hashlib.sha256(session_id.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"
    return f"coach-{safe_stem(scenario)[:40].rstrip('._-')}-{ident}"


def export_session(record: SessionRecord, fmt: str, folder: Path) -> Path:
    return write_atomic(folder, f"{export_stem(record.summary.scenario, record.id)}.{fmt}", render(record, fmt))


# -- a live session as a record (the app's export) ---------------------------------------------

def record_of_session(session: Session, *, session_id: str | None = None, started: str | None = None,
                      workshop: str | None = None, participant: str | None = None) -> SessionRecord:
    """A session being played, as the record the database would hold of it."""
    from coach.records.listener import scenario_hash
    from coach.records.store import now

    report = session.report()
    closed = session.ended or getattr(session, "_closed", False)
    summary = SessionSummary(
        id=session_id or uuid.uuid4().hex[:12], scenario=session.scenario.id, title=session.scenario.title,
        started=started or now(), ended=now() if closed else None, outcome=report.outcome if closed else None,
        goals_met=len(report.goals_met), goals_total=len(report.goals), hints_used=session.hints_used,
        turns=len(session.turns), mode=session.mode, seed=session.seed, workshop=workshop, participant=participant)
    return SessionRecord(summary, scenario_hash(session.scenario), session.opening, tuple(session.turns),
                         report if closed else None)


# -- import ------------------------------------------------------------------------------------------

def read_file(path: Path, *, scanned: bool = False) -> SessionRecord:
    """A JSON export, checked field by field; every fault is a one-line `CoachError` naming the file.

    `scanned`: the file passed once already (see `read_export`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CoachError(Problem(f"cannot read file: {exc.strerror or exc}", Path(path))) from None
    try:
        return read_export(data, scanned=scanned)
    except RecordError as exc:
        raise CoachError(Problem(str(exc), Path(path), exc.line, exc.column)) from None


def export_files(paths: Sequence[Path]) -> list[Path]:
    """The files named, with each folder standing for the `*.json` files in it."""
    found: list[Path] = []
    for path in paths:
        if Path(path).is_dir():
            exports = sorted(Path(path).glob("*.json"))
            if not exports:
                raise CoachError(Problem("no session exports (*.json) in this folder", Path(path)))
            found += exports
        else:
            found.append(Path(path))
    return found


def _batches(paths: Sequence[Path]) -> Iterator[Sequence[Path]]:
    for start in range(0, len(paths), IMPORT_BATCH):
        yield paths[start:start + IMPORT_BATCH]


def check_files(store: Store, paths: Sequence[Path]) -> None:
    """Every file checked before anything is written: all faults at once, one line each."""
    problems: list[Problem] = []
    owner: dict[str, Path] = {}
    for batch in _batches(paths):
        ids: dict[str, Path] = {}
        for path in batch:
            try:
                record = read_file(path)
            except CoachError as exc:
                problems += exc.problems
                continue
            if record.id in owner or record.id in ids:
                problems.append(Problem(f"session {record.id} is also in {owner.get(record.id) or ids[record.id]}", path))
            ids[record.id] = path
        for known in store.has_sessions(list(ids)):
            problems.append(Problem(f"session {known} is already in the records", ids[known]))
        owner.update(ids)
    if problems:
        raise CoachError(*problems)


def import_files(store: Store, paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """Add JSON exports to the records: all checked first, then a transaction per batch of files.

    Returns (session id, file) for each file imported.
    """
    paths = export_files(paths)
    check_files(store, paths)
    imported: list[tuple[str, Path]] = []
    for batch in _batches(paths):
        rows = [_stored(path) for path in batch]
        store.insert_records(rows)
        imported += [(session.summary.id, path) for session, path in zip(rows, batch, strict=True)]
    return imported


def _stored(path: Path) -> StoredRows:
    """A file `check_files` accepted, as rows to store."""
    try:
        return stored_rows(Path(path).read_bytes())
    except (OSError, RecordError) as exc:  # changed since it was checked
        raise CoachError(Problem(f"changed while importing: {exc}", Path(path))) from None


def import_file(store: Store, path: Path) -> str:
    """Add one JSON export to the records; returns the session id."""
    return import_files(store, [path])[0][0]
