"""The record of a played session: turns, feedback items, citations, goals and the report.

Plain data, importing only the models: the engine produces it, records store it, exports,
reports and every screen read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.conversation.matcher import Match


@dataclass(frozen=True, slots=True)
class Citation:
    """A briefing item cited by feedback: its stable id and title."""

    id: str
    title: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title}

    def __str__(self) -> str:
        return f"{self.id} ({self.title})"


@dataclass(frozen=True, slots=True)
class FeedbackItem:
    """Praise or a caution for one reply, with the words that earned it and its sources."""

    kind: str  # "good" or "pitfall"
    marker: str
    message: str
    better: str | None
    citations: tuple[Citation, ...]
    evidence: str  # the user's own words that matched
    score: float

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind, "marker": self.marker, "message": self.message, "better": self.better,
            "citations": [c.to_dict() for c in self.citations], "evidence": self.evidence,
            "score": round(self.score, 1),
        }


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the transcript."""

    speaker: str  # COUNTERPART or USER
    name: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"speaker": self.speaker, "name": self.name, "text": self.text}


@dataclass(frozen=True, slots=True)
class Turn:
    """What one reply did: what fired, the feedback, and how the counterpart answered."""

    index: int
    reply: str
    matches: tuple[Match, ...]
    feedback: tuple[FeedbackItem, ...]
    answer: str
    beat: str  # the state after this turn (a beat or an ending)
    mood: str
    trust: int
    goals_met: tuple[str, ...]  # goals newly met on this turn
    ended: bool
    outcome: str | None = None
    hints: int = 0  # hints asked for before this reply

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "reply": self.reply, "matches": [m.to_dict() for m in self.matches],
            "feedback": [f.to_dict() for f in self.feedback], "answer": self.answer, "beat": self.beat,
            "mood": self.mood, "trust": self.trust, "goals_met": list(self.goals_met), "ended": self.ended,
            "outcome": self.outcome, "hints": self.hints,
        }


@dataclass(frozen=True, slots=True)
class GoalResult:
    id: str
    title: str
    met: bool
    turn: int | None = None  # the turn that met it
    model_answer: str | None = None  # for a missed goal

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "met": self.met, "turn": self.turn,
                "model_answer": self.model_answer}


@dataclass(frozen=True, slots=True)
class PitfallHit:
    marker: str
    citations: tuple[Citation, ...]
    caution: str
    better: str | None
    reply: str
    evidence: str
    turn: int

    def to_dict(self) -> dict[str, Any]:
        return {"marker": self.marker, "citations": [c.to_dict() for c in self.citations],
                "caution": self.caution, "better": self.better, "reply": self.reply,
                "evidence": self.evidence, "turn": self.turn}


@dataclass(frozen=True)
class Report:
    """The end of a session: outcome, goals met and missed, pitfalls, debrief, transcript."""

    scenario: str
    title: str
    outcome: str  # "strong", "mixed", "poor", or "unfinished"
    ending: str | None
    ending_title: str | None
    goals: tuple[GoalResult, ...]
    pitfalls: tuple[PitfallHit, ...]
    debrief: tuple[str, ...]
    transcript: tuple[Line, ...]
    hints_used: int
    turns: int
    seed: int
    mode: str

    @property
    def goals_met(self) -> tuple[GoalResult, ...]:
        return tuple(g for g in self.goals if g.met)

    @property
    def goals_missed(self) -> tuple[GoalResult, ...]:
        return tuple(g for g in self.goals if not g.met)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "title": self.title, "outcome": self.outcome, "ending": self.ending,
            "ending_title": self.ending_title,
            "goals_met": [g.to_dict() for g in self.goals_met],
            "goals_missed": [g.to_dict() for g in self.goals_missed],
            "pitfalls": [p.to_dict() for p in self.pitfalls], "debrief": list(self.debrief),
            "transcript": [line.to_dict() for line in self.transcript], "hints_used": self.hints_used,
            "turns": self.turns, "seed": self.seed, "mode": self.mode,
        }
