"""Rehearse one scenario: the chat, the reply box, feedback on each turn, goals and mood."""

from __future__ import annotations



from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual import events
from textual.widgets import Button, Footer, Header, Input

from coach.app.exports import export_and_say
from coach.app.messages import EndConversation, GoHome, OpenBriefingItem, StartScenario
from coach.app.widgets import FeedbackPanel, GoalProgress, LongReply, ReplyInput, SessionStatus, Transcript
from coach.app.widgets.feedback import TurnFeedback
from coach.conversation.commands import HELP, HINT, QUIT, UNDO, command_of, unknown
from coach.conversation.engine import COUNTERPART, Session


PRACTICE_NOTE = "Feedback on each reply appears here: what worked, what to watch, and the briefing item behind it."
ASSESSMENT_NOTE = "Assessment mode: as in the real conversation, feedback waits until the end."


class ConversationScreen(Screen):
    """One `Session` on screen. The screen closes its session when it goes away."""

    CSS_PATH = ["conversation.tcss"]  # loaded when first shown: start-up parses only coach.tcss

    BINDINGS = [
        Binding("ctrl+g", "hint", "Hint"),
        Binding("ctrl+z", "undo", "Take back"),
        Binding("ctrl+b", "briefing", "Briefing"),
        Binding("ctrl+l", "long_reply", "Multi-line"),
        Binding("ctrl+r", "restart", "Restart"),
        Binding("ctrl+o", "export", "Export"),
        Binding("ctrl+n", "report", "Report"),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(classes=session.mode)
        self.session = session
        self._shown = 0  # transcript lines already on screen

    @property
    def in_progress(self) -> bool:
        """Whether leaving would throw away something the user did."""
        return not self.session.ended and bool(self.session.turns or self.session.hints_used)

    def compose(self) -> ComposeResult:
        scenario = self.session.scenario
        yield Header()
        yield SessionStatus(id="status")
        with Horizontal(id="body"):
            yield Transcript(id="transcript")
            with Vertical(id="side"):
                yield GoalProgress(id="goals")
                yield FeedbackPanel(scenario.briefing.id, id="feedback")
        with Vertical(id="compose"):
            yield ReplyInput(placeholder=f"Your reply to {scenario.counterpart.name} (Enter sends)", id="reply")
            yield LongReply(id="long", classes="hidden", soft_wrap=True, show_line_numbers=False)
            yield Button("The conversation has ended: see the report", id="to-report", classes="hidden",
                         variant="success")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.session.scenario.title} \u00b7 {self.session.mode}"
        self.query_one(FeedbackPanel).placeholder(PRACTICE_NOTE if self.session.mode == "practice" else ASSESSMENT_NOTE)
        self._refresh_view()
        self.query_one(ReplyInput).focus()

    def on_key(self, event: events.Key) -> None:
        """A printable key that reached no text box (typed while the screen was still mounting,
        or on a citation) is the reply going on: it goes to the reply box, never lost."""
        if not (event.is_printable and event.character) or event.character == "?" or self.session.ended:
            return
        reply = self.query_one(ReplyInput)  # a text box that had focus took the key already
        if reply.has_class("hidden"):
            return
        reply.insert_text_at_cursor(event.character)
        reply.focus()
        event.stop()

    def on_unmount(self) -> None:
        self.session.close()

    # -- sending ----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.send(event.value):
            event.input.value = ""

    def on_long_reply_send(self, event: LongReply.Send) -> None:
        if self.send(event.text):
            long = self.query_one(LongReply)
            long.text = ""
            self._toggle_long(False)

    def on_reply_input_long_paste(self, event: ReplyInput.LongPaste) -> None:
        self.query_one(ReplyInput).value = ""
        long = self.query_one(LongReply)
        long.text = event.text
        self._toggle_long(True)
        long.move_cursor(long.document.end)

    def send(self, text: str) -> bool:
        """Play `text` as the next reply; False if there was nothing to send. A blank reply is
        never a turn; `/hint`, `/undo` and `/help` work as in `coach play`."""
        if not text.strip() or self.session.ended:
            return False
        command = command_of(text)
        if command is not None:
            return self._command(command)
        turn = self.session.reply(text)
        if self.session.mode == "practice":
            self.query_one(FeedbackPanel).show_turn(turn)
        self._refresh_view()
        if turn.ended:
            self._ended()
        return True

    def _command(self, command: str) -> bool:
        """A `/` command typed in the reply box; True if the box should be cleared."""
        if command == HINT:
            self.action_hint()
        elif command == UNDO:
            self.action_undo()
            return False  # the reply taken back is in the box now
        elif command == HELP:
            keys = "ctrl+g hint \u00b7 ctrl+z take back \u00b7 ctrl+n report \u00b7 escape home"
            self.notify(f"/hint, /undo, /quit here too; or the keys: {keys}", timeout=6)
        elif command == QUIT:
            self.action_report()
        else:
            self.notify(unknown(command), severity="warning")
            return False
        return True

    def _refresh_view(self) -> None:
        """Show new transcript lines and the session's status."""
        transcript = self.query_one(Transcript)
        for line in self.session.transcript[self._shown:]:
            last = self.session.ended and line is self.session.transcript[-1] and line.speaker == COUNTERPART
            transcript.add_line(line, extra="ending" if last else "")
        self._shown = len(self.session.transcript)
        self.query_one(SessionStatus).show(self.session)
        self.query_one(GoalProgress).show(self.session)

    def _ended(self) -> None:
        report = self.session.report()
        self.query_one(Transcript).add_note("The end", f"{report.ending_title} ({report.outcome})", classes="end")
        if self.session.mode == "assessment":
            panel = self.query_one(FeedbackPanel)
            panel.remove_children()
            panel.show_turns(self.session.turns)
        for widget in (self.query_one(ReplyInput), self.query_one(LongReply)):
            widget.disabled = True
            widget.add_class("hidden")
        button = self.query_one("#to-report", Button)
        button.remove_class("hidden")
        button.focus()

    def _reopen(self) -> None:
        """Undo of the reply that ended the conversation: the ending goes, the reply box comes back."""
        self.query_one(Transcript).query(".end").remove()
        if self.session.mode == "assessment":  # feedback shown at the end is held back again
            self.query_one(FeedbackPanel).placeholder(ASSESSMENT_NOTE)
        self.query_one(LongReply).disabled = False
        reply = self.query_one(ReplyInput)
        reply.disabled = False
        reply.remove_class("hidden")
        self.query_one("#to-report", Button).add_class("hidden")
        reply.focus()

    # -- actions ----------------------------------------------------------------------------

    def _toggle_long(self, show: bool | None = None) -> None:
        long, short = self.query_one(LongReply), self.query_one(ReplyInput)
        show = long.has_class("hidden") if show is None else show
        long.set_class(not show, "hidden")
        short.set_class(show, "hidden")
        if self.session.ended:
            return
        if show:
            if short.value and not long.text:
                long.text, short.value = short.value, ""
            long.focus()
        else:
            short.focus()

    def action_long_reply(self) -> None:
        """Switch between the one-line input and the multi-line editor (ctrl+s sends)."""
        self._toggle_long()
        if not self.query_one(LongReply).has_class("hidden"):
            self.notify("Several lines: ctrl+s sends, ctrl+l goes back to one line.", timeout=4)

    def action_hint(self) -> None:
        if self.session.ended:
            self.notify("The conversation has ended.")
            return
        hint = self.session.hint()
        self.query_one(Transcript).add_note("Hint", hint, classes="hint")
        self.query_one(SessionStatus).show(self.session)

    def action_undo(self) -> None:
        """Take back the last reply and put it back in the reply box to try again (a retry); the
        reply that reached an ending too, where the engine allows it (the conversation goes on)."""
        if not self.session.turns:
            self.notify("Nothing to take back yet.")
            return
        was_ended = self.session.ended
        try:
            undone = self.session.undo()
        except RuntimeError:  # an engine that keeps an ended session closed
            self.notify("The conversation has ended: its last reply cannot be taken back.")
            return
        if was_ended:
            self._reopen()
        transcript = self.query_one(Transcript)
        for row in list(transcript.query(".row"))[-2:]:
            row.remove()
        self._shown = len(self.session.transcript)
        transcript.add_note("Taken back", undone.reply, classes="undone")
        reply = self.query_one(ReplyInput)
        if not reply.has_class("hidden"):
            reply.value = undone.reply
            reply.cursor_position = len(undone.reply)
        panel = self.query_one(FeedbackPanel)
        for shown in panel.query(TurnFeedback):
            if shown.turn.index >= undone.index:
                shown.remove()  # the feedback of the reply taken back goes with it
        if not self.session.turns:
            panel.placeholder("Reply taken back: try it another way.")
        self.query_one(SessionStatus).show(self.session)
        self.query_one(GoalProgress).show(self.session)

    def action_briefing(self) -> None:
        self.post_message(OpenBriefingItem(self.session.scenario.briefing.id))

    def action_export(self) -> None:
        export_and_say(self, self.session)

    def action_report(self) -> None:
        self.post_message(EndConversation(self.session, ask=True))

    def action_restart(self) -> None:
        self.post_message(StartScenario(self.session.scenario.id, self.session.mode,
                                        "Restart this conversation from the beginning?"))

    def action_leave(self) -> None:
        self.post_message(GoHome())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "to-report":
            event.stop()
            self.post_message(EndConversation(self.session))
