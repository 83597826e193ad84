"""Recognise markers in a reply: fuzzy, fast, and careful about what it credits.

How a reply is matched against one phrase:

1. Both are normalised the same way (`coach.conversation.text`): case, punctuation, contractions and
   filler words no longer matter.
2. Only a phrase's *content* words count (not stop words), so "the result was" cannot
   fire on "the restaurant was closed". A phrase needs two content words, or one long one,
   to be matched this way. A phrase of three or more words with fewer content words ("how
   do you see it") must instead appear almost letter for letter, as a sequence. Shorter
   phrases can never fire on their own.
3. Each content word of the reply is looked up among the phrase vocabulary through a
   deletion index (SymSpell's idea) and confirmed with `rapidfuzz.fuzz.ratio`, so typos
   and small inflections still match while unrelated words cost nothing.
4. The phrase's score is the share of its content words found, weighted by similarity,
   inside one window of the reply a few words longer than the phrase: word order is free,
   inserted words are tolerated, words scattered across the reply are not.
5. A negation in the window, or just before it in the same clause, that the phrase does
   not itself have ("I won't set goals") stops the phrase from firing.

The threshold rises as phrases get shorter; a marker may set its own.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from coach.conversation.patterns import CompiledPattern, PatternCompiler, PatternHit, find, sentence_ends
from coach.conversation.text import NEGATION_WORDS, STOP_WORDS, Synonyms, Token, forget_words, tokenize
from coach.scenario.models import Marker
from coach.scenario.patterns import Pattern, Word

if TYPE_CHECKING:
    from functools import _lru_cache_wrapper

WORD_SIMILARITY = 80.0  # fuzz.ratio two words need to count as the same word
WINDOW_SLACK = 3  # extra words a window may hold beyond the phrase's own
SUBJECTS = ("i", "you")
SHORT_WORD = 4  # words this short must share their first letter to count as alike ("send" is not "end")
NEGATION_REACH = 5  # words before a match that can negate it (same clause only)
NEGATION_REACH_AGAIN = 3  # words before a negative phrase that can turn it around again
NEGATION_SCOPE = 3  # a phrase's own negation must stand this close before the word it negates
PRONOUN_REACH = 2  # words before a match where its subject ("I", "you") may stand
MIN_LONE_WORD = 8  # a phrase of one long word (and at most one small one) may match it anywhere
PATTERN_FUZZY_MIN = 5  # pattern words and reply words both this long may differ a little ("not" is not "note")
PATTERN_SIMILARITY = 88.0  # and only this little: "fixed" is not "fired", "interupted" is "interrupted"
MIN_SEQUENCE_WORDS = 3  # a phrase with few content words needs this many words in all
SEQUENCE_THRESHOLD = 90.0
WARM_LENGTHS = range(4, 8)
LONG_WORD = 8  # from this length a word's deletion keys are many: its close words are found by scoring instead  # vocabulary words of these lengths are looked up when the matcher is built
# A budget on what one reply may cost: only its first MAX_REPLY_WORDS words (normalised, fillers
# dropped), read from at most MAX_REPLY_CHARACTERS characters, are matched; the rest is not
# looked at. No rehearsal reply comes near it (the longest labelled or quoted reply has 54
# words); a pasted essay costs a bounded time instead of freezing the conversation.
MAX_REPLY_WORDS = 1_000
MAX_REPLY_CHARACTERS = 20 * MAX_REPLY_WORDS


NEGATING_PREFIXES = ("un", "in", "im", "ir", "il", "dis", "non")  # "unprepared" is the opposite of "prepared"


def _opposites(word: str, other: str) -> bool:
    """Whether one word is the other with a negating prefix: close in letters, opposite in
    meaning ("prepared"/"unprepared", "professional"/"unprofessional"), so never alike."""
    short, long = (word, other) if len(word) < len(other) else (other, word)
    return long.endswith(short) and long[:len(long) - len(short)] in NEGATING_PREFIXES


def default_threshold(content_words: int) -> float:
    """Score a phrase needs by default: stricter for shorter phrases."""
    if content_words >= 4:
        return 74.0
    return {3: 80.0, 2: 86.0}.get(content_words, 92.0)


@dataclass(frozen=True, slots=True)
class Phrase:
    """An authored phrase, normalised once."""

    text: str
    marker: int  # index into the matcher's markers
    words: tuple[str, ...]  # normalised, stop words included
    content: tuple[str, ...]
    content_at: tuple[int, ...]  # where each content word stands in `words`
    negations: int
    mode: str  # see `phrase_mode`
    subject: str | None  # see `phrase_subject`
    threshold: float
    negated_slots: tuple[tuple[int, int], ...] = ()  # see `negated_slots`

    @property
    def length(self) -> int:
        return len(self.words)

    @property
    def can_fire(self) -> bool:
        return self.mode != "too short"


def phrase_mode(words: tuple[str, ...], content: tuple[str, ...], distinctive: bool) -> str:
    """`words` (content words anywhere in a window), `sequence` (near-verbatim) or `too short`.

    `distinctive`: the one content word stands for a phrase through the synonym groups.
    """
    if len(content) >= 2 or (
            len(content) == 1 and len(words) <= 2 and (len(content[0]) >= MIN_LONE_WORD or distinctive)):
        return "words"
    if content and len(words) >= MIN_SEQUENCE_WORDS:
        return "sequence"
    return "too short"


def phrase_subject(words: tuple[str, ...], content_at: tuple[int, ...]) -> str | None:
    """"i" or "you" when the phrase says who acts ("you take the credit"), else None."""
    leading = set(words[: content_at[0]]) if content_at else set()
    found = [word for word in SUBJECTS if word in leading]
    return found[0] if len(found) == 1 else None


def negated_slots(words: tuple[str, ...], content_at: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The content slots a phrase's own negation governs, each with how far after the negation
    it stands in the phrase: the first content word after each "not"/"never"/"no" ("do not
    *talk* to other teams", "nothing to do with your *probation*"). A reply must negate that
    word too, about as close before it, so "you never need my permission to talk to other
    teams" is not "do not talk to other teams"."""
    slots: list[tuple[int, int]] = []
    for index, word in enumerate(words):
        if word in NEGATION_WORDS:
            after = [slot for slot, at in enumerate(content_at) if at > index and words[at] not in NEGATION_WORDS]
            if after and all(slot != after[0] for slot, _ in slots):
                slots.append((after[0], content_at[after[0]] - index))
    return tuple(slots)


