"""A workshop's results for the group debrief: aggregated from the records, then rendered.

Everything is computed from what was stored (turns and reports), so a report can be made on
another machine from imported sessions, even if the scenario files changed since. Participants
are "Participant 1, 2..." in order of their first attempt unless names are asked for: a room
debriefs the pattern, not the person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from coach.conversation.feedback import Citation
from coach.records.html import OUTCOME_COLOURS, Segment, bar_chart, esc, legend, page, quote
from coach.records.store import SessionRecord, Store

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
class WorkshopReport:
    name: str
    created: str
    participants: tuple[str, ...]
    attempts: int
    scenarios: tuple[ScenarioStats, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    return WorkshopReport(workshop.name, workshop.created, tuple(labels.values()), len(records), scenarios)


def _outcome(record: SessionRecord) -> str:
    return record.summary.outcome or "open"


def _goals_met(record: SessionRecord) -> set[str]:
    return {goal for turn in record.turns for goal in turn.get("goals_met", [])}


def _goal_titles(records: list[SessionRecord]) -> dict[str, str]:
    """Every goal of the scenario, in its order, with titles, from the stored reports."""
    titles: dict[str, str] = {}
    for record in records:
        if record.report:
            goals = record.report.get("goals_met", []) + record.report.get("goals_missed", [])
            for goal in sorted(goals, key=lambda g: g["id"]):
                titles.setdefault(goal["id"], goal["title"])
    for record in records:  # open sessions only tell which goals they met
        for goal in sorted(_goals_met(record)):
            titles.setdefault(goal, goal)
    return titles


def _scenario_stats(records: list[SessionRecord], labels: dict[str | None, str]) -> ScenarioStats:
    first = records[0].summary
    outcomes = Counter(_outcome(r) for r in records)
    goals = tuple(GoalStat(goal, title, sum(goal in _goals_met(r) for r in records), len(records))
                  for goal, title in _goal_titles(records).items())
    hits: dict[str, list[tuple[str, dict[str, Any], str]]] = {}
    for record in records:
        who = labels[record.summary.participant]
        for turn in record.turns:
            for item in turn.get("feedback", []):
                if item.get("kind") == "pitfall":
                    hits.setdefault(item["marker"], []).append((who, item, turn["reply"]))
    pitfalls = []
    for marker, found in sorted(hits.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_PITFALLS]:
        item = found[0][1]
        examples: list[Example] = []
        for who, _, reply in found:
            if len(examples) < EXAMPLES and reply not in {e.reply for e in examples}:
                examples.append(Example(who, reply))
        pitfalls.append(PitfallStat(
            marker, item.get("message", ""), item.get("better"), len(found), len({who for who, _, _ in found}),
            tuple(Citation(c["id"], c["title"]) for c in item.get("citations", [])), tuple(examples)))
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


# -- renderings -----------------------------------------------------------------------------------

def counted(number: int, word: str) -> str:
    """`1 hit`, `2 hits`: a count with its noun agreeing."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def to_markdown(report: WorkshopReport) -> str:
    out = [f"# Workshop {report.name}: report", "",
           f"{counted(report.attempts, 'attempt')} by {counted(len(report.participants), 'participant')} "
           f"({', '.join(report.participants) or 'none yet'}).", ""]
    for s in report.scenarios:
        out += [f"## {s.title} (`{s.id}`)", "",
                f"**Attempts:** {s.attempts} by {counted(s.participants, 'participant')} · **Outcomes:** "
                + ", ".join(f"{outcome} {count}" for outcome, count in s.outcomes.items()), "",
                "### Learning goals", "", "| Goal | Met | Rate |", "|---|---|---|"]
        out += [f"| `{g.id}` {_cell(g.title)} | {g.met}/{g.attempts} | {_percent(g.met, g.attempts)} |" for g in s.goals]
        out += ["", "### Most frequent pitfalls", ""]
        for p in s.pitfalls:
            cited = "; ".join(f"`{c.id}` {c.title}" for c in p.citations)
            out.append(f"- **{p.marker}**: {counted(p.hits, 'hit')} by {counted(p.participants, 'participant')}. "
                       f"{p.caution} ({cited})")
            if p.better:
                out.append(f"  - better: {p.better}")
            out += [f"  - {e.participant}: \u201c{_inline(e.reply)}\u201d" for e in p.examples]
        if not s.pitfalls:
            out.append("- none")
        out += ["", "### To discuss", ""]
        out += [f"- `{d.id}` {d.title}: {d.reason}" for d in s.discuss] or ["- nothing stood out"]
        out.append("")
    if not report.scenarios:
        out.append("No sessions yet: participants join with `coach play ID --workshop NAME --participant NAME`.")
    return "\n".join(out).rstrip() + "\n"


def _inline(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def to_html(report: WorkshopReport) -> str:
    body = [f"<h1>Workshop {esc(report.name)}: report</h1>",
            f"<p>{counted(report.attempts, 'attempt')} by {counted(len(report.participants), 'participant')} "
            f"({esc(', '.join(report.participants) or 'none yet')}).</p>"]
    if report.scenarios:
        colours = {**OUTCOME_COLOURS, "open": "#bdbdbd"}
        body += ["<h2>Outcomes per scenario</h2>", legend({o: colours[o] for o in OUTCOME_ORDER}),
                 bar_chart([(s.title, [Segment(n, colours.get(o, "#777"), f"{o}: {n}") for o, n in s.outcomes.items()])
                            for s in report.scenarios], caption="outcomes per scenario")]
    for s in report.scenarios:
        body += [f"<h2>{esc(s.title)} <code>{esc(s.id)}</code></h2>",
                 f"<p><strong>Attempts:</strong> {s.attempts} by {counted(s.participants, 'participant')} · "
                 f"<strong>Outcomes:</strong> {esc(', '.join(f'{o} {n}' for o, n in s.outcomes.items()))}</p>",
                 "<h3>Learning goals met</h3>",
                 bar_chart([(f"{g.title} ({g.id})", [Segment(100 * g.met / g.attempts, "#1565c0",
                                                               f"{g.met} of {g.attempts} attempts")])
                            for g in s.goals], scale=100, unit="%", caption="share of attempts meeting each goal"),
                 "<h3>Most frequent pitfalls</h3>"]
        if s.pitfalls:
            body.append(bar_chart([(p.marker, [Segment(p.hits, OUTCOME_COLOURS["poor"], f"{p.hits} hits")])
                                   for p in s.pitfalls], caption="pitfall hits"))
        for p in s.pitfalls:
            cited = "; ".join(f"<code>{esc(c.id)}</code> {esc(c.title)}" for c in p.citations)
            better = f"<br>better: {esc(p.better)}" if p.better else ""
            examples = "".join(f"<p class=muted>{esc(e.participant)}:</p>{quote(e.reply)}" for e in p.examples)
            body.append(f"<h4>{esc(p.marker)}: {counted(p.hits, 'hit')} by {counted(p.participants, 'participant')}</h4>"
                        f"<p>{esc(p.caution)} ({cited}){better}</p>{examples}")
        if not s.pitfalls:
            body.append("<p class=muted>none</p>")
        body.append("<h3>To discuss</h3><ul>" + "".join(
            f"<li><code>{esc(d.id)}</code> {esc(d.title)}: {esc(d.reason)}</li>" for d in s.discuss)
            + ("" if s.discuss else "<li>nothing stood out</li>") + "</ul>")
    if not report.scenarios:
        body.append("<p>No sessions yet.</p>")
    return page(f"Workshop {report.name}: report", "\n".join(body))
