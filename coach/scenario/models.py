"""The scenario and briefing models: plain, frozen data with no behaviour of their own.

Loading (`coach.scenario.loader`) builds them from YAML; the matcher and the engine read them. Models
keep a reference to their source `Document` so later checks can point at file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from coach.scenario.patterns import Pattern

if TYPE_CHECKING:
    from coach.scenario.yamlsource import Document

MarkerKind = Literal["good", "pitfall"]
OUTCOMES = ("strong", "mixed", "poor")
MODES = ("practice", "assessment")  # feedback every turn, or only at the end


@dataclass(frozen=True, slots=True)
class BriefingItem:
    """One fact of a briefing, with the stable id that feedback cites."""

    id: str
    title: str
    summary: str
    section: str
    section_title: str


@dataclass(frozen=True, slots=True)
class BriefingSection:
    id: str
    title: str
    intro: str
    items: tuple[BriefingItem, ...]


@dataclass(frozen=True, eq=False)
class Briefing:
    """A briefing: the knowledge a scenario is grounded in, as sections of cited items."""

    id: str
    title: str
    summary: str
    source: dict[str, str]
    sections: tuple[BriefingSection, ...]
    path: Path | None = None
    document: Document | None = field(default=None, repr=False)

    @cached_property
    def items(self) -> dict[str, BriefingItem]:
        """Every item by id (built once: feedback looks items up on every reply)."""
        return {item.id: item for section in self.sections for item in section.items}



@dataclass(frozen=True, slots=True)
class Examples:
    """Replies an author expects a marker to fire on, and replies it must not fire on."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Marker:
    """A good practice or a pitfall, recognised by phrases and patterns, citing briefing items."""

    id: str
    kind: MarkerKind
    briefing: tuple[str, ...]
    phrases: tuple[str, ...]
    feedback: str
    better: str | None = None
    threshold: float | None = None
    trust: int = 0
    examples: Examples = Examples()
    origin: str = ""  # the file it was defined in (a scenario or a marker library)
    patterns: tuple[Pattern, ...] = ()
    element: str | None = None  # the part of a many-part goal it shows ("confidentiality" of an agreement)

    @property
    def credits(self) -> bool:
        """Whether it earns credit or a caution (other kinds, such as moves, only steer the talk)."""
        return self.kind in ("good", "pitfall")


@dataclass(frozen=True, slots=True)
class GoalParts:
    """A learning goal met part by part: met once `needs` of its `elements` have been shown."""

    elements: tuple[str, ...]
    needs: int


@dataclass(frozen=True, slots=True)
class Rule:
    """One way out of a beat: go `to` when every condition holds.

    `when` names what must have fired on this reply: `good`, `pitfall`, `nothing`, or
    marker ids; `unless` names what must not have. The numeric conditions look at the
    conversation so far.
    """

    to: str
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    trust_at_least: int | None = None
    trust_at_most: int | None = None
    goals_met_at_least: int | None = None
    pitfalls_at_most: int | None = None

    @property
    def is_unconditional(self) -> bool:
        return not (
            self.when or self.unless or self.trust_at_least is not None
            or self.trust_at_most is not None or self.goals_met_at_least is not None
            or self.pitfalls_at_most is not None
        )

    def describe(self) -> str:
        """A short label for diagrams and explanations."""
        parts = [*self.when, *(f"not {name}" for name in self.unless)]
        for label, value in (
            ("trust >= ", self.trust_at_least), ("trust <= ", self.trust_at_most),
            ("goals met >= ", self.goals_met_at_least), ("pitfalls <= ", self.pitfalls_at_most),
        ):
            if value is not None:
                parts.append(f"{label}{value}")
        return " and ".join(parts) or "otherwise"


@dataclass(frozen=True, slots=True)
class Beat:
    """A moment of the conversation: the counterpart speaks, the user replies."""

    id: str
    lines: tuple[str, ...]
    hint: str
    model_answer: str
    next: tuple[Rule, ...]
    mood: str = "neutral"
    shows: tuple[str, ...] = ()  # goals (briefing ids) the model answer demonstrates


@dataclass(frozen=True, slots=True)
class Ending:
    """Where a conversation can end, with its outcome and the questions to debrief."""

    id: str
    outcome: str
    title: str
    lines: tuple[str, ...]
    debrief: tuple[str, ...]
    mood: str = "neutral"


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    role: str
    temperament: str


@dataclass(frozen=True, slots=True)
class Playthrough:
    """A scripted run an author expects to reach `ending` having met `goals_met`."""

    name: str
    replies: tuple[str, ...]
    ending: str
    goals_met: tuple[str, ...] = ()
    seed: int = 0


@dataclass(frozen=True, eq=False)
class Scenario:
    """A scripted role-play: beats and endings joined by rules, markers that drive them."""

    id: str
    title: str
    summary: str
    minutes: int
    role: str
    counterpart: Persona
    briefing: Briefing
    goals: tuple[str, ...]
    markers: tuple[Marker, ...]
    start: str
    beats: tuple[Beat, ...]
    endings: tuple[Ending, ...]
    trust_start: int = 0
    playthroughs: tuple[Playthrough, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()  # its own and its libraries' groups
    classes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # word classes, its own and its libraries' merged
    goal_parts: tuple[tuple[str, GoalParts], ...] = ()  # goals met part by part, by goal id
    path: Path | None = None
    document: Document | None = field(default=None, repr=False)

    @cached_property
    def states(self) -> dict[str, Beat | Ending]:
        """Beats and endings by id (built once: the engine looks the state up on every turn)."""
        return {state.id: state for state in (*self.beats, *self.endings)}

    def state(self, state_id: str) -> Beat | Ending:
        return self.states[state_id]

    @cached_property
    def goal_items(self) -> tuple[BriefingItem, ...]:
        """The learning goals as briefing items (the loader has checked every one exists)."""
        items = self.briefing.items
        return tuple(items[goal] for goal in self.goals)

    @cached_property
    def parts_of(self) -> dict[str, GoalParts]:
        """The goals met part by part, by goal id."""
        return dict(self.goal_parts)

    def marker(self, marker_id: str) -> Marker:
        return next(marker for marker in self.markers if marker.id == marker_id)

    def beat_for_goal(self, goal: str) -> Beat | None:
        """The first beat whose model answer shows `goal`, to quote when it was missed."""
        return next((beat for beat in self.beats if goal in beat.shows), None)