def _in_scope(tokens: list[Token], position: int, gap: int) -> bool:
    """Whether a negation stands before `position`, in its clause, at most NEGATION_SCOPE words
    further than the phrase's own `gap`."""
    clause = tokens[position].clause
    return any(tokens[i].text in NEGATION_WORDS and tokens[i].clause == clause
               for i in range(max(0, position - gap - NEGATION_SCOPE + 1), position))


def _slots_needed(phrase: Phrase) -> int:
    """How many of a phrase's content words a reply must hold before the phrase can fire:
    all of them below, its score cannot reach its threshold (a near-verbatim phrase: one)."""
    if not phrase.can_fire:
        return len(phrase.content) + 1
    if phrase.mode == "sequence":
        return 1
    size = len(phrase.content)
    return next((k for k in range(1, size + 1) if 100.0 * k / size >= phrase.threshold), size + 1)


@dataclass(frozen=True, slots=True)
class Match:
    """A marker that fired on a reply, with the phrase and the words that earned it."""

    marker: Marker
    score: float
    phrase: str  # the phrase, or the pattern, that fired
    span: str  # the reply's own words that matched
    start: int  # character offsets of `span` in the reply
    end: int
    parts: tuple[tuple[str, str], ...] = ()  # for a pattern: (element as written, the words that filled it)

    @property
    def via(self) -> str:
        return "pattern" if self.parts else "phrase"

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "marker": self.marker.id, "kind": self.marker.kind, "briefing": list(self.marker.briefing),
            "score": round(self.score, 1), "phrase": self.phrase, "span": self.span,
            "start": self.start, "end": self.end, "via": self.via,
        }
        if self.parts:
            found["parts"] = [list(part) for part in self.parts]
        return found


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a marker did or did not fire: its best phrase, the score and the threshold."""

    marker: Marker
    fired: bool
    reason: str  # "fired", "below threshold", "negated", "someone else", "phrase too short", "no words in common"
    score: float
    threshold: float
    phrase: str
    span: str
    start: int = 0
    end: int = 0
    parts: tuple[tuple[str, str], ...] = ()  # for a pattern: which words filled which element

    @property
    def via(self) -> str:
        return "pattern" if self.parts else "phrase"

    def as_match(self) -> Match:
        return Match(self.marker, self.score, self.phrase, self.span, self.start, self.end, self.parts)

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "marker": self.marker.id, "kind": self.marker.kind, "briefing": list(self.marker.briefing),
            "fired": self.fired, "reason": self.reason, "score": round(self.score, 1),
            "threshold": self.threshold, "phrase": self.phrase, "span": self.span, "via": self.via,
        }
        if self.parts:
            found["parts"] = [list(part) for part in self.parts]
        return found


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    blocked: str | None  # "negated", "someone else", or None
    first: int  # token indexes of the matched window
    last: int


def _pick(candidates: list[_Scored], threshold: float, firing_only: bool = False) -> _Scored | None:
    """The window to report: the best that fires, else the best blocked one that would
    have (so explanations say "negated"), else simply the best; with `firing_only`, the
    best that fires or None."""
    clear = [c for c in candidates if c.blocked is None and c.score >= threshold]
    if clear:
        return max(clear, key=lambda c: c.score)
    if firing_only:
        return None
    blocked = [c for c in candidates if c.score >= threshold]
    return max(blocked or candidates, key=lambda c: c.score)


class _Words:
    """A reply's normalised words joined once, so a window's text is a slice, not a join."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._joined: tuple[str, list[int], list[int]] | None = None

    def joined(self) -> tuple[str, list[int], list[int]]:
        """The words joined by single spaces, and where each word starts and ends in it:
        tokens `first`..`last` read `text[starts[first]:ends[last]]`."""
        if self._joined is None:
            starts, ends, offset = [], [], 0
            for token in self.tokens:
                starts.append(offset)
                offset += len(token.text)
                ends.append(offset)
                offset += 1
            self._joined = " ".join(token.text for token in self.tokens), starts, ends
        return self._joined


def _count(tokens: list[Token], first: int, last: int, reach: int, wanted: Callable[[str], object]) -> int:
    """Tokens that are `wanted` inside the window or up to `reach` words before it, in its clause."""
    clause = tokens[first].clause
    begin = first
    while begin > 0 and first - begin < reach and tokens[begin - 1].clause == clause:
        begin -= 1
    return sum(bool(wanted(tokens[i].text)) for i in range(begin, last + 1))


