"""Match marker patterns (`coach.scenario.patterns`) against a reply's tokens.

A pattern is compiled once, with the matcher: its literal words and its classes' entries are
normalised like phrases (synonyms folded) and looked up as word ids of the matcher's fuzzy
vocabulary, so a typo in a reply still meets a pattern word. Per reply, each token is turned
into the set of vocabulary ids it is close to; a pattern whose required words are not all
present is skipped without trying, the rest are tried at every start by a small backtracking
search (gaps are bounded, so it stays cheap).

What a match may span, decided here:
- one **sentence**: elements and gaps may run over commas ("In yesterday's review, you cut
  Sam off, and Sam stopped contributing"), never over a full stop, `?`, `!` or `;`;
- a **negation** the pattern does not match itself blocks it when it stands just before the
  match (up to `NEGATION_REACH` words, same clause: "I won't say you're lazy") or in the gap
  just before one of its elements (up to `GAP_NEGATION_REACH` words: "you are not lazy"
  does not fire `you are ~trait`). A pattern that wants a negation names it (`[not never]`),
  and one that tolerates it says so with an optional `{not}`;
- **who** is meant is written into the pattern (`you`, `i`), so "I'm lazy" does not fire
  `you are ~trait`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from coach.conversation.text import NEGATION_WORDS, Token
from coach.scenario.patterns import Anchor, ClassRef, Gap, Group, Node, Pattern, Word
from coach.scenario.patterns import Choice as ChoiceNode

NEGATION_REACH = 5  # words before a match that can negate it (same clause)
GAP_NEGATION_REACH = 3  # words before an element, inside the match, that can negate it
MAX_STEPS = 5_000  # backtracking steps per pattern and reply: a budget, never reached by sane patterns

Ids = tuple[int, ...]  # a normalised word sequence, as vocabulary word ids


@dataclass(frozen=True, slots=True)
class _Seq:
    """Word sequences, any of which matches (a literal has one, a class many)."""

    forms: tuple[Ids, ...]
    label: str  # how explanations name it
    by_first: dict[int, tuple[Ids, ...]] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        grouped: dict[int, list[Ids]] = {}
        for form in self.forms:
            grouped.setdefault(form[0], []).append(form)
        self.by_first.update((first, tuple(forms)) for first, forms in grouped.items())


@dataclass(frozen=True, slots=True)
class _Gap:
    most: int
    clause: bool = False  # `*,`: the next element stands in a later clause of the sentence


@dataclass(frozen=True, slots=True)
class _Anchor:
    """`^`: matches no words, only where a clause starts."""


@dataclass(frozen=True, slots=True)
class _Choice:
    options: tuple[tuple[object, ...], ...]  # each option: a row of compiled elements
    optional: bool


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A pattern ready to match: rows of `_Seq`/`_Gap`/`_Choice`, and what it needs present."""

    marker: int
    text: str
    items: tuple[object, ...]
    sources: tuple[str, ...]
    needs: tuple[frozenset[int], ...]  # for each required element: ids of which one must occur
    starts: frozenset[int] | None  # ids a match must start with (None: the first element is optional)
    empty: tuple[str, ...] = ()  # literal words that normalised to nothing (lint reports them)
    excluded: tuple[_Seq, ...] = ()  # `!x`: the sentence must not hold any of these
    reach: int = 0  # the most tokens a match can span (its elements' longest forms and widest gaps)


@dataclass(frozen=True, slots=True)
class PatternHit:
    """Where a pattern matched: token span, the words of each top-level element, blocked or not."""

    first: int
    last: int
    parts: tuple[tuple[str, int, int], ...]  # (element as written, first and last token it took)
    score: float
    blocked: str | None


