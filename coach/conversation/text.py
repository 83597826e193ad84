"""Normalising text for matching: one set of rules for authored phrases and user replies.

Replies are turned into tokens that remember where they came from in the original text, so
feedback can quote the user's own words. Contractions are expanded ("don't" -> "do not") so
negation is seen the same way however it is typed, filler words are dropped, and each token
knows its clause, so a "No," at the start of a sentence does not negate what follows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

# Function words: they carry grammar, not the practice a marker looks for.
STOP_WORDS = frozenset(
    """
    a an the and or but if then so than that this these those there here of to in on at by
    for with from into onto about as up down out over under again further once
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him
    his she her hers it its they them their theirs what which who whom whose when where why
    how all any both each few more most other some such same too very can will would
    shall should could may might must do does did doing done be is am are was were been being
    have has had having get got let lets go going gonna want wanna
    not no nor
    s t d ll m o re ve y
    """.split()
)

# Words people pad speech with; dropped from replies and phrases alike. "yes", "okay", "ok" and
# "right" are kept: they carry an answer ("Yes, of course!", "Are you okay?", "get it right").
FILLER_WORDS = frozenset(
    "um umm uh uhh er erm hmm hm mm ah oh well basically actually literally really "
    "just totally honestly yeah anyway anyways".split()
)

# Words that turn a statement around: "I won't set goals" does not credit goal setting.
NEGATION_WORDS = frozenset(
    "not no never nor without nothing none nobody neither hardly cannot".split()
)

_CONTRACTIONS = [
    (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"\bcan['’]t\b"), "can not"),
    (re.compile(r"\bshan['’]t\b"), "shall not"),
    (re.compile(r"\bain['’]t\b"), "is not"),
    (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"\blet['’]s\b"), "let us"),
    (re.compile(r"\bi['’]m\b"), "i am"),
    (re.compile(r"['’]re\b"), " are"),
    (re.compile(r"['’]ll\b"), " will"),
    (re.compile(r"['’]ve\b"), " have"),
    (re.compile(r"\b(i|you|we|they|he|she|it|that|who|there)['’]d\b"), r"\1 would"),
    (re.compile(r"\b(what|that|it|he|she|there|here|who|where|how|when|why)['’]s\b"), r"\1 is"),
    # Any other 's is a possessive: "Monday's demo" reads as "monday demo", "the team's" as "team".
    (re.compile(r"['’]s\b"), ""),
]
# Common apostrophe-less spellings of negative contractions.
_BARE_NEGATIONS = {
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "wont": "will not",
    "cant": "can not", "isnt": "is not", "arent": "are not", "wasnt": "was not",
    "werent": "were not", "shouldnt": "should not", "wouldnt": "would not",
    "couldnt": "could not", "havent": "have not", "hasnt": "has not", "hadnt": "had not",
    "aint": "is not", "cannot": "can not",
}
# Texting spellings that stand for words the matcher cares about (pronouns, "I am").
_TEXTING = {"im": "i am", "ive": "i have", "youre": "you are", "ur": "your", "u": "you",
            "thru": "through", "tho": "though", "pls": "please", "plz": "please"}
_NUMBER_WORDS = dict(enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()))
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}\n—–]|\s-\s|\bbut\b|\bhowever\b")
# Where a sentence ends: patterns may run over a comma, never over a full stop.
_BUT_LATER = re.compile(r"[^.;!?\n]*\bbut\b")  # "not only ..., but ...": later in the same sentence
_SENTENCE_BREAK = re.compile(r"[.;!?\n]+")
# Full stops that end no sentence or clause: initials ("a.m.", "e.g.", "U.S.") and titles ("Dr.").
_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}|\b(?:mr|mrs|ms|dr|jr|sr|vs|etc|approx)\.", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised word, with its place in the original text."""

    text: str
    start: int  # character offsets into the original text
    end: int
    clause: int
    sentence: int = 0



def fold(text: str) -> str:
    """Unicode-normalise and lower-case, keeping offsets one to one where it can."""
    return unicodedata.normalize("NFKC", text).casefold()


CACHED_WORD = 40  # words up to this long are expanded once and remembered (a budget on the cache's size)


def _expand(word: str) -> tuple[str, ...]:
    """A word's normalised parts: contractions expanded, apostrophes dropped (remembered for
    words of up to `CACHED_WORD` letters: the same words recur from reply to reply)."""
    return _expand_known(word) if len(word) <= CACHED_WORD else _expand_word(word)


