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

MarkerKind = Literal["good", "pitfall", "move"]
MOVE = "move"  # a conversational move (a question to the counterpart, small talk): no credit, no feedback
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Conditions:
    """What must hold of a turn's facts for a rule to be taken or a response said.

    `when` names what must hold: `good`, `pitfall`, `move` (a marker of that kind fired on
    this reply), `nothing` (no marker at all fired), `question` (the mentor asked one),
    `stayed` (for responses: the conversation stays at this beat after the reply), `repeated`
    (the reply says nothing new: the same words, or only what was heard before), a
    marker id (fired on this reply) or a learning goal id (shown by this reply); `unless` names what
    must not. The numeric bounds look at the conversation so far; `replies_here_at_least`
    counts the replies made at this beat (this one included), so a counterpart can give up
    asking after a few vague answers.
    """

    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    trust_at_least: int | None = None
    trust_at_most: int | None = None
    goals_met_at_least: int | None = None
    pitfalls_at_most: int | None = None
    replies_here_at_least: int | None = None  # replies made at this beat, this one included

    def _bounds(self) -> list[tuple[str, int | None]]:
        return [("trust >= ", self.trust_at_least), ("trust <= ", self.trust_at_most),
                ("goals met >= ", self.goals_met_at_least), ("pitfalls <= ", self.pitfalls_at_most),
                ("replies here >= ", self.replies_here_at_least)]

    @property
    def specificity(self) -> int:
        """How much must hold (`when` names and bounds; `unless` only excludes): the most specific
        response that holds is said."""
        return len(self.when) + sum(value is not None for _, value in self._bounds())

    @property
    def is_unconditional(self) -> bool:
        return self.specificity == 0 and not self.unless

    def describe(self) -> str:
        """A short label for diagrams and explanations."""
        parts = [*self.when, *(f"not {name}" for name in self.unless)]
        parts += [f"{label}{value}" for label, value in self._bounds() if value is not None]
        return " and ".join(parts) or "otherwise"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule(Conditions):
    """One way out of a beat: go `to` when every condition holds.

    In `coach-scenario/2` a rule with no `when` is taken only if something was recognised
    (a good practice or a pitfall): small talk and unclear replies are not progress.
    """

    to: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Response(Conditions):
    """Something the counterpart says in answer to a reply, when its conditions hold.

    Said before the line of the beat the conversation goes to (or stays at), or instead of
    it when `replace` is set. Of the responses that hold, the most specific is said.
    """

    say: tuple[str, ...]
    replace: bool = False


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
    again: tuple[str, ...] = ()  # its point, reworded, when the conversation stays here
    asks: tuple[str, ...] = ()  # goal or marker ids this beat asks for: given already, it is skipped
    acknowledge: tuple[str, ...] = ()  # said when it is skipped because what it asks was given
    responses: tuple[Response, ...] = ()

    @property
    def again_lines(self) -> tuple[str, ...]:
        return self.again or self.lines


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
class Step:
    """One entry of a playthrough: a reply (or a `/` command), and what the author expects of
    the counterpart's answer to it."""

    say: str
    expect_beat: str | None = None
    expect_line_contains: tuple[str, ...] = ()
    expect_line_lacks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Playthrough:
    """A scripted run an author expects to reach `ending` having met `goals_met`."""

    name: str
    steps: tuple[Step, ...]
    ending: str
    goals_met: tuple[str, ...] = ()
    seed: int = 0

    @property
    def replies(self) -> tuple[str, ...]:
        return tuple(step.say for step in self.steps)


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
    responses: tuple[Response, ...] = ()  # fallback responses for every beat
    version: int = 1  # the format's: from 2 on, a reply that recognised nothing is not progress
    synonyms: tuple[tuple[str, ...], ...] = ()  # its own and its libraries' groups
    classes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # word classes, its own and its libraries' merged
    goal_parts: tuple[tuple[str, GoalParts], ...] = ()  # goals met part by part, by goal id
    path: Path | None = None
    document: Document | None = field(default=None, repr=False)

    @cached_property
    def states(self) -> dict[str, Beat | Ending]:
        """Beats and endings by id (built once: the engine looks the state up on every turn)."""
        states: tuple[Beat | Ending, ...] = (*self.beats, *self.endings)
        return {state.id: state for state in states}

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
