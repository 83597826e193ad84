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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from coach.conversation.patterns import CompiledPattern, PatternCompiler, PatternHit, find, sentence_ends
from coach.conversation.text import NEGATION_WORDS, STOP_WORDS, Synonyms, Token, tokenize
from coach.scenario.models import Marker

WORD_SIMILARITY = 80.0  # fuzz.ratio two words need to count as the same word
WINDOW_SLACK = 3  # extra words a window may hold beyond the phrase's own
SUBJECTS = ("i", "you")
SHORT_WORD = 4  # words this short must share their first letter to count as alike ("send" is not "end")
NEGATION_REACH = 5  # words before a match that can negate it (same clause only)
NEGATION_REACH_AGAIN = 3  # words before a negative phrase that can turn it around again
PRONOUN_REACH = 2  # words before a match where its subject ("I", "you") may stand
MIN_LONE_WORD = 8  # a phrase of one long word (and at most one small one) may match it anywhere
PATTERN_FUZZY_MIN = 5  # pattern words and reply words both this long may differ a little ("not" is not "note")
PATTERN_SIMILARITY = 88.0  # and only this little: "fixed" is not "fired", "interupted" is "interrupted"
MIN_SEQUENCE_WORDS = 3  # a phrase with few content words needs this many words in all
SEQUENCE_THRESHOLD = 90.0


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


def _pick(candidates: list[_Scored], threshold: float) -> _Scored:
    """The window to report: the best that fires, else the best blocked one that would
    have (so explanations say "negated"), else simply the best."""
    clear = [c for c in candidates if c.blocked is None and c.score >= threshold]
    if clear:
        return max(clear, key=lambda c: c.score)
    blocked = [c for c in candidates if c.score >= threshold]
    return max(blocked or candidates, key=lambda c: c.score)


def _count(tokens: list[Token], first: int, last: int, reach: int, wanted) -> int:
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


def _deletions(word: str) -> set[str]:
    """The word with up to one (two for long words) letters deleted: SymSpell keys."""
    if len(word) < 4:
        return {word}
    keys = {word}
    frontier = {word}
    for _ in range(2 if len(word) >= 8 else 1):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        keys |= frontier
    return keys


