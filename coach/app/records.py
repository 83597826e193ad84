"""The app's practice records: every SQLite call on one background thread, never the UI's.

The session lifecycle is `coach.records.service.SessionService`, the same as `coach play`.
What the app adds is where the work happens: one records thread runs, in order, opening the
database, every write of a session being played (so a turn is never waited for) and every
read; the screens get results through Textual thread workers (`CoachApp.load_records`), so
neither the first paint nor a key press waits on SQLite. Closing the link (when the app
ends) finishes the queued writes first: quitting loses nothing already answered.
Knows no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from coach.errors import CoachError
from coach.records.service import RecordsOptions, ScenarioFinder, SessionService

if TYPE_CHECKING:
    from coach.conversation.engine import Session, SessionListener
    from coach.conversation.record import Report, Turn
    from coach.records.store import SessionRecord, SessionSummary, Workshop
    from coach.scenario.models import Scenario

__all__ = ["RecordsLink", "RecordsOptions"]

T = TypeVar("T")

HISTORY_LIMIT = 1000
"""Sessions the app's history screen lists at most (the newest)."""


class _Writer:
    """Stands in for the store in a `RecordingListener`: each write is queued on the records
    thread (in order) and returns at once; a failure is handed to the link's `on_error`."""

    def __init__(self, link: RecordsLink) -> None:
        self._link = link

    def _queue(self, method: str, *args: Any, **kwargs: Any) -> None:
        def write() -> None:
            try:
                getattr(self._link.service.open(), method)(*args, **kwargs)
            except CoachError as exc:
                self._link.report(exc)

        self._link.submit(write)

    def start_session(self, **fields: Any) -> str:
        self._queue("start_session", **fields)
        return fields["session_id"]

    def add_turn(self, session_id: str, turn: Turn) -> None:
        self._queue("add_turn", session_id, turn)

    def add_hint(self, session_id: str) -> None:
        self._queue("add_hint", session_id)

    def undo_turn(self, session_id: str, index: int) -> None:
        self._queue("undo_turn", session_id, index)

    def finish_session(self, session_id: str, report: Report | None, outcome: str) -> None:
        self._queue("finish_session", session_id, report, outcome)

    def reopen_session(self, session_id: str) -> None:
        self._queue("reopen_session", session_id)


class RecordsLink:
    """The records as the app uses them: a `SessionService` driven from one background thread."""

    def __init__(self, options: RecordsOptions) -> None:
        self.options = options
        self.service = SessionService(options)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-records")
        self.on_error: Callable[[CoachError], None] | None = None  # set by the app: say it on screen
        self.errors: list[CoachError] = []  # failed writes nobody was told of yet
        self.loaded = False  # the records were opened and read once
        self._loading: Future[dict[str, str]] | None = None

    @property
    def enabled(self) -> bool:
        return self.options.record

    @property
    def workshop(self) -> str | None:
        return self.service.workshop

    @property
    def participant(self) -> str | None:
        return self.service.participant

    @property
    def needs_participant(self) -> bool:
        return self.service.needs_participant

    # -- the records thread -------------------------------------------------------------------

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Run `work` on the records thread, after everything queued before it."""
        return self._thread.submit(work)

    def call(self, work: Callable[[], T]) -> T:
        """Run `work` on the records thread and wait for it: for workers, never the UI thread."""
        return self.submit(work).result()

    def report(self, error: CoachError) -> None:
        """A write failed (the disk is full...): tell the app, or keep it to say at the end."""
        handler = self.on_error
        if handler is None:
            self.errors.append(error)
            return
        try:
            handler(error)
        except RuntimeError:  # the app is no longer running
            self.errors.append(error)

    def close(self) -> None:
        """Finish the queued writes, then close the database (when the app ends)."""
        self._thread.shutdown(wait=True)
        self.service.close()

    # -- what the screens ask for (blocking: call from a worker) -------------------------------

    def preload(self) -> Future[dict[str, str]]:
        """Start opening the records and reading the last results on the records thread (once):
        `run_app` calls this before Textual is even imported, so they are usually there by the
        first paint."""
        if self._loading is None:
            def work() -> dict[str, str]:
                if self.enabled:
                    self.service.open()  # checks the workshop too
                return self.service.last_results()

            self._loading = self.submit(work)
        return self._loading

    def failure(self, wait: float = 0.0) -> CoachError | None:
        """Why the records could not be opened, if that is known within `wait` seconds (else None)."""
        try:
            error = self.preload().exception(timeout=wait)
        except TimeoutError:
            return None
        return error if isinstance(error, CoachError) else None

    def ready_results(self) -> dict[str, str] | None:
        """The last results if loading has already succeeded, else None (never waits)."""
        loading = self._loading
        if loading is None or not loading.done() or loading.exception() is not None:
            return None
        self.loaded = True
        return loading.result()

    def load(self) -> dict[str, str]:
        """Open the records and read each scenario's last result, waiting for it (workers only)."""
        results = self.preload().result()
        self.loaded = True
        return results

    def last_results(self) -> dict[str, str]:
        return self.call(self.service.last_results)

    def sessions(self) -> list[SessionSummary]:
        return self.call(self.service.sessions)

    def history(self) -> tuple[list[SessionSummary], int]:
        """The latest `HISTORY_LIMIT` sessions (a table of 100,000 rows helps nobody), and how many there are."""
        def work() -> tuple[list[SessionSummary], int]:
            store = self.service.open()
            return store.sessions(limit=HISTORY_LIMIT), store.count()

        return self.call(work)

    def session(self, session_id: str) -> SessionRecord:
        return self.call(lambda: self.service.session(session_id))

    def workshops(self) -> list[Workshop]:
        return self.call(self.service.workshops)

    def join(self, workshop: str | None, participant: str | None) -> None:
        self.call(lambda: self.service.join(workshop, participant))

    # -- the lifecycle (the session service's rules; writes on the records thread) ---------------

    def new_session(self, scenario: Scenario, *, seed: int, mode: str,
                    listeners: Sequence[SessionListener] = ()) -> Session:
        """A new session, recorded (unless --no-record) without the UI waiting on a write."""
        return self.service.new_session(scenario, seed=seed, mode=mode, listeners=listeners, writer=_Writer(self))

    def resume(self, session_id: str, find: ScenarioFinder) -> Session:
        """An interrupted session replayed from the records, recording on (blocking: workers only)."""
        return self.call(lambda: self.service.resume(session_id, find, writer=_Writer(self)))

    def interrupted(self) -> list[SessionSummary]:
        """Sessions left open by a coach that was killed (blocking: workers only)."""
        return self.call(lambda: self.service.open().sessions(open_only=True))
