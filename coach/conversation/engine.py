"""Play a scenario: a `transitions` state machine over its beats, one model per session.

The machine is built once per scenario from data alone (no scenario has code of its own).
Each reply is matched against every marker; what fired updates the counterpart's trust,
the goals met and the pitfalls hit, then the `respond` trigger takes the first rule of the
current beat whose conditions hold. Line variants come from a seeded random generator, so
the same replies with the same seed replay exactly.
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from transitions import Machine

from coach.conversation.feedback import credited, feedback_for
from coach.conversation.matcher import Match, Matcher
from coach.conversation.record import (  # noqa: F401  (re-exported: the record's types used to live here)
    FeedbackItem, Fired, GoalResult, Line, PitfallHit, Report, Turn, to_data,
)
from coach.scenario.models import MODES, Beat, Ending, Rule, Scenario
from coach.conversation.text import Synonyms

if TYPE_CHECKING:
    from coach.scenario.loader import MarkerLibrary

TRIGGER = "respond"
COUNTERPART, USER = "counterpart", "user"


# -- one machine and one matcher per scenario, built on first use ------------------------

_machines: weakref.WeakKeyDictionary[Scenario, Machine] = weakref.WeakKeyDictionary()
_matchers: weakref.WeakKeyDictionary[Scenario, Matcher] = weakref.WeakKeyDictionary()


def matcher_for(scenario: Scenario) -> Matcher:
    """The scenario's compiled matcher (phrases are normalised once)."""
    matcher = _matchers.get(scenario)
    if matcher is None:
        matcher = _matchers[scenario] = Matcher(scenario.markers, Synonyms(scenario.synonyms), dict(scenario.classes))
    return matcher


def library_matcher(library: MarkerLibrary) -> Matcher:
    """A matcher for a marker library on its own, read with the library's synonyms."""
    return Matcher(library.markers, Synonyms(library.synonyms), dict(library.classes))


def machine_for(scenario: Scenario) -> Machine:
    """The scenario's state machine: beats and endings as states, rules as transitions."""
    machine = _machines.get(scenario)
    if machine is None:
        machine = _machines[scenario] = build_machine(scenario)
    return machine


def build_machine(scenario: Scenario, machine_class: type[Machine] = Machine, **options: Any) -> Machine:
    """A fresh machine for `scenario` (also used by `coach graph` with a diagram class)."""
    states = [{"name": beat.id} for beat in scenario.beats]
    states += [{"name": ending.id, "final": True} for ending in scenario.endings]
    machine = machine_class(model=None, states=states, initial=scenario.start, auto_transitions=False,
                            send_event=False, **options)
    for beat in scenario.beats:
        for rule in beat.next:
            machine.add_transition(TRIGGER, source=beat.id, dest=rule.to, conditions=[_RuleCondition(rule)])
    return machine


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule's conditions look at: this reply's matches and the conversation so far."""

    fired: frozenset[str]
    kinds: frozenset[str]
    trust: int
    goals_met: int
    pitfalls: int

    @classmethod
    def of(cls, matches: Sequence[Match], trust: int, goals_met: int, pitfalls: int) -> Context:
        """The context after a reply whose `matches` have been credited."""
        return cls(frozenset(m.marker.id for m in matches), frozenset(m.marker.kind for m in matches),
                   trust, goals_met, pitfalls)


class _RuleCondition:
    """A rule's conditions as a `transitions` condition callable."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.__name__ = rule.describe()  # transitions' diagrams label conditions by name

    def __call__(self, context: Context) -> bool:
        return rule_holds(self.rule, context)


def _names(name: str, context: Context) -> bool:
    if name == "nothing":
        return not context.fired
    if name in ("good", "pitfall"):
        return name in context.kinds
    return name in context.fired


def rule_holds(rule: Rule, context: Context) -> bool:
    """Whether every condition of `rule` holds in `context`."""
    return (
        all(_names(name, context) for name in rule.when)
        and not any(_names(name, context) for name in rule.unless)
        and (rule.trust_at_least is None or context.trust >= rule.trust_at_least)
        and (rule.trust_at_most is None or context.trust <= rule.trust_at_most)
        and (rule.goals_met_at_least is None or context.goals_met >= rule.goals_met_at_least)
        and (rule.pitfalls_at_most is None or context.pitfalls <= rule.pitfalls_at_most)
    )


