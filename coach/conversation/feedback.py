"""Turn what the matcher found into feedback that cites the briefing."""

from __future__ import annotations

from collections.abc import Sequence

from coach.conversation.matcher import Match
from coach.conversation.record import Citation, FeedbackItem  # noqa: F401  (re-exported)
from coach.scenario.models import Briefing


def cite(briefing: Briefing, item_ids: tuple[str, ...]) -> tuple[Citation, ...]:
    """Citations for briefing item ids (ids the loader has checked exist)."""
    items = briefing.items
    return tuple(Citation(item_id, items[item_id].title) for item_id in item_ids if item_id in items)


def feedback_for(matches: Sequence[Match], briefing: Briefing) -> tuple[FeedbackItem, ...]:
    """One feedback item per fired marker: pitfalls first, since they matter most."""
    ordered = sorted(matches, key=lambda m: (m.marker.kind != "pitfall", -m.score))
    return tuple(
        FeedbackItem(
            kind=m.marker.kind, marker=m.marker.id, message=m.marker.feedback, better=m.marker.better,
            citations=cite(briefing, m.marker.briefing), evidence=m.span, score=m.score,
        )
        for m in ordered
    )
