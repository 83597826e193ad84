"""Command palette providers: switch scenario, open a briefing item, and each screen's keys.

Screens need no palette code of their own: every binding they show in the footer is offered
in the palette too (`screen_commands`), so screens added later get their commands for free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

if TYPE_CHECKING:
    from coach.app.app import CoachApp


def screen_commands(screen: Screen) -> Iterable[SystemCommand]:
    """A palette command for each key the screen shows in its footer."""
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or not binding.description or binding.description in seen or not active.enabled:
            continue
        seen.add(binding.description)
        help_text = binding.tooltip or f"{binding.description} (key: {binding.key_display or binding.key})"
        # what `Widget.run_action` does, and the same for a binding of the app itself
        yield SystemCommand(binding.description, help_text, partial(screen.app.run_action, binding.action, active.node))


class _CoachProvider(Provider):
    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def entries(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """(title, help, callback) for each command this provider offers."""
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, help_text, callback in self.entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)


class ScenarioCommands(_CoachProvider):
    """"Rehearse: <title>" for every scenario (asks first if a conversation is in progress)."""

    def entries(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        for scenario in self.coach.catalog.scenarios.values():
            person = scenario.counterpart
            yield (f"Rehearse: {scenario.title}", f"with {person.name}, {person.role} (~{scenario.minutes} min)",
                   partial(self.coach.switch_scenario, scenario.id))


class BriefingCommands(_CoachProvider):
    """"Briefing: <item title>" for every item of every briefing."""

    def entries(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        for briefing in self.coach.catalog.briefings.values():
            for item in briefing.items.values():
                yield (f"Briefing: {item.title}", f"{item.id} in {briefing.title}",
                       partial(self.coach.open_briefing, briefing.id, item.id))
