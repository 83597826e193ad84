"""Show any text literally: control characters become visible symbols, never terminal codes.

Textual strips only a few control codes, so an escape character typed or pasted by a user
would otherwise reach the terminal raw. The data (transcript, report, exports) keeps the
original text; only what is drawn on screen goes through `visible`.
"""

from __future__ import annotations

from textual.content import Content

_PICTURES: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x0A}
_PICTURES[0x09] = " "  # a tab shows as a space (one character, so cursor offsets stay right)
_PICTURES[0x7F] = "\u2421"  # ␡
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 controls: �


def visible(text: str) -> str:
    """`text` with every control character but the newline replaced by one visible character.

    Length-preserving, so it can stand in for an `Input`'s value when drawing it.
    """
    return text.translate(_PICTURES)


def literal(text: str) -> Content:
    """Content that shows `text` exactly as typed: no markup, no escape codes."""
    return Content(visible(text.replace("\r\n", "\n")))


# Characters `str.splitlines` breaks a line at, besides \n and \r. Textual's `Input` keeps only
# the first line of a paste, so a paste holding one of these lost everything after it.
_AS_NEWLINE = {ord(c): "\n" for c in "\x0b\x0c\x85\u2028\u2029"}  # vertical tab (Word's shift+enter), form feed, NEL, line/paragraph separators
_AS_SPACE = {ord(c): " " for c in "\x1c\x1d\x1e"}  # file, group and record separators: no line meant


def pasted_lines(text: str) -> str:
    """A paste with every line break `str.splitlines` knows written as \\n (the separators
    that mean no line as spaces): nothing after one of them can be dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_AS_NEWLINE).translate(_AS_SPACE)


def pasted_line(text: str) -> str:
    """A paste for a one-line box: every line break becomes a space, so all of it is kept."""
    return pasted_lines(text).replace("\n", " ")
