"""CoachApp: the screens, the session on screen, and the state the screens show.

Screens post messages saying what the user wants (`coach.app.messages`) and watch the app's
reactive state (mode, presenter, catalog, last results, watch problems, who is recorded);
the app carries the wishes out, so the rules (ask before losing work, close every session,
records read off the UI thread) live in one place. Sessions are made, resumed and recorded
by the UI-free session service (`coach.records.service`, through `coach.app.records`).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen

from coach.app.commands import BriefingCommands, ScenarioCommands, screen_commands
from coach.app.messages import (
    ChooseMode,
    CompareAttempts,
    EndConversation,
    GoHome,
    JoinWorkshop,
    OpenBriefingItem,
    OpenHistory,
    OpenRoom,
    ResumeSession,
    StartScenario,
    TogglePresenter,
)
from coach.app.screens.home import HomeScreen
from coach.app.work import off_ui
from coach.app.theme import THEMES
from coach.errors import CoachError, Problem

DEFAULT_SWITCH_QUESTION = "Leave the conversation in progress for another scenario?"

if TYPE_CHECKING:  # the engine and the other screens load on first use: start-up stays cheap
    from coach.app.records import RecordsLink
    from coach.app.settings import Settings
    from coach.conversation.engine import Session, SessionListener
    from coach.conversation.record import SessionRecord
    from coach.records.store import SessionSummary
    from coach.scenario.loader import Catalog
    from coach.scenario.models import Scenario
    from coach.authoring.watch import Watcher

ENV_READY_FILE = "COACH_APP_READY_FILE"
"""When set, the app writes the time the home screen is ready (wall clock, and the CPU time
the process has used) to this file, then exits (used by benchmarks/app_startup.py)."""

ENV_READY_WHEN = "COACH_APP_READY_WHEN"
"""`paint` (default): ready at the first paint of home; `results`: once the records are open
and home shows each scenario's last result (what a returning user waits for)."""

WATCH_INTERVAL = 0.5
"""Seconds between looks at watched scenario files (`coach --watch`)."""

T = TypeVar("T")

ListenersFactory = Callable[["Scenario"], Sequence["SessionListener"]]


