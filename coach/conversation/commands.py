"""Commands a user types instead of a reply: a line starting with `/` is never a reply.

`coach play` (typed or from a script), and the playthroughs `coach test` runs, read lines the
same way, so a script that works in one works in the other.
"""

from __future__ import annotations

HELP, HINT, UNDO, QUIT = "/help", "/hint", "/undo", "/quit"
COMMANDS: dict[str, str] = {
    HELP: "list these commands",
    HINT: "a hint for this moment of the conversation (counted in the report)",
    UNDO: "take back your last reply and try again (counted as a retry)",
    QUIT: "stop here and see the report",
}


def command_of(text: str) -> str | None:
    """The command a line is (its first word, lower-cased), or None for a reply."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None
    return stripped.split()[0].lower()


def unknown(command: str) -> str:
    """One line for a command that does not exist."""
    return f"unknown command {command!r}: try {', '.join(COMMANDS)}"


def help_lines() -> list[str]:
    return [f"  {name:6} {what}" for name, what in COMMANDS.items()]
