"""A workshop in progress, written straight into a store: one participant playing (a pitfall
so far), one finished, one who has not started."""

from __future__ import annotations

from pathlib import Path

from coach.conversation.record import FeedbackItem, Turn
from coach.records.store import Store

SECRET = "my private reply [b]bold[/b]"


def turn(index: int, reply: str, *, pitfalls: int = 0, goals: tuple[str, ...] = ()) -> Turn:
    """A stored turn with `pitfalls` cautions and one praise."""
    feedback = tuple(FeedbackItem(kind, marker, "feedback", None, (), "words", 90.0)
                     for kind, marker in [*(("pitfall", f"p{n}") for n in range(pitfalls)), ("good", "g")])
    return Turn(index, reply, (), feedback, "Okay.", "beat", "calm", 0, goals, False)


def workshop_in_progress(path: Path, name: str = "spring") -> Path:
    with Store.open(path) as store:
        store.create_workshop(name)
        store.create_workshop("other")
        done = store.start_session(scenario="checkin", title="A quick check-in", scenario_hash="h", seed=1,
                                   mode="practice", opening="Hi.", goals_total=2, workshop=name,
                                   participant="Bea", started="2026-01-01T10:00:00+00:00")
        store.add_turn(done, turn(0, "How do you see it?", goals=("a", "b")), at="2026-01-01T10:01:00+00:00")
        store.finish_session(done, None, "strong", ended="2026-01-01T10:02:00+00:00")
        playing = store.start_session(scenario="hard-feedback", title="Giving hard feedback", scenario_hash="h",
                                      seed=2, mode="practice", opening="Hi.", goals_total=5, workshop=name,
                                      participant="Ana", started="2026-01-01T10:03:00+00:00")
        store.add_turn(playing, turn(0, "Hello there", goals=("x",)), at="2026-01-01T10:04:00+00:00")
        store.add_turn(playing, turn(1, SECRET, pitfalls=2), at="2026-01-01T10:05:00+00:00")
    return path