class CoachApp(App[int]):
    """Rehearse mentoring conversations."""

    CSS_PATH = "coach.tcss"
    TITLE = "coach"
    COMMANDS = App.COMMANDS | {ScenarioCommands, BriefingCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("f1", "coach_help", "Help", tooltip="Keys, practice and assessment, hints, citations, the report"),
        Binding("question_mark", "coach_help", "Help", show=False),  # text inputs take `?` as text first
    ]

    # -- the state screens watch (`self.watch(self.app, name, callback)`) ---------------------
    mode: var[str] = var("practice")
    """practice or assessment: how the next session shows feedback."""
    presenter: var[bool] = var(False)
    """Presenter mode: projector theme, large layout, feedback after every reply."""
    catalog: var[Catalog] = var(None, always_update=True)  # type: ignore[arg-type]  # set in __init__
    """The scenarios and briefings (replaced when watched files are reloaded)."""
    last_results: var[Mapping[str, str]] = var(dict)
    """Each scenario's latest ending, from the records."""
    watch_problems: var[tuple[Problem, ...]] = var(())
    """Problems in the files `coach --watch` watches (empty: none, or not watching)."""
    recorded_as: var[tuple[str | None, str | None]] = var((None, None))
    """The workshop and participant the next sessions are recorded under."""

    def __init__(self, catalog: Catalog, *, seed: int | None = None, mode: str = "practice",
                 last_results: Mapping[str, str] | None = None,
                 listeners_factory: ListenersFactory | None = None, theme: str | None = None,
                 records: RecordsLink | None = None, presenter: bool = False,
                 watcher: Watcher | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        self.seed = seed
        self.mode = mode
        self.last_results = last_results or {}
        self.listeners_factory = listeners_factory
        self.records = records  # opened after the first paint (`_open_records`)
        if records is not None:
            self.recorded_as = (records.workshop, records.participant)
        self.session: Session | None = None  # the conversation on screen, until it is closed
        self.startup_error: CoachError | None = None  # raised again by run_app once the app has closed
        self.after_start: Callable[[], None] | None = None  # run once, when home is ready
        self._home_settled = False
        self._benchmark_written = False
        self._quit_when_settled = False
        self.watcher = watcher  # `coach --watch PATH`: polled once home has settled
        self.settings = settings  # None: nothing is remembered (tests, `coach serve` sessions)
        for custom in THEMES:
            self.register_theme(custom)
        if settings is not None:
            self._apply_settings(settings)
        if theme:
            self.theme = theme
        if presenter or (settings is not None and settings.presenter):
            self.set_presenter(True)

    def on_mount(self) -> None:
        if self.settings is not None:
            self.theme_changed_signal.subscribe(self, lambda _theme: self.remember())

    def get_default_screen(self) -> Screen:
        if self.records is not None:
            ready = self.records.ready_results()  # opened while Textual started: shown in the first paint
            if ready is not None:
                self.last_results = ready
        return HomeScreen()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Help", "Keys, practice and assessment, hints, citations and the report (F1)",
                            self.action_coach_help)
        yield SystemCommand("Introduction", "What coach is for and how a rehearsal goes (shown on first run)",
                            self.show_introduction)
        yield SystemCommand("Room", "Trainer: the live room view of a workshop (who plays what, goals, pitfalls)",
                            self.open_room)
        yield SystemCommand("Presenter mode", "Projector theme, large layout, feedback after every reply (f8 on home)",
                            self.action_toggle_presenter)
        yield SystemCommand("Join a workshop", "Record the next sessions in a workshop under your name (ctrl+o on home)",
                            self.ask_participant)
        yield from screen_commands(screen)
        yield from super().get_system_commands(screen)

    # -- help and remembered settings -------------------------------------------------------

    def action_coach_help(self) -> None:
        from coach.app.screens.help import HelpScreen, screen_keys

        if type(self.screen).__name__ == "HelpScreen":
            return
        where = type(self.screen).__name__.removesuffix("Screen").lower() or "this"
        self.push_screen(HelpScreen(screen_keys(self.screen), f"{where} screen"))

    def show_introduction(self) -> None:
        from coach.app.screens.help import IntroScreen

        def closed(_: object) -> None:
            if self.settings is not None and not self.settings.intro_seen:
                self.settings.intro_seen = True
                self.remember()

        self.push_screen(IntroScreen(), closed)

    def _apply_settings(self, settings: Settings) -> None:
        """Start as the user left it: their theme and mode (presenter is applied by the caller)."""
        from coach.app.settings import MODES

        if settings.theme and settings.theme in self.available_themes and settings.theme != "coach-projector":
            self.theme = settings.theme
        elif settings.theme and settings.theme not in self.available_themes:
            settings.notice = f"The saved theme {settings.theme!r} is not available; using the default."
        self.mode = settings.mode if settings.mode in MODES else "practice"

    def remember(self) -> None:
        """Save the theme, mode and presenter mode for next time (a notice if it cannot be)."""
        settings = self.settings
        if settings is None:
            return
        if not self.presenter:  # the projector theme belongs to presenter mode, not to the user's choice
            settings.theme = self.theme
            settings.mode = self.mode
        settings.presenter = self.presenter
        try:
            settings.save()
        except CoachError as exc:
            self.notify(f"{exc} Your choice holds until you quit.", severity="warning", markup=False, timeout=8)

    # -- start-up ---------------------------------------------------------------------------

    def on_home_screen_ready(self, _: HomeScreen.Ready) -> None:
        """Home has painted, filter focused and list filled: the benchmark's finish line, and
        the end of start-up."""
        if self.settings is not None and self.settings.notice:
            self.notify(self.settings.notice, severity="warning", markup=False, timeout=10)
            self.settings.notice = None
        if self.after_start is not None:
            self.after_start()
            self.after_start = None
        records = self.records
        if records is not None and not records.loaded:
            ready = records.ready_results()  # read while home was painted: shown now, no worker needed
            if ready is not None:
                self.last_results = ready
                if os.environ.get(ENV_READY_WHEN) == "results":
                    self.call_after_refresh(self._benchmark_finish)
                    return
        if os.environ.get(ENV_READY_WHEN, "paint") == "paint" or records is None or records.loaded:
            self._benchmark_finish()  # the last results were in the first paint

    def _benchmark_finish(self) -> None:
        """Write the finish time once; exit once home has settled too (exiting while home mounts
        its header would tear it down half built)."""
        ready_file = os.environ.get(ENV_READY_FILE)
        if not ready_file:
            return
        if not self._benchmark_written:
            Path(ready_file).write_text(f"{time.time():.6f} {time.process_time():.6f}\n")  # wall, CPU
            self._benchmark_written = True
        if self._home_settled:
            self.exit(0)

    def on_home_screen_settled(self, _: HomeScreen.Settled) -> None:
        """Home has mounted everything: now open the records (off the start-up path)."""
        self._home_settled = True
        if self._quit_when_settled:
            self.exit(0)
            return
        if self._benchmark_written:
            self._benchmark_finish()
            return
        if self.records is not None:
            self.load_records()
        self._first_run_introduction()
        if self.watcher is not None and self.watcher.last is None:
            self.call_later(self.poll_watch)
            self.set_interval(WATCH_INTERVAL, self.poll_watch, name="watch scenario files")

    # -- live editing -----------------------------------------------------------------------

    def poll_watch(self) -> None:
        """Reload the watched files if they changed; publish their problems; keep the last good
        catalog playable; offer a restart to a conversation whose scenario was edited."""
        if self.watcher is None:
            return
        first = self.watcher.last is None  # the first look checks what the app started with
        result = self.watcher.adopt(self.catalog) if first else self.watcher.poll()
        if result is None:
            return
        had_errors = any(p.is_error for p in self.watch_problems)
        self.watch_problems = tuple(result.problems)
        edited: list[str] = []
        if result.ok and result.catalog is not None:
            changed = {path.resolve() for path in result.changed}
            old = self.catalog.scenarios
            self.catalog = result.catalog  # home watches it and lists the scenarios again
            edited = [sid for sid, scenario in self.catalog.scenarios.items()
                      if sid not in old or (scenario.path and scenario.path.resolve() in changed)
                      or (scenario.briefing.path and scenario.briefing.path.resolve() in changed)]
        if result.errors:  # the full list is in home's problems panel: the notice stays short
            where = ", ".join(sorted({p.where().split(":")[0].rsplit("/", 1)[-1] for p in result.errors})[:3])
            self.notify(f"{len(result.errors)} error(s) in {where}; the last good version stays playable "
                        "(home lists them).", severity="error", markup=False, timeout=8)
        elif had_errors or (not first and edited):
            self.notify("Scenario files reloaded" + (": " + ", ".join(edited) if edited else "."), markup=False)
        session = self.session
        if session is not None and session.scenario.id in edited:
            self.notify(f"\u201c{session.scenario.title}\u201d was edited: ctrl+r restarts the "
                        "conversation with the new version.", markup=False, timeout=10)

    # -- records ----------------------------------------------------------------------------

    def load_records(self) -> None:
        """Open the records and read the last results in a thread worker (the UI goes on), then
        publish them and ask for a name if needed.

        A database that cannot be used ends the app with the error, as `coach play` would:
        nobody should rehearse believing they are recorded when they are not.
        """
        records = self.records
        if records is None:
            return
        records.on_error = lambda error: self.call_from_thread(self._recording_failed, error)
        if records.loaded:  # shown in the first paint already
            if records.needs_participant:
                self.ask_participant()
            return

        def work() -> None:
            try:
                results = records.load()
            except CoachError as exc:
                self.call_from_thread(self._records_unusable, exc)
                return
            self.call_from_thread(self._records_loaded, results)

        self.run_worker(work, thread=True, name="open the records", group="records")

    def with_records(self, work: Callable[[], T], then: Callable[[T], object], name: str) -> None:
        """Run `work` (anything that touches SQLite) in a thread worker, then `then(result)` on
        the UI thread; a `CoachError` becomes an error notification. The UI never waits."""
        off_ui(self, work, then, name)

    def _records_unusable(self, error: CoachError) -> None:
        self.startup_error = error
        self.exit(2)

    def _first_run_introduction(self) -> None:
        if self.settings is not None and not self.settings.intro_seen and not os.environ.get(ENV_READY_FILE):
            self.call_later(self.show_introduction)

    def _records_loaded(self, results: Mapping[str, str]) -> None:
        self.last_results = results
        if os.environ.get(ENV_READY_WHEN) == "results":
            self.call_after_refresh(self._benchmark_finish)
        if self.records is not None and self.records.needs_participant:
            self.ask_participant()

    def _recording_failed(self, error: CoachError) -> None:
        self.notify(f"Not recorded: {error}", severity="error", markup=False, timeout=15)

    def refresh_last_results(self) -> None:
        """Read each scenario's last result again (in a worker, after the writes queued before);
        home watches `last_results`."""
        records = self.records
        if records is None or not records.loaded:
            return

        def publish(results: Mapping[str, str]) -> None:
            self.last_results = results

        self.with_records(records.last_results, publish, "read last results")

    def ask_participant(self) -> None:
        """Choose the workshop and the participant's name that tag the next sessions."""
        records = self.records
        if records is None or not records.enabled:
            self.notify("Sessions are not recorded (--no-record): no workshop to join.", severity="warning")
            return
        self.with_records(lambda: [w.name for w in records.workshops()], self._choose_participant, "read workshops")

    def _choose_participant(self, workshops: list[str]) -> None:
        records = self.records
        if records is None:
            return
        from coach.app.screens.participant import ParticipantScreen

        def chosen(answer: tuple[str | None, str | None] | None) -> None:
            if answer is None:
                return
            self.with_records(lambda: records.join(*answer), joined, "join the workshop")

        def joined(_: None) -> None:
            who = records.participant or "anonymous"
            where = f"workshop {records.workshop}" if records.workshop else "no workshop"
            self.notify(f"Sessions from now on: {where}, {who}.", markup=False)
            self.recorded_as = (records.workshop, records.participant)

        self.push_screen(ParticipantScreen(workshops, records.workshop, records.participant), chosen)

    def open_history(self) -> None:
        from coach.app.screens.history import HistoryScreen

        records = self.records
        if records is None:
            self.notify("No records in this app session.", severity="warning")
            return

        def show(history: tuple[list[SessionSummary], int]) -> None:
            sessions, total = history
            self.push_screen(HistoryScreen(sessions, records))
            if total > len(sessions):
                self.notify(f"Showing your latest {len(sessions):,} of {total:,} sessions; `coach history` lists "
                            "them all.", timeout=8)

        self.with_records(records.history, show, "read history")

    def compare(self, first: str, second: str) -> None:
        """Two recorded attempts side by side (read off the UI thread)."""
        from coach.app.screens.compare import CompareScreen

        records = self.records
        if records is None:
            return

        def show(pair: tuple[SessionRecord, SessionRecord]) -> None:
            scenario = self.catalog.scenarios.get(pair[0].summary.scenario)
            self.push_screen(CompareScreen(*pair, counterpart=scenario.counterpart.name if scenario else "They"))

        self.with_records(lambda: (records.session(first), records.session(second)), show, "read two attempts")

    def open_room(self) -> None:
        """The live room view of this app's workshop, else of the newest one."""
        records = self.records
        if records is None or not records.enabled:
            self.notify("No records in this app session: no room to show.", severity="warning")
            return
        self.with_records(lambda: [w.name for w in records.workshops()], self._show_room, "read workshops")

    def _show_room(self, workshops: list[str]) -> None:
        from coach.app.screens.room import RoomScreen

        records = self.records
        if records is None:
            return
        if not workshops:
            self.notify("No workshops yet: create one with `coach workshop new NAME`.", severity="warning",
                        markup=False)
            return
        current = records.workshop if records.workshop in workshops else workshops[-1]
        self.push_screen(RoomScreen(records, workshops, current))

    # -- presenter mode ---------------------------------------------------------------------

    def set_presenter(self, on: bool) -> None:
        """Presenter mode ("fishbowl"): the projector theme, a large layout, and feedback after
        every reply (assessment mode is off: nothing hides feedback from the room)."""
        self.set_class(on, "presenter")
        if on:
            self.mode = "practice"
            self.theme = "coach-projector"
        elif self.theme == "coach-projector":
            saved = self.settings.theme if self.settings is not None else None
            self.theme = saved if saved and saved in self.available_themes else "textual-dark"
            if self.settings is not None:
                self.mode = self.settings.mode
        self.presenter = on

    def action_toggle_presenter(self) -> None:
        self.set_presenter(not self.presenter)
        self.remember()
        self.notify("Presenter mode on: projector theme, large layout, feedback after every reply."
                    if self.presenter else "Presenter mode off.")

    # -- sessions ---------------------------------------------------------------------------

    @property
    def in_progress(self) -> bool:
        """Whether leaving the conversation on screen would throw away something the user did."""
        session = self.session
        return session is not None and not session.ended and bool(session.turns or session.hints_used)

    def stopped_early_words(self) -> str:
        """What happens to a conversation stopped before its end (`coach.records.service`)."""
        if self.records is not None and self.records.enabled:
            return "The conversation so far is kept in your history as unfinished."
        return "The conversation so far will not be kept (not recorded)."

    def new_session(self, scenario: Scenario, mode: str | None = None) -> Session:
        """A session with this app's seed (or a fresh random one), recorded by the session service."""
        from coach.conversation.engine import Session

        seed = self.seed if self.seed is not None else random.randrange(2**31)
        listeners = list(self.listeners_factory(scenario)) if self.listeners_factory else []
        mode = "practice" if self.presenter else mode or self.mode
        if self.records is not None:
            return self.records.new_session(scenario, seed=seed, mode=mode, listeners=listeners)
        return Session(scenario, seed=seed, mode=mode, listeners=listeners)

    def start_session(self, scenario_id: str, mode: str | None = None) -> None:
        """Leave whatever is on screen (closing its session) and rehearse `scenario_id`."""
        scenario = self.catalog.scenarios.get(scenario_id)
        if scenario is None:
            self.notify(f"Unknown scenario {scenario_id!r}.", severity="error", markup=False)
            return
        self._to_home()  # the old session is closed before the new one starts: listeners see them in order
        try:
            session = self.new_session(scenario, mode)
        except CoachError as exc:  # the records could not be opened
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        self._show_session(session)

    def _show_session(self, session: Session) -> None:
        from coach.app.screens.conversation import ConversationScreen

        self.session = session
        self.push_screen(ConversationScreen(session))

    def resume_session(self, session_id: str) -> None:
        """Bring back an interrupted session (replayed on the records thread) and go on with it."""
        records = self.records
        if records is None:
            return

        def find(scenario_id: str) -> Scenario | None:
            return self.catalog.scenarios.get(scenario_id)

        def resumed(session: Session) -> None:
            self._to_home()
            self._show_session(session)
            self.notify(f"Resumed at turn {len(session.turns) + 1}.", timeout=5)

        self.with_records(lambda: records.resume(session_id, find), resumed, "resume a session")

    def show_report(self, session: Session) -> None:
        from coach.app.screens.report import ReportScreen

        self._to_home()
        session.close()
        self.push_screen(ReportScreen(session))

    def go_home(self) -> None:
        self._to_home()

    def _to_home(self) -> None:
        self._close_session()  # now, not on unmount, so the last results below include it
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.refresh_last_results()

    def _close_session(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    # -- shared actions ---------------------------------------------------------------------

    def confirm(self, question: str, then: Callable[[], object], *, ask: bool = True) -> None:
        """Run `then` now, or after the user says yes when `ask`."""
        if not ask:
            then()
            return

        from coach.app.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.push_screen(ConfirmScreen(question), answered)

    def open_briefing(self, briefing_id: str, item_id: str | None = None) -> None:
        from coach.app.screens.briefing import BriefingScreen

        briefing = self.catalog.briefings.get(briefing_id)
        if briefing is None:
            self.notify(f"Unknown briefing {briefing_id!r}.", severity="error", markup=False)
            return
        if isinstance(self.screen, BriefingScreen) and self.screen.briefing is briefing:
            if item_id:
                self.screen.show_item(item_id)
            return
        self.push_screen(BriefingScreen(briefing, item_id))

    def switch_scenario(self, scenario_id: str, mode: str | None = None, question: str | None = None) -> None:
        """Start a scenario, asking first if a conversation is in progress."""
        self.confirm(f"{question or DEFAULT_SWITCH_QUESTION} {self.stopped_early_words()}",
                     lambda: self.start_session(scenario_id, mode), ask=self.in_progress)

    async def action_quit(self) -> None:
        """Quit, asking first when a conversation is in progress."""
        self.confirm(f"Quit coach? {self.stopped_early_words()}", self._quit, ask=self.in_progress)

    def _quit(self) -> None:
        self._close_session()
        if self._home_settled:
            self.exit(0)
        else:  # home is still mounting its header: tearing it down half built crashes Textual's Header
            self._quit_when_settled = True

    # -- what screens ask for -----------------------------------------------------------------

    def on_open_briefing_item(self, message: OpenBriefingItem) -> None:
        self.open_briefing(message.briefing, message.item)

    def on_start_scenario(self, message: StartScenario) -> None:
        self.switch_scenario(message.scenario, message.mode, message.question)

    def on_resume_session(self, message: ResumeSession) -> None:
        self.confirm("Leave the conversation in progress to resume another?",
                     lambda: self.resume_session(message.session_id), ask=self.in_progress)

    def on_end_conversation(self, message: EndConversation) -> None:
        self.confirm("End the conversation here and see the report?", lambda: self.show_report(message.session),
                     ask=message.ask and not message.session.ended)

    def on_go_home(self, message: GoHome) -> None:
        question = message.question or "Leave this conversation?"
        self.confirm(f"{question} {self.stopped_early_words()}", self.go_home, ask=self.in_progress)

    def on_choose_mode(self, message: ChooseMode) -> None:
        if not self.presenter and message.mode != self.mode:
            self.mode = message.mode
            self.remember()

    def on_toggle_presenter(self, _: TogglePresenter) -> None:
        self.action_toggle_presenter()

    def on_open_history(self, _: OpenHistory) -> None:
        self.open_history()

    def on_open_room(self, _: OpenRoom) -> None:
        self.open_room()

    def on_join_workshop(self, _: JoinWorkshop) -> None:
        self.ask_participant()

    def on_compare_attempts(self, message: CompareAttempts) -> None:
        self.compare(message.first, message.second)