class PatternCompiler:
    """Compiles pattern trees against word classes, through a normaliser and a vocabulary."""

    def __init__(self, classes: dict[str, tuple[str, ...]], normalise: Callable[[str], tuple[str, ...]],
                 word_id: Callable[[str], int]) -> None:
        self.classes = classes
        self._normalise = normalise
        self._normalised: dict[str, tuple[str, ...]] = {}  # the same words recur in many patterns
        self.word_id = word_id
        self._class_forms: dict[str, tuple[Ids, ...]] = {}
        self._class_seqs: dict[str, _Seq] = {}  # one per class: many patterns name the same ones
        self.empty: list[str] = []

    def normalise(self, text: str) -> tuple[str, ...]:
        words = self._normalised.get(text)
        if words is None:
            words = self._normalised[text] = self._normalise(text)
        return words

    def _forms(self, name: str) -> tuple[Ids, ...]:
        forms = self._class_forms.get(name)
        if forms is None:
            found = []
            for entry in self.classes.get(name, ()):
                words = self.normalise(entry)
                if words:
                    ids = tuple(self.word_id(word) for word in words)
                    if ids not in found:
                        found.append(ids)
            # Longest first, so "last week" is preferred to "last".
            forms = self._class_forms[name] = tuple(sorted(found, key=len, reverse=True))
        return forms

    def compile(self, marker: int, pattern: Pattern) -> CompiledPattern:
        self.empty = []
        items = tuple(self._node(node) for node in pattern.items)
        needs = tuple(need for item in items if (need := _needs(item)) is not None)
        excluded = tuple(self._node(node) for node in pattern.excluded)
        first = items[1] if isinstance(items[0], _Anchor) else items[0]  # a pattern is more than `^`
        return CompiledPattern(marker, pattern.text, items, pattern.sources, needs, _first_ids(first),
                               tuple(self.empty), excluded, sum(_reach(item) for item in items))  # type: ignore[arg-type]

    def _node(self, node: Node) -> object:
        if isinstance(node, Word):
            words = self.normalise(node.text)
            if not words:
                self.empty.append(node.text)
                return _Seq((), node.text)
            return _Seq((tuple(self.word_id(word) for word in words),), node.text)
        if isinstance(node, ClassRef):
            seq = self._class_seqs.get(node.name)
            if seq is None:
                seq = self._class_seqs[node.name] = _Seq(self._forms(node.name), f"~{node.name}")
            return seq
        if isinstance(node, Gap):
            return _Gap(node.most, node.clause)
        if isinstance(node, Anchor):
            return _Anchor()
        if isinstance(node, Group):
            return _Choice((tuple(self._node(item) for item in node.items),), False)
        assert isinstance(node, ChoiceNode)
        return _Choice(tuple((self._node(option),) for option in node.options), node.optional)


UNBOUNDED = 10**9  # the reach of an element this function does not know: no bound at all


def _reach(item: object) -> int:
    """The most tokens `item` can match (`UNBOUNDED` for a kind of element not listed here, so
    that the reach only ever rules out what cannot match)."""
    if isinstance(item, _Seq):
        return max((len(form) for form in item.forms), default=0)
    if isinstance(item, _Gap):  # `*,` reaches into any later clause of the sentence
        return UNBOUNDED if item.clause else item.most
    if isinstance(item, _Choice):
        return max((sum(_reach(element) for element in row) for row in item.options), default=0)
    return UNBOUNDED


def _needs(item: object) -> frozenset[int] | None:
    """First-word ids of which one must occur for `item` to match (None: nothing required)."""
    if isinstance(item, _Seq):
        return frozenset(form[0] for form in item.forms) if item.forms else None
    if isinstance(item, _Choice) and not item.optional:
        found: set[int] = set()
        for row in item.options:
            row_needs = [need for element in row if (need := _needs(element)) is not None]
            if not row_needs:
                return None  # this option can match without any particular word
            found |= row_needs[0]
        return frozenset(found)
    return None


def _first_ids(item: object) -> frozenset[int] | None:
    """Ids the first word of a match of `item` must have (None: it may start anywhere)."""
    if isinstance(item, _Seq):
        return frozenset(item.by_first)
    if isinstance(item, _Choice) and not item.optional:
        found: set[int] = set()
        for row in item.options:
            first = _first_ids(row[0]) if row else None
            if first is None:
                return None
            found |= first
        return frozenset(found)
    return None


# -- matching ---------------------------------------------------------------------------------

# A step of a match: (top-level element index, first token, last token + 1, the form's word ids)
_Span = tuple[int, int, int, Ids]


