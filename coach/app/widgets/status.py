"""What a session stands at: the counterpart's mood, goals met, hints used, the mode."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from coach.app.text import literal, visible
from coach.conversation.engine import Session

MOOD_ICONS = {"warm": "\u263a", "happy": "\u263a", "relieved": "\u263a", "tense": "\u2639", "upset": "\u2639",
              "angry": "\u2639", "defensive": "\u2639", "hurt": "\u2639"}


class SessionStatus(Static):
    """One line: who, their mood, goal progress, hints, the mode."""

    def show(self, session: Session) -> None:
        scenario = session.scenario
        met, total = session.goal_progress()
        goals = f"{met}/{total}" if session.mode == "practice" or session.ended else f"?/{total}"
        icon = MOOD_ICONS.get(session.mood.lower(), "\u25cf")
        self.update(Content.assemble(
            (f"{icon} ", "bold"), literal(scenario.counterpart.name), " is ", (visible(session.mood), "bold"),
            "  \u2502  Goals ", (goals, "bold"), "  \u2502  Hints ", (str(session.hints_used), "bold"),
            "  \u2502  ", (session.mode.capitalize(), "bold reverse"),
        ))


class GoalProgress(VerticalScroll, can_focus=False):
    """The learning goals, ticked as they are met (hidden in assessment mode until the end).

    Scrolls (with a scrollbar) when the panel is shorter than the list, so no goal is hidden
    while the title counts it."""

    def compose(self) -> ComposeResult:
        yield Static(id="goal-list")

    def show(self, session: Session) -> None:
        met, total = session.goal_progress()
        reveal = session.mode == "practice" or session.ended
        self.border_title = f"Goals {met}/{total}" if reveal else f"Goals ?/{total}"
        lines = []
        for goal in session.scenario.goal_items:
            tick = ("\u2714 ", "bold $success") if reveal and goal.id in session.goals_met else ("\u25cb ", "")
            lines.append(Content.assemble(tick, literal(goal.title)))
        self.query_one("#goal-list", Static).update(Content("\n").join(lines))
