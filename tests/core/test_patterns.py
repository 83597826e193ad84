"""Marker patterns over word classes: parsing, matching, negation, subject, sentences, gaps."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.conversation.engine import Session
from coach.conversation.matcher import Matcher
from coach.conversation.record import to_data
from coach.errors import Problem
from coach.scenario.loader import load_catalog
from coach.scenario.models import Marker
from coach.scenario.patterns import PatternError, parse_pattern

from .helpers import briefing_and_library

CLASSES = {
    "time-cue": ("yesterday", "monday", "last week", "this morning"),
    "occasion": ("review", "demo", "standup", "meeting", "design review"),
    "impact": ("lost", "stopped", "delayed", "confused"),
    "trait": ("rude", "lazy", "careless", "sloppy"),
    "absolute": ("always", "never", "every time"),
}
SBI = "[in during at] *3 [~occasion ~time-cue] *5 you *8 ~impact"


def matcher(*patterns: str, kind: str = "good") -> Matcher:
    marker = Marker("m", kind, ("helps.sbi-feedback",), (), "feedback",
                    patterns=tuple(parse_pattern(p) for p in patterns))
    return Matcher([marker], None, CLASSES)


def fires(patterns: str | tuple[str, ...], text: str) -> bool:
    patterns = (patterns,) if isinstance(patterns, str) else patterns
    return bool(matcher(*patterns).match(text))


# -- parsing -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message", "offset"), [
    ("you [always never", "missing ']'", 4),
    ("you {always", "missing '}'", 4),
    ("you ] always", "closes a bracket", 4),
    ("* you", "between two elements", 0),
    ("you *", "between two elements", 4),
    ("you * *2 lazy", "two gaps in a row", 6),
    ("you *12 lazy", "1 to 9 words", 4),
    ("you [] lazy", "empty []", 4),
    ("{you} {lazy}", "every element is optional", 0),
    ("you [a *2 b]", "cannot be an alternative", 7),
    ("you ~ lazy", "class name", 4),
    ('you "lazy', "missing '\"'", 4),
    ("you [!lazy]", "top level", 5),
    ("", "empty pattern", 0),
    ("be ^ more", "first element", 3),
    ("*, you", "between two elements", 0),
    ("you *, *2 lazy", "two gaps in a row", 7),
    ("[^ be] more", "first element", 1),
    ("^", "every element is optional", 0),
    ("^ *2", "between two elements", 2),
])
def test_a_bad_pattern_says_what_and_where(text, message, offset):
    with pytest.raises(PatternError) as caught:
        parse_pattern(text)
    assert message in caught.value.message
    assert caught.value.offset == offset


def test_a_pattern_keeps_its_elements_as_written():
    pattern = parse_pattern('[in during] {~time-cue} ~occasion *4 you "cut off" !never')
    assert pattern.sources == ("[in during]", "{~time-cue}", "~occasion", "*4", "you", '"cut off"')
    assert [ref.name for ref in pattern.classes()] == ["time-cue", "occasion"]
    assert len(pattern.excluded) == 1


# -- matching ------------------------------------------------------------------------------

def test_one_sbi_pattern_hears_both_wordings_across_commas():
    assert fires(SBI, "In yesterday's design review, you cut Sam off twice, and Sam stopped contributing.")
    assert fires(SBI, "During Monday's demo you went quiet and the client lost confidence")


def test_explain_says_which_pattern_fired_and_which_words_filled_which_part():
    [verdict] = matcher(SBI).explain("During Monday's demo you went quiet and the client lost confidence")
    assert verdict.fired and verdict.via == "pattern" and verdict.phrase == SBI
    assert dict(verdict.parts) == {"[in during at]": "During", "[~occasion ~time-cue]": "Monday's",
                                   "you": "you", "~impact": "lost"}
    assert verdict.span == "During Monday's demo you went quiet and the client lost"


def test_a_pattern_never_runs_over_a_full_stop():
    assert not fires(SBI, "In yesterday's review you were there. The client lost interest.")
    assert not fires("you are ~trait", "Thank you. Are lazy days fun?")


def test_gaps_are_bounded():
    assert fires("you *2 ~impact", "you went and stopped")
    assert not fires("you *2 ~impact", "you went home and stopped")
    assert fires("you ~impact", "you stopped")
    assert not fires("you ~impact", "you then stopped")


def test_a_negation_before_the_match_or_before_an_element_blocks_it():
    trait = "you are ~trait"
    assert fires(trait, "You're lazy.")
    assert not fires(trait, "I'm not saying you're lazy.")
    assert not fires("you are *2 ~trait", "You are not lazy.")
    [verdict] = matcher(trait).explain("I would never say you are lazy")
    assert not verdict.fired and verdict.reason == "negated"


def test_a_negation_far_inside_a_gap_does_not_block_and_a_pattern_may_name_its_own():
    assert fires(SBI, "In Monday's review you didn't flag the risk, and support lost a day.")
    assert fires("you ~absolute ~impact", "You never stopped.")  # "never" is the pattern's own
    assert not fires("you ~absolute ~impact", "I don't think you never stopped.")
    assert fires("you *1 {not} [flag flagged]", "you did not flag it")
    assert not fires("you *2 [flag flagged]", "you did not flag it")


def test_who_acts_is_written_into_the_pattern():
    assert fires("you are ~trait", "You are careless.")
    assert not fires("you are ~trait", "I am careless.")
    assert not fires("you are ~trait", "Sam is careless.")


def test_literal_and_class_words_are_fuzzy_only_when_long():
    assert fires("you [interrupted] *3 ~impact", "you interupted Sam and he stopped")
    assert not fires("your note", "your not")  # short words must be exact


def test_optional_parts_alternatives_and_groups():
    pattern = "[(let us) (shall we)] {just} [try test] it"
    assert fires(pattern, "Let's just try it.")
    assert fires(pattern, "Shall we test it?")
    assert not fires(pattern, "Let us not try it.")


def test_an_excluded_word_keeps_the_sentence_out():
    assert fires("how often *3 meet !agreement", "How often should we meet?")
    assert not fires("how often *3 meet !agreement", "In our agreement, how often should we meet?")
    assert fires("how often *3 meet !agreement", "An agreement, then. How often should we meet?")


def test_a_clause_gap_reaches_a_later_clause_of_the_same_sentence_only():
    effect = "when you *, ~impact"
    long_lead = "When you sent the report to the client without checking any of the numbers, they lost a day."
    assert fires(effect, long_lead)  # far beyond any *N, but in the next clause
    assert not fires("when you *9 ~impact", long_lead)
    assert not fires(effect, "When you sent the report without checking they lost a day.")  # one clause
    assert not fires(effect, "When you sent it. They lost a day.")  # another sentence
    [verdict] = matcher(effect).explain(long_lead)
    assert dict(verdict.parts) == {"when": "When", "you": "you", "~impact": "lost"}
    assert parse_pattern(effect).sources == ("when", "you", "*,", "~impact")


def test_an_anchored_pattern_starts_a_clause():
    order = "^ be more ~trait"
    assert fires(order, "Be more careless.")
    assert fires(order, "Sam, be more careless.")  # a new clause after the name
    assert fires(order, "OK. Be more careless!")  # a new sentence
    assert not fires(order, "I need to be more careless.")  # a wish about oneself, mid-clause
    [verdict] = matcher(order).explain("Sam, be more lazy")
    assert verdict.fired and dict(verdict.parts) == {"be": "be", "more": "more", "~trait": "lazy"}


def test_synonyms_fold_pattern_words_and_replies_alike():
    from coach.conversation.text import Synonyms

    marker = Marker("m", "good", ("helps.check-ins",), (), "f", patterns=(parse_pattern('let us "check in" weekly'),))
    folded = Matcher([marker], Synonyms([["check in", "catch up", "touch base"]]), {})
    assert folded.match("Let's touch base weekly.")  # a listed phrase is written in quotes


# -- fuzzing -------------------------------------------------------------------------------

ELEMENT = st.one_of(
    st.sampled_from(["you", "are", "i", "not", "lazy", "review", "stopped", '"last week"']),
    st.sampled_from([f"~{name}" for name in CLASSES]),
)


@st.composite
def patterns(draw) -> str:
    parts = []
    for index in range(draw(st.integers(1, 6))):
        if index and draw(st.booleans()):
            parts.append(draw(st.sampled_from(["*", "*2", "*5", "*,"])))
        shape = draw(st.integers(0, 3))
        options = " ".join(draw(st.lists(ELEMENT, min_size=1, max_size=3)))
        parts.append({0: draw(ELEMENT), 1: f"[{options}]", 2: f"{{{options}}}", 3: f"({options})"}[shape])
    if not any(not p.startswith(("{", "*")) for p in parts):
        parts.append("you")
    if draw(st.booleans()):
        parts.insert(0, "^")  # anchored at a clause start
    return " ".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_parsing_any_text_returns_a_pattern_or_a_pattern_error(text):
    try:
        pattern = parse_pattern(text)
    except PatternError as error:
        assert 0 <= error.offset <= len(text)
    else:
        assert pattern.items


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns(), st.text(max_size=200))
def test_matching_any_reply_with_any_pattern_never_fails(pattern, reply):
    built = matcher(pattern)
    for match in built.match(reply):
        assert reply[match.start:match.end] == match.span
    for verdict in built.explain(reply):
        assert all(words in reply for _, words in verdict.parts)


@settings(max_examples=60, deadline=None)
@given(patterns(), st.lists(st.sampled_from(["you", "are", "lazy", "not", "review", "stopped", "last", "week",
                                             ",", ".", "always", "i"]), max_size=30))
def test_matching_replies_made_of_pattern_words_never_fails(pattern, words):
    matcher(pattern).explain(" ".join(words))


# -- loading -------------------------------------------------------------------------------

SCENARIO = """format: coach-scenario/1
id: parts
title: Parts
summary: Goals met part by part.
briefing: mentorship-dynamics
role: You mentor Kim.
counterpart: {name: Kim, role: Mentee, temperament: calm}
goals:
  - {id: helps.agreement, elements: [rhythm, confidentiality, time], needs: 2}
