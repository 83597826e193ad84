"""Help (F1, or `?` where no text input has focus) and the first-run introduction.

The words live here as Markdown; the key list is read from the screen the user came from, so
it is always the keys that work there, including ones added later.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Markdown

GUIDE = """\
## Practice and assessment
**Practice** shows feedback after every reply: what worked, what to watch, and the words of
yours that earned it. **Assessment** holds feedback back until the end, as in the real
conversation; the goals panel shows `?` until then. Switch on the home screen (ctrl+t).
Presenter mode (f8) is for a room: projector theme, large layout, feedback live.

## Hints
ctrl+g in a conversation gives a hint for the moment you are in. Hints are counted in the
report, so you can see whether you needed fewer next time.

## Citations
Each piece of feedback cites an item of the scenario's briefing (for example
`helps.check-ins`): the research-based practice behind it. Select a citation (Tab to it,
then Enter, or click it) to read the item in full; ctrl+b opens the whole briefing.

## The report
When the conversation ends (or ctrl+n ends it early) the report shows the outcome, the goals
met and missed with a model answer for each missed one, the pitfalls with a better phrasing,
questions for a debrief and the transcript. `e` exports it as Markdown and JSON; ctrl+y lists
past sessions to compare two attempts.

## Workshops
A trainer runs `coach workshop new NAME`; participants join with `--workshop NAME` (or
ctrl+o on home). The room view (command palette, "Room") shows who is in which scenario
while they play; `coach workshop report NAME` sums it up for the debrief.
"""

INTRODUCTION = """\
# Welcome to coach

coach lets you **rehearse the conversations mentoring relationships stand or fall on**,
before you have them: a first meeting, hard feedback, ending well.

1. **Pick a scenario** on the home screen (type to filter, Enter starts it).
2. **Reply as you would** in the real conversation. The other person reacts to what you say.
3. **Read the feedback**: what worked, what to watch, and the briefing item behind it.
4. **See the report** at the end, and try again to compare attempts.

Practice mode shows feedback after every reply; assessment mode keeps it for the end.
Press **F1** at any time for help; the command palette (ctrl+p) finds everything else,
including this introduction ("Introduction").
"""


def key_rows(bindings: Iterable[tuple[str, str]]) -> str:
    """A Markdown list of keys and what they do (a table takes three times the lines)."""
    return "\n".join(f"- `{key}` {description}" for key, description in bindings)


def screen_keys(screen: Screen) -> list[tuple[str, str]]:
    """The keys of `screen` itself, of the app, and those the focused widget shows in the footer
    (Enter on home), as the footer names them (a text box's editing keys are left out: they are
    the usual ones)."""
    seen: set[str] = set()
    keys = []
    for active in screen.active_bindings.values():
        binding = active.binding
        own = active.node in (screen, screen.app) or (active.node is screen.focused and binding.show)
        if not own or not binding.description or not active.enabled:
            continue
        if binding.description in seen:
            continue
        seen.add(binding.description)
        keys.append((screen.app.get_key_display(binding), binding.description))
    return keys


class HelpScreen(Screen):
    """Keys of the screen below, then what practice, assessment, hints, citations and the report are."""

    CSS_PATH = ["help.tcss"]
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Back")]

    def __init__(self, keys: list[tuple[str, str]], where: str) -> None:
        super().__init__()
        self.keys = keys
        self.where = where

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Markdown(f"## Keys on the {self.where}\n\n{key_rows(self.keys)}\n\nThe palette (ctrl+p) finds every "
                           f"command, scenario and briefing item by name.\n\n{GUIDE}", id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Help"
        self.query_one("#help-body").focus()


class IntroScreen(ModalScreen[None]):
    """The first-run introduction: Enter or Escape closes it; the palette reopens it."""

    CSS_PATH = ["help.tcss"]
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="intro"):
            yield Markdown(INTRODUCTION, id="intro-text")
            with Horizontal(id="intro-buttons"):
                yield Button("Start rehearsing", id="intro-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#intro-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
