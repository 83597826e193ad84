"""Untrusted text is shown literally: no control character survives, nothing is dropped."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from coach.safetext import for_markdown, for_terminal, one_line

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_escape_sequences_are_shown_not_obeyed():
    shown = for_terminal("a\x1b]0;pwned\x07b\x1b[2J")
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "a\u241b]0;pwned\u2407b\u241b[2J"


def test_markdown_is_literal():
    assert for_markdown("**bold** <img onerror=x>") == "\\*\\*bold\\*\\* &lt;img onerror=x&gt;"


@given(st.text())
def test_no_control_character_survives_and_words_are_kept(text):
    for shown in (for_terminal(text), for_markdown(text), one_line(text)):
        assert not CONTROL.search(shown)
        shown.encode("utf-8")  # no lone surrogate left
    # Remove the visible forms and what they stand for: everything else is kept, in order.
    visible = re.compile(r"<U\+[0-9A-F]{4}>|[\u2400-\u2421\ufffd]")
    expected = visible.sub("", re.sub(r"[\ud800-\udfff\u200e\u200f\ufeff]", "", CONTROL.sub("", text)))
    assert visible.sub("", for_terminal(text)) == expected


def test_markdown_leaves_plain_punctuation_readable():
    assert for_markdown("Met on 2026-11-30. Fine (really).") == "Met on 2026-11-30. Fine (really)."
    assert for_markdown("- not a list\n1. not a number") == "\\- not a list\n1\\. not a number"
