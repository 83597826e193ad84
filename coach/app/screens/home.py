"""Choose a scenario: the list (type to filter), its details, the mode, any broken files."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import MountError, Widget
from textual.widgets import Input, Label, OptionList, Static, Switch
from textual.widgets.option_list import Option

from coach.app.keys import FilterInput
from coach.app.messages import ChooseMode, JoinWorkshop, OpenBriefingItem, OpenHistory, StartScenario, TogglePresenter
from coach.app.text import literal, visible
from coach.errors import Problem
from coach.scenario.models import Scenario

if TYPE_CHECKING:
    from coach.app.app import CoachApp

DELIVER_TRIES, DELIVER_WAIT = 40, 0.05
"""Keys typed on after Enter wait up to 2 s for the conversation's reply box to take them."""

MODE_TEXT = {
    "practice": "Practice: feedback after every reply",
    "assessment": "Assessment: feedback only at the end, as in the real conversation",
}


def goal_titles(scenario: Scenario) -> list[str]:
    return [item.title for item in scenario.goal_items]


def scenario_matches(scenario: Scenario, query: str) -> bool:
    """Whether every word of `query` appears somewhere in what the list shows of `scenario`."""
    haystack = " ".join([scenario.id, scenario.title, scenario.summary, scenario.counterpart.name,
                         scenario.counterpart.role, *goal_titles(scenario)]).casefold()
    return all(word in haystack for word in query.casefold().split())


def scenario_option(scenario: Scenario, last_result: str | None) -> Option:
    """A list entry: title and minutes; counterpart; goals; last result when there is one."""
    who = Content.assemble("  with ", (visible(scenario.counterpart.name), "bold"), ", ", visible(scenario.counterpart.role))
    goals = Content.assemble(("  Goals: ", "dim"), visible(", ".join(goal_titles(scenario))))
    lines = [Content.assemble((visible(scenario.title), "bold"), (f"  ~{scenario.minutes} min", "dim")), who, goals]
    if last_result:
        lines.append(Content.assemble(("  Last result: ", "dim"), (visible(last_result), "italic")))
    return Option(Content("\n").join(lines), id=scenario.id)


def scenario_details(scenario: Scenario, last_result: str | None) -> Content:
    person = scenario.counterpart
    parts: list[str | Content | tuple[str, str]] = [
        (visible(scenario.title), "bold"), "\n", (f"About {scenario.minutes} minutes \u00b7 {scenario.id}", "dim"), "\n\n",
        literal(scenario.summary), "\n\n", ("You: ", "bold"), literal(scenario.role), "\n\n",
        ("They: ", "bold"), literal(f"{person.name}, {person.role}. {person.temperament}"), "\n\n",
        ("Learning goals", "bold"),
    ]
    for title in goal_titles(scenario):
        parts += ["\n  \u2022 ", visible(title)]
    if last_result:
        parts += ["\n\n", ("Last result: ", "bold"), visible(last_result)]
    parts += ["\n\n", (f"Grounded in the briefing \u201c{visible(scenario.briefing.title)}\u201d", "italic")]
    return Content.assemble(*parts)


def problems_text(problems: Iterable[Problem]) -> Content:
    return literal("\n".join(str(problem) for problem in problems))


def problems_panel(problems: Sequence[Problem], consequence: str) -> VerticalScroll:
    panel = VerticalScroll(Static(problems_text(problems), id="problems-text"), id="problems")
    panel.border_title = problems_panel_title(problems, consequence)
    return panel


def problems_panel_title(problems: Sequence[Problem], consequence: str) -> str:
    return f"{len(problems)} problem(s) in scenario files: {consequence}"


def watch_consequence(problems: Sequence[Problem]) -> str:
    """What problems in watched files mean for what can be played."""
    if any(problem.is_error for problem in problems):
        return "the last good version stays playable"
    return "warnings only: the files were reloaded"


class ScenarioList(OptionList):
    """The scenarios; its Enter (select, which starts one) is named in the footer and help."""

    BINDINGS = [Binding("enter", "select", "Rehearse", key_display="Enter")]


