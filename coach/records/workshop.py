"""A workshop's results for the group debrief: aggregated from the records, then rendered.

Everything is computed from what was stored (turns and reports), so a report can be made on
another machine from imported sessions, even if the scenario files changed since. Participants
are "Participant 1, 2..." in order of their first attempt unless names are asked for: a room
debriefs the pattern, not the person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from coach.conversation.record import Citation, FeedbackItem, SessionRecord, to_data
from coach.records.store import Store

OUTCOME_ORDER = ("strong", "mixed", "poor", "unfinished", "open")
EXAMPLES = 3  # example replies quoted per pitfall
TOP_PITFALLS = 5


@dataclass(frozen=True, slots=True)
class GoalStat:
    id: str
    title: str
    met: int  # attempts that met it
    attempts: int


@dataclass(frozen=True, slots=True)
class Example:
    participant: str
    reply: str


@dataclass(frozen=True, slots=True)
class PitfallStat:
    marker: str
    caution: str
    better: str | None
    hits: int
    participants: int
    citations: tuple[Citation, ...]
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class DiscussItem:
    """A briefing item worth raising in the debrief, and why."""

    id: str
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class ScenarioStats:
    id: str
    title: str
    attempts: int
    participants: int
    outcomes: dict[str, int]
    goals: tuple[GoalStat, ...]
    pitfalls: tuple[PitfallStat, ...]
    discuss: tuple[DiscussItem, ...]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One person's attempt, for the trainer's per-participant view."""

    session: str
    scenario: str
    title: str
    started: str
    outcome: str
    goals_met: tuple[str, ...]
    goals_total: int
    pitfalls: tuple[str, ...]  # markers hit, in order
    turns: int
    hints: int


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    attempts: tuple[Attempt, ...]


@dataclass(frozen=True, slots=True)
class WorkshopReport:
    name: str
    created: str
    participants: tuple[str, ...]
    attempts: int
    scenarios: tuple[ScenarioStats, ...]
    people: tuple[Person, ...] = ()  # only with names: the per-participant view is for the trainer
    named: bool = False

    def to_dict(self) -> dict[str, Any]:
        return to_data(self)


def build_report(store: Store, name: str, *, names: bool = False) -> WorkshopReport:
    """Aggregate every session tagged with workshop `name`."""
    workshop = store.workshop(name)
    records = [store.session(s.id) for s in store.sessions(workshop=name)]
    labels: dict[str | None, str] = {}
    for record in records:
        who = record.summary.participant
        if who not in labels:
            labels[who] = (who if names and who else f"Participant {len(labels) + 1}")
    by_scenario: dict[str, list[SessionRecord]] = {}
    for record in records:
        by_scenario.setdefault(record.summary.scenario, []).append(record)
    scenarios = tuple(_scenario_stats(group, labels) for _, group in sorted(by_scenario.items()))
    people = _people(records, labels) if names else ()
    return WorkshopReport(workshop.name, workshop.created, tuple(labels.values()), len(records), scenarios,
                          people, names)


def _people(records: list[SessionRecord], labels: dict[str | None, str]) -> tuple[Person, ...]:
    """Each participant's attempts, in order: goals met, pitfalls hit, turns and hints."""
    attempts: dict[str, list[Attempt]] = {label: [] for label in labels.values()}
    for record in records:
        s = record.summary
        attempts[labels[s.participant]].append(Attempt(
            s.id, s.scenario, s.title, s.started, _outcome(record), tuple(sorted(_goals_met(record))),
            s.goals_total, tuple(item.marker for _, item in _pitfalls(record)), len(record.turns), s.hints_used))
    return tuple(Person(name, tuple(found)) for name, found in attempts.items())


def _pitfalls(record: SessionRecord) -> list[tuple[str, FeedbackItem]]:
    """(reply, item) for every pitfall the session hit."""
    return [(turn.reply, item) for turn in record.turns for item in turn.feedback if item.kind == "pitfall"]


def _outcome(record: SessionRecord) -> str:
    return record.summary.outcome or "open"


def _goals_met(record: SessionRecord) -> set[str]:
    return {goal for turn in record.turns for goal in turn.goals_met}