class SessionListener(Protocol):
    """Something that follows a session as it is played: records, live displays.

    Both front ends pass listeners to `Session`, so whatever listens sees the same events
    whether the user plays in the app or with `coach play`.
    """

    def session_started(self, session: Session) -> None: ...

    def turn_played(self, session: Session, turn: Turn) -> None: ...

    def hint_used(self, session: Session, hint: str) -> None: ...

    def session_closed(self, session: Session) -> None: ...


class _Position:
    """The machine's model for one session: it only holds the current state."""

    state: str


class Session:
    """One run of a scenario. `reply()` plays a turn; `report()` sums it up."""

    def __init__(self, scenario: Scenario, seed: int = 0, mode: str = "practice",
                 listeners: Sequence[SessionListener] = (), start: str | None = None) -> None:
        """`start`: begin at this beat instead of the scenario's first (to try one reply there)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.scenario = scenario
        self.seed = seed
        self.mode = mode
        self._rng = random.Random(seed)
        self._matcher = matcher_for(scenario)
        self._machine = machine_for(scenario)
        self._position = _Position()
        self._machine.add_model(self._position, initial=start or scenario.start)
        self.turns: list[Turn] = []
        self.transcript: list[Line] = []
        self.trust = scenario.trust_start
        self.goals_met: dict[str, int] = {}  # goal -> turn index that met it
        self.elements_heard: dict[str, int] = {}  # part of a many-part goal -> turn that first showed it
        self._specific = frozenset(m.id for m in scenario.markers if m.origin == str(scenario.path))
        self.pitfalls: list[PitfallHit] = []
        self.hints_used = 0
        self._hints_this_turn = 0
        self.opening = self._say(self.state)
        self.listeners = list(listeners)
        self._closed = False
        for listener in self.listeners:
            listener.session_started(self)

    # -- state ----------------------------------------------------------------------------

    @property
    def state(self) -> Beat | Ending:
        return self.scenario.state(self._position.state)

    @property
    def beat(self) -> Beat | None:
        state = self.state
        return state if isinstance(state, Beat) else None

    @property
    def ended(self) -> bool:
        return isinstance(self.state, Ending)

    @property
    def mood(self) -> str:
        return self.state.mood

    def goal_progress(self) -> tuple[int, int]:
        """Learning goals met so far, out of all."""
        return len(self.goals_met), len(self.scenario.goals)

    # -- playing --------------------------------------------------------------------------

    def hint(self) -> str:
        """The current beat's hint (counted in the report)."""
        beat = self.beat
        if beat is None:
            raise RuntimeError("the conversation has ended")
        self.hints_used += 1
        self._hints_this_turn += 1
        for listener in self.listeners:
            listener.hint_used(self, beat.hint)
        return beat.hint

    def reply(self, text: str) -> Turn:
        """Play one reply and return what it did."""
        if self.ended:
            raise RuntimeError("the conversation has ended")
        index = len(self.turns)
        self.transcript.append(Line(USER, "You", text))
        matches = tuple(self._matcher.match(text))
        feedback = feedback_for(matches, self.scenario.briefing, self._specific)
        new_goals = self._credit(matches, feedback, text, index)
        context = Context.of(matches, self.trust, len(self.goals_met), len(self.pitfalls))
        self._position.trigger(TRIGGER, context)  # if no rule holds, the beat stays and speaks again
        answer = self._say(self.state)
        ending = self.state if isinstance(self.state, Ending) else None
        turn = Turn(
            index=index, reply=text, matches=tuple(_fired(m) for m in matches), feedback=feedback,
            answer=answer, beat=self.state.id, mood=self.state.mood, trust=self.trust, goals_met=new_goals,
            ended=ending is not None, outcome=ending.outcome if ending else None, hints=self._hints_this_turn,
        )
        self._hints_this_turn = 0
        self.turns.append(turn)
        for listener in self.listeners:
            listener.turn_played(self, turn)
        if ending is not None:
            self.close()
        return turn

    def _credit(self, matches: tuple[Match, ...], feedback: tuple[FeedbackItem, ...], text: str,
                index: int) -> tuple[str, ...]:
        """Update trust, goals met (whole, or part by part) and pitfalls hit; return the goals
        newly met. Each practice is credited once a reply (`credited`); the parts of a many-part
        goal are heard from every marker that names one, in any order, across turns."""
        new_goals = []
        parts = self.scenario.parts_of
        for match in matches:
            element = match.marker.element
            if match.marker.kind == "good" and element and element not in self.elements_heard:
                self.elements_heard[element] = index
        for match in credited(matches, self._specific):
            marker = match.marker
            self.trust += marker.trust
            for goal in marker.briefing if marker.kind == "good" else ():
                if goal in self.scenario.goals and goal not in self.goals_met and (
                        goal not in parts or not marker.element):
                    self.goals_met[goal] = index
                    new_goals.append(goal)
        for goal, goal_parts in parts.items():
            if goal not in self.goals_met and len(self.elements_of(goal)) >= goal_parts.needs:
                self.goals_met[goal] = index
                new_goals.append(goal)
        self.pitfalls += [
            PitfallHit(item.marker, item.citations, item.message, item.better, text, item.evidence, index)
            for item in feedback if item.kind == "pitfall"
        ]
        return tuple(new_goals)

    def elements_of(self, goal: str) -> tuple[str, ...]:
        """The parts of a many-part goal shown so far, in the goal's order."""
        goal_parts = self.scenario.parts_of.get(goal)
        return tuple(e for e in goal_parts.elements if e in self.elements_heard) if goal_parts else ()

    def _say(self, state: Beat | Ending) -> str:
        line = self._rng.choice(state.lines)
        self.transcript.append(Line(COUNTERPART, self.scenario.counterpart.name, line))
        return line

    # -- summing up -----------------------------------------------------------------------

    def report(self) -> Report:
        """The report; `outcome` is "unfinished" if no ending was reached."""
        scenario = self.scenario
        goals = []
        for item in scenario.goal_items:
            goal_parts = scenario.parts_of.get(item.id)
            progress = dict(elements=goal_parts.elements, elements_met=self.elements_of(item.id),
                            needs=goal_parts.needs) if goal_parts else {}
            if item.id in self.goals_met:
                goals.append(GoalResult(item.id, item.title, True, self.goals_met[item.id], **progress))
            else:
                beat = scenario.beat_for_goal(item.id)
                goals.append(GoalResult(item.id, item.title, False, None, beat.model_answer if beat else None,
                                        **progress))
        ending = self.state if isinstance(self.state, Ending) else None
        return Report(
            scenario=scenario.id, title=scenario.title, outcome=ending.outcome if ending else "unfinished",
            ending=ending.id if ending else None, ending_title=ending.title if ending else None,
            goals=tuple(goals), pitfalls=tuple(self.pitfalls), debrief=ending.debrief if ending else (),
            transcript=tuple(self.transcript), hints_used=self.hints_used, turns=len(self.turns),
            seed=self.seed, mode=self.mode,
        )

    def to_dict(self) -> dict[str, Any]:
        """The whole session as JSON-ready data: opening, turns and report."""
        return {
            "scenario": self.scenario.id, "seed": self.seed, "mode": self.mode, "opening": self.opening,
            "turns": to_data(self.turns), "ended": self.ended, "report": to_data(self.report()),
        }

    def close(self) -> None:
        """Finish with the session: release the machine, tell listeners (once).

        Done automatically at an ending; call it when a user stops early.
        """
        if self._closed:
            return
        self._closed = True
        if self._position in self._machine.models:
            self._machine.remove_model(self._position)
        for listener in self.listeners:
            listener.session_closed(self)


def _fired(match: Match) -> Fired:
    """A match as the record keeps it: the marker by id, the score to the tenth."""
    marker = match.marker
    return Fired(marker.id, marker.kind, marker.briefing, round(match.score, 1), match.phrase, match.span,
                 match.start, match.end)


def replay(scenario: Scenario, replies: Sequence[str], seed: int = 0, mode: str = "practice",
           listeners: Sequence[SessionListener] = ()) -> Session:
    """A session with `replies` played in order, stopping at an ending."""
    session = Session(scenario, seed=seed, mode=mode, listeners=listeners)
    for text in replies:
        if session.ended:
            break
        session.reply(text)
    return session
