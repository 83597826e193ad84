"""The trainer's live room view: who is in which scenario, how far, goals met, pitfalls so far.

Read from the records while participants play (`coach serve`, `coach play --workshop`), one
row per participant: their latest attempt. Participants are "Participant 1, 2..." in order of
first attempt, as in the workshop report, and what they typed is never part of a room unless
the trainer asks for names: the room is for seeing where people are, not for reading over
shoulders. Knows no user interface; `coach workshop watch` and the app's room screen show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coach.records.store import Activity, SessionSummary, Store


@dataclass(frozen=True, slots=True)
class Seat:
    """One participant and their latest attempt."""

    participant: str
    scenario: str  # its title
    outcome: str | None  # None while the attempt is open (being played, or left)
    turns: int
    goals_met: int
    goals_total: int
    pitfalls: int
    hints: int
    attempts: int  # all their attempts in this workshop
    last_activity: str  # ISO time of the last turn (or the start)
    last_reply: str | None = None  # only with names

    @property
    def playing(self) -> bool:
        return self.outcome is None


@dataclass(frozen=True, slots=True)
class Room:
    workshop: str
    seats: tuple[Seat, ...]
    sessions: int

    @property
    def playing(self) -> int:
        return sum(seat.playing for seat in self.seats)


def participant_labels(sessions: list[SessionSummary], *, names: bool) -> dict[str | None, str]:
    """Each participant's label, in order of their first attempt (the workshop report's rule)."""
    labels: dict[str | None, str] = {}
    for summary in sessions:
        who = summary.participant
        if who not in labels:
            labels[who] = who if names and who else f"Participant {len(labels) + 1}"
    return labels


def read_room(store: Store, workshop: str, *, names: bool = False) -> Room:
    """The room now. Raises `CoachError` for an unknown workshop."""
    store.workshop(workshop)
    sessions = store.sessions(workshop=workshop)
    activity = store.activity(workshop)
    labels = participant_labels(sessions, names=names)
    latest: dict[str | None, SessionSummary] = {}
    attempts: dict[str | None, int] = {}
    for summary in sessions:  # oldest first: the last one seen is the latest
        latest[summary.participant] = summary
        attempts[summary.participant] = attempts.get(summary.participant, 0) + 1
    seats = tuple(_seat(summary, labels[who], attempts[who], activity.get(summary.id), names)
                  for who, summary in latest.items())
    return Room(workshop, seats, len(sessions))


def _seat(summary: SessionSummary, label: str, attempts: int, activity: Activity | None, names: bool) -> Seat:
    activity = activity or Activity(0, None, None)
    return Seat(label, summary.title, summary.outcome, summary.turns, summary.goals_met, summary.goals_total,
                activity.pitfalls, summary.hints_used, attempts,
                activity.last_turn_at or summary.started, activity.last_reply if names else None)


def since(stamp: str, now: datetime) -> str:
    """`12s ago`, `4m ago`, `2h ago`: how long since an ISO time."""
    try:
        seconds = max(0, int((now - datetime.fromisoformat(stamp)).total_seconds()))
    except ValueError:
        return "?"
    if seconds < 60:
        return f"{seconds}s ago"
    return f"{seconds // 60}m ago" if seconds < 3600 else f"{seconds // 3600}h ago"