def _expand_word(word: str) -> tuple[str, ...]:
    if word.isdecimal() and len(word) <= 2 and int(word) in _NUMBER_WORDS:  # not isdigit: int("፫") fails
        return (_NUMBER_WORDS[int(word)],)
    if word in _BARE_NEGATIONS:
        return tuple(_BARE_NEGATIONS[word].split())
    if word in _TEXTING:
        return tuple(_TEXTING[word].split())
    if "'" not in word and "’" not in word:
        return (word,)
    for pattern, replacement in _CONTRACTIONS:
        word = pattern.sub(replacement, word)
    return tuple(part.replace("'", "").replace("’", "") for part in word.split() if part)


_expand_known = lru_cache(maxsize=4096)(_expand_word)


def forget_words() -> None:
    """Forget the words expanded so far (benchmarks measure the cold path)."""
    _expand_known.cache_clear()


def tokenize(text: str) -> list[Token]:
    """Normalised tokens of `text`, fillers removed, with offsets and clause numbers."""
    folded = fold(text)
    if len(folded) != len(text):  # NFKC changed lengths: offsets are approximate
        folded = folded[: len(text)].ljust(len(text))
    marks = _ABBREVIATION.sub(lambda m: m.group().replace(".", " "), folded)  # same length as `folded`
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(marks)]
    stops = [m.start() for m in _SENTENCE_BREAK.finditer(marks)]
    tokens: list[Token] = []
    clause, next_break, sentence, next_stop = 0, 0, 0, 0
    breaks.append(len(folded))  # sentinels: no word starts after the end
    stops.append(len(folded))
    for match in _WORD.finditer(folded):
        start, end = match.span()
        while breaks[next_break] < start:
            clause += 1
            next_break += 1
        while stops[next_stop] < start:
            sentence += 1
            next_stop += 1
        for part in _expand(match.group()):
            if part == "forget" and _reminder(tokens, end):
                continue
            if part == "only" and tokens and tokens[-1].text == "not" and _BUT_LATER.match(folded, end):
                tokens.pop()  # "not only OK but expected" affirms both: no negation

            if part and part not in FILLER_WORDS and not (part == "not" and _suggestion(tokens, part)):
                tokens.append(Token(part, start, end, clause, sentence))
    return tokens


def _reminder(tokens: list[Token], end: int) -> bool:
    """Turn "do not forget" / "never forget" (a reminder, not a negation) into "remember";
    whether it did (then the "forget" being read is already accounted for)."""
    if not tokens or tokens[-1].text not in ("not", "never"):
        return False
    last = tokens.pop()
    first = tokens.pop() if last.text == "not" and tokens and tokens[-1].text == "do" else last
    tokens.append(Token("remember", first.start, end, first.clause, first.sentence))
    return True


def _suggestion(tokens: list[Token], part: str) -> bool:
    """Whether `part` is the "not" of a suggestion ("why not", "why don't we"), not a negation."""
    if part != "not" or not tokens:
        return False
    before = [t.text for t in tokens[-2:]]
    return before[-1] == "why" or before == ["why", "do"]


def written_words(text: str) -> list[str]:
    """The words of `text` as written (folded, contractions expanded), fillers and all."""
    return [part for match in _WORD.finditer(fold(text)) for part in _expand(match.group()) if part]


def words(text: str) -> list[str]:
    """Just the normalised words of `text`."""
    return [token.text for token in tokenize(text)]


def _merge_overlapping(groups: Iterable[Iterable[str]]) -> list[list[tuple[str, ...]]]:
    """Normalised groups, with groups that share a form merged (in order of first mention),
    so a scenario can extend a library's group by naming one of its words."""
    merged: list[list[tuple[str, ...]]] = []
    for group in groups:
        forms = [form for form in (tuple(words(entry)) for entry in group) if form]
        overlapping = [m for m in merged if set(m) & set(forms)]
        target = overlapping[0] if overlapping else []
        if not overlapping:
            merged.append(target)
        for other in overlapping[1:]:
            target.extend(f for f in other if f not in target)
            merged.remove(other)
        target.extend(f for f in forms if f not in target)
    return [forms for forms in merged if forms]