include: [practices]
start: opening
beats:
  - id: opening
    lines: [Hi.]
    hint: Agree how you work.
    model_answer: Everything we discuss stays between us, and let's meet every two weeks.
    next: [{to: done, when: good}, {to: opening}]
endings:
  - {id: done, outcome: strong, title: Done, lines: [Thanks.], debrief: [What did you agree?]}
"""


def load(tmp_path, text: str):
    path = tmp_path / "parts.yaml"
    path.write_text(text, encoding="utf-8")
    return load_catalog([*briefing_and_library(), path]), path


def test_a_goal_is_met_part_by_part_in_any_order_and_the_report_shows_the_parts(tmp_path):
    catalog, _ = load(tmp_path, SCENARIO.replace("next: [{to: done, when: good}, {to: opening}]",
                                                 "next: [{to: opening}]"))
    assert not catalog.errors, catalog.errors
    session = Session(catalog.scenario("parts"))
    first = session.reply("Everything we discuss stays between us.")
    assert first.goals_met == ()
    [item] = first.feedback
    assert item.marker == "confidentiality" and "one part of a mentoring agreement" in item.message
    [goal] = session.report().goals
    assert not goal.met and goal.elements_met == ("confidentiality",) and goal.needs == 2
    second = session.reply("Shall we meet every two weeks?")
    assert second.goals_met == ("helps.agreement",)
    [goal] = session.report().goals
    assert goal.met and goal.turn == 1 and goal.elements_met == ("rhythm", "confidentiality")
    assert to_data(goal)["elements"] == ["rhythm", "confidentiality", "time"]  # as stored and exported


def test_at_most_one_feedback_item_per_goal_a_reply(tmp_path):
    catalog, _ = load(tmp_path, SCENARIO)
    session = Session(catalog.scenario("parts"))
    turn = session.reply("Walk me through your thinking. What's your perspective? Mistakes are normal here.")
    assert len({m.marker for m in turn.matches}) >= 2  # several psychological-safety markers fired
    cited = [c.id for item in turn.feedback for c in item.citations]
    assert cited.count("nearby.psychological-safety") == 1
    assert session.trust == 1  # credited once


def test_a_goal_part_nobody_shows_and_an_unknown_class_point_at_the_place(tmp_path):
    text = SCENARIO.replace("[rhythm, confidentiality, time]", "[rhythm, confidentialty]").replace(
        "include: [practices]", "include: [practices]\nmarkers:\n  - id: mine\n    kind: good\n"
        "    briefing: [helps.agreement]\n    feedback: Yes.\n    patterns: ['[we] ~nope together']")
    catalog, path = load(tmp_path, text)
    messages = [(p.line, p.column, p.message) for p in catalog.errors if isinstance(p, Problem)]
    assert (9, 46, "no good marker shows element 'confidentialty' (did you mean 'confidentiality'?): "
                   "markers name the part of a goal they show with `element:`") in messages
    assert any(line == 16 and column == 22 and "unknown class '~nope'" in message
               for line, column, message in messages), messages
