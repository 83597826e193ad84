"""The models of scenarios, marker libraries and briefings, and the one declaration of their keys.

Plain, frozen data with no behaviour of their own. Every field that is a key of a file is
declared here with `key(...)` (`coach.scenario.keys`): its kind, what it means, whether a
file must give it. The JSON Schema (`coach schema`), the loader's reading and the key table
of docs/authoring.md all come from these declarations. The loader (`coach.scenario.loader`)
builds the models from YAML; the matcher and the engine read them. Models keep a reference
to their source `Document` so later checks can point at file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from coach.scenario.keys import (
    EXACT_TEXT,
    ID,
    ID_ITEM,
    TEXT,
    Choice,
    Flag,
    Many,
    Number,
    OneOrMany,
    Record,
    Table,
    Text,
    ids,
    key,
    records,
    texts,
)
from coach.scenario.patterns import Pattern

if TYPE_CHECKING:
    from coach.scenario.yamlsource import Document

MarkerKind = Literal["good", "pitfall", "move"]
MOVE = "move"  # a conversational move (a question to the counterpart, small talk): no credit, no feedback
OUTCOMES = ("strong", "mixed", "poor")
MODES = ("practice", "assessment")  # feedback every turn, or only at the end

SYNONYMS = key(Many(Many(TEXT, 2)),
               "Groups of words or short phrases that mean the same here, e.g. [check in, catch up, touch base]; "
               "the first is canonical. Phrases and replies are read with every variant folded onto it.",
               built=True, default=())
CLASSES = key(Table(Many(TEXT, 1)),
              "Word classes named in marker patterns as `~name`: name -> words or short phrases, e.g. "
              "`absolute: [always, never, every time]`. Classes of the same name in a scenario and its "
              "libraries are merged.", built=True, default=())


@dataclass(frozen=True, slots=True)
class BriefingItem:
    """One fact of a briefing, with the stable id that feedback cites."""

    KEYS_TITLE = "item"

    id: str = key(ID, "Stable item id, `section.name`.", required=True)
    title: str = key(TEXT, "Short title.", required=True)
    summary: str = key(TEXT, "The fact, in the project's own words.", required=True)
    section: str = field(kw_only=True)  # the id and title of the section it is listed in
    section_title: str = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class BriefingSection:
    """A section of a briefing: items on one theme."""

    KEYS_TITLE = "section"

    id: str = key(ID, "Section id.", required=True)
    title: str = key(TEXT, "Section title.", required=True)
    intro: str = key(TEXT, "One line on the section.", absent="")
    items: tuple[BriefingItem, ...] = key(records(BriefingItem, 1), "The facts of this section.", required=True,
                                          built=True)


@dataclass(frozen=True, eq=False)
class Briefing:
    """A briefing: the knowledge a scenario is grounded in, as sections of cited items."""

    id: str = key(ID, "Briefing id, named by scenarios.", required=True)
    title: str = key(TEXT, "Title.", required=True)
    summary: str = key(TEXT, "What the briefing is about.", absent="")
    source: dict[str, str] = key(Table(Text(exact=True, min_length=0)),
                                 "Where the facts come from: title, kind, date and so on.", absent={})
    sections: tuple[BriefingSection, ...] = key(records(BriefingSection, 1), "Sections of cited items.",
                                                required=True, built=True)
    path: Path | None = None
    document: Document | None = field(default=None, repr=False)

    @cached_property
    def items(self) -> dict[str, BriefingItem]:
        """Every item by id (built once: feedback looks items up on every reply)."""
        return {item.id: item for section in self.sections for item in section.items}


@dataclass(frozen=True, slots=True)
class Examples:
    """Replies an author expects a marker to fire on, and replies it must not fire on; `coach test` checks them."""

    match: tuple[str, ...] = key(texts(0, exact=True), "Replies this marker must fire on.", default=())
    no_match: tuple[str, ...] = key(texts(0, exact=True), "Replies this marker must not fire on.", default=())


@dataclass(frozen=True, slots=True)
class Marker:
    """A good practice, pitfall or conversational move the coach listens for in every reply.

    Recognised by phrases and patterns; a good practice or pitfall cites briefing items.
    """

    id: str = key(ID, "Marker id, unique within the scenario and its included libraries.", required=True)
    kind: MarkerKind = key(Choice(("good", "pitfall", "move")),
                           "`good` practice to praise, a `pitfall` to caution, or a conversational `move` (small "
                           "talk, a question to the counterpart) it answers in character: no credit, no feedback.",
                           required=True)
    briefing: tuple[str, ...] = key(ids(0), "Briefing item ids this marker evidences (at least one; none for a move).",
                                    absent=())
    phrases: tuple[str, ...] = key(texts(1), "Phrases that show the practice; matched fuzzily (typos, word order, "
                                   "filler words).", absent=())
    feedback: str = key(TEXT, "Shown when the marker fires: praise for good practice, a caution for a pitfall "
                        "(not for a move).", absent="")
    better: str | None = key(TEXT, "For a pitfall: a better alternative to say instead.", default=None)
    threshold: float | None = key(Number(integer=False, minimum=50, maximum=100),
                                  "Score (0-100) a phrase needs to fire; by default it rises as phrases get shorter.",
                                  default=None)
    trust: int = key(Number(minimum=-5, maximum=5), "How the counterpart's trust moves when this fires (default +1 "
                     "good, -1 pitfall).", built=True, default=0)
    examples: Examples = key(Record(Examples), "Examples checked by `coach test`.", default=Examples())
    origin: str = ""  # the file it was defined in (a scenario or a marker library)
    patterns: tuple[Pattern, ...] = key(texts(1), "Patterns that show the practice: words, ~classes, [one of], "
                                        "{optional}, (groups) and * gaps, matched in order within a sentence (see "
                                        "docs/authoring.md).", built=True, default=())
    element: str | None = key(ID, "The part of a many-part goal this marker shows, e.g. `confidentiality` of an "
                              "agreement.", default=None)

    @property
    def credits(self) -> bool:
        """Whether it earns credit or a caution (other kinds, such as moves, only steer the talk)."""
        return self.kind in ("good", "pitfall")


@dataclass(frozen=True, slots=True)
class GoalParts:
    """A learning goal met part by part: met once `needs` of its `elements` have been shown."""

    KEYS_TITLE = "goal"

    id: str = key(ID, "The briefing item id of the goal.", required=True)
    elements: tuple[str, ...] = key(ids(1), "Its parts, named by markers' `element`; shown in any order, across "
                                    "turns.", required=True, default=())
    needs: int = key(Number(minimum=1), "How many parts make it met (default: all of them).", default=0)


_WHEN_WORDS = ("`good`, `pitfall`, `move` (a marker of that kind fired on this reply), `nothing` (no marker "
               "fired), `question` (the mentor asked one), `stayed` (for responses: the conversation stays at "
               "this beat), `repeated` (the reply says nothing new), marker ids (fired on this reply) or learning goal "
               "ids (shown by this reply)")


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

    when: tuple[str, ...] = key(OneOrMany(ID_ITEM), f"What must hold (all of it): {_WHEN_WORDS}.", default=())
    unless: tuple[str, ...] = key(OneOrMany(ID_ITEM), "What must not hold: the same names as `when`.", default=())
    trust_at_least: int | None = key(Number(), "The counterpart's trust so far is at least this.", default=None)
    trust_at_most: int | None = key(Number(), "The counterpart's trust so far is at most this.", default=None)
    goals_met_at_least: int | None = key(Number(minimum=0), "At least this many learning goals met so far.",
                                         default=None)
    pitfalls_at_most: int | None = key(Number(minimum=0), "At most this many pitfalls hit so far.", default=None)
    replies_here_at_least: int | None = key(Number(minimum=1), "At least this many replies made at this beat, this "
                                            "one included (e.g. to give up asking after a few vague answers).",
                                            default=None)

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
    """A way out of a beat. Rules are tried in order; the first whose conditions all hold is taken.

    In `coach-scenario/2` a rule with no `when` is taken only if something was recognised
    (a good practice or a pitfall): small talk and unclear replies are not progress.
    """

    to: str = key(ID, "The beat or ending to go to.", required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Response(Conditions):
    """A line said in answer to a reply when its conditions hold; of those that hold, the one that needs the most is said.

    Said before the line of the beat the conversation goes to (or stays at), or instead of
    it when `replace` is set. "Needs the most": `when` names and bounds; a beat's own counts its beat.
    """

    say: tuple[str, ...] = key(texts(1), "What the counterpart says in answer; one variant is picked per run.",
                               required=True)
    replace: bool = key(Flag(), "Say this instead of the line of the beat the conversation goes to (default: "
                        "before it).", default=False)


_RESPONSES = "Lines said in answer to a reply, chosen by what was heard."


@dataclass(frozen=True, slots=True)
class Beat:
    """A moment of the conversation: the counterpart speaks and the user replies."""

    id: str = key(ID, "Beat id, unique within the scenario.", required=True)
    lines: tuple[str, ...] = key(texts(1), "What the counterpart says on arriving here; one variant is picked per run.",
                                 required=True)
    hint: str = key(TEXT, "A hint the user can ask for at this beat.", required=True)
    model_answer: str = key(TEXT, "A strong reply at this beat, shown in the report.", required=True)
    next: tuple[Rule, ...] = key(records(Rule, 1), "Rules to leave this beat, tried in order.", required=True)
    mood: str = key(TEXT, "How the counterpart feels here (open, guarded, defensive, ...); shown to the user.",
                    default="neutral")
    shows: tuple[str, ...] = key(ids(0), "Learning goals (briefing ids) the model answer demonstrates.", default=())
    again: tuple[str, ...] = key(texts(1), "Its point reworded, said when a reply leaves the conversation here "
                                 "(default: `lines`).", default=())
    asks: tuple[str, ...] = key(ids(1), "Learning goal or marker ids this beat asks for; if already given, the beat "
                                "is skipped.", default=())
    acknowledge: tuple[str, ...] = key(texts(1), "Said when the beat is skipped because what it `asks` was already "
                                       "given.", default=())
    responses: tuple[Response, ...] = key(records(Response), _RESPONSES, default=())

    @property
    def again_lines(self) -> tuple[str, ...]:
        return self.again or self.lines


@dataclass(frozen=True, slots=True)
class Ending:
    """An end of the conversation, with its outcome and the questions to debrief."""

    id: str = key(ID, "Ending id, unique within the scenario.", required=True)
    outcome: str = key(Choice(OUTCOMES), "How well the conversation went.", required=True)
    title: str = key(TEXT, "A short name for this ending.", required=True)
    lines: tuple[str, ...] = key(texts(1), "The counterpart's closing line; one variant is picked per run.",
                                 required=True)
    debrief: tuple[str, ...] = key(texts(1), "Questions to reflect on afterwards.", required=True)
    mood: str = key(TEXT, "How the counterpart feels at the end.", default="neutral")


@dataclass(frozen=True, slots=True)
class Persona:
    """The person the user talks to."""

    KEYS_TITLE = "counterpart"

    name: str = key(TEXT, "The counterpart's name.", required=True)
    role: str = key(TEXT, "Their role.", required=True)
    temperament: str = key(TEXT, "How they tend to react.", required=True)


@dataclass(frozen=True, slots=True)
class Step:
    """A reply with what the counterpart's answer to it is expected to be.

    One entry of a playthrough: a reply (or a `/` command), and what the author expects of
    the counterpart's answer to it.
    """

    say: str = key(EXACT_TEXT, "The reply (or a command: `/undo`, `/hint`).", required=True)
    expect_beat: str | None = key(ID, "The beat or ending the conversation is at after this reply.", default=None)
    expect_line_contains: tuple[str, ...] = key(OneOrMany(EXACT_TEXT), "Text the counterpart's answer must contain "
                                                "(any case).", default=())
    expect_line_lacks: tuple[str, ...] = key(OneOrMany(EXACT_TEXT), "Text the counterpart's answer must not contain "
                                             "(any case).", default=())


@dataclass(frozen=True, slots=True)
class Playthrough:
    """A scripted run checked by `coach test`: it must reach `ending` having met `goals_met`."""

    name: str = key(TEXT, "What this playthrough checks.", required=True)
    steps: tuple[Step, ...] = key(Many(Record(Step, shorthand="say"), 1),
                                  "The user's replies, in order: text, a command (`/undo`, `/hint`), or a mapping "
                                  "with `say` and what to expect of the answer.", name="replies", required=True)
    ending: str = key(ID, "The ending id expected.", required=True)
    goals_met: tuple[str, ...] = key(ids(0), "Learning goals expected met (at least these).", default=())
    seed: int = key(Number(), "Seed for line variants (default 0).", default=0)

    @property
    def replies(self) -> tuple[str, ...]:
        return tuple(step.say for step in self.steps)


@dataclass(frozen=True, eq=False)
class MarkerLibrary:
    """Markers several scenarios share; a scenario names the library in `include`."""

    KEYS_TITLE = "marker library"

    id: str = key(ID, "Library id, named by scenarios in `include`.", required=True)
    title: str = key(TEXT, "What these markers are for.", built=True)
    markers: tuple[Marker, ...] = key(records(Marker, 1), "What the coach listens for.", required=True, built=True)
    path: Path = field(kw_only=True)
    document: Document = field(kw_only=True, repr=False)
    synonyms: tuple[tuple[str, ...], ...] = SYNONYMS
    classes: tuple[tuple[str, tuple[str, ...]], ...] = CLASSES


@dataclass(frozen=True, eq=False)
class Scenario:
    """A scripted role-play: beats and endings joined by rules, markers that drive them."""

    id: str = key(ID, "Scenario id, unique across all scenario folders.", required=True)
    title: str = key(TEXT, "Title shown in lists.", required=True)
    summary: str = key(TEXT, "One or two sentences on what the user rehearses.", required=True)
    minutes: int = key(Number(minimum=1, maximum=120), "Estimated minutes to play.", absent=10)
    role: str = key(TEXT, "Who the user plays, and the situation.", required=True)
    counterpart: Persona = key(Record(Persona), "The person the user talks to.", required=True)
    briefing: Briefing = key(ID, "Id of the briefing this scenario is grounded in.", required=True, built=True)
    goals: tuple[str, ...] = key(Many(Record(GoalParts, shorthand="id"), 1),
                                 "Learning goals: briefing item ids the user should show (or {id, elements, needs} "
                                 "for one met part by part).", required=True, built=True)
    markers: tuple[Marker, ...] = key(records(Marker), "What the coach listens for.", built=True)
    start: str = key(ID, "The beat the conversation starts at.", required=True)
    beats: tuple[Beat, ...] = key(records(Beat, 1), "The moments of the conversation.", required=True)
    endings: tuple[Ending, ...] = key(records(Ending, 1), "Where it can end.", required=True)
    trust_start: int = key(Number(minimum=-10, maximum=10), "The counterpart's trust at the start (default 0).",
                           name="trust", default=0)
    playthroughs: tuple[Playthrough, ...] = key(records(Playthrough), "Scripted runs for `coach test`.", default=())
    responses: tuple[Response, ...] = key(records(Response), "Fallback responses for every beat (small talk, "
                                          "questions to the counterpart, nothing recognised).", default=())
    version: int = 1  # the format's: from 2 on, a reply that recognised nothing is not progress
    synonyms: tuple[tuple[str, ...], ...] = SYNONYMS  # its own and its libraries' groups
    classes: tuple[tuple[str, tuple[str, ...]], ...] = CLASSES  # word classes, its own and its libraries' merged
    goal_parts: tuple[tuple[str, GoalParts], ...] = ()  # goals met part by part, by goal id
    include: tuple[str, ...] = key(ids(0), "Marker libraries (by id) whose markers this scenario uses too.",
                                   default=())
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