def _widen(phrase: Phrase, tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    """Stretch a content-word span over the phrase's own leading and trailing small words,
    so the quoted evidence reads "do it because I said so", not "because I said"."""
    if phrase.mode != "words":
        return first, last
    leading = set(phrase.words[: phrase.content_at[0]])
    trailing = set(phrase.words[phrase.content_at[-1] + 1:])
    while first > 0 and tokens[first - 1].text in leading and tokens[first - 1].clause == tokens[first].clause:
        first -= 1
    while last + 1 < len(tokens) and tokens[last + 1].text in trailing and tokens[last + 1].clause == tokens[last].clause:
        last += 1
    return first, last


def _depth(length: int) -> int:
    """Letters `_deletions` deletes from a word of `length` letters."""
    return 0 if length < 4 else 1 if length < 8 else 2


def _deletions(word: str) -> set[str]:
    """The word with up to one (two for long words) letters deleted: SymSpell keys."""
    if len(word) < 4:
        return {word}
    ones = {word[:i] + word[i + 1:] for i in range(len(word))}
    if len(word) < 8:
        return {word, *ones}
    # Deleting from the distinct one-letter deletions keeps a run of one letter ("xxxx...") cheap.
    return {word, *ones, *{w[:i] + w[i + 1:] for w in ones for i in range(len(w))}}


def _literal_texts(node: object, found: set[str]) -> None:
    """The texts of a pattern node's literal words, into `found`."""
    if isinstance(node, Word):
        found.add(node.text)
    for child in (*getattr(node, "options", ()), *getattr(node, "items", ())):
        _literal_texts(child, found)


def _chained(pattern: CompiledPattern, positions: list[int], ends: list[int],
             located: Callable[[frozenset[int]], list[int]]) -> list[int]:
    """The start positions from which the pattern's required elements occur one after another,
    within its reach and the sentence: the only ones where it can match (cheap to tell, and most
    patterns whose words are all in the reply fail here rather than in the search)."""
    if not positions:
        return []
    kept = []
    where = [located(need) for need in pattern.needs]
    for start in positions:
        stop = min(ends[start], start + pattern.reach)
        at = start - 1
        for found in where:
            index = bisect.bisect_right(found, at)
            if index == len(found) or found[index] >= stop:
                break
            at = found[index]
        else:
            kept.append(start)
    return kept


@dataclass(frozen=True, slots=True)
class _NeedMasks:
    """Which patterns a set of words lets through, as bit masks over pattern indexes: a pattern
    can match in a sentence only if each of its required elements (`CompiledPattern.needs`) has
    a word there. Its k-th required element is its k-th *slot*; `by_word[w]` holds, per slot,
    the patterns whose element in that slot word `w` meets, and `done[k]` the patterns with no
    k-th element. Then the patterns a sentence lets through are, for every slot k, those in
    `done[k]` or met by one of its words: a few big-integer ORs and ANDs per word, instead of a
    set test per pattern and element."""

    by_word: dict[int, tuple[tuple[int, int], ...]]  # word id -> (slot, patterns) pairs
    done: tuple[int, ...]  # slot -> patterns with fewer required elements

    @classmethod
    def build(cls, patterns: list[CompiledPattern]) -> _NeedMasks:
        slots = max((len(pattern.needs) for pattern in patterns), default=0)
        met: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))  # word -> slot -> patterns
        done = [0] * slots
        for p_index, pattern in enumerate(patterns):
            for slot, need in enumerate(pattern.needs):
                for w_index in need:
                    met[w_index][slot].add(p_index)
            for slot in range(len(pattern.needs), slots):
                done[slot] |= 1 << p_index
        by_word = {w_index: tuple((slot, sum(1 << p_index for p_index in held)) for slot, held in sorted(found.items()))
                   for w_index, found in met.items()}
        return cls(by_word, tuple(done))

    def let_through(self, words: set[int]) -> int:
        """The patterns whose every required element has one of `words`."""
        met = list(self.done)
        by_word = self.by_word
        for w_index in words:
            for slot, held in by_word.get(w_index, ()):
                met[slot] |= held
        through = -1
        for held in met:
            through &= held
        return through