class HomeScreen(Screen):
    """The first screen: pick a scenario and a mode, or browse the briefing.

    It posts what the user wants (`coach.app.messages`) and watches the app's mode, presenter,
    catalog, last results, watch problems and workshop to show them.
    """

    class Ready(Message):
        """Painted, with the filter focused and the list filled: start-up is over."""

    class Settled(Message):
        """Everything beyond the filter and the list is mounted too."""

    BINDINGS = [
        Binding("enter", "start", "Rehearse", key_display="Enter"),  # the filter and list show their own
        Binding("ctrl+b", "briefing", "Briefing"),
        Binding("ctrl+t", "toggle_mode", "Mode"),
        Binding("ctrl+y", "history", "History"),
        # for trainers and workshops: in help and the palette, kept off the footer so it fits 80 columns
        Binding("ctrl+o", "workshop", "Workshop", show=False),
        Binding("f8", "presenter", "Presenter", show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._settled = False  # True once the widgets beyond the filter and the list are in
        self.settled = asyncio.Event()  # set when they are mounted (tests wait on it)

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    @property
    def scenarios(self) -> Mapping[str, Scenario]:
        return self.coach.catalog.scenarios

    def compose(self) -> ComposeResult:
        """Only what takes keys: the filter and the list. The rest is mounted after the first
        paint (`_settle`), so the home screen is usable sooner; settled, it looks the same."""
        yield FilterInput(placeholder="Type to filter scenarios; Enter starts the highlighted one", id="filter",
                    select_on_focus=False)  # keys typed while focus moves here must not replace each other
        with Horizontal(id="home-body"):
            yield ScenarioList(id="scenario-list")
            with VerticalScroll(id="details-pane"):
                yield Static(id="details")

    def describe(self) -> str:
        """The subtitle: what to do, and who is recorded in which workshop."""
        parts = ["Rehearse a mentoring conversation"]
        records = self.coach.records
        workshop, participant = self.coach.recorded_as
        if records is not None and records.enabled and workshop:
            parts.append(f"workshop {workshop}" + (f", {participant}" if participant else ""))
        elif records is not None and not records.enabled:
            parts.append("not recorded")
        if self.coach.presenter:
            parts.append("presenter")
        return " \u00b7 ".join(parts)

    def show_problems(self, problems: Sequence[Problem], consequence: str) -> None:
        """Show (or, with none, remove) the panel of problems in scenario files."""
        panel = next(iter(self.query("#problems")), None)
        if not problems:
            if panel is not None:
                panel.remove()
        elif panel is None:
            self.mount(problems_panel(problems, consequence), after="#home-body")
        else:
            panel.query_one("#problems-text", Static).update(problems_text(problems))
            panel.border_title = problems_panel_title(problems, consequence)

    def show_last_results(self) -> None:
        """The records are open (or changed): list again, with each scenario's last result."""
        highlighted = self.query_one("#scenario-list", OptionList).highlighted
        self.refill(self.query_one("#filter", Input).value)
        options = self.query_one("#scenario-list", OptionList)
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted

    def on_mount(self) -> None:
        self.sub_title = self.describe()
        self.refill("")
        self.query_one("#filter", Input).focus()
        self._watch_app()
        self.call_after_refresh(self._settle)

    def _watch_app(self) -> None:
        """From now on, show the app's state as it changes (each watcher is dropped with the screen)."""
        app = self.coach
        self.watch(app, "last_results", self._results_changed, init=False)
        self.watch(app, "catalog", self._results_changed, init=False)
        self.watch(app, "watch_problems", self._watch_problems_changed, init=False)
        self.watch(app, "mode", self._show_mode, init=False)
        self.watch(app, "presenter", self._presenter_changed, init=False)
        self.watch(app, "recorded_as", self._describe, init=False)

    def _results_changed(self) -> None:
        self.show_last_results()

    def _watch_problems_changed(self, problems: tuple[Problem, ...]) -> None:
        self.show_problems(problems, watch_consequence(problems))

    def _presenter_changed(self) -> None:
        self._describe()
        self._show_mode()

    def _describe(self) -> None:
        self.sub_title = self.describe()

    def _settle(self) -> None:
        """The filter is focused and the list filled and painted: say so, then add the rest
        (queued after the app has taken the news: start-up ends before the rest is built)."""
        self.post_message(self.Ready())
        self.call_later(self._add_the_rest)

    async def _add_the_rest(self) -> None:
        if not self.is_attached:  # the app is closing
            return
        self._settled = True
        self._show_details(self.highlighted, self.query_one("#filter", Input).value)
        from textual.widgets import Footer, Header  # not in the first paint: loaded after it

        rest: list[Widget] = []
        problems = self.coach.catalog.problems
        if problems:
            rest.append(problems_panel(problems, "those files were left out"))
        rest.append(Horizontal(Switch(self.coach.mode == "assessment", id="assessment"),
                               Label(MODE_TEXT[self.coach.mode], id="mode-label"), id="mode-bar"))
        try:
            await self.mount(Header(), before=0)
            await self.mount_all([*rest, Footer()])
        except MountError:  # the app is closing already (the start-up benchmark stops at Ready)
            return
        self.refresh_bindings()  # the footer lists keys when told they changed
        if self.coach.presenter:
            self._show_mode()
        if problems:
            self.notify(f"{len(problems)} problem(s) in scenario files: see the panel below.",
                        severity="error", markup=False, timeout=8)
        self.settled.set()
        self.post_message(self.Settled())

    def refill(self, query: str) -> None:
        """Show the scenarios matching `query`, keeping the highlight on the first."""
        options = self.query_one("#scenario-list", OptionList)
        options.clear_options()
        last = self.coach.last_results
        shown = [s for s in self.scenarios.values() if scenario_matches(s, query)]
        options.add_options([scenario_option(s, last.get(s.id)) for s in shown])
        if shown:
            options.highlighted = 0
        self._show_details(shown[0] if shown else None, query)

    def _show_details(self, scenario: Scenario | None, query: str = "") -> None:
        if not self._settled:
            return  # the first paint shows the list only; `_settle` fills the details
        details = self.query_one("#details", Static)
        if scenario is not None:
            details.update(scenario_details(scenario, self.coach.last_results.get(scenario.id)))
        elif not self.scenarios:
            details.update("No scenarios could be loaded. Add a folder with --scenarios PATH.")
        else:
            details.update(Content.assemble("No scenario matches \u201c", visible(query), "\u201d."))

    @property
    def highlighted(self) -> Scenario | None:
        options = self.query_one("#scenario-list", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return self.scenarios.get(options.get_option_at_index(options.highlighted).id or "")

    def on_key(self, event: events.Key) -> None:
        """A printable key no widget took goes to the filter: keys typed while the app was
        starting (before the filter had focus) are kept, and typing on the list filters."""
        if event.is_printable and event.character and event.character != "?":  # `?` off the filter is help
            filter_input = self.query_one("#filter", Input)
            filter_input.insert_text_at_cursor(event.character)
            filter_input.focus()
            event.stop()

    def on_screen_suspend(self) -> None:
        """A conversation opened over home: keys typed on after Enter landed in the filter
        before it could take them; they are the start of the reply, so they go there."""
        extra = self.query_one("#filter", FilterInput).hand_over()
        if extra:
            self.app.call_after_refresh(self._deliver, extra, DELIVER_TRIES)

    def _deliver(self, text: str, tries: int) -> None:
        focused = self.app.focused
        if isinstance(focused, Input) and focused.screen is not self:
            focused.insert_text_at_cursor(text)
        elif tries:  # the new screen is still mounting (a busy machine): look again shortly
            self.app.set_timer(DELIVER_WAIT, lambda: self._deliver(text, tries - 1))
        else:  # nothing took it (the new screen has no text box): keep it where it was typed
            self.query_one("#filter", FilterInput).insert_text_at_cursor(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.refill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_details(self.scenarios.get(event.option.id or ""))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.post_message(StartScenario(event.option.id or ""))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.post_message(ChooseMode("assessment" if event.value else "practice"))

    def action_move(self, step: int) -> None:
        options = self.query_one("#scenario-list", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_start(self) -> None:
        scenario = self.highlighted
        filter_input = self.query_one("#filter", FilterInput)
        if scenario is None:
            filter_input.value_at_submit = None  # nothing opens: nothing to hand over
            self.notify("No scenario to start.", severity="warning")
            return
        self.post_message(StartScenario(scenario.id))

    def action_briefing(self) -> None:
        scenario = self.highlighted
        briefings = self.coach.catalog.briefings
        briefing = scenario.briefing.id if scenario else next(iter(briefings), None)
        if briefing:
            self.post_message(OpenBriefingItem(briefing))

    def action_history(self) -> None:
        self.post_message(OpenHistory())

    def action_workshop(self) -> None:
        self.post_message(JoinWorkshop())

    def action_presenter(self) -> None:
        self.post_message(TogglePresenter())

    def _show_mode(self) -> None:
        """Show the app's mode (and presenter mode) on the switch and its label."""
        switch = next(self.query("#assessment").results(Switch), None)
        if switch is not None:
            with switch.prevent(Switch.Changed):
                switch.value = self.coach.mode == "assessment"
            switch.disabled = self.coach.presenter
            self.query_one("#mode-label", Label).update(
                "Presenter mode: feedback after every reply" if self.coach.presenter else MODE_TEXT[self.coach.mode])

    def action_toggle_mode(self) -> None:
        if self.coach.presenter:
            self.notify("Presenter mode shows feedback after every reply (f8 turns it off).")
            return
        self.post_message(ChooseMode("practice" if self.coach.mode == "assessment" else "assessment"))