class Matcher:
    """Every phrase and pattern of a set of markers, compiled for matching replies against them all."""

    def __init__(self, markers: Sequence[Marker], synonyms: Synonyms | None = None,
                 classes: dict[str, tuple[str, ...]] | None = None) -> None:
        self.markers = tuple(markers)
        self.synonyms = synonyms or Synonyms()
        self.classes = dict(classes or {})
        self.phrases: list[Phrase] = []
        self.patterns: list[CompiledPattern] = []
        self._vocabulary: dict[str, int] = {}
        self._words: list[str] = []  # word id -> word
        self._postings: list[list[tuple[int, int]]] = []  # word id -> (phrase, content slot)
        self._keys: dict[str, set[int]] = defaultdict(set)  # deletion key -> word ids
        self._by_marker: list[list[int]] = [[] for _ in self.markers]
        self._patterns_of: list[list[int]] = [[] for _ in self.markers]
        for m_index, marker in enumerate(self.markers):
            for text in marker.phrases:
                self._add(m_index, marker, text)
        compiler = PatternCompiler(self.classes, lambda text: tuple(t.text for t in self._tokens(text)), self._word_id)
        for m_index, marker in enumerate(self.markers):
            for pattern in marker.patterns:
                self._patterns_of[m_index].append(len(self.patterns))
                self.patterns.append(compiler.compile(m_index, pattern))
        self._similar = lru_cache(maxsize=20_000)(self._similar_words)

    def _word_id(self, word: str) -> int:
        """The vocabulary id of `word`, added (fuzzily findable, with no phrases) if new."""
        w_index = self._vocabulary.get(word)
        if w_index is None:
            w_index = self._vocabulary[word] = len(self._postings)
            self._words.append(word)
            self._postings.append([])
            for key in _deletions(word):
                self._keys[key].add(w_index)
        return w_index

    def _add(self, m_index: int, marker: Marker, text: str) -> None:
        words = tuple(t.text for t in self._tokens(text))
        content_at = tuple(i for i, word in enumerate(words) if word not in STOP_WORDS)
        content = tuple(words[i] for i in content_at)
        negations = sum(word in NEGATION_WORDS for word in words)
        mode = phrase_mode(words, content, len(content) == 1 and content[0] in self.synonyms.distinctive)
        threshold = marker.threshold if marker.threshold is not None else (
            SEQUENCE_THRESHOLD if mode == "sequence" else default_threshold(len(content)))
        phrase = Phrase(text, m_index, words, content, content_at, negations, mode,
                        phrase_subject(words, content_at), threshold)
        p_index = len(self.phrases)
        self.phrases.append(phrase)
        self._by_marker[m_index].append(p_index)
        for slot, word in enumerate(content):
            self._postings[self._word_id(word)].append((p_index, slot))

    def patterns_of(self, marker: Marker) -> list[CompiledPattern]:
        """The compiled patterns of one of this matcher's markers, in authored order."""
        m_index = next(i for i, m in enumerate(self.markers) if m is marker)
        return [self.patterns[index] for index in self._patterns_of[m_index]]

    def phrases_of(self, marker: Marker) -> list[Phrase]:
        """The compiled phrases of one of this matcher's markers, in authored order."""
        m_index = next(i for i, m in enumerate(self.markers) if m is marker)
        return [self.phrases[p_index] for p_index in self._by_marker[m_index]]

    def _tokens(self, text: str) -> list[Token]:
        return self.synonyms.fold(tokenize(text))

    def _similar_words(self, word: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary words close to `word`, with their similarity (0-100)."""
        exact = self._vocabulary.get(word)
        candidates: set[int] = set()
        for key in _deletions(word):
            candidates |= self._keys.get(key, set())
        found = {exact: 100.0} if exact is not None else {}
        for w_index in candidates:
            if w_index not in found:
                other = self._words[w_index]
                if min(len(word), len(other)) <= SHORT_WORD and word[0] != other[0]:
                    continue
                score = fuzz.ratio(word, other, score_cutoff=WORD_SIMILARITY)
                if score:
                    found[w_index] = score
        return tuple(found.items())

    # -- matching -----------------------------------------------------------------------

    def match(self, text: str) -> list[Match]:
        """The markers that fire on `text`, best score first (one match per marker)."""
        tokens = self._tokens(text)
        scored = self._score_phrases(tokens)
        hits = self._find_patterns(tokens)
        firing = {self.phrases[p].marker for p, s in scored.items()
                  if s.blocked is None and s.score >= self.phrases[p].threshold and self.phrases[p].can_fire}
        firing |= {self.patterns[index].marker for index, hit in hits.items() if hit.blocked is None}
        verdicts = [self._verdict(m, self.markers[m], text, tokens, scored, hits) for m in sorted(firing)]
        return [v.as_match() for v in sorted(verdicts, key=lambda v: -v.score)]

    def explain(self, text: str) -> list[Verdict]:
        """A verdict for every marker, in marker order: what fired, and why the rest did not."""
        tokens = self._tokens(text)
        scored = self._score_phrases(tokens)
        hits = self._find_patterns(tokens)
        return [self._verdict(m_index, marker, text, tokens, scored, hits)
                for m_index, marker in enumerate(self.markers)]

    def _find_patterns(self, tokens: list[Token]) -> dict[int, PatternHit]:
        """Where each pattern matches (blocked ones included), skipping patterns whose
        required words are not all in the reply."""
        if not self.patterns or not tokens:
            return {}
        ids = [{w_index: similarity for w_index, similarity in self._similar(token.text)
                if similarity == 100.0 or (similarity >= PATTERN_SIMILARITY
                                           and min(len(token.text), len(self._words[w_index])) >= PATTERN_FUZZY_MIN)}
               for token in tokens]
        present = set().union(*ids)
        ends = sentence_ends(tokens)
        hits = {}
        for index, pattern in enumerate(self.patterns):
            if all(not need.isdisjoint(present) for need in pattern.needs):
                hit = find(pattern, tokens, ids, ends)
                if hit is not None:
                    hits[index] = hit
        return hits

    def _score_phrases(self, tokens: list[Token]) -> dict[int, _Scored]:
        """Best window score of every phrase that shares enough words with the reply."""
        # hits[phrase][slot] -> list of (token index, similarity)
        hits: dict[int, dict[int, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
        for position, token in enumerate(tokens):
            if token.text in STOP_WORDS:
                continue
            for w_index, similarity in self._similar(token.text):
                for p_index, slot in self._postings[w_index]:
                    hits[p_index][slot].append((position, similarity))
        scored = {}
        for p_index, slots in hits.items():
            phrase = self.phrases[p_index]
            if phrase.mode == "sequence":
                scored[p_index] = self._best_sequence(phrase, slots, tokens)
                continue
            ceiling = sum(max(sim for _, sim in found) for found in slots.values()) / len(phrase.content)
            if ceiling < phrase.threshold or not phrase.can_fire:
                # Cannot fire wherever the words are: skip the window search, keep the figure.
                positions = [pos for found in slots.values() for pos, _ in found]
                scored[p_index] = _Scored(ceiling, None, min(positions), max(positions))
            else:
                scored[p_index] = self._best_window(phrase, slots, tokens)
        return scored

    def _best_window(self, phrase: Phrase, slots: dict[int, list[tuple[int, float]]], tokens: list[Token]) -> _Scored:
        """Score the phrase's content words inside each window that starts at a hit."""
        width = phrase.length + WINDOW_SLACK
        starts = sorted({position for found in slots.values() for position, _ in found})
        candidates = []
        for start in starts:
            total, last = 0.0, start
            clause = tokens[start].clause
            for found in slots.values():
                in_window = [(sim, pos) for pos, sim in found
                             if start <= pos < start + width and tokens[pos].clause == clause]
                if in_window:
                    similarity, position = max(in_window)
                    total += similarity
                    last = max(last, position)
            candidates.append(self._judge(phrase, tokens, total / len(phrase.content), start, last))
        return _pick(candidates, phrase.threshold)

    def _best_sequence(self, phrase: Phrase, slots: dict[int, list[tuple[int, float]]],
                       tokens: list[Token]) -> _Scored:
        """Score a stop-word-heavy phrase by its whole word sequence, near-verbatim."""
        target = " ".join(phrase.words)
        candidates = []
        for slot, found in slots.items():
            for position, _ in found:
                aligned = position - phrase.content_at[slot]
                # Short phrases may not shrink: "it was a disaster" is not "was a disaster".
                stretches = (-1, 0, 1) if phrase.length > 4 else (0, 1)
                for start, length in ((aligned + shift, phrase.length + stretch)
                                      for shift in (-1, 0, 1) for stretch in stretches):
                    first, last = max(start, 0), min(start + length, len(tokens)) - 1
                    if last >= first:
                        window = " ".join(token.text for token in tokens[first:last + 1])
                        candidates.append(self._judge(phrase, tokens, fuzz.ratio(window, target), first, last))
        return _pick(candidates, phrase.threshold)

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
        first, last = _widen(phrase, tokens, result.first, result.last)
        start, end = tokens[first].start, tokens[last].end
        return Verdict(marker, fired, reason, score, phrase.threshold, phrase.text, text[start:end], start, end)