class Synonyms:
    """Words and short phrases that mean the same here, folded onto one canonical form.

    Authors list groups in marker libraries or scenarios (`synonyms:`); the first entry of
    a group names the canonical form. Phrases and replies are folded the same way, so a phrase written
    with "check in" also matches a reply that says "catch up" or "touch base".
    """

    def __init__(self, groups: list[list[str]] | tuple[tuple[str, ...], ...] = ()) -> None:
        self._table: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.distinctive: set[str] = set()  # canonical tokens that stand for a phrase
        for forms in _merge_overlapping(groups):
            # A canonical phrase becomes one token, so "recommend you" stays a phrase and is
            # not read as the single word "recommend" matching anywhere.
            canonical = forms[0] if len(forms[0]) == 1 else ("_".join(forms[0]),)
            for form in forms:
                self._table[form] = canonical
            if len(forms[0]) > 1:
                self.distinctive.add(canonical[0])
        # first word -> the lengths of the forms starting with it, longest first
        self._starts: dict[str, list[int]] = {}
        for form in self._table:
            self._starts.setdefault(form[0], []).append(len(form))
        for sizes in self._starts.values():
            sizes.sort(reverse=True)

    def __bool__(self) -> bool:
        return bool(self._table)

    @property
    def table(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Each listed form -> its canonical words (read only)."""
        return self._table

    def fold(self, tokens: list[Token]) -> list[Token]:
        """`tokens` with every listed variant replaced by its canonical words (longest first);
        the new tokens keep the offsets of the words they replace."""
        if not self._table:
            return tokens
        out: list[Token] = []
        index = 0
        while index < len(tokens):
            for size in self._starts.get(tokens[index].text, ()):
                if index + size > len(tokens):
                    continue
                form = tuple(t.text for t in tokens[index:index + size])
                canonical = self._table.get(form)
                if canonical is not None and tokens[index].clause == tokens[index + size - 1].clause:
                    first, last = tokens[index], tokens[index + size - 1]
                    out.extend(Token(word, first.start, last.end, first.clause, first.sentence)
                               for word in canonical)
                    index += size
                    break
            else:
                out.append(tokens[index])
                index += 1
        return out


# -- questions --------------------------------------------------------------------------------

QUESTION_WORDS = frozenset({"how", "what", "why", "where", "who", "which", "whats", "hows", "whos", "wheres"})
QUESTION_VERBS = frozenset({"do", "does", "did", "is", "are", "was", "were", "can", "could", "would", "will",
                            "should", "shall", "have", "has", "had", "am", "may", "might"})
_PRONOUNS = frozenset({"you", "we", "i", "they", "it", "he", "she", "that", "this"})
_LEAD_INS = frozenset({"so", "and", "but", "okay", "ok", "right", "well", "also", "then", "hi", "hey", "hello"})
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


_PROPOSAL = re.compile(r"\W*(?:(?:so|and|okay|ok|well)\W+)*(?:how about|what about|why not|why don.?t|shall we)\b",
                       re.IGNORECASE)


def _openings(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each sentence of `text` with its first words, lead-ins ("so", "okay") left out."""
    for sentence in _SENTENCE.findall(text):
        yield sentence, [word for word in words(sentence) if word not in _LEAD_INS][:2]


def _asks(found: list[str]) -> bool:
    """Whether a sentence opening this way asks something: a question word then a verb ("what do",
    "how are"), or a verb then a pronoun ("do you", "is it"), but not "do it"."""
    if len(found) < 2:
        return False
    first, second = found
    return ((first in QUESTION_WORDS and (second in QUESTION_VERBS or first.endswith("s")))
            or (first in QUESTION_VERBS and second in _PRONOUNS and found != ["do", "it"]))


def is_question(text: str) -> bool:
    """Whether `text` asks something: a question mark, or a sentence opening the way a question does
    ("what ...", "how are ...", "do you ...", even without the mark). "When the demo failed, ..."
    and "Do it now" are not questions: a question word must be followed by a verb, a verb by a
    pronoun."""
    return "?" in text or any(_asks(found) for _, found in _openings(text))


def is_open_question(text: str) -> bool:
    """Whether `text` asks the other person something open ("What do you want to achieve?", "Which
    goals matter to you?"), rather than proposing ("How about a coffee once a quarter?", "Why
    don't we meet weekly?")."""
    return any(found and found[0] in QUESTION_WORDS and not _PROPOSAL.match(sentence)
               and ("?" in sentence or _asks(found))
               for sentence, found in _openings(text))
