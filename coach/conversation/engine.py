"""Play a scenario: a `transitions` state machine over its beats, one model per session.

The machine is built once per scenario from data alone (no scenario has code of its own).
Each reply is matched against every marker; what fired updates the counterpart's trust,
the goals met and the pitfalls hit. The turn's `Facts` are then what every condition looks
at (one evaluator, `conditions_hold`, for rules and responses alike, in the manner of
rule-based dynamic dialogue: the most specific rule that matches what is known wins):

1. a response to the reply: of the beat's and the scenario's responses whose conditions hold,
   the most specific one (ties go to one not said yet, then to the seeded generator);
2. the `respond` trigger takes the first rule of the beat whose conditions hold; in format 2 a
   rule with no `when` needs something recognised, so small talk keeps the beat;
3. a beat arrived at whose `asks` were all given already is skipped (its `acknowledge` line
   said), as if its question had just been answered;
4. the answer is the response, then the line of the beat arrived at (its `again` line if the
   conversation stayed), unless the response replaces it (never after skipped beats).

What the counterpart hears is not all that the feedback credits: a practice asked about in a
question to her ("What do you think?", "What goals matter to you?" away from the goals beat)
invites an answer and is not taken as progress; a reply that only says again what was heard
before does not answer a new beat (`repeated`); and no line is said twice word for word while
its list has another left.

Line variants come from a seeded random generator, so the same replies with the same seed
replay exactly; `Session.undo` relies on that.
"""

from __future__ import annotations

import random
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from transitions import Machine

from coach.conversation.feedback import credited, feedback_for
from coach.conversation.matcher import Match, Matcher, compile_markers
from coach.conversation.record import (  # noqa: F401  (re-exported: the record's types used to live here)
    FeedbackItem, Fired, GoalResult, Line, PitfallHit, Report, Turn, to_data,
)
from coach.conversation.text import Synonyms, is_open_question, is_question, words
from coach.scenario.models import MODES, MOVE, Beat, Conditions, Ending, MarkerLibrary, Response, Rule, Scenario

TRIGGER = "respond"
COUNTERPART, USER = "counterpart", "user"


# -- one machine and one matcher per scenario, built on first use ------------------------

_machines: weakref.WeakKeyDictionary[Scenario, Machine] = weakref.WeakKeyDictionary()
_matchers: weakref.WeakKeyDictionary[Scenario, Matcher] = weakref.WeakKeyDictionary()


