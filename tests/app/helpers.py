"""Shared helpers for the app's tests: the fixture catalog, an app, playing replies via the UI."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Static

from coach.app.app import CoachApp
from coach.app.widgets import ReplyInput
from coach.scenario.loader import Catalog, load_catalog

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "app"
SCENARIOS = FIXTURES / "scenarios"
BROKEN = FIXTURES / "broken"


def fixture_catalog(*extra: Path) -> Catalog:
    """Only the app's own fixture scenarios (stable content for snapshots)."""
    return load_catalog([SCENARIOS, *extra])


def make_app(catalog: Catalog | None = None, **options) -> CoachApp:
    options.setdefault("seed", 7)
    return CoachApp(catalog or fixture_catalog(), **options)


def shown(widget: Static) -> str:
    """The plain text a Static shows."""
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(widget.render())


def screen_text(pilot: Pilot, selector: str = "Static") -> str:
    """Everything the active screen shows in widgets matching `selector`, one per line."""
    return "\n".join(shown(w) for w in pilot.app.screen.query(selector) if isinstance(w, Static))


async def settle(pilot: Pilot) -> None:
    """Wait until the home screen has mounted what it adds after its first paint."""
    from coach.app.screens.home import HomeScreen

    home = next(screen for screen in pilot.app.screen_stack if isinstance(screen, HomeScreen))
    await home.settled.wait()
    await pilot.pause()


async def start(pilot: Pilot, scenario_id: str) -> None:
    """From the home screen, filter to the scenario and press Enter."""
    await settle(pilot)
    pilot.app.screen.query_one("#filter", Input).value = scenario_id
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def send(pilot: Pilot, text: str) -> None:
    """Put `text` in the reply box and press Enter (typing each key is slow for long replies)."""
    reply = pilot.app.screen.query_one(ReplyInput)
    reply.value = text
    reply.focus()
    await pilot.press("enter")
    await pilot.pause()
