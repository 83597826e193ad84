"""The report: outcome, goals met and missed, pitfalls, model answers, debrief, transcript."""

from __future__ import annotations



from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.app.exports import Exported, export_and_say, export_folder
from coach.app.messages import GoHome, OpenBriefingItem, StartScenario
from coach.app.text import literal, visible
from coach.app.widgets import CitationLink
from coach.app.widgets.feedback import TurnFeedback
from coach.app.widgets.transcript import bubble_row
from coach.conversation.engine import GoalResult, Report, Session
from coach.conversation.feedback import Citation
from coach.conversation.render import OUTCOME_WORDS



def heading(text: str) -> Static:
    return Static(Content(text), classes="heading")


def para(content: Content | str, classes: str = "") -> Static:
    return Static(content if isinstance(content, Content) else literal(content), classes=f"para {classes}".strip())


class ReportScreen(Screen):
    """A finished (or abandoned) session, summed up; `e` exports it."""

    CSS_PATH = ["conversation.tcss", "report.tcss"]  # loaded when first shown: start-up parses only coach.tcss

    BINDINGS = [
        Binding("e", "export", "Export"),
        Binding("r", "restart", "Rehearse again"),
        Binding("b", "briefing", "Briefing"),
        Binding("escape,h", "home", "Home"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: Report = session.report()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._export_note(None), id="export-path")
        with VerticalScroll(id="report"):
            yield from self._summary()
            yield from self._goals()
            yield from self._pitfalls()
            yield from self._debrief()
            if self.session.turns:
                yield heading("Feedback, turn by turn")
                for turn in self.session.turns:
                    yield TurnFeedback(self.report_briefing, turn)
            yield heading("Transcript")
            with Vertical(id="report-transcript"):
                for line in self.report.transcript:
                    yield bubble_row(line)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Report: {self.report.title}"
        self.query_one("#report").focus()

    @property
    def report_briefing(self) -> str:
        return self.session.scenario.briefing.id

    def _cite(self, goal: GoalResult) -> CitationLink:
        return CitationLink(self.report_briefing, Citation(goal.id, goal.title))

    def _summary(self) -> ComposeResult:
        report = self.report
        outcome = OUTCOME_WORDS.get(report.outcome, report.outcome)
        ending = f": {report.ending_title}" if report.ending_title else ""
        yield Static(Content.assemble(("Outcome: ", "bold"), (outcome, "bold"), visible(ending)),
                     classes=f"outcome {report.outcome}", id="outcome")
        yield para(Content(f"{report.turns} turns \u00b7 {report.hints_used} hints used \u00b7 {report.retries} retries"
                           f" \u00b7 {report.mode} mode"
                           f" \u00b7 seed {report.seed}"), "dim")

    def _goals(self) -> ComposeResult:
        met, missed = self.report.goals_met, self.report.goals_missed
        yield heading(f"Learning goals met ({len(met)}/{len(self.report.goals)})")
        if not met:
            yield para("None yet.", "dim")
        for goal in met:
            yield para(Content.assemble(("\u2714 ", "bold $success"), visible(goal.title),
                                        (f"  (turn {goal.turn + 1})" if goal.turn is not None else "", "dim")),
                       "goal met")
            yield self._cite(goal)
        yield heading(f"Learning goals missed ({len(missed)})")
        if not missed:
            yield para("None: every goal was met.", "dim")
        for goal in missed:
            yield para(Content.assemble(("\u25cb ", "bold $warning"), visible(goal.title)), "goal missed")
            yield self._cite(goal)
            if goal.model_answer:
                yield para(Content.assemble(("A model answer: ", "italic"), f"\u201c{visible(goal.model_answer)}\u201d"),
                           "model-answer")

    def _pitfalls(self) -> ComposeResult:
        yield heading(f"Pitfalls ({len(self.report.pitfalls)})")
        if not self.report.pitfalls:
            yield para("None.", "dim")
        for hit in self.report.pitfalls:
            yield para(Content.assemble(("\u26a0 ", "bold $warning"), (f"Turn {hit.turn + 1}: ", "bold"),
                                        f"\u201c{visible(hit.evidence)}\u201d \u2014 ", visible(hit.caution)), "pitfall")
            if hit.better:
                yield para(Content.assemble(("Better: ", "bold"), visible(hit.better)), "better")
            for citation in hit.citations:
                yield CitationLink(self.report_briefing, citation)

    def _debrief(self) -> ComposeResult:
        if self.report.debrief:
            yield heading("Debrief questions")
            for number, question in enumerate(self.report.debrief, 1):
                yield para(Content.assemble((f"{number}. ", "bold"), visible(question)))

    def _export_note(self, exported: Exported | None) -> Content:
        if exported is None:
            return Content.assemble(("e", "bold"), " exports Markdown and JSON to ", (visible(str(export_folder())), "underline"))
        return Content.assemble(("Exported: ", "bold $success"), visible(str(exported.markdown)), "\n          ",
                                visible(str(exported.json)))

    def show_exported(self, exported: Exported) -> None:
        self.query_one("#export-path", Static).update(self._export_note(exported))

    def action_export(self) -> None:
        exported = export_and_say(self, self.session)
        if exported is not None:
            self.show_exported(exported)

    def action_restart(self) -> None:
        self.post_message(StartScenario(self.session.scenario.id, self.session.mode))

    def action_briefing(self) -> None:
        self.post_message(OpenBriefingItem(self.report_briefing))

    def action_home(self) -> None:
        self.post_message(GoHome())
