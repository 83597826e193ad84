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


def test_long_words_are_found_by_scoring_exactly_as_by_deletion_keys() -> None:
    vocabulary = ("conversation confidential expectations relationship accountability introduce "
                  "sponsorship development feedback interrupted disengaged experiment boundaries").split()
    matcher = Matcher([Marker("m", "good", ("helps.m",), tuple(f"{a} {b}" for a, b in zip(vocabulary, vocabulary[1:])),
                              "feedback")])
    rng = random.Random(11)
    words = set(vocabulary)
    for word in vocabulary:
        for _ in range(40):  # typos: letters dropped, changed, added, swapped; endings added
            k = rng.randrange(len(word))
            letter = rng.choice(string.ascii_lowercase)
            words |= {word[:k] + word[k + 1:], word[:k] + letter + word[k + 1:], word[:k] + letter + word[k:],
                      word[:k] + word[k + 1:k + 2] + word[k:k + 1] + word[k + 2:], word + rng.choice(["s", "ed", "ing"])}
    long_words = [word for word in words if len(word) >= 8]
    assert len(long_words) > 1_000
    close = 0
    for word in long_words:
        by_keys = dict(matcher._similar_by_keys(word))
        assert dict(matcher._similar_long(word)) == by_keys, word
        by_keys.pop(matcher._vocabulary.get(word), None)  # (not the word itself)
        assert dict(matcher._similar_by_scoring(word)) == by_keys, word
        close += bool(by_keys)
    assert close > len(long_words) // 2  # most typos are still found


def test_a_run_of_one_letter_costs_little_in_a_reply_or_a_phrase() -> None:
    run = "bold" + "x" * 10_000
    assert MATCHER.match(f"[{run}] let us set goals together") and not MATCHER.match(run)
    matcher = Matcher([Marker("odd", "good", ("helps.odd",), (f"{run[:2_000]} together",), "feedback")])
    assert [m.marker.id for m in matcher.match(f"{run[:2_000]} together")] == ["odd"]


def test_a_long_pasted_token_is_scored_not_expanded_into_deletion_keys(monkeypatch) -> None:
    import coach.conversation.matcher as matcher_module

    def no_long_keys(word: str) -> set[str]:
        assert len(word) < matcher_module.LONG_WORD, "a long reply word would cost len**2 / 2 keys"
        return original(word)

    original = matcher_module._deletions
    monkeypatch.setattr(matcher_module, "_deletions", no_long_keys)
    rng = random.Random(3)
    token = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(5_000))  # a pasted key
    MATCHER.clear_word_caches()
    assert [m.marker.id for m in MATCHER.match(f"{token} so let us set goals togethr")] == ["goals"]