class _Search:
    """One pattern against one reply."""

    def __init__(self, pattern: CompiledPattern, tokens: list[Token], ids: list[dict[int, float]]) -> None:
        self.pattern = pattern
        self.tokens = tokens
        self.ids = ids  # per token: vocabulary word id -> similarity
        self.steps = 0

    def seq(self, element: _Seq, pos: int, end: int) -> list[Ids]:
        """Every form of `element` that matches at `pos` (longest first)."""
        if pos >= end:
            return []
        ids = self.ids
        found = []
        for first in ids[pos]:
            for form in element.by_first.get(first, ()):
                size = len(form)
                if size == 1 or (pos + size <= end and all(form[k] in ids[pos + k] for k in range(1, size))):
                    found.append(form)
        if len(found) > 1:
            found.sort(key=len, reverse=True)
        return found

    def row(self, items: tuple[object, ...], index: int, pos: int, end: int, top: int | None,
            spans: list[_Span]) -> Iterator[int]:
        """Match `items[index:]` from `pos`; yields end positions, filling `spans` as it goes."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            return
        if index == len(items):
            yield pos
            return
        item = items[index]
        owner = index if top is None else top
        if isinstance(item, _Anchor):
            if pos == 0 or self.tokens[pos - 1].clause != self.tokens[pos].clause:
                yield from self.row(items, index + 1, pos, end, top, spans)
            return
        if isinstance(item, _Gap):
            after = items[index + 1] if index + 1 < len(items) else None
            firsts = after.by_first.keys() if isinstance(after, _Seq) else None
            skips: Iterable[int]
            if item.clause:  # past the end of this clause, then anywhere in the sentence
                clause = self.tokens[pos - 1].clause if pos > 0 else -1
                skips = [at - pos for at in range(pos, end) if self.tokens[at].clause != clause]
            else:
                skips = range(min(item.most, end - pos) + 1)
            for skip in skips:
                at = pos + skip
                if firsts is not None and (at >= end or firsts.isdisjoint(self.ids[at].keys())):
                    # The word after the gap cannot start here: count the step that call
                    # would have taken (the budget stays the same) and skip it.
                    self.steps += 1
                    if self.steps > MAX_STEPS:
                        return
                    continue
                yield from self.row(items, index + 1, at, end, top, spans)
            return
        if isinstance(item, _Seq):
            for form in self.seq(item, pos, end):
                spans.append((owner, pos, pos + len(form), form))
                yield from self.row(items, index + 1, pos + len(form), end, top, spans)
                spans.pop()
            return
        assert isinstance(item, _Choice)
        for option in item.options:
            mark = len(spans)
            for stop in self.row(option, 0, pos, end, owner, spans):
                yield from self.row(items, index + 1, stop, end, top, spans)
            del spans[mark:]
        if item.optional:
            yield from self.row(items, index + 1, pos, end, top, spans)

    def find(self, sentence_ends: list[int], positions: Iterable[int]) -> PatternHit | None:
        """The first unblocked match, else the first blocked one (to explain), else None.
        `sentence_ends[k]`: where the sentence of token k ends; `positions`: where a match
        may start (ascending; the rest of the reply cannot hold one)."""
        items, starts = self.pattern.items, self.pattern.starts
        blocked_hit = None
        excluded_ends: dict[int, bool] = {}
        for start in positions:
            if starts is not None and starts.isdisjoint(self.ids[start]):
                continue
            end = sentence_ends[start]
            if self.pattern.excluded:
                if end not in excluded_ends:
                    begin = start
                    while begin > 0 and sentence_ends[begin - 1] == end:
                        begin -= 1
                    excluded_ends[end] = any(self.seq(element, k, end)
                                             for element in self.pattern.excluded for k in range(begin, end))
                if excluded_ends[end]:
                    continue
            spans: list[_Span] = []
            for stop in self.row(items, 0, start, end, None, spans):
                if stop == start or not spans:
                    continue
                hit = self._hit(spans)
                if hit.blocked is None:
                    return hit
                blocked_hit = blocked_hit or hit
            if self.steps > MAX_STEPS:
                break
        return blocked_hit

    def _negated(self, spans: list[_Span]) -> bool:
        """Whether a negation the pattern did not match itself stands just before the match
        or just before one of its elements."""
        tokens = self.tokens
        own = {k for _, first, stop, _ in spans for k in range(first, stop)}
        previous_end = None
        for _, first, stop, _ in spans:
            reach = NEGATION_REACH if previous_end is None else min(GAP_NEGATION_REACH, first - previous_end)
            k = first - 1
            while k >= 0 and first - k <= reach and tokens[k].clause == tokens[first].clause:
                if tokens[k].text in NEGATION_WORDS and k not in own:
                    return True
                k -= 1
            previous_end = stop
        return False

    def _hit(self, spans: list[_Span]) -> PatternHit:
        similarities = [self.ids[first + k][word] for _, first, _, form in spans for k, word in enumerate(form)]
        parts: dict[int, tuple[int, int]] = {}
        for owner, first, stop, _ in spans:
            begin, _ = parts.get(owner, (first, stop))
            parts[owner] = (begin, stop - 1)
        return PatternHit(
            spans[0][1], spans[-1][2] - 1,
            tuple((self.pattern.sources[owner], first, last) for owner, (first, last) in sorted(parts.items())),
            sum(similarities) / len(similarities), "negated" if self._negated(spans) else None)


def sentence_ends(tokens: list[Token]) -> list[int]:
    """For each token, the index just past the last token of its sentence."""
    ends = [0] * len(tokens)
    end = len(tokens)
    for k in range(len(tokens) - 1, -1, -1):
        if k + 1 < len(tokens) and tokens[k + 1].sentence != tokens[k].sentence:
            end = k + 1
        ends[k] = end
    return ends


def find(pattern: CompiledPattern, tokens: list[Token], ids: list[dict[int, float]],
         ends: list[int] | None = None, positions: Iterable[int] | None = None) -> PatternHit | None:
    """Where `pattern` matches `tokens` (each token's close vocabulary ids in `ids`), if anywhere;
    only starts at `positions` are tried (default: every token)."""
    return _Search(pattern, tokens, ids).find(sentence_ends(tokens) if ends is None else ends,
                                              range(len(tokens)) if positions is None else positions)
