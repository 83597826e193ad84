"""The app's practice records: opened after the first paint, shared by every screen.

Opening the database imports sqlite3 and the recording listener imports the engine: ~80 ms
that the home screen does not need to take keys. So the app keeps a `RecordsLink` that opens
the store on first use (after the first paint, or sooner if a session starts first).
Knows no Textual: the screens ask it for sessions, listeners and last results.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coach.records import ENV_PARTICIPANT, ENV_WORKSHOP

if TYPE_CHECKING:
    from coach.conversation.engine import SessionListener
    from coach.scenario.models import Scenario
    from coach.records.store import SessionRecord, SessionSummary, Store, Workshop


@dataclass
class RecordsOptions:
    """What `coach --db --workshop --participant --no-record` asked for."""

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


class RecordsLink:
    """The records database as the app uses it: opened once, on first need."""

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
            if self.workshop is not None:
                store.workshop(self.workshop)  # a typo in the name is an error now, not after the first reply
            self._store = store
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

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

    def listeners(self, scenario: Scenario) -> Sequence[SessionListener]:
        """A recording listener for a new session (none with --no-record)."""
        if not self.enabled:
            return []
        from coach.records.listener import RecordingListener

        return [RecordingListener(self.open(), self.workshop, self.participant)]

    def last_results(self) -> dict[str, str]:
        from coach.records import last_results

        return last_results(self.open()) if self.enabled else {}

    def sessions(self) -> list[SessionSummary]:
        return self.open().sessions()

    def session(self, session_id: str) -> SessionRecord:
        return self.open().session(session_id)

    def workshops(self) -> list[Workshop]:
        return self.open().workshops()
