"""Untrusted text made safe for where it is shown: a terminal, a Markdown file, one line.

Replies, names, scenario text and imported records may hold escape sequences (`ESC ] 0;`
retitles a window, `ESC [2J` clears it), bidirectional overrides or stray control bytes.
Every place that prints or writes such text goes through one of these functions, so the
text is shown literally (control characters as visible symbols) and never executed.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidi/format characters that
# reorder or hide text (Trojan Source): shown, never obeyed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Markdown punctuation that can start emphasis, links, code, headings, lists, tables or HTML.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


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
    """`text` as literal Markdown: controls visible, Markdown punctuation and HTML escaped."""
    text = for_terminal(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
