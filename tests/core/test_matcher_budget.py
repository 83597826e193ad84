"""What one reply may cost the matcher: only its first MAX_REPLY_WORDS words (read from at most
MAX_REPLY_CHARACTERS characters) are matched, so a pasted essay takes bounded time."""

from __future__ import annotations

import random
import string

from coach.conversation.matcher import MAX_REPLY_CHARACTERS, MAX_REPLY_WORDS, Matcher
from coach.scenario.models import Marker
from coach.scenario.patterns import parse_pattern

MATCHER = Matcher([
    Marker("goals", "good", ("helps.goals",), ("set goals together",), "feedback"),
    Marker("learning", "good", ("helps.learning",), (), "feedback", patterns=(parse_pattern("what * you * learn"),)),
])
FILLER = "the weather was grey and the train was late again "  # no marker words


def fired(text: str) -> set[str]:
    return {match.marker.id for match in MATCHER.match(text)}


def words_of_filler(count: int) -> str:
    text = (FILLER * (count // 10 + 1)).split()[:count]
    return " ".join(text)


def test_a_long_reply_is_matched_up_to_the_word_budget() -> None:
    before = words_of_filler(MAX_REPLY_WORDS - 20)
    assert fired(f"{before} so let us set goals together. What do you want to learn?") == {"goals", "learning"}
    after = words_of_filler(MAX_REPLY_WORDS)
    assert fired(f"{after} so let us set goals together. What do you want to learn?") == set()
    assert all(v.reason == "no words in common" or not v.fired
               for v in MATCHER.explain(f"{after} set goals together"))


def test_characters_past_the_budget_are_not_read() -> None:
    padding = "." * MAX_REPLY_CHARACTERS
    assert fired("set goals together " + padding) == {"goals"}
    assert fired(padding + " set goals together") == set()


def test_a_ten_thousand_character_reply_costs_at_most_the_word_budget_in_look_ups() -> None:
    rng = random.Random(7)
    text = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9)))
                    for _ in range(1_600))[:10_000]
    assert len(text) == 10_000 and len(set(text.split())) > MAX_REPLY_WORDS
    MATCHER.clear_word_caches()
    MATCHER.match(text + " set goals together")
    assert MATCHER._similar.cache_info().misses <= MAX_REPLY_WORDS
    assert MATCHER._pattern_ids.cache_info().misses <= MAX_REPLY_WORDS


def test_the_first_words_keep_their_offsets() -> None:
    text = "We could set goals together. " + words_of_filler(2 * MAX_REPLY_WORDS)
    (match,) = MATCHER.match(text)
    assert text[match.start:match.end] == match.span == "set goals together"
