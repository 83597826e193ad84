"""Turn what the matcher found into feedback that cites the briefing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.conversation.matcher import Match
from coach.scenario.models import MOVE, Briefing


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


def cite(briefing: Briefing, item_ids: tuple[str, ...]) -> tuple[Citation, ...]:
    """Citations for briefing item ids (ids the loader has checked exist)."""
    items = briefing.items
    return tuple(Citation(item_id, items[item_id].title) for item_id in item_ids if item_id in items)


def feedback_for(matches: Sequence[Match], briefing: Briefing) -> tuple[FeedbackItem, ...]:
    """One feedback item per fired marker (not moves: they earn nothing): pitfalls first, since they
    matter most."""
    ordered = sorted((m for m in matches if m.marker.kind != MOVE), key=lambda m: (m.marker.kind != "pitfall", -m.score))
    return tuple(
        FeedbackItem(
            kind=m.marker.kind, marker=m.marker.id, message=m.marker.feedback, better=m.marker.better,
            citations=cite(briefing, m.marker.briefing), evidence=m.span, score=m.score,
        )
        for m in ordered
    )
