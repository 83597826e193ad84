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


def credited(matches: Sequence[Match], specific: frozenset[str] = frozenset()) -> tuple[Match, ...]:
    """The matches that earn credit or a caution on one reply: only markers that credit (not
    moves), and at most one per briefing item and kind, so a library marker and a scenario
    marker hearing the same practice count once. A scenario's own (`specific`) markers are
    preferred, since their feedback speaks to the story; then the better score."""
    ordered = sorted((m for m in matches if m.marker.credits), key=lambda m: (m.marker.id not in specific, -m.score))
    kept: list[Match] = []
    seen: set[tuple[str, str]] = set()
    for match in ordered:
        keys = {(match.marker.kind, item) for item in match.marker.briefing}
        if not keys & seen:
            kept.append(match)
            seen |= keys
    return tuple(kept)


def feedback_for(matches: Sequence[Match], briefing: Briefing,
                 specific: frozenset[str] = frozenset()) -> tuple[FeedbackItem, ...]:
    """One feedback item per credited marker (see `credited`): pitfalls first, since they matter most."""
    ordered = sorted(credited(matches, specific), key=lambda m: (m.marker.kind != "pitfall", -m.score))
    return tuple(
        FeedbackItem(
            kind=m.marker.kind, marker=m.marker.id, message=m.marker.feedback, better=m.marker.better,
            citations=cite(briefing, m.marker.briefing), evidence=m.span, score=m.score,
        )
        for m in ordered
    )