def matcher_for(scenario: Scenario) -> Matcher:
    """The scenario's compiled matcher (phrases are normalised once)."""
    matcher = _matchers.get(scenario)
    if matcher is None:
        library = next((i for i, m in enumerate(scenario.markers) if m.origin == str(scenario.path)), len(scenario.markers))
        matcher = _matchers[scenario] = compile_markers(scenario.markers, Synonyms(scenario.synonyms),
                                                        dict(scenario.classes), library)
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
    states: list[dict[str, Any]] = [{"name": beat.id} for beat in scenario.beats]
    states += [{"name": ending.id, "final": True} for ending in scenario.endings]
    machine = machine_class(model=None, states=states, initial=scenario.start, auto_transitions=False,
                            send_event=False, **options)
    for beat in scenario.beats:
        for rule in beat.next:
            machine.add_transition(TRIGGER, source=beat.id, dest=rule.to, conditions=[_RuleCondition(rule, scenario.version)])
    return machine


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known after a reply has been matched and credited: what conditions look at."""

    fired: frozenset[str]  # marker ids that fired on this reply
    kinds: frozenset[str]  # their kinds: good, pitfall, move
    shown: frozenset[str]  # learning goals a good marker that fired on this reply cites
    question: bool  # the mentor asked a question
    goals: frozenset[str]  # learning goals met so far (this reply included)
    new_goals: frozenset[str]  # learning goals met by this reply
    given: frozenset[str]  # marker ids fired and goals met by replies so far, this reply's unless it asked an
    # open question ("What do you want to achieve?" invites the answer, it does not give it): what
    # `asks` looks for
    trust: int
    pitfalls: int  # pitfalls hit so far
    beat: str  # where the reply was made
    mood: str
    replies_here: int = 1  # replies made at this beat, this one included
    stayed: bool = False  # for responses: the reply left the conversation at its beat
    repeated: bool = False  # the reply said nothing new: the same words again, or only what was heard before
    on_point: bool = False  # a good marker heard in the reply is about the beat's own point (`shows`, `asks`)
    heard: frozenset[str] = frozenset()  # the markers heard as said, not only asked about

    @property
    def recognised(self) -> bool:
        """Whether the reply showed a practice or a pitfall (a move alone is not progress)."""
        return bool(self.kinds & {"good", "pitfall"})

    @property
    def goals_met(self) -> int:
        return len(self.goals)

    def holds(self, name: str) -> bool:
        """Whether a `when`/`unless` name holds: a kind, `nothing`, `question`, a marker that fired
        or a learning goal a fired good marker cites (all of this reply)."""
        if name == "nothing":
            return not self.fired
        if name == "question":
            return self.question
        if name == "stayed":
            return self.stayed
        if name == "repeated":
            return self.repeated
        if name in ("good", "pitfall", MOVE):
            return name in self.kinds
        return name in self.fired or name in self.shown

    def satisfied(self, topics: Sequence[str]) -> Facts:
        """These facts as if the reply had just given `topics`: to pass a beat whose question
        was already answered."""
        return Facts(self.fired | frozenset(topics), frozenset({"good"}), self.shown | frozenset(topics), False,
                     self.goals, self.new_goals,
                     self.given, self.trust, self.pitfalls, self.beat, self.mood)  # a first reply there


def conditions_hold(conditions: Conditions, facts: Facts) -> bool:
    """Whether every condition holds in `facts` (for rules and responses alike)."""
    return (
        all(facts.holds(name) for name in conditions.when)
        and not any(facts.holds(name) for name in conditions.unless)
        and (conditions.trust_at_least is None or facts.trust >= conditions.trust_at_least)
        and (conditions.trust_at_most is None or facts.trust <= conditions.trust_at_most)
        and (conditions.goals_met_at_least is None or facts.goals_met >= conditions.goals_met_at_least)
        and (conditions.pitfalls_at_most is None or facts.pitfalls <= conditions.pitfalls_at_most)
        and (conditions.replies_here_at_least is None or facts.replies_here >= conditions.replies_here_at_least)
    )


def rule_holds(rule: Rule, facts: Facts, version: int = 2) -> bool:
    """Whether `rule` is taken: its conditions hold and, from format 2 on, a rule with no `when`
    needs something recognised (small talk and unclear replies are not progress), and a rule
    that asks only for something good (no marker or goal named) is not taken by a reply that says
    again only what was heard before, unless it is about the beat's own point: repeating a point
    does not answer a new one. A pitfall repeated is still a pitfall, and a rule naming what it
    wants is taken whenever it is said."""
    if version >= 2 and not rule.when and not facts.recognised:
        return False
    if (version >= 2 and facts.repeated and not facts.on_point and "pitfall" not in facts.kinds
            and "repeated" not in rule.when and set(rule.when) <= {"good", "question", "stayed"}):
        return False
    return conditions_hold(rule, facts)


def rule_label(rule: Rule, version: int = 2) -> str:
    """A rule's conditions in words, as `rule_holds` reads them (for diagrams)."""
    label = rule.describe()
    if version >= 2 and not rule.when:
        return "recognised" if rule.is_unconditional else f"recognised and {label}"
    return label


class _RuleCondition:
    """A rule's conditions as a `transitions` condition callable."""

    def __init__(self, rule: Rule, version: int) -> None:
        self.rule = rule
        self.version = version
        self.__name__ = rule_label(rule, version)  # transitions' diagrams label conditions by name

    def __call__(self, facts: Facts) -> bool:
        return rule_holds(self.rule, facts, self.version)


class SessionListener(Protocol):
    """Something that follows a session as it is played: records, live displays.

    Both front ends pass listeners to `Session`, so whatever listens sees the same events
    whether the user plays in the app or with `coach play`.
    """

    def session_started(self, session: Session) -> None: ...

    def turn_played(self, session: Session, turn: Turn) -> None: ...

    def hint_used(self, session: Session, hint: str) -> None: ...

    def turn_undone(self, session: Session, turn: Turn) -> None: ...

    def session_closed(self, session: Session) -> None: ...


