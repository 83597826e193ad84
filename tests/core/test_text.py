"""Normalisation shared by phrases and replies."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coach.conversation.text import tokenize, words


def test_contractions_fillers_case_and_numbers():
    assert words("Um, I WON'T set 3 goals, basically") == ["i", "will", "not", "set", "three", "goals"]
    assert words("We dont need it; you can't") == ["we", "do", "not", "need", "it", "you", "can", "not"]
    assert words("Let’s talk") == ["let", "us", "talk"]  # typographic apostrophe


def test_clauses_split_on_punctuation_and_but():
    clauses = [t.clause for t in tokenize("No, we agreed but not today")]
    assert clauses[0] < clauses[1]  # "No," stands apart
    assert clauses[-1] > clauses[2]  # "but" starts a new clause


@given(st.text(max_size=300))
def test_tokens_always_point_into_the_original_text(text):
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(text)
        assert token.text and token.text == token.text.casefold()


def test_suggestions_are_not_negations():
    assert words("Why don't we catch up? Why not try it?") == ["why", "do", "we", "catch", "up", "why", "try", "it"]


def test_synonyms_fold_phrases_and_replies_alike():
    from coach.conversation.text import Synonyms

    synonyms = Synonyms([["check in", "catch up", "touch base"], ["goals", "objectives"]])
    folded = [t.text for t in synonyms.fold(tokenize("Let's touch base on objectives"))]
    assert folded == ["let", "us", "check_in", "on", "goals"]
    token = synonyms.fold(tokenize("touch base"))[0]
    assert (token.start, token.end) == (0, 10)  # the canonical token spans the words it replaced


def test_only_pronouns_take_would_from_apostrophe_d():
    assert words("I cc'd the team; I'd say you'd agree") == ["i", "ccd", "the", "team", "i", "would", "say", "you", "would", "agree"]


def test_possessives_read_as_the_word_itself():
    assert words("In Monday's demo, the team’s plan") == ["in", "monday", "demo", "the", "team", "plan"]
    assert words("It's Sam's") == ["it", "is", "sam"]


def test_initials_and_titles_end_no_sentence():
    tokens = tokenize("When you missed the 9 a.m. call, e.g. on Monday, Dr. Ng waited. Then we left.")
    assert len({t.sentence for t in tokens}) == 2
    assert tokens[-3].text == "then" and tokens[-3].sentence == 1 and tokens[-4].sentence == 0


def test_a_reminder_is_not_a_negation():
    assert words("Don't forget who pays your salary") == ["remember", "who", "pays", "your", "salary"]
    assert words("Never forget it") == ["remember", "it"]
    assert words("Forget it, I didn't mean it") == ["forget", "it", "i", "did", "not", "mean", "it"]
    token = tokenize("Don't forget")[0]
    assert (token.start, token.end) == (0, 12)  # quotes the whole reminder


def test_answers_are_kept_where_padding_is_dropped():
    # "yes", "okay" and "right" answer something ("Are you okay?", "Yes, of course!"); "um" does not.
    assert words("Um, yes, of course!") == ["yes", "of", "course"]
    assert words("Are you okay?") == ["are", "you", "okay"]
    assert words("You never get it right.") == ["you", "never", "get", "it", "right"]


def test_not_only_but_affirms_and_not_only_alone_still_negates():
    assert "not" not in words("Mistakes are not only OK but expected.")
    assert words("Get other views, not only mine.")[-3:] == ["not", "only", "mine"]
