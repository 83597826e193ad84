"""The session lifecycle, one set of rules for both front ends (`coach play` and the app).

What the rules are, in one place:

- **Options.** `--db`, `--workshop NAME`, `--participant NAME`, `--no-record`; the app also
  takes the workshop and participant from `$COACH_WORKSHOP` / `$COACH_PARTICIPANT` (set by
  `coach serve`). A participant needs a workshop; a workshop needs recording.
- **New.** A session is recorded unless `--no-record`; the workshop is checked before the
  first reply, so a typo is an error at once. Nothing is written until the first reply or
  hint (`RecordingListener`).
- **Stopped early** (quit, leave, restart, `/quit`, end of input): the attempt is kept and
  closed as "unfinished"; a scenario's last result is its latest attempt that reached an
  ending, so stopping early never hides how the last finished one went.
- **Interrupted** (killed before closing): it stays open; `resume` replays it and records on,
  `close_interrupted` closes it as it stands.

Knows no user interface: the CLI and the app call it and say the results in their own words.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.records import ENV_PARTICIPANT, ENV_WORKSHOP

if TYPE_CHECKING:
    from coach.conversation.engine import Session, SessionListener
    from coach.records.listener import Recorder
    from coach.records.store import SessionRecord, SessionSummary, Store, Workshop
    from coach.scenario.models import Scenario

ScenarioFinder = Callable[[str], "Scenario | None"]
"""The scenario with an id, or None if it is not (or no longer) at hand."""


@dataclass
class RecordsOptions:
    """What `--db --workshop --participant --no-record` asked for."""

    db: Path | None = None
    workshop: str | None = None
    participant: str | None = None
    record: bool = True

    @classmethod
    def from_environment(cls, db: str | Path | None = None, workshop: str | None = None,
                         participant: str | None = None, record: bool = True) -> RecordsOptions:
        """Unset options fall back to `$COACH_WORKSHOP` / `$COACH_PARTICIPANT` (set by `coach serve`)."""
        return cls(Path(db) if db else None, workshop or os.environ.get(ENV_WORKSHOP) or None,
                   participant or os.environ.get(ENV_PARTICIPANT) or None, record)

    def validate(self) -> RecordsOptions:
        """Refuse options that contradict each other, before anything starts."""
        if self.participant and not self.workshop:
            raise CoachError("--participant goes with --workshop NAME")
        if self.workshop and not self.record:
            raise CoachError("--workshop tags a recorded session: it cannot go with --no-record")
        return self


class SessionService:
    """Sessions and the records they go to: opened once, on first need."""

    def __init__(self, options: RecordsOptions) -> None:
        self.options = options
        self.workshop = options.workshop
        self.participant = options.participant
        self._store: Store | None = None

    @property
    def enabled(self) -> bool:
        return self.options.record

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def open(self) -> Store:
        """The store, opened (and the workshop checked) now if not yet; a `CoachError` if it cannot be."""
        if self._store is None:
            from coach.records.store import Store

            store = Store.open(self.options.db)
            try:
                if self.workshop is not None:
                    store.workshop(self.workshop)  # a typo in the name is an error now, not after the first reply
            except BaseException:
                store.close()
                raise
            self._store = store
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- who is recorded --------------------------------------------------------------------

    @property
    def needs_participant(self) -> bool:
        """A workshop without a participant's name: the app asks for it."""
        return self.enabled and self.workshop is not None and not self.participant

    def join(self, workshop: str | None, participant: str | None) -> None:
        """Tag the sessions started from now on (checks that the workshop exists)."""
        workshop = (workshop or "").strip() or None
        participant = (participant or "").strip() or None
        if workshop is not None:
            self.open().workshop(workshop)
        self.workshop, self.participant = workshop, participant

    # -- the lifecycle ----------------------------------------------------------------------

    def recorder(self, writer: Recorder | None = None) -> SessionListener | None:
        """The listener that records one new session (None with --no-record); it writes
        through `writer` if given (the app's, on another thread), else the store."""
        if not self.enabled:
            return None
        from coach.records.listener import RecordingListener

        return RecordingListener(writer if writer is not None else self.open(), self.workshop, self.participant)

    def new_session(self, scenario: Scenario, *, seed: int, mode: str,
                    listeners: Sequence[SessionListener] = (), writer: Recorder | None = None) -> Session:
        """A new session of `scenario`, recorded unless --no-record (through `writer` if given)."""
        from coach.conversation.engine import Session

        recorder = self.recorder(writer)
        return Session(scenario, seed=seed, mode=mode,
                       listeners=[*([recorder] if recorder is not None else []), *listeners])

    def resume(self, session_id: str, find: ScenarioFinder, writer: Recorder | None = None) -> Session:
        """An interrupted session brought back, recording again into the same record (through
        `writer` if given)."""
        from coach.records.listener import resume

        if not self.enabled:
            raise CoachError("--resume continues a recorded session: it cannot go with --no-record")
        store = self.open()
        record = store.session(session_id)
        scenario = find(record.summary.scenario)
        if scenario is None:
            raise CoachError(f"session {record.id} is of scenario {record.summary.scenario!r}, which is not "
                             "among the scenarios coach reads (see `coach list`)")
        return resume(store, scenario, record.id, writer=writer)

    def close_interrupted(self, session_id: str, find: ScenarioFinder) -> tuple[str, str]:
        """Close an interrupted session as it stands: its full id and outcome."""
        from coach.records.listener import close_interrupted

        store = self.open()
        record = store.session(session_id)
        return record.id, close_interrupted(store, record.id, find(record.summary.scenario))

    # -- reading ------------------------------------------------------------------------------

    def last_results(self) -> dict[str, str]:
        """Each scenario's latest outcome among attempts that reached an ending."""
        return self.open().last_results() if self.enabled else {}

    def sessions(self, **filters: object) -> list[SessionSummary]:
        return self.open().sessions(**filters)  # type: ignore[arg-type]

    def session(self, session_id: str) -> SessionRecord:
        return self.open().session(session_id)

    def workshops(self) -> list[Workshop]:
        return self.open().workshops()
