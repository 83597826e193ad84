"""Messages widgets post so screens, and screens added later, can react without coupling."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenBriefingItem(Message):
    """Show a briefing item's full text (a citation was selected)."""

    briefing: str
    item: str | None = None


@dataclass
class StartScenario(Message):
    """Start rehearsing a scenario (from the home list or the command palette)."""

    scenario: str
