"""`coach play ID`: rehearse a scenario in the plain terminal, or from a script of replies."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import catalog_from, print_json, read_lines, typed_line
from coach.cli.history import add_play_options, play_session
from coach.conversation.commands import HELP, HINT, QUIT, UNDO, command_of, help_lines, unknown
from coach.safetext import one_line
from coach.scenario.models import MODES, Scenario

if TYPE_CHECKING:
    from coach.conversation.engine import Session

Show = Callable[[str], None]


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "play", parents=[common], help="rehearse a scenario in the terminal",
        description=f"Rehearse a scenario. Type a reply a line; {HINT} for a hint, {UNDO} to take back your "
                    f"last reply, {QUIT} to stop, {HELP} for these. Lines starting with / are commands, in a "
                    "script too; blank lines are skipped.")
    parser.add_argument("scenario", metavar="ID", nargs="?", help="scenario id (see `coach list`)")
    parser.add_argument("--script", metavar="FILE", help="take replies from FILE, one a line (- for stdin)")
    parser.add_argument("--seed", type=int, default=0, help="seed for line variants (default 0)")
    parser.add_argument("--mode", choices=MODES, default="practice",
                        help="practice: feedback every turn; assessment: only at the end")
    parser.add_argument("--json", action="store_true", help="print the whole session as JSON")
    add_play_options(parser)
    for action in parser._actions:  # `coach --db X play ID`: the value given before `play` is kept
        if action.dest in _SHARED_WITH_APP:
            action.default = argparse.SUPPRESS
    parser.set_defaults(run=run)


# options `coach` itself takes too: a subcommand's own default would overwrite a value given before it
_SHARED_WITH_APP = {"db": None, "workshop": None, "participant": None, "no_record": False}


def run(args: argparse.Namespace) -> int:
    from coach.conversation.render import report_markdown, turn_feedback_text

    for name, default in _SHARED_WITH_APP.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    if isinstance(args.db, str):  # given before `play`, where `coach` reads it as text
        args.db = Path(args.db)
    scenario = catalog_from(args).scenario(args.scenario) if args.scenario else None
    script = read_lines(args.script) if args.script else None
    if script is None and not sys.stdin.isatty():
        script = read_lines("-")
    scenario, session = play_session(args, scenario)  # recorded unless --no-record; or --resume
    show = (lambda *a, **k: None) if args.json else _printer()
    _introduce(scenario, session, show)
    for done in session.turns:  # a resumed session: what was said before
        show(f"> {done.reply}\n\n{scenario.counterpart.name} ({done.mood}): {done.answer}\n")
    replies = iter(script) if script is not None else _typed()
    for text in replies:
        command = command_of(text)
        if session.ended and command != UNDO:
            break  # after an ending only /undo goes on; anything else (Enter too) shows the report
        if not text.strip():
            continue  # a blank line is never a turn
        if script is not None:
            show(f"> {text}")
        if command == QUIT:
            break
        if command is not None:
            _command(command, session, show)
            continue
        turn = session.reply(text)
        if session.mode == "practice":
            show(turn_feedback_text(turn))
        show(f"\n{scenario.counterpart.name} ({turn.mood}): {turn.answer}\n")
        if turn.ended and script is None:
            show(f"  (the conversation has ended: {UNDO} takes back your last reply, Enter shows the report)")
    session.close()
    if args.json:
        print_json(session.to_dict())
    else:
        show(report_markdown(session.report()))
    return 0


def _command(command: str, session: Session, show: Show) -> None:
    """Carry out a command other than /quit, saying what it did in a line or two."""
    if command == HELP:
        show("\n".join(help_lines()))
    elif command == HINT:
        show(f"  hint: {session.hint()}" if not session.ended else "  the conversation has ended: no hint")
    elif command == UNDO:
        if not session.turns:
            show("  nothing to take back yet")
            return
        undone = session.undo()
        show(f"  took back \u201c{one_line(undone.reply)}\u201d; {session.scenario.counterpart.name} ({session.mood}) "
             f"is waiting for your reply to: {_last_line(session)}")
    else:
        show(f"  {unknown(command)}")


def _last_line(session: Session) -> str:
    return next(line.text for line in reversed(session.transcript) if line.speaker == "counterpart")


def _printer() -> Show:
    """`print`, wrapping long lines at word boundaries when writing to a terminal."""
    if not sys.stdout.isatty():
        return print
    width = min(shutil.get_terminal_size().columns, 100) - 1

    def show(text: str = "") -> None:
        for line in text.split("\n"):
            indent = line[: len(line) - len(line.lstrip())]
            print(textwrap.fill(line, width, subsequent_indent=indent + "  ", break_long_words=False,
                                break_on_hyphens=False) if len(line) > width else line)

    return show


def _introduce(scenario: Scenario, session: Session, show: Show) -> None:
    show(f"{scenario.title}, with {scenario.counterpart.name} ({scenario.counterpart.role})")
    show(scenario.role)
    show(f"Goals: {', '.join(goal.title for goal in scenario.goal_items)}\n")
    opening_mood = scenario.state(scenario.start).mood  # as it was then, also for a resumed session
    show(f"{scenario.counterpart.name} ({opening_mood}): {session.opening}\n")


def _typed() -> Iterator[str]:
    """Replies typed at the prompt, until end of input."""
    while True:
        try:
            yield typed_line("> ")  # session so far kept (resumable) if a line is not UTF-8
        except EOFError:
            return
