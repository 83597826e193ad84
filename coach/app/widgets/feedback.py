"""Feedback on each reply: praise and cautions, the words that earned them, their sources."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from coach.app.messages import OpenBriefingItem
from coach.app.text import literal, visible
from coach.conversation.engine import Turn
from coach.conversation.feedback import Citation, FeedbackItem
from coach.conversation.render import feedback_view


class CitationLink(Static, can_focus=True):
    """A cited briefing item: Enter or a click opens its full text.

    The title comes first, the id (`helps.onboarding-conversation`) on a line of its own that
    is never wrapped: in a narrow panel it is cut with an ellipsis instead of broken mid-word,
    and the tooltip gives it whole."""

    BINDINGS = [Binding("enter", "open", "Open item")]

    def __init__(self, briefing: str, citation: Citation) -> None:
        super().__init__(Content.assemble(("\u2192 ", "bold"), (citation.title, "bold"), "\n  ", (citation.id, "dim")),
                         classes="citation")
        self.tooltip = f"{citation.id} \u00b7 {citation.title} (Enter opens it)"
        self.briefing = briefing
        self.citation = citation

    def action_open(self) -> None:
        self.post_message(OpenBriefingItem(self.briefing, self.citation.id))

    def on_click(self) -> None:
        self.action_open()


class FeedbackCard(Vertical):
    """One praise or caution."""

    def __init__(self, briefing: str, item: FeedbackItem) -> None:
        super().__init__(classes=f"card {item.kind}")
        self.briefing = briefing
        self.item = item

    def compose(self) -> ComposeResult:
        view = feedback_view(self.item)
        mark = ("\u2714 ", "bold $success") if view.good else ("\u26a0 ", "bold $warning")
        yield Static(Content.assemble(mark, literal(view.message)), classes="message")
        for part in view.parts:
            if part.role == "cites":
                for citation in part.citations:
                    yield CitationLink(self.briefing, citation)
            else:
                style = "italic" if part.role == "evidence" else "bold"
                yield Static(Content.assemble((f"{part.label.capitalize()} ", style), literal(part.text)),
                             classes=part.role)


class TurnFeedback(Vertical):
    """All feedback on one reply, headed by the reply it is about."""

    def __init__(self, briefing: str, turn: Turn) -> None:
        super().__init__(classes="turn-feedback")
        self.briefing = briefing
        self.turn = turn

    def compose(self) -> ComposeResult:
        snippet = self.turn.reply if len(self.turn.reply) <= 60 else self.turn.reply[:59] + "\u2026"
        yield Static(Content.assemble((f"Turn {self.turn.index + 1}: ", "bold"), literal(snippet.replace("\n", " "))),
                     classes="turn-title")
        if not self.turn.feedback:
            yield Static("No practice or pitfall recognised in this reply.", classes="nothing")
        for item in self.turn.feedback:
            yield FeedbackCard(self.briefing, item)


class FeedbackPanel(VerticalScroll):
    """Feedback turn by turn, newest at the bottom; in assessment mode, held back to the end."""

    def __init__(self, briefing: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.briefing = briefing
        self.border_title = "Feedback"

    def on_mount(self) -> None:
        self.anchor()

    def show_turn(self, turn: Turn) -> None:
        self.query(".placeholder").remove()
        self.mount(TurnFeedback(self.briefing, turn))

    def show_turns(self, turns: Iterable[Turn]) -> None:
        self.query(".placeholder").remove()
        self.mount_all([TurnFeedback(self.briefing, turn) for turn in turns])

    def placeholder(self, text: str) -> None:
        self.remove_children()
        self.mount(Static(text, classes="placeholder"))
