"""Record sessions as they are played, and bring interrupted ones back.

`RecordingListener` is a `SessionListener`: both front ends pass it to `Session`, so the app
and `coach play` record the same way, one committed transaction per answered turn.
Because the engine is deterministic, a session is resumed by replaying its stored replies
(and hints) with its seed; the replay is checked turn by turn against what was stored.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from coach.conversation.engine import Session, SessionListener, Turn
from coach.conversation.record import Report, replays_as
from coach.errors import CoachError
from coach.scenario.models import Scenario
from coach.records.store import SessionRecord, Store, new_session_id

_hashes: weakref.WeakKeyDictionary[Scenario, str] = weakref.WeakKeyDictionary()


def scenario_hash(scenario: Scenario) -> str:
    """A fingerprint of the scenario as loaded (its data, markers from libraries, synonyms and
    briefing), stored with each session to say which version was played. Worked out once per
    loaded scenario; resuming checks the replayed turns themselves, which is what counts."""
    found = _hashes.get(scenario)
    if found is None:
        data = scenario.document.data if scenario.document is not None else None
        content = repr((data, scenario.markers, scenario.synonyms, tuple(scenario.briefing.items.values())))
        found = _hashes[scenario] = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return found


class Recorder(Protocol):
    """What recording writes: a `Store`, or the app's stand-in that writes on another thread."""

    def start_session(self, *, scenario: str, title: str, scenario_hash: str, seed: int, mode: str,
                      opening: str, goals_total: int, workshop: str | None = None,
                      participant: str | None = None, session_id: str | None = None) -> str: ...

    def add_turn(self, session_id: str, turn: Turn) -> None: ...

    def add_hint(self, session_id: str) -> None: ...

    def undo_turn(self, session_id: str, index: int) -> None: ...

    def finish_session(self, session_id: str, report: Report | None, outcome: str) -> None: ...

    def reopen_session(self, session_id: str) -> None: ...


class RecordingListener:
    """Writes one session into the records as it happens.

    An attempt is recorded from its first reply or hint: one opened and left before either
    leaves nothing behind. Once recorded, it is kept: stopped early it is closed as
    "unfinished" (shown as such in history), never deleted; the last result a scenario shows
    is its latest attempt that reached an ending (`Store.last_results`).
    """

    def __init__(self, store: Recorder, workshop: str | None = None, participant: str | None = None,
                 session_id: str | None = None) -> None:
        self.store = store
        self.workshop = workshop
        self.participant = participant
        self.session_id = session_id  # set for a resumed session, else made on session_started
        self.written = session_id is not None  # whether the session's row is in the records
        self.finished = False  # closed in the records (an ending can be taken back with undo)
        self._start: dict[str, Any] = {}

    def session_started(self, session: Session) -> None:
        if self.session_id is not None:
            return
        scenario = session.scenario
        self.session_id = new_session_id()
        self._start = dict(
            scenario=scenario.id, title=scenario.title, scenario_hash=scenario_hash(scenario), seed=session.seed,
            mode=session.mode, opening=session.opening, goals_total=len(scenario.goals),
            workshop=self.workshop, participant=self.participant, session_id=self.session_id)

    def turn_played(self, session: Session, turn: Turn) -> None:
        self.store.add_turn(self._written(), turn)

    def hint_used(self, session: Session, hint: str) -> None:
        self.store.add_hint(self._written())

    def turn_undone(self, session: Session, turn: Turn) -> None:
        self.store.undo_turn(self._written(), turn.index)
        if self.finished:  # the reply that reached the ending was taken back: the attempt goes on
            self.store.reopen_session(self._written())
            self.finished = False

    def session_closed(self, session: Session) -> None:
        if not self.written:
            return  # nothing said, no hint asked: not an attempt worth keeping
        self.finished = True
        report = session.report()
        self.store.finish_session(self._written(), report, report.outcome)

    def _written(self) -> str:
        """The session's id, its row written first if this is its first event."""
        if self.session_id is None:
            raise RuntimeError("the session was not started with this listener")
        if not self.written:
            self.store.start_session(**self._start)
            self.written = True
        return self.session_id


def last_results(db: Store | str | Path | None = None) -> dict[str, str]:
    """Each scenario's latest outcome (for the home screen)."""
    if isinstance(db, Store):
        return db.last_results()
    with Store.open(db) as store:
        return store.last_results()


def restore(scenario: Scenario, record: SessionRecord, listeners: Sequence[SessionListener] = ()) -> Session:
    """The session `record` was, replayed to where it stopped, with `listeners` attached after.

    Raises a `CoachError` if the scenario no longer plays the same way (it was edited).
    """
    summary = record.summary
    if scenario.id != summary.scenario:
        raise CoachError(f"session {summary.id} is of scenario {summary.scenario!r}, not {scenario.id!r}")
    session = Session(scenario, seed=summary.seed, mode=summary.mode)
    if session.opening != record.opening:
        raise _changed(summary.id, scenario, 0)
    for stored in record.turns:
        for _ in range(stored.hints):
            session.hint()
        turn = session.reply(stored.reply)
        if not replays_as(stored, turn):
            raise _changed(summary.id, scenario, turn.index + 1)
    extra_hints = summary.hints_used - session.hints_used  # asked for before an unanswered reply
    for _ in range(max(0, extra_hints)):
        if session.beat is not None:
            session.hint()
    session.listeners.extend(listeners)
    return session


def _changed(session_id: str, scenario: Scenario, turn: int) -> CoachError:
    where = f"at turn {turn}" if turn else "at the opening"
    return CoachError(f"session {session_id} cannot be replayed: scenario {scenario.id!r} has changed since "
                      f"it was played (it differs {where}); close it with `coach close {session_id}`")


def resume(store: Store, scenario: Scenario, session_id: str,
           more: Sequence[SessionListener] = (), writer: Recorder | None = None) -> Session:
    """An interrupted session brought back and recording again into the same record (through
    `writer` if given, e.g. the app's, which writes on its records thread)."""
    record = store.session(session_id)
    if not record.summary.is_open:
        raise CoachError(f"session {record.id} is already finished ({record.summary.outcome}); nothing to resume")
    listener = RecordingListener(writer or store, record.summary.workshop, record.summary.participant, record.id)
    session = restore(scenario, record, [listener, *more])
    session.retries = len(store.undone_turns(record.id))  # replies taken back before the interruption
    if session.ended:  # killed between its last turn and closing: record the close now
        listener.session_closed(session)
    return session


def close_interrupted(store: Store, session_id: str, scenario: Scenario | None) -> str:
    """Close an interrupted session as "unfinished"; its report is rebuilt when the scenario is at hand."""
    record = store.session(session_id)
    if not record.summary.is_open:
        raise CoachError(f"session {record.id} is already closed ({record.summary.outcome})")
    report = None
    if scenario is not None:
        try:
            session = restore(scenario, record)
        except CoachError:
            session = None
        if session is not None:
            report = session.report()
            session.close()
    outcome = report.outcome if report else "unfinished"
    store.finish_session(record.id, report, outcome)
    return outcome
