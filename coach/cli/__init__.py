"""The `coach` command: a thin layer of subcommands over the core.

Each subcommand lives in its own module with a `register(subparsers, common)` function.
Nothing here imports Textual: only running `coach` with no subcommand opens the app.
Errors caused by input are `CoachError`s, printed one per line as `file:line: message`
with exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from coach import __version__
from coach.errors import CoachError
from coach.safetext import TerminalStream, one_line

COMMANDS = {
    "list": "coach.cli.scenarios",
    "play": "coach.cli.play",
    "match": "coach.cli.match",
    "validate": "coach.cli.validate",
    "test": "coach.cli.test",
    "graph": "coach.cli.graph",
    "new": "coach.cli.new",
    "schema": "coach.cli.schema",
    "history": "coach.cli.history",
    "show": "coach.cli.history",
    "export": "coach.cli.history",
    "import": "coach.cli.history",
    "close": "coach.cli.history",
    "workshop": "coach.cli.workshop",
    "serve": "coach.cli.serve",
}
"""Each subcommand and the module that registers it (a test holds this to what they register).
A command line names one, so only its module is imported: the others cost `coach list` as
much time as loading the catalog."""

EXIT_INPUT = 2


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand takes (kept out of the way with SUPPRESS defaults)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--scenarios", action="append", metavar="PATH", default=argparse.SUPPRESS,
                        help="also read scenarios from this folder or file (repeatable)")
    return common


def app_options() -> argparse.ArgumentParser:
    """Options of `coach` itself, the command that opens the app."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--seed", type=int, default=None, help="seed for the app's line variants")
    # SUPPRESS: subcommands (`play`) define some of these too; their values must not be overridden
    options.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                         help="records database for the app (default: $COACH_DB, else the user data folder)")
    options.add_argument("--workshop", metavar="NAME", default=argparse.SUPPRESS,
                         help="tag the app's sessions with this workshop (asks for your name)")
    options.add_argument("--participant", metavar="NAME", default=argparse.SUPPRESS,
                         help="your name in the workshop")
    options.add_argument("--no-record", action="store_true", default=argparse.SUPPRESS,
                         help="do not record the app's sessions")
    options.add_argument("--presenter", action="store_true", default=argparse.SUPPRESS,
                         help="presenter mode for a room: projector theme, large layout, feedback live")
    options.add_argument("--watch", action="append", metavar="PATH", default=argparse.SUPPRESS,
                         help="reload this scenario file or folder when it changes (repeatable)")
    return options


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or (given `command`) of that one alone."""
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="coach", parents=[common, app_options()],
        description="Rehearse the conversations that mentoring relationships stand or fall on. "
                    "Run with no command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(name).register(subparsers, common)
    return parser


class _NotJustTheApp(Exception):
    """`argv` does not simply open the app: the full parser decides (and says what is wrong)."""


class _QuietParser(argparse.ArgumentParser):
    """A parser that gives up silently, so a mistake is reported once, by the full parser."""

    def error(self, message: str) -> NoReturn:
        raise _NotJustTheApp(message)


def _app_arguments(argv: list[str]) -> tuple[argparse.Namespace | None, str | None]:
    """The arguments when `argv` just opens the app (else None), and the subcommand it names.

    Start-up time shows on these paths, so they are parsed without importing every
    subcommand's module.
    """
    if any(word in ("-h", "--help", "--version") for word in argv):
        return None, None
    parser = _QuietParser(prog="coach", parents=[common_options(), app_options()], add_help=False)
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotJustTheApp:
        return None, None  # let the full parser say what is wrong, once
    if rest:
        return None, rest[0]
    args.command = None
    return args, None


@contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Standard output and error through `coach.safetext.for_terminal` while a command runs.

    Commands print untrusted text (scenario text, replies, names, imported records); each
    field is made safe where it is printed, and this catches whatever a future print path
    forgets, so no escape sequence reaches the terminal. The app (which draws with escape
    sequences of its own) is not wrapped.
    """
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(sys.stdout), TerminalStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    app_args, command = _app_arguments(argv)
    args = app_args or build_parser(command).parse_args(argv)
    args.scenarios = getattr(args, "scenarios", None) or []
    try:
        if args.command is None:
            from coach.app import run_app  # the only path that imports Textual

            return run_app(args) or 0
        with terminal_safe_output():
            return args.run(args) or 0
    except CoachError as exc:
        for problem in exc.problems:
            print(one_line(str(problem)), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): nothing left to say
        return 0
