"""Untrusted text made safe for where it is shown: a terminal, a Markdown file, one line.

Replies, names, scenario text and imported records may hold escape sequences (`ESC ] 0;`
retitles a window, `ESC [2J` clears it), bidirectional overrides or stray control bytes.
Every place that prints or writes such text goes through one of these functions, so the
text is shown literally (control characters as visible symbols) and never executed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TextIO

# C0 controls except tab and newline, DEL, C1 controls, and the bidi/format characters that
# reorder or hide text (Trojan Source): shown, never obeyed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Markdown punctuation that means something anywhere in a line (emphasis, code, links, tables),
# and what means something only where a line starts (headings, lists, quotes, rules).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def for_terminal(text: str) -> str:
    """`text` with every control character shown as a visible symbol (newlines and tabs kept)."""
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(_visible, text)


def one_line(text: str) -> str:
    """`for_terminal`, with line breaks and tabs folded to spaces: for tables and log lines."""
    return " ".join(for_terminal(text).split())


def for_markdown(text: str) -> str:
    """`text` as literal Markdown: controls visible, HTML and the Markdown punctuation that
    would format it escaped (a date's dashes are left alone; a leading "-" or "1." is not)."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", for_terminal(text))
    text = _MARKDOWN_LINE_START.sub(_escape_line_start, text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_line_start(match: re.Match[str]) -> str:
    lead, mark = match.groups()
    if mark[0].isdigit():
        return f"{lead}{mark}\\"  # "1." stays a number, not a list item: "1\\."
    return f"{lead}\\{mark}"


def for_json(data: object, *, indent: int | None = None) -> str:
    """`data` as JSON whose every control, bidi and lone-surrogate character is a `\\uXXXX` escape.

    The value read back is the same (JSON escapes are exact), but nothing in the text can act
    on a terminal it is printed to, and it encodes as UTF-8 whatever the data held.
    """
    import json

    text = json.dumps(data, ensure_ascii=False, indent=indent)  # escapes C0 controls already
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


_UNSAFE_IN_JSON = re.compile(_CONTROL.pattern[:-1] + r"\ud800-\udfff]")


class TerminalStream:
    """A text stream that passes what is written through `for_terminal`: the last line of defence.

    The command line writes through one of these, so no command can send an escape sequence
    to the terminal even where a field was printed without `one_line` or `for_terminal`.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
