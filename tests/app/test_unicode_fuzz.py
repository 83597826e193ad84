"""Whole Unicode categories typed and pasted into the app: kept exactly, drawn visibly, no crash.

Digits of every script (the Ethiopic ፫ crashed the matcher), combining marks, format and
control characters, and lone surrogates; typed key by key where a keyboard could produce
them, pasted (as a terminal's bracketed paste arrives) where only a paste could.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.keys import _character_to_key

from coach.app.text import pasted_lines, visible
from tests.app.helpers import make_app, shown, start
from tests.app.test_hostile import user_bubbles

WORDS = st.sampled_from(["how", "do", "you", "see", "it", "set", "goals"])
TYPED = st.lists(st.text(st.characters(categories=["Nd", "No", "Nl", "Mn", "Mc", "Me", "Lo"]), min_size=1, max_size=4)
                 | WORDS, min_size=1, max_size=5).map(" ".join)
# Python's str.splitlines breaks lines at \x0b, \x0c, \x1c-\x1e, \x85, \u2028, \u2029 too, and
# Textual's Input keeps only the first line of a paste: the app writes those breaks as \n (or
# spaces) first, so a paste holding them is kept whole (in the multi-line editor if it has lines).
# Each paste holds a word, so it is never blank (a reply of only whitespace-like controls is not sent).
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
PASTED = st.lists(st.text(st.characters(categories=["Cc", "Cf", "Cs", "Nd", "No", "Mn"], include_characters=LINE_BREAKS),
                          min_size=1, max_size=4) | WORDS, min_size=1, max_size=5).map(lambda parts: "ok " + " ".join(parts))
FEW = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])


async def reply_with(text: str, *, paste: bool) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "checkin")
        if paste:
            app.post_message(events.Paste(text))
        else:
            for character in text:  # as the terminal driver sends them (Pilot.press drops marks)
                app.post_message(events.Key(_character_to_key(character), character))
        await pilot.pause()
        kept = pasted_lines(text) if paste else text
        await pilot.press("ctrl+s" if "\n" in kept else "enter")  # lines went to the multi-line editor
        await pilot.pause()
        session = app.screen.session
        assert session.turns[0].reply == kept
        assert kept.split() == text.split()  # every word kept, whatever separated them
        drawn = shown(user_bubbles(app)[0])
        assert drawn == visible(kept)
        assert not any(raw in drawn for raw in ("\x1b", "\x07", "\x9b"))


@FEW
@given(TYPED)
def test_typed_digits_marks_and_letters_of_any_script(text):
    asyncio.run(reply_with(text, paste=False))


@FEW
@given(PASTED)
def test_pasted_controls_format_characters_and_surrogates(text):
    asyncio.run(reply_with(text, paste=True))