class _Position:
    """The machine's model for one session: it only holds the current state."""

    state: str
    # set by `Machine.add_model` (declared, never assigned here: transitions will not overwrite
    # an attribute the model already has): fire an event, True if a transition was taken
    trigger: Callable[..., bool]


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
        self.retries = 0  # replies taken back with `undo`
        self.transitions_taken: list[tuple[str, str]] = []  # every transition taken, beats skipped included
        self._start = start
        self._said: dict[str, int] = {}  # each line the counterpart has said -> when it last did (larger: later)
        self._said_count = 0
        self._heard: set[str] = set()  # markers heard so far as said, not only asked (for `repeated`)
        self._given: frozenset[str] = frozenset()  # markers and goals given so far, not only asked about (`asks`)
        self.opening = self._pick(self.state.lines)
        self.transcript.append(Line(COUNTERPART, scenario.counterpart.name, self.opening))
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
        """Play one reply and return what it did (front ends do not send blank ones)."""
        if self.ended:
            raise RuntimeError("the conversation has ended")
        index = len(self.turns)
        self.transcript.append(Line(USER, "You", text))
        matches = tuple(self._matcher.match(text))
        feedback = feedback_for(matches, self.scenario.briefing, self._specific)
        new_goals = self._credit(matches, feedback, text, index)
        facts = self.facts(matches, text, new_goals)
        self._heard |= facts.heard
        self._given = facts.given
        answer = self._answer(facts)
        self.transcript.append(Line(COUNTERPART, self.scenario.counterpart.name, answer))
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

    def facts(self, matches: Sequence[Match], text: str, new_goals: Sequence[str] = ()) -> Facts:
        """The facts of a reply whose `matches` have been credited, at the current beat.

        A practice heard only inside a move to the counterpart ("What do you think?", "Tell me
        about yourself"), or inside an open question that is not about the beat's own point, is
        asked, not answered: it does not count as `good` for the dialogue (so a catch-all rule
        does not move the story on), nor are its goals `shown`. Feedback credits it all the same."""
        fired = frozenset(match.marker.id for match in matches)
        goals = frozenset(self.goals_met)
        point = self._point()
        asking = asking_spans(text)
        heard = [match for match in matches if not _only_asks(match, matches, point, asking)]
        on_point = any(m.marker.kind == "good" and (m.marker.id in point or point & set(m.marker.briefing))
                       for m in heard)
        shown = frozenset(goal for match in heard if match.marker.kind == "good" for goal in match.marker.briefing)
        given = self._given if is_open_question(text) else self._given | fired | frozenset(new_goals) | shown
        heard_ids = frozenset(match.marker.id for match in heard)
        repeated = bool(heard_ids) and heard_ids <= self._heard or _said_before(text, self.turns)
        return Facts(fired, frozenset(match.marker.kind for match in heard), shown, is_question(text), goals,
                     frozenset(new_goals), frozenset(given), self.trust, len(self.pitfalls),
                     self.state.id, self.state.mood, self._replies_here(), repeated=repeated, on_point=on_point,
                     heard=heard_ids)

    def _point(self) -> set[str]:
        """What the current beat is about: the goals its model answer shows and what it asks for."""
        beat = self.beat
        return set(beat.shows) | set(beat.asks) if beat is not None else set()

    def _replies_here(self) -> int:
        """Replies made at the current beat, the one being played included."""
        here = self._position.state
        trailing = 0
        for turn in reversed(self.turns):
            if turn.beat != here:
                break
            trailing += 1
        arrived = trailing < len(self.turns) or here != (self._start or self.scenario.start)
        return trailing if arrived else trailing + 1

    def _answer(self, facts: Facts) -> str:
        """Move the machine on for a reply with these facts and say what the counterpart answers."""
        before = self.beat
        if self._position.trigger(TRIGGER, facts):  # if no rule holds, the beat stays
            self.transitions_taken.append((facts.beat, self._position.state))
        acknowledged = self._pass_answered(facts)
        state = self.state
        stayed = before is not None and state.id == before.id
        response = self._response(before, replace(facts, stayed=stayed))
        parts = [self._pick(response.say)] if response else []
        parts += acknowledged
        if response is None or not response.replace or acknowledged:  # a beat reached by skipping asks its own
            parts.append(self._pick(state.again_lines if stayed and isinstance(state, Beat) else state.lines))
        return " ".join(parts)

    def _response(self, beat: Beat | None, facts: Facts) -> Response | None:
        """The most specific response that holds, of the beat the reply was made at and the
        scenario's; ties by seed. A beat's own response counts its beat as one more condition
        (it holds only there), so it wins a tie with the scenario's."""
        own = beat.responses if beat is not None else ()
        found = [((response.specificity + mine, mine), response)
                 for mine, responses in ((1, own), (0, self.scenario.responses))
                 for response in responses if conditions_hold(response, facts)]
        if not found:
            return None
        best = max(key for key, _ in found)
        tied = [response for key, response in found if key == best]
        tied = [response for response in tied if not self._spent(response)] or tied  # one not said yet first
        return tied[0] if len(tied) == 1 else self._rng.choice(tied)

    def _pass_answered(self, facts: Facts) -> list[str]:
        """Skip beats whose `asks` were all given already (in any order the mentor chose), as if
        just answered; return their acknowledgements (each topic's once: a beat skipped again
        passes in silence)."""
        said: list[str] = []
        for _ in range(len(self.scenario.beats)):
            beat = self.beat
            if beat is None or not beat.asks or beat.id == facts.beat or not set(beat.asks) <= facts.given:
                break
            if not self._position.trigger(TRIGGER, facts.satisfied(beat.asks)):
                break
            self.transitions_taken.append((beat.id, self._position.state))
            if beat.acknowledge and not all(line in self._said for line in beat.acknowledge):
                said.append(self._pick(beat.acknowledge))  # a topic is acknowledged once
        return said

    def undo(self) -> Turn:
        """Take back the last reply: the session becomes what it was before it, replayed with the
        same seed (so whatever state the session holds stays right). Counted as a retry.

        A reply that reached an ending can be taken back too: the session is open again (its
        listeners hear `turn_undone`, then `session_closed` again at the next ending or stop).
        A session stopped before an ending stays closed."""
        if not self.turns:
            raise RuntimeError("there is no reply to take back")
        if self._closed and not self.ended:
            raise RuntimeError("the session is closed")
        undone = self.turns[-1]
        fresh = Session(self.scenario, seed=self.seed, mode=self.mode, start=self._start)
        for turn in self.turns[:-1]:
            for _ in range(turn.hints):
                fresh.hint()
            fresh.reply(turn.reply)
        hints_used, retries, listeners = self.hints_used, self.retries + 1, self.listeners
        if self._position in self._machine.models:
            self._machine.remove_model(self._position)
        self.__dict__.update(fresh.__dict__)
        self.hints_used, self.retries, self.listeners = hints_used, retries, listeners
        for listener in self.listeners:
            listener.turn_undone(self, undone)
        return undone

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

    def _pick(self, lines: Sequence[str]) -> str:
        """One of `lines`, by seed, never one said already in this session while another is left
        (a counterpart who listens does not repeat herself word for word); when all were said,
        the one said longest ago."""
        fresh = [line for line in lines if line not in self._said]
        line = self._rng.choice(fresh) if fresh else min(lines, key=self._said.__getitem__)  # else the oldest
        self._said[line] = self._said_count = self._said_count + 1
        return line

    def _spent(self, response: Response) -> bool:
        return all(line in self._said for line in response.say)

    def elements_of(self, goal: str) -> tuple[str, ...]:
        """The parts of a many-part goal shown so far, in the goal's order."""
        goal_parts = self.scenario.parts_of.get(goal)
        return tuple(e for e in goal_parts.elements if e in self.elements_heard) if goal_parts else ()

    # -- summing up -----------------------------------------------------------------------

    def report(self) -> Report:
        """The report; `outcome` is "unfinished" if no ending was reached."""
        scenario = self.scenario
        goals = []
        for item in scenario.goal_items:
            goal_parts = scenario.parts_of.get(item.id)
            met = item.id in self.goals_met
            beat = None if met else scenario.beat_for_goal(item.id)
            goals.append(GoalResult(item.id, item.title, met, self.goals_met.get(item.id),
                                    beat.model_answer if beat else None,
                                    elements=goal_parts.elements if goal_parts else (),
                                    elements_met=self.elements_of(item.id),
                                    needs=goal_parts.needs if goal_parts else None))
        ending = self.state if isinstance(self.state, Ending) else None
        return Report(
            scenario=scenario.id, title=scenario.title, outcome=ending.outcome if ending else "unfinished",
            ending=ending.id if ending else None, ending_title=ending.title if ending else None,
            goals=tuple(goals), pitfalls=tuple(self.pitfalls), debrief=ending.debrief if ending else (),
            transcript=tuple(self.transcript), hints_used=self.hints_used, turns=len(self.turns),
            seed=self.seed, mode=self.mode, retries=self.retries,
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


_SENTENCES = re.compile(r"[^.!?\n]+[.!?\n]*")


def asking_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` asks the other person something open: each such sentence's character range."""
    return [(found.start(), found.end()) for found in _SENTENCES.finditer(text) if is_open_question(found.group())]


def _only_asks(match: Match, matches: Sequence[Match], point: set[str], asking: list[tuple[int, int]]) -> bool:
    """Whether a good marker's words are also a move's ("what do you think"), or lie inside an
    open question (`asking`) that is not about the beat's `point`."""
    marker = match.marker
    if marker.kind != "good":
        return False
    if any(m.start < match.end and match.start < m.end for m in matches if m.marker.kind == MOVE):
        return True  # the same words are a move ("Tell me about yourself"): it is what was said
    if marker.id in point or point & set(marker.briefing):
        return False  # an open question about the beat's own point addresses it
    return any(start <= match.start and match.end <= end for start, end in asking)


def _said_before(text: str, turns: Sequence[Turn]) -> bool:
    """Whether the same reply (case, spacing and punctuation aside) was made earlier."""
    key = " ".join(words(text))
    return bool(key) and any(" ".join(words(turn.reply)) == key for turn in turns)


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