class Matcher:
    """Every phrase and pattern of a set of markers, compiled for matching replies against them all."""

    def __init__(self, markers: Sequence[Marker], synonyms: Synonyms | None = None,
                 classes: dict[str, tuple[str, ...]] | None = None, *, shared: bool = False) -> None:
        """`shared`: this matcher is a library's, kept for a run so that scenario matchers are
        `derive`d from it; it remembers what each text read as, to tell what they must redo."""
        self._start(markers, synonyms, classes, shared)
        for m_index, marker in enumerate(self.markers):
            for text in marker.phrases:
                self._add(m_index, marker, text)
        compiler = self._compiler()
        for m_index, marker in enumerate(self.markers):
            for pattern in marker.patterns:
                self._patterns_of[m_index].append(len(self.patterns))
                self.patterns.append(compiler.compile(m_index, pattern))
        self._finish()

    def _start(self, markers: Sequence[Marker], synonyms: Synonyms | None,
               classes: dict[str, tuple[str, ...]] | None, shared: bool) -> None:
        self.markers = tuple(markers)
        self.synonyms = synonyms or Synonyms()
        self.classes = dict(classes or {})
        self.phrases: list[Phrase] = []
        self.patterns: list[CompiledPattern] = []
        self._vocabulary: dict[str, int] = {}
        self._words: list[str] = []  # word id -> word
        self._postings: list[list[tuple[int, int]]] = []  # word id -> (phrase, content slot)
        self._need: list[int] = []  # phrase -> content words it must meet before it can fire
        self._shared_below = 0  # word ids whose postings a derived matcher shares with its library...
        self._copied: set[int] = set()  # ...unless copied here
        self._keys: dict[str, frozenset[int]] = {}  # deletion key -> word ids (never empty; shared by derived matchers)
        self._by_marker: list[list[int]] = [[] for _ in self.markers]
        self._patterns_of: list[list[int]] = [[] for _ in self.markers]
        # For a `shared` matcher: each text it read, as raw tokens and as the words it became.
        self._read: dict[str, tuple[list[Token], tuple[str, ...]]] | None = {} if shared else None
        self._raw: dict[str, list[Token]] = {}  # raw tokens a derived matcher takes from its library's
        self._remembered: _lru_cache_wrapper[list[Match]] | None = None  # see `remember_replies`
        self._library: tuple[dict[str, tuple[tuple[int, float], ...]], int] | None = None  # its warm look-ups, vocabulary size
        self._reads: tuple[dict[str, list[Token]], list[tuple[Pattern, frozenset[str], frozenset[str]]],
                           dict[str, list[str]]] | None = None  # see `_library_reads`

    def _compiler(self, known: dict[str, tuple[list[Token], tuple[str, ...]]] | None = None,
                  changed: dict[str, tuple[str, ...]] | None = None) -> PatternCompiler:
        """A pattern compiler reading texts as this matcher does; `known`: texts a library read,
        with the words they became, which this matcher reads alike unless `changed` says otherwise."""
        def normalise(text: str) -> tuple[str, ...]:
            if known is not None and changed is not None:
                if text in changed:
                    return changed[text]
                if text in known:
                    return known[text][1]
            return tuple(t.text for t in self._tokens(text))

        return PatternCompiler(self.classes, normalise, self._word_id)

    def _finish(self) -> None:
        """The indexes and caches built over the compiled phrases and patterns."""
        self._need_masks = _NeedMasks.build(self.patterns)
        # Vocabulary words of about each long length (see `_similar_long`).
        lengths: dict[int, list[int]] = defaultdict(list)
        for w_index, word in enumerate(self._words):
            lengths[len(word)].append(w_index)
        self._near_length: dict[int, tuple[list[str], list[int]]] = {}
        for size in range(LONG_WORD, max(lengths, default=0) + 3):
            ids = [w_index for near in range(size - 2, size + 3) for w_index in lengths.get(near, ())]
            self._near_length[size] = ([self._words[w_index] for w_index in ids], ids)
        # The vocabulary's own words are the likeliest in a reply: look them up once, here
        # (those of WARM_LENGTHS letters: cheap to look up, about 3 ms for 1,000 words; the
        # rest cost about 10x as much at build as they save in a reply).
        self._known: dict[str, tuple[tuple[int, float], ...]] = {}
        self._known = self._warm()
        self._similar = lru_cache(maxsize=20_000)(self._similar_words)
        self._pattern_ids = lru_cache(maxsize=20_000)(self._pattern_words)
        # word id -> (phrase, content slot, 1 << slot) of every phrase word it is
        self._slots = [tuple((p_index, slot, 1 << slot) for p_index, slot in postings) for postings in self._postings]

    def _warm(self) -> dict[str, tuple[tuple[int, float], ...]]:
        """The vocabulary's words of `WARM_LENGTHS` letters, looked up. A derived matcher takes
        its library's look-ups for the words none of its own new words is close to (closeness
        is symmetric, so the new words' own look-ups name every library word they change)."""
        words = self._words
        if self._library is None:
            return {word: self._similar_words(word) for word in words if len(word) in WARM_LENGTHS}
        known, size = self._library
        stale = {words[w_index] for new in words[size:] for w_index, _ in self._similar_by_keys(new)}
        return {word: (known[word] if word in known and word not in stale else self._similar_words(word))
                for word in words if len(word) in WARM_LENGTHS}

    def _word_id(self, word: str) -> int:
        """The vocabulary id of `word`, added (fuzzily findable, with no phrases) if new."""
        w_index = self._vocabulary.get(word)
        if w_index is None:
            w_index = self._vocabulary[word] = len(self._postings)
            self._words.append(word)
            self._postings.append([])
            keys = self._keys
            for key in _deletions(word):
                held = keys.get(key)
                keys[key] = frozenset((w_index,)) if held is None else held | {w_index}
        return w_index

    def _add(self, m_index: int, marker: Marker, text: str) -> None:
        p_index = len(self.phrases)
        self.phrases.append(self._phrase(m_index, marker, text, tuple(t.text for t in self._tokens(text))))
        self._by_marker[m_index].append(p_index)
        self._post(p_index)
        self._need.append(_slots_needed(self.phrases[p_index]))

    def _phrase(self, m_index: int, marker: Marker, text: str, words: tuple[str, ...]) -> Phrase:
        content_at = tuple(i for i, word in enumerate(words) if word not in STOP_WORDS)
        content = tuple(words[i] for i in content_at)
        negations = sum(word in NEGATION_WORDS for word in words)
        mode = phrase_mode(words, content, len(content) == 1 and content[0] in self.synonyms.distinctive)
        threshold = marker.threshold if marker.threshold is not None else (
            SEQUENCE_THRESHOLD if mode == "sequence" else default_threshold(len(content)))
        return Phrase(text, m_index, words, content, content_at, negations, mode,
                      phrase_subject(words, content_at), threshold, negated_slots(words, content_at))

    def _post(self, p_index: int) -> None:
        """Index the phrase's content words (postings stay in phrase order)."""
        for slot, word in enumerate(self.phrases[p_index].content):
            bisect.insort(self._postings_to_change(self._word_id(word)), (p_index, slot))

    def _postings_to_change(self, w_index: int) -> list[tuple[int, int]]:
        """A word's postings, copied first if they are still its library's (shared when derived)."""
        postings = self._postings[w_index]
        if w_index < self._shared_below and w_index not in self._copied:
            postings = self._postings[w_index] = list(postings)
            self._copied.add(w_index)
        return postings

    # -- a library compiled once, scenarios derived from it ------------------------------------

    def derive(self, markers: Sequence[Marker], synonyms: Synonyms, classes: dict[str, tuple[str, ...]]) -> Matcher:
        """A matcher for `markers` (which start with all of this `shared` matcher's, as a
        scenario's start with its libraries'), read with `synonyms` and `classes`; it matches
        exactly as `Matcher(markers, synonyms, classes)` would.

        What this matcher compiled is reused where the new synonyms and classes read it the same
        way; only the library phrases and patterns they change, and the markers after this
        matcher's, are compiled. Nothing of the new matcher is kept here."""
        assert self._read is not None, "derive from a matcher built with shared=True"
        own = len(self.markers)
        if len(markers) < own or any(a is not b for a, b in zip(markers, self.markers)):
            raise ValueError("the markers must start with this matcher's own")
        new = Matcher.__new__(Matcher)
        new._start(markers, synonyms, classes, False)
        new._raw = self._library_reads()[0]
        new._vocabulary = dict(self._vocabulary)
        new._words = list(self._words)
        new._postings = list(self._postings)  # each list copied when first changed (`_postings_to_change`)
        new._shared_below = len(self._postings)
        new._keys = dict(self._keys)
        new.phrases = list(self.phrases)
        new._need = list(self._need)
        new.patterns = list(self.patterns)
        for m_index in range(own):
            new._by_marker[m_index] = list(self._by_marker[m_index])
            new._patterns_of[m_index] = list(self._patterns_of[m_index])
        changed = self._reread(new)
        for p_index, phrase in enumerate(self.phrases):
            if phrase.text in changed:
                for slot, word in enumerate(phrase.content):
                    new._postings_to_change(new._vocabulary[word]).remove((p_index, slot))
                new.phrases[p_index] = new._phrase(phrase.marker, new.markers[phrase.marker], phrase.text,
                                                   changed[phrase.text])
                new._post(p_index)
                new._need[p_index] = _slots_needed(new.phrases[p_index])
        for m_index in range(own, len(new.markers)):
            for text in new.markers[m_index].phrases:
                new._add(m_index, new.markers[m_index], text)
        compiler = new._compiler(self._read, changed)
        names = {name for name in set(self.classes) | set(new.classes)
                 if self.classes.get(name) != new.classes.get(name)
                 or any(entry in changed for entry in new.classes.get(name, ()))}
        for index, (source, texts, refs) in enumerate(self._library_reads()[1]):
            if refs & names or any(text in changed for text in texts):
                new.patterns[index] = compiler.compile(new.patterns[index].marker, source)
        for m_index in range(own, len(new.markers)):
            for pattern in new.markers[m_index].patterns:
                new._patterns_of[m_index].append(len(new.patterns))
                new.patterns.append(compiler.compile(m_index, pattern))
        new._raw = {}
        new._library = (self._known, len(self._words))
        new._finish()
        new._library = None
        return new

    def _reread(self, new: Matcher) -> dict[str, tuple[str, ...]]:
        """The texts this matcher read that `new`'s synonyms read otherwise, with their new words.
        Only texts holding the first word of a form the two synonym tables map differently
        can read otherwise (folding is decided form by form from each word), so only those are folded."""
        assert self._read is not None
        ours, theirs = self.synonyms.table, new.synonyms.table
        starts = {form[0] for form in set(ours) | set(theirs) if ours.get(form) != theirs.get(form)}
        changed = {}
        texts_with = self._library_reads()[2]
        for word in starts:
            for text in texts_with.get(word, ()):
                if text not in changed:
                    raw, read = self._read[text]
                    again = tuple(t.text for t in new.synonyms.fold(raw))
                    if again != read:
                        changed[text] = again
        return changed

    def _library_reads(self) -> tuple[dict[str, list[Token]], list[tuple[Pattern, frozenset[str], frozenset[str]]],
                                      dict[str, list[str]]]:
        """What `derive` looks up, built once: each text read as raw tokens; each pattern with
        the literal texts it reads and the classes it names; raw word -> the texts holding it."""
        found = self._reads
        if found is None:
            assert self._read is not None
            raws = {text: raw for text, (raw, _) in self._read.items()}
            patterns = []
            for marker in self.markers:
                for pattern in marker.patterns:
                    texts: set[str] = set()
                    for node in (*pattern.items, *pattern.excluded):
                        _literal_texts(node, texts)
                    patterns.append((pattern, frozenset(texts), frozenset(ref.name for ref in pattern.classes())))
            by_word: dict[str, list[str]] = {}
            for text, raw in raws.items():
                for word in {t.text for t in raw}:
                    by_word.setdefault(word, []).append(text)
            found = self._reads = (raws, patterns, by_word)
        return found

    def patterns_of(self, marker: Marker) -> list[CompiledPattern]:
        """The compiled patterns of one of this matcher's markers, in authored order."""
        m_index = next(i for i, m in enumerate(self.markers) if m is marker)
        return [self.patterns[index] for index in self._patterns_of[m_index]]

    def phrases_of(self, marker: Marker) -> list[Phrase]:
        """The compiled phrases of one of this matcher's markers, in authored order."""
        m_index = next(i for i, m in enumerate(self.markers) if m is marker)
        return [self.phrases[p_index] for p_index in self._by_marker[m_index]]

    def reads(self, text: str) -> tuple[str, ...]:
        """The words `text` becomes here (fillers dropped, synonyms folded), as a phrase, a
        pattern word or a class entry is read: for checks that an author's words survive."""
        return tuple(token.text for token in self.synonyms.fold(tokenize(text)))

    def _tokens(self, text: str) -> list[Token]:
        raw = self._raw.get(text)
        if raw is None:
            raw = tokenize(text)
        folded = self.synonyms.fold(raw)
        if self._read is not None:
            self._read[text] = (raw, tuple(t.text for t in folded))
        return folded

    def _reply(self, text: str) -> list[Token]:
        """The tokens of a reply that are matched: at most `MAX_REPLY_WORDS` (see there)."""
        return self.synonyms.fold(tokenize(text[:MAX_REPLY_CHARACTERS]))[:MAX_REPLY_WORDS]

    def _similar_words(self, word: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary words close to `word`, with their similarity (0-100)."""
        known = self._known.get(word)
        if known is not None:
            return known
        if len(word) >= LONG_WORD:
            return self._similar_long(word)
        return self._similar_by_keys(word)

    def _similar_by_keys(self, word: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary words that share a deletion key with `word` and are close enough."""
        exact = self._vocabulary.get(word)
        candidates: set[int] = set()
        keys = self._keys
        for key in _deletions(word):
            hit = keys.get(key)
            if hit:
                candidates |= hit
        found = {exact: 100.0} if exact is not None else {}
        for w_index in candidates:
            if w_index not in found:
                other = self._words[w_index]
                if min(len(word), len(other)) <= SHORT_WORD and word[0] != other[0]:
                    continue
                score = fuzz.ratio(word, other, score_cutoff=WORD_SIMILARITY)
                if score and not _opposites(word, other):
                    found[w_index] = score
        return tuple(found.items())

    def _similar_long(self, word: str) -> tuple[tuple[int, float], ...]:
        """`_similar_words` for a long word, in word-id order after the word itself. Its close
        words share a deletion key with it (`_similar_by_keys`), that is, a common subsequence
        no shorter than either word less its deletions (`_depth`). Which way is cheaper
        depends on how many vocabulary words are within two letters of its length: when they
        outnumber the square of its length, its deletion keys (about that many) are looked
        up; otherwise those words are scored (`_similar_by_scoring`). Both find the same words."""
        exact = self._vocabulary.get(word)
        found = {exact: 100.0} if exact is not None else {}
        near = self._near_length.get(len(word))
        if near is None:
            return tuple(found.items())
        close = self._similar_by_keys if len(word) ** 2 <= len(near[0]) else self._similar_by_scoring
        found.update(sorted((w_index, score) for w_index, score in close(word) if w_index not in found))
        return tuple(found.items())

    def _similar_by_scoring(self, word: str) -> list[tuple[int, float]]:
        """The vocabulary words within two letters of `word`'s length (at least `LONG_WORD`) that
        are close enough and share a deletion key with it, all scored at once (not `word` itself)."""
        size = len(word)
        words, ids = self._near_length.get(size, ((), []))
        keep = []
        for other, score, k in process.extract(word, words, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY,
                                                limit=None):
            if other != word and LCSseq.similarity(word, other) >= max(
                    size - _depth(size), len(other) - _depth(len(other))) and not _opposites(word, other):
                keep.append((ids[k], score))
        return keep

    def _pattern_words(self, word: str) -> dict[int, float]:
        """Vocabulary ids a pattern word may meet in `word`: the same word, or a close one
        when both are long (fuzzy only from `PATTERN_FUZZY_MIN` letters, so short words
        need no fuzzy look-up at all)."""
        if len(word) < PATTERN_FUZZY_MIN:
            exact = self._vocabulary.get(word)
            return {} if exact is None else {exact: 100.0}
        return {w_index: similarity for w_index, similarity in self._similar(word)
                if similarity == 100.0 or (similarity >= PATTERN_SIMILARITY
                                           and len(self._words[w_index]) >= PATTERN_FUZZY_MIN)}

    def clear_word_caches(self) -> None:
        """Forget every reply word looked up so far (benchmarks measure the cold path), the
        tokenizer's remembered words included."""
        forget_words()
        self._similar.cache_clear()
        self._pattern_ids.cache_clear()
        if self._remembered is not None:
            self._remembered.cache_clear()

    # -- matching -----------------------------------------------------------------------

    def remember_replies(self, size: int) -> None:
        """Keep the results of the last `size` replies `match`ed, so a reply said again is not
        matched again (`coach test`: playthroughs often open with the same lines). Off by default."""
        self._remembered = lru_cache(maxsize=size)(self._match)

    def match(self, text: str) -> list[Match]:
        """The markers that fire on `text`, best score first (one match per marker).
        Only the first `MAX_REPLY_WORDS` words of a very long reply are matched."""
        return list(self._remembered(text)) if self._remembered is not None else self._match(text)

    def _match(self, text: str) -> list[Match]:
        tokens = self._reply(text)
        hits = self._find_patterns(tokens)
        # A marker a pattern fires is decided: its verdict is the pattern's, its phrases need no score.
        decided = {self.patterns[index].marker for index, hit in hits.items() if hit.blocked is None}
        scored = self._score_phrases(tokens, firing_only=True, decided=decided)
        firing = {self.phrases[p].marker for p, s in scored.items()
                  if s.blocked is None and s.score >= self.phrases[p].threshold and self.phrases[p].can_fire}
        firing |= decided
        verdicts = [self._verdict(m, self.markers[m], text, tokens, scored, hits) for m in sorted(firing)]
        return [v.as_match() for v in sorted(verdicts, key=lambda v: -v.score)]

    def explain(self, text: str) -> list[Verdict]:
        """A verdict for every marker, in marker order: what fired, and why the rest did not
        (within the first `MAX_REPLY_WORDS` words, like `match`)."""
        tokens = self._reply(text)
        scored = self._score_phrases(tokens)
        hits = self._find_patterns(tokens)
        return [self._verdict(m_index, marker, text, tokens, scored, hits)
                for m_index, marker in enumerate(self.markers)]

    def explain_one(self, text: str, marker: Marker) -> Verdict:
        """`explain(text)`'s verdict on one of this matcher's markers, working out only that
        marker's phrases and patterns (each is scored on its own, so the verdict is the same)."""
        m_index = next(i for i, m in enumerate(self.markers) if m is marker)
        tokens = self._reply(text)
        scored = self._score_phrases(tokens, only=self._by_marker[m_index])
        hits = self._find_patterns(tokens, only=self._patterns_of[m_index])
        return self._verdict(m_index, marker, text, tokens, scored, hits)

    def _find_patterns(self, tokens: list[Token], only: Sequence[int] | None = None) -> dict[int, PatternHit]:
        """Where each pattern matches (blocked ones included). Each pattern is tried only in
        the sentences that hold all its required elements (`_NeedMasks`), the rest not at all."""
        if not self.patterns or not tokens:
            return {}
        ids = [self._pattern_ids(token.text) for token in tokens]
        ends = sentence_ends(tokens)
        # Where each id occurs, where each sentence starts and ends, and for each pattern the
        # sentences that hold all its required elements (a bit per sentence).
        at: dict[int, list[int]] = defaultdict(list)  # id -> the tokens that hold it
        bounds: list[tuple[int, int]] = []
        allowed = (1 << len(self.patterns)) - 1
        if only is not None:
            allowed = sum(1 << index for index in set(only))
        viable: dict[int, int] = defaultdict(int)  # pattern -> sentences it may match in
        begin = 0
        while begin < len(tokens):
            end, bit = ends[begin], 1 << len(bounds)
            bounds.append((begin, end))
            words: set[int] = set()
            for k in range(begin, end):
                words.update(ids[k])
                for w_index in ids[k]:
                    at[w_index].append(k)
            through = self._need_masks.let_through(words) & allowed
            while through:
                lowest = through & -through
                viable[lowest.bit_length() - 1] |= bit
                through ^= lowest
            begin = end
        present = set(at)
        sentence_of = [number for number, (begin, end) in enumerate(bounds) for _ in range(begin, end)]
        need_tokens: dict[frozenset[int], list[int]] = {}  # a required element -> the tokens that may start it

        def located(need: frozenset[int]) -> list[int]:
            found = need_tokens.get(need)
            if found is None:
                found = need_tokens[need] = sorted(k for w_index in need & present for k in at[w_index])
            return found

        hits = {}
        held: dict[tuple[int, int], bool] = {}  # excluded elements found per sentence (see `find`)
        for index in sorted(viable):
            pattern = self.patterns[index]
            sentences = viable[index]
            if sentences:
                if pattern.starts is None:
                    positions = [k for number, (begin, end) in enumerate(bounds) if sentences >> number & 1
                                 for k in range(begin, end)]
                else:  # only where its first element can start, in those sentences
                    positions = sorted({k for w_index in pattern.starts & present for k in at[w_index]
                                        if sentences >> sentence_of[k] & 1})
                positions = _chained(pattern, positions, ends, located)
                if not positions:
                    continue
                hit = find(pattern, tokens, ids, ends, positions, held)
                if hit is not None:
                    hits[index] = hit
        return hits

    def _score_phrases(self, tokens: list[Token], firing_only: bool = False,
                       only: Sequence[int] | None = None, decided: Collection[int] = ()) -> dict[int, _Scored]:
        """Best window score of every phrase that shares words with the reply; with
        `firing_only`, of just the phrases that fire (all `match` needs): a phrase with too
        few of its words in the reply to reach its threshold is never scored, nor one of the
        `decided` markers."""
        similar = [() if token.text in STOP_WORDS else self._similar(token.text) for token in tokens]
        slots_of = self._slots
        wanted: set[int] | None = None if only is None else set(only)
        if firing_only:
            # A window lies within one clause: count the phrase words each clause holds.
            masks: dict[int, int] = {}  # clause * phrases + phrase -> bit per content word held
            phrases = len(self.phrases)
            for found, token in zip(similar, tokens):
                base = token.clause * phrases
                for w_index, _ in found:
                    for p_index, _, bit in slots_of[w_index]:
                        key = base + p_index
                        masks[key] = masks.get(key, 0) | bit
            need = self._need
            wanted = {key % phrases for key, mask in masks.items() if mask.bit_count() >= need[key % phrases]}
            if decided:
                wanted = {p_index for p_index in wanted if self.phrases[p_index].marker not in decided}
            if not wanted:
                return {}
        # hits[phrase][slot] -> list of (token index, similarity)
        hits: dict[int, dict[int, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
        for position, found in enumerate(similar):
            for w_index, similarity in found:
                for p_index, slot, _ in slots_of[w_index]:
                    if wanted is None or p_index in wanted:
                        hits[p_index][slot].append((position, similarity))
        reply = _Words(tokens)
        scored = {}
        for p_index, slots in hits.items():
            phrase = self.phrases[p_index]
            if phrase.mode == "sequence":
                result = self._best_sequence(phrase, slots, reply, firing_only)
            else:
                ceiling = sum(max(sim for _, sim in found) for found in slots.values()) / len(phrase.content)
                if ceiling < phrase.threshold or not phrase.can_fire:
                    if firing_only:
                        continue
                    # Cannot fire wherever the words are: skip the window search, keep the figure.
                    positions = [pos for found in slots.values() for pos, _ in found]
                    result = _Scored(ceiling, None, min(positions), max(positions))
                else:
                    result = self._best_window(phrase, slots, tokens, firing_only)
            if result is not None:
                scored[p_index] = result
        return scored

    def _best_window(self, phrase: Phrase, slots: dict[int, list[tuple[int, float]]], tokens: list[Token],
                     firing_only: bool) -> _Scored | None:
        """Score the phrase's content words inside each window that starts at a hit."""
        width = phrase.length + WINDOW_SLACK
        starts = sorted({position for found in slots.values() for position, _ in found})
        candidates = []
        for start in starts:
            total, last = 0.0, start
            clause = tokens[start].clause
            unscoped = False
            for slot, found in slots.items():
                in_window = [(sim, pos) for pos, sim in found
                             if start <= pos < start + width and tokens[pos].clause == clause]
                if in_window:
                    similarity, position = max(in_window)
                    total += similarity
                    last = max(last, position)
                    if any(slot == governed and not _in_scope(tokens, position, gap)
                           for governed, gap in phrase.negated_slots):
                        unscoped = True
            score = total / len(phrase.content)
            if not firing_only or score >= phrase.threshold:
                judged = self._judge(phrase, tokens, score, start, last)
                if unscoped and judged.blocked is None:
                    judged = _Scored(judged.score, "negated", judged.first, judged.last)
                candidates.append(judged)
        return _pick(candidates, phrase.threshold, firing_only)

    def _best_sequence(self, phrase: Phrase, slots: dict[int, list[tuple[int, float]]],
                       reply: _Words, firing_only: bool) -> _Scored | None:
        """Score a stop-word-heavy phrase by its whole word sequence, near-verbatim."""
        target = " ".join(phrase.words)
        cutoff = phrase.threshold if firing_only else None
        tokens, count, length = reply.tokens, len(reply.tokens), phrase.length
        text, at, ends = reply.joined()
        ratio, judge = fuzz.ratio, self._judge
        candidates = []
        # Short phrases may not shrink: "it was a disaster" is not "was a disaster".
        stretches = (-1, 0, 1) if length > 4 else (0, 1)
        for slot, found in slots.items():
            offset = phrase.content_at[slot]
            for position, _ in found:
                for shift in (-1, 0, 1):
                    start = position - offset + shift
                    first = start if start > 0 else 0
                    for stretch in stretches:
                        stop = start + length + stretch
                        last = (stop if stop < count else count) - 1
                        if last >= first:
                            score = ratio(text[at[first]:ends[last]], target, score_cutoff=cutoff)
                            if not firing_only or score:
                                candidates.append(judge(phrase, tokens, score, first, last))
        return _pick(candidates, phrase.threshold, firing_only)

    @staticmethod
    def _judge(phrase: Phrase, tokens: list[Token], score: float, first: int, last: int) -> _Scored:
        """A scored window, blocked if negated or said of someone else than the phrase says."""
        blocked = None
        acts = phrase.subject if phrase.mode == "words" else None
        if acts:
            # "you take the credit" is not "I'll take the credit": look just before the
            # matched words for who acts.
            clause = tokens[first].clause
            lead = phrase.content_at[0] + PRONOUN_REACH
            said = {t.text for t in tokens[max(0, first - lead):first] if t.clause == clause}
            other = "you" if acts == "i" else "i"
            if acts not in said and other in said:
                blocked = "someone else"
        first, last = _widen(phrase, tokens, first, last)
        negations = _count(tokens, first, last, NEGATION_REACH, NEGATION_WORDS.__contains__)
        if not phrase.negations:
            negated = negations > 0
        elif phrase.mode == "sequence":
            # A near-verbatim phrase must carry its own negation inside the window:
            # "to your manager" is not "not your manager".
            negated = _count(tokens, first, last, 0, NEGATION_WORDS.__contains__) != phrase.negations
        else:
            # The phrase carries its own negation ("you never listen", "no input into"): the
            # reply needs one too, and a second one close before it turns it around again
            # ("I'm not saying you never listen"); a "don't" further back does not.
            close = _count(tokens, first, last, NEGATION_REACH_AGAIN, NEGATION_WORDS.__contains__)
            negated = negations == 0 or close > phrase.negations
        if negated:
            blocked = "negated"
        return _Scored(score, blocked, first, last)

    def _verdict(self, m_index: int, marker: Marker, text: str, tokens: list[Token],
                 scored: dict[int, _Scored], hits: dict[int, PatternHit]) -> Verdict:
        pattern_verdict = self._pattern_verdict(m_index, marker, text, tokens, hits)
        if pattern_verdict is not None and pattern_verdict.fired:
            return pattern_verdict
        verdict = self._phrase_verdict(m_index, marker, text, tokens, scored)
        if pattern_verdict is not None and not verdict.fired and verdict.reason not in ("negated", "someone else"):
            return pattern_verdict  # a blocked pattern says more than a phrase that was far off
        return verdict

    def _pattern_verdict(self, m_index: int, marker: Marker, text: str, tokens: list[Token],
                         hits: dict[int, PatternHit]) -> Verdict | None:
        """The marker's first pattern that fired, else its first blocked one, else None."""
        found = [(hit.blocked is None, -index, index, hit) for index in self._patterns_of[m_index]
                 if (hit := hits.get(index)) is not None]
        if not found:
            return None
        fired, _, index, hit = max(found, key=lambda f: f[:2])
        start, end = tokens[hit.first].start, tokens[hit.last].end
        parts = tuple((source, text[tokens[first].start:tokens[last].end]) for source, first, last in hit.parts)
        return Verdict(marker, fired, "fired" if fired else hit.blocked or "negated", hit.score, WORD_SIMILARITY,
                       self.patterns[index].text, text[start:end], start, end, parts)

    def _phrase_verdict(self, m_index: int, marker: Marker, text: str, tokens: list[Token],
                        scored: dict[int, _Scored]) -> Verdict:
        candidates = []
        for p_index in self._by_marker[m_index]:
            phrase = self.phrases[p_index]
            result = scored.get(p_index)
            if result is None:
                continue
            if not phrase.can_fire:
                reason = "phrase too short"
            elif result.score < phrase.threshold:
                reason = "below threshold"
            elif result.blocked:
                reason = result.blocked
            else:
                reason = "fired"
            candidates.append((reason == "fired", result.score, -p_index, reason, phrase, result))
        if not candidates:
            first = self.phrases[self._by_marker[m_index][0]] if self._by_marker[m_index] else None
            if first is None and self._patterns_of[m_index]:
                return Verdict(marker, False, "no pattern matched", 0.0, WORD_SIMILARITY,
                               self.patterns[self._patterns_of[m_index][0]].text, "")
            return Verdict(marker, False, "no words in common", 0.0,
                           first.threshold if first else 0.0, first.text if first else "", "")
        fired, score, _, reason, phrase, result = max(candidates, key=lambda c: c[:3])
        first_token, last_token = _widen(phrase, tokens, result.first, result.last)
        start, end = tokens[first_token].start, tokens[last_token].end
        return Verdict(marker, fired, reason, score, phrase.threshold, phrase.text, text[start:end], start, end)


# -- libraries compiled once per run ------------------------------------------------------------

MAX_SHARED_LIBRARIES = 8  # library sets kept compiled during a `shared_libraries()` run
_shared: dict[tuple[int, ...], tuple[tuple[Marker, ...], Matcher]] | None = None


@contextmanager
def shared_libraries() -> Iterator[None]:
    """While this holds, scenarios that include the same marker libraries derive their matchers
    from one compiled copy of them (`Matcher.derive`), so checking many scenario files compiles
    each library once, not once per file. The copies are dropped when it ends."""
    global _shared
    outer, _shared = _shared, {} if _shared is None else _shared
    try:
        yield
    finally:
        _shared = outer


def compile_markers(markers: Sequence[Marker], synonyms: Synonyms, classes: dict[str, tuple[str, ...]],
                    library: int = 0) -> Matcher:
    """A matcher for `markers`, whose first `library` come from shared marker libraries: inside
    `shared_libraries()`, derived from those libraries' compiled copy; otherwise built whole."""
    if _shared is None or library == 0:
        return Matcher(markers, synonyms, classes)
    prefix = tuple(markers[:library])
    key = tuple(id(marker) for marker in prefix)  # the prefix is kept with the entry: its ids stay valid
    entry = _shared.get(key)
    if entry is None:
        if len(_shared) >= MAX_SHARED_LIBRARIES:
            del _shared[next(iter(_shared))]
        entry = _shared[key] = (prefix, Matcher(prefix, synonyms, classes, shared=True))
    return entry[1].derive(markers, synonyms, classes)
