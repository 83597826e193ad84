"""Plain-text and Markdown renderings of turns and reports, shared by the CLI and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: commands that just format records should not load the engine
    from coach.conversation.record import Citation, FeedbackItem, Report, Turn

OUTCOME_WORDS = {"strong": "Strong", "mixed": "Mixed", "poor": "Poor", "unfinished": "Unfinished"}


def outcome_label(outcome: str | None) -> str:
    """An outcome as a word; a session still open (in progress or interrupted) is "Open"."""
    return "Open" if outcome is None else OUTCOME_WORDS.get(outcome, outcome)


def local_time(stamp: str | None) -> str:
    """A stored ISO time as local `YYYY-MM-DD HH:MM` (unreadable stamps are shown as they are)."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a feedback item as every front end shows it: a label, then text."""

    role: str  # "better", "evidence" or "cites"
    label: str
    text: str
    citations: tuple[Citation, ...] = ()  # for "cites": what the text names, for links


@dataclass(frozen=True, slots=True)
class FeedbackView:
    """A feedback item described once: the terminal, Markdown, HTML and the app's cards and
    compare screen all draw these pieces, in this order, with these labels."""

    good: bool
    mark: str  # "+" for what worked, "!" for a pitfall
    message: str
    parts: tuple[Part, ...]


def feedback_view(item: FeedbackItem) -> FeedbackView:
    """What to show of a feedback item: the message, a better way, the user's words, the citations."""
    parts = []
    if item.better:
        parts.append(Part("better", "better:", item.better))
    if item.evidence:
        parts.append(Part("evidence", "your words:", f"\u201c{item.evidence}\u201d"))
    if item.citations:
        parts.append(Part("cites", "cites", "; ".join(str(c) for c in item.citations), item.citations))
    good = item.kind == "good"
    return FeedbackView(good, "+" if good else "!", item.message, tuple(parts))


def feedback_lines(item: FeedbackItem) -> list[str]:
    """A feedback item as plain lines: the message, then each part indented."""
    view = feedback_view(item)
    return [f"{view.mark} {view.message}"] + [f"    {part.label} {part.text}" for part in view.parts]


def turn_feedback_text(turn: Turn) -> str:
    """All feedback of one turn, or a note that nothing was recognised."""
    if not turn.feedback:
        return "  (no practice or pitfall recognised in this reply)"
    return "\n".join("  " + line for item in turn.feedback for line in feedback_lines(item))


def _quote(text: str) -> str:
    """Text as a Markdown blockquote that keeps the user's line breaks."""
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def report_markdown(report: Report) -> str:
    """The whole report as Markdown."""
    out = [f"# {report.title}: report", ""]
    ending = f" ({report.ending_title})" if report.ending_title else ""
    out += [f"**Outcome:** {OUTCOME_WORDS.get(report.outcome, report.outcome)}{ending}  ",
            f"**Turns:** {report.turns} · **Hints used:** {report.hints_used} · **Retries:** {report.retries} · "
            f"**Mode:** {report.mode} · "
            f"**Seed:** {report.seed}", ""]
    met, missed = report.goals_met, report.goals_missed
    out += [f"## Learning goals met ({len(met)}/{len(report.goals)})", ""]
    out += [f"- `{g.id}` {g.title}" + (f" (turn {g.turn + 1})" if g.turn is not None else "") for g in met] or ["- none yet"]
    out += ["", f"## Learning goals missed ({len(missed)})", ""]
    for goal in missed:
        out.append(f"- `{goal.id}` {goal.title}")
        if goal.model_answer:
            out.append(f"  - a model answer: \u201c{goal.model_answer}\u201d")
    if not missed:
        out.append("- none")
    out += ["", f"## Pitfalls ({len(report.pitfalls)})", ""]
    for hit in report.pitfalls:
        cited = "; ".join(f"`{c.id}` {c.title}" for c in hit.citations)
        out.append(f"- Turn {hit.turn + 1}: \u201c{hit.evidence}\u201d: {hit.caution} ({cited})")
        if hit.better:
            out.append(f"  - better: {hit.better}")
    if not report.pitfalls:
        out.append("- none")
    if report.debrief:
        out += ["", "## Debrief", ""] + [f"{n}. {q}" for n, q in enumerate(report.debrief, 1)]
    out += ["", "## Transcript", ""]
    for line in report.transcript:
        out += [f"**{line.name}:**", "", _quote(line.text), ""]
    return "\n".join(out).rstrip() + "\n"