def _goal_titles(records: list[SessionRecord]) -> dict[str, str]:
    """Every goal of the scenario, in its order, with titles, from the stored reports."""
    titles: dict[str, str] = {}
    for record in records:
        if record.report:
            for goal in record.report.goals:
                titles.setdefault(goal.id, goal.title)
    for record in records:  # open sessions only tell which goals they met
        for goal_id in sorted(_goals_met(record)):
            titles.setdefault(goal_id, goal_id)
    return titles


def _scenario_stats(records: list[SessionRecord], labels: dict[str | None, str]) -> ScenarioStats:
    first = records[0].summary
    outcomes = Counter(_outcome(r) for r in records)
    goals = tuple(GoalStat(goal, title, sum(goal in _goals_met(r) for r in records), len(records))
                  for goal, title in _goal_titles(records).items())
    hits: dict[str, list[tuple[str, FeedbackItem, str]]] = {}
    for record in records:
        who = labels[record.summary.participant]
        for reply, item in _pitfalls(record):
            hits.setdefault(item.marker, []).append((who, item, reply))
    pitfalls = []
    for marker, found in sorted(hits.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_PITFALLS]:
        item = found[0][1]
        examples: list[Example] = []
        for who, _, reply in found:
            if len(examples) < EXAMPLES and reply not in {e.reply for e in examples}:
                examples.append(Example(who, reply))
        pitfalls.append(PitfallStat(
            marker, item.message, item.better, len(found), len({who for who, _, _ in found}),
            item.citations, tuple(examples)))
    return ScenarioStats(
        first.scenario, first.title, len(records), len({r.summary.participant for r in records}),
        {o: outcomes[o] for o in OUTCOME_ORDER if outcomes[o]}, goals, tuple(pitfalls),
        _to_discuss(goals, pitfalls))


def _to_discuss(goals: tuple[GoalStat, ...], pitfalls: list[PitfallStat]) -> tuple[DiscussItem, ...]:
    """Briefing items behind the most frequent pitfalls, then goals most attempts missed."""
    seen: dict[str, DiscussItem] = {}
    for pitfall in pitfalls:
        for citation in pitfall.citations:
            if citation.id not in seen:
                times = "once" if pitfall.hits == 1 else f"{pitfall.hits} times"
                seen[citation.id] = DiscussItem(citation.id, citation.title, f"pitfall {pitfall.marker!r} hit {times}")
    for goal in sorted(goals, key=lambda g: g.met / g.attempts):
        if goal.id not in seen and goal.met * 2 < goal.attempts:
            seen[goal.id] = DiscussItem(goal.id, goal.title, f"learning goal met in {goal.met} of {goal.attempts} attempts")
    return tuple(seen.values())


# -- renderings: the templates in `templates/workshop.*` ------------------------------------------

def counted(number: int, word: str) -> str:
    """`1 hit`, `2 hits`: a count with its noun agreeing."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def context(report: WorkshopReport) -> dict[str, Any]:
    """What the workshop templates are given, charts laid out."""
    from coach.records.html import OUTCOME_COLOURS, Segment, bar_chart

    colours = {o: OUTCOME_COLOURS[o] for o in OUTCOME_ORDER}
    outcomes = bar_chart([(s.title, [Segment(n, colours.get(o, "#777"), f"{o}: {n}") for o, n in s.outcomes.items()])
                          for s in report.scenarios], caption="outcomes per scenario")
    charts = {s.id: {
        "goals": bar_chart([(f"{g.title} ({g.id})", [Segment(100 * g.met / g.attempts, "#1565c0",
                                                              f"{g.met} of {g.attempts} attempts")])
                            for g in s.goals], scale=100, unit="%", caption="share of attempts meeting each goal"),
        "pitfalls": bar_chart([(p.marker, [Segment(p.hits, OUTCOME_COLOURS["poor"], counted(p.hits, "hit"))])
                               for p in s.pitfalls], caption="pitfall hits"),
    } for s in report.scenarios}
    return {"report": report, "colours": colours, "outcomes_chart": outcomes, "charts": charts,
            "counted": counted, "percent": percent, "workshop": to_data(report)}


def render(report: WorkshopReport, fmt: str) -> str:
    from coach.records import formats

    return formats.render("workshop", fmt, context(report))


def report_stem(report: WorkshopReport) -> str:
    """`workshop-NAME`, or `workshop-NAME-names` for the trainer's copy with names in it."""
    return f"workshop-{report.name}" + ("-names" if report.named else "")
