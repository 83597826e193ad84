"""The matcher: tolerant of typos, order and filler; strict about negation and thin phrases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.conversation.matcher import Matcher
from coach.scenario.models import Marker


def marker(marker_id: str, *phrases: str, kind: str = "good") -> Marker:
    return Marker(marker_id, kind, (f"helps.{marker_id}",), phrases, "feedback")


MARKERS = [
    marker("goal-setting", "set goals together", "agree on ninety day objectives",
           "what do you want to achieve in the next three months"),
    marker("check-ins", "schedule a regular check-in", "meet every two weeks"),
    marker("safety", "how do you see it", "no question is a stupid question"),
    marker("always", "you always miss deadlines", "you never listen", kind="pitfall"),
    marker("thin", "the result was", "ok"),
]
MATCHER = Matcher(MARKERS)


def fired(text: str) -> set[str]:
    return {m.marker.id for m in MATCHER.match(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Let's set goals together.", {"goal-setting"}),
        ("lets sett some goals togther", {"goal-setting"}),  # typos and an inserted word
        ("GOALS that we SET together!", {"goal-setting"}),  # case, punctuation and word order
        ("So, um, basically, what do you want to achieve in the next 3 months?", {"goal-setting"}),  # filler, digits
        ("Can we schedule a regular check-in, and meet every two weeks?", {"check-ins"}),
        ("So how do you see it?", {"safety"}),
        ("You always miss deadlines.", {"always"}),
        ("You never listen to me", {"always"}),
    ],
)
def test_fires_on_the_practice_however_it_is_typed(text, expected):
    assert fired(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I won't set any goals together with you.",  # negated
        "We don't need to schedule a regular check-in.",
        "I'm not saying you never listen.",  # a negated pitfall is not the pitfall
        "How was your weekend? The weather was lovely.",  # small talk
        "The restaurant was closed, ok?",  # stop-word and too-short phrases cannot fire
        "I see it differently",  # a sequence phrase needs its whole sequence
        "Goals are important. Some people like working together. I set the table.",  # scattered words
    ],
)
def test_fires_nothing_on_negation_small_talk_and_thin_phrases(text):
    assert fired(text) == set()


def test_a_negation_in_another_clause_does_not_negate():
    assert fired("No, let's set goals together.") == {"goal-setting"}


def test_match_reports_phrase_span_and_offsets():
    text = "Right. Let's sett some goals together, shall we?"
    [match] = MATCHER.match(text)
    assert match.phrase == "set goals together"
    assert match.span == "sett some goals together"
    assert text[match.start:match.end] == match.span
    assert 80 <= match.score <= 100


def test_explain_says_why_each_marker_did_not_fire():
    verdicts = {v.marker.id: v for v in MATCHER.explain("I won't set goals together. ok. How are things?")}
    assert verdicts["goal-setting"].reason == "negated"
    assert verdicts["thin"].reason in ("phrase too short", "no words in common")
    assert verdicts["check-ins"].reason == "no words in common"
    below = MATCHER.explain("We should set something")[0]
    assert below.marker.id == "goal-setting" and below.reason == "below threshold"
    assert below.score < below.threshold


def test_thin_phrases_are_flagged():
    modes = {p.text: p.mode for p in MATCHER.phrases}
    assert modes["ok"] == "too short"
    assert modes["the result was"] == "sequence"  # one content word: only verbatim counts
    assert modes["how do you see it"] == "sequence"
    assert modes["set goals together"] == "words"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_matches_without_error_and_spans_are_real(text):
    for verdict in MATCHER.explain(text):
        assert 0 <= verdict.score <= 100
        assert verdict.span == text[verdict.start:verdict.end] or not verdict.fired
    for match in MATCHER.match(text):
        assert match.span == text[match.start:match.end]


CREDIT = Matcher([
    marker("their-credit", "you take full credit for the model", "no judgement"),
    marker("my-credit", "I will take the credit for your work", kind="pitfall"),
    marker("notes", "send you my notes"),
    marker("sponsor", "going to recommend you for it"),
    marker("no-approval", "without me approving", kind="pitfall"),
])


def credit_fired(text: str) -> set[str]:
    return {m.marker.id for m in CREDIT.match(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'll take the credit for your work on the churn model.", {"my-credit"}),
        ("You take full credit for the model, of course.", {"their-credit"}),
        ("Let's end our mentoring on a high note.", set()),  # "end" is not "send"
        ("I'd recommend the ramen place.", set()),  # one long word alone is not the phrase
        ("I'm going to recommend you for it.", {"sponsor"}),
        ("Ask me anything, no judgement.", {"their-credit"}),
        ("Don't make any calls without me approving them first.", {"no-approval"}),
    ],
)
def test_who_is_meant_and_thin_words(text, expected):
    assert credit_fired(text) == expected


def test_someone_else_is_explained():
    verdict = next(v for v in CREDIT.explain("You take the credit for your work") if v.marker.id == "my-credit")
    assert verdict.reason == "someone else" and not verdict.fired


def test_texting_spellings_are_understood():
    assert fired("so how do u see it") == {"safety"}


def test_synonyms_widen_a_phrase_without_loosening_it():
    from coach.conversation.text import Synonyms

    matcher = Matcher([marker("check-ins", "check in every two weeks"), marker("sponsor", "recommend you for the role")],
                      Synonyms([["check in", "catch up"], ["every two weeks", "fortnightly"],
                                ["recommend you", "put your name forward"]]))
    found = {m.marker.id: m.span for m in matcher.match("Let's catch up fortnightly, and I'll put your name forward for the role.")}
    assert found == {"check-ins": "catch up fortnightly", "sponsor": "put your name forward for the role"}
    assert matcher.match("I'd recommend the ramen place") == []


def test_a_phrase_does_not_match_across_a_sentence_break():
    matcher = Matcher([marker("safe", "ask me anything")])
    assert matcher.match("If you need anything from them, ask me.") == []
    assert [m.marker.id for m in matcher.match("Ask me anything, really.")] == ["safe"]


def test_synonym_groups_that_share_a_word_merge():
    from coach.conversation.text import Synonyms

    synonyms = Synonyms([["manager", "boss"], ["supervisor", "boss"]])
    folded = {t.text for t in synonyms.fold(tokenize_words("boss supervisor manager"))}
    assert folded == {"manager"}


def tokenize_words(text):
    from coach.conversation.text import tokenize

    return tokenize(text)


def test_a_short_verbatim_phrase_keeps_its_first_word():
    matcher = Matcher([marker("verdict", "it was a disaster", kind="pitfall")])
    assert matcher.match("The weather was a disaster this weekend.") == []
    assert [m.marker.id for m in matcher.match("Honestly, it was a disaster.")] == ["verdict"]


def test_a_word_and_its_negated_form_are_never_alike():
    matcher = Matcher([marker("unprepared", "turned up to the review unprepared", kind="pitfall")])
    assert {m.marker.id for m in matcher.match("You turned up to the review unprepared.")} == {"unprepared"}
    assert {m.marker.id for m in matcher.match("You turned up to the review well prepared.")} == set()
    assert {m.marker.id for m in matcher.match("You turned up to the review unprepered.")} == {"unprepared"}  # a typo


NEGATIVE = Matcher([marker("closed-door", "do not talk to other teams", "nothing to do with your probation",
                           kind="pitfall")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Don't talk to other teams about this.", True),
        ("Please do not ever talk to other teams.", True),  # a word between the negation and its verb
        ("Honestly, I have nothing at all to do with your probation.", True),
        # The phrase's own negation must govern the word it governs in the phrase:
        ("You never need my permission to talk to other teams.", False),
        ("No need to ask me first, talk to other teams whenever.", False),
        ("Talk to other teams, never to the press.", False),
    ],
)
def test_a_negative_phrase_needs_its_negation_on_the_word_it_negates(text, expected):
    assert bool(NEGATIVE.match(text)) is expected
    if not expected:
        assert NEGATIVE.explain(text)[0].reason in ("negated", "below threshold", "no words in common")
