"""What the user wants, posted by screens and widgets and carried out by `CoachApp`.

Screens say what was asked for (start this scenario, end here, go home, compare these two)
and watch the app's reactive state (mode, presenter, catalog, last results, watch problems,
who is recorded) to show it; they never call the app's methods. The rules behind each wish
(ask before losing work, close every session, open records off the UI thread) live in the
app and the session service, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from coach.conversation.engine import Session


@dataclass
class OpenBriefingItem(Message):
    """Show a briefing (at one item if given): a citation was selected, or ctrl+b."""

    briefing: str
    item: str | None = None


@dataclass
class StartScenario(Message):
    """Rehearse a scenario (from the home list, the palette, a report, a restart).

    If a conversation with something in it is on screen, `question` (or a default) is asked first.
    """

    scenario: str
    mode: str | None = None
    question: str | None = None


@dataclass
class ResumeSession(Message):
    """Bring back an interrupted session from the records and go on with it."""

    session_id: str


@dataclass
class EndConversation(Message):
    """See the report of `session`; `ask` first when it has not reached an ending."""

    session: Session
    ask: bool = False


@dataclass
class GoHome(Message):
    """Back to the home screen; `question` is asked first when a conversation is in progress."""

    question: str | None = None


@dataclass
class ChooseMode(Message):
    """Practice or assessment for the sessions started from now on (remembered)."""

    mode: str


class TogglePresenter(Message):
    """Presenter mode on or off (remembered)."""


class OpenHistory(Message):
    """The history screen (sessions read from the records in a worker)."""


class OpenRoom(Message):
    """The trainer's live room view of a workshop."""


class JoinWorkshop(Message):
    """Ask which workshop, and under which name, the next sessions are recorded."""


@dataclass
class CompareAttempts(Message):
    """Two recorded attempts at one scenario side by side (read in a worker)."""

    first: str
    second: str
