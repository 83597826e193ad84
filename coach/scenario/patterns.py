"""Marker patterns: what an author writes, parsed into a small tree (no matching here).

A pattern is a row of elements matched in order within one sentence of a reply, after the
same normalising as phrases (case, punctuation, contractions, fillers, synonyms):

    ~time-cue * you *6 ~impact        an SBI shape: when, you did, and what it caused

- `word`        a literal word, fuzzy like a phrase's words ("interupted" is "interrupted")
- `~class`      any word or short phrase of a named word class (`classes:` in a file)
- `"two words"` a literal phrase: its words in a row
- `[a b ~c]`    one of the alternatives (words, classes, phrases, groups)
- `{a b}`       optionally one of them
- `(a b)`       a group: a row of elements as one alternative, e.g. `[(go ahead) ~agree]`
- `*` / `*N`    a gap of up to 3 / up to N words (N from 1 to 9) between two elements
- `*,`          a gap into a later clause of the same sentence: the next element stands after a
                comma, colon, dash or "but" ("when you ~act *, ~consequence": "When you sent the
                report without checking the numbers, the client found two errors")
- `!word`       (also `!~class`, `!"a phrase"`) the sentence must not hold it anywhere
- `^`           first element only: the match starts a clause ("^ be more ~virtue" is an
                order, "I need to be more organised" is not)

The matcher (`coach.conversation.patterns`) compiles this tree against a scenario's word
classes and synonyms; the loader parses every pattern once, so a bad one is reported at its
file, line and column before anything is played.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

DEFAULT_GAP = 3  # words a bare `*` may skip
MAX_GAP = 9
MAX_ELEMENTS = 64  # elements in one pattern, counted through every bracket: a budget
MAX_LENGTH = 300  # characters of pattern text
CLASS_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_WORD = re.compile(r"[^\s\[\]{}()\"~*^]+")


class PatternError(ValueError):
    """A pattern that cannot be read, with the character offset of the fault."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Word:
    """A literal word or phrase (`"last week"`), normalised when compiled."""

    text: str
    offset: int


@dataclass(frozen=True, slots=True)
class ClassRef:
    """`~name`: any entry of a word class."""

    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Gap:
    """`*N`: up to `most` words of anything; `*,` (`clause`): any words up to a later clause."""

    most: int
    offset: int
    clause: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    """`[...]` (one of) or `{...}` (optionally one of)."""

    options: tuple[Node, ...]
    optional: bool
    offset: int


@dataclass(frozen=True, slots=True)
class Group:
    """`(...)`: elements in a row, used as one alternative."""

    items: tuple[Node, ...]
    offset: int


@dataclass(frozen=True, slots=True)
class Not:
    """`!x` while parsing; kept apart in `Pattern.excluded` once parsed."""

    node: Word | ClassRef
    offset: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """`^`: the match starts where a clause starts (first element only)."""

    offset: int


Node = Word | ClassRef | Gap | Choice | Group | Anchor


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed pattern: its text and its top-level elements, each with its source text."""

    text: str
    items: tuple[Node, ...]
    sources: tuple[str, ...]  # the text of each top-level element, for explanations
    excluded: tuple[Word | ClassRef, ...] = ()  # `!x`: words or classes the sentence must not hold

    def nodes(self) -> Iterator[Node]:
        """Every element of the pattern, nested ones and `!x` included, in order (for checks
        that look for one kind: the classes it names, the literal words it writes)."""

        def walk(node: Node) -> Iterator[Node]:
            yield node
            if isinstance(node, Choice):
                for option in node.options:
                    yield from walk(option)
            elif isinstance(node, Group):
                for item in node.items:
                    yield from walk(item)

        for item in (*self.items, *self.excluded):
            yield from walk(item)

    def classes(self) -> list[ClassRef]:
        """Every class the pattern names, in order (to check they exist)."""
        return [node for node in self.nodes() if isinstance(node, ClassRef)]


_CLOSERS = {"[": "]", "{": "}", "(": ")"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.count = 0

    def fail(self, message: str, offset: int | None = None) -> PatternError:
        return PatternError(message, self.at if offset is None else offset)

    def skip_space(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def row(self, closer: str | None, opened: int = 0) -> list[tuple[Node | Not, int, int]]:
        """Elements up to `closer` (or the end), each with its start and end offset."""
        items: list[tuple[Node | Not, int, int]] = []
        while True:
            self.skip_space()
            if self.at >= len(self.text):
                if closer:
                    raise self.fail(f"missing {closer!r} to close this bracket", opened)
                return items
            if self.text[self.at] == closer:
                return items
            start = self.at
            node = self.element(inside=closer is not None)
            items.append((node, start, self.at))

    def element(self, inside: bool) -> Node | Not:
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise self.fail(f"more than {MAX_ELEMENTS} elements: split it into several patterns")
        text, start = self.text, self.at
        char = text[start]
        if char in _CLOSERS:
            closer = _CLOSERS[char]
            self.at += 1
            # `element` refuses '!' inside brackets, so the filter only tells the type checker
            items = [(node, at, end) for node, at, end in self.row(closer, start) if not isinstance(node, Not)]
            self.at += 1
            if not items:
                raise self.fail(f"empty {char}{closer}: put words, ~classes or phrases inside", start)
            for node, offset, _ in items:
                if isinstance(node, Gap) and char != "(":
                    raise self.fail("a gap (*) cannot be an alternative: put it outside the brackets", offset)
            nodes = tuple(node for node, _, _ in items)
            if char == "(":
                _check_gaps(items)
                return Group(nodes, start)
            return Choice(nodes, char == "{", start)
        if char == "!":
            if inside:
                raise self.fail("'!' (must not hold) can only stand at the top level, not in brackets")
            self.at += 1
            if self.at >= len(text) or text[self.at].isspace() or text[self.at] in "[]{}()*!":
                raise self.fail("'!' must be followed by a word, a ~class or a \"phrase\"", start)
            negated = self.element(inside=False)
            assert isinstance(negated, Word | ClassRef)  # the check above leaves a word, a ~class or a "phrase"
            return Not(negated, start)
        if char in "]})":
            raise self.fail(f"{char!r} closes a bracket that was never opened")
        if char == "^":
            if inside or self.count > 1:
                raise self.fail("'^' (start of a clause) can only be the first element of a pattern")
            self.at += 1
            return Anchor(start)
        if char == "~":
            match = CLASS_NAME.match(text, start + 1)
            if not match:
                raise self.fail("'~' must be followed by a class name (lower-case letters, digits, '-', '_')")
            self.at = match.end()
            return ClassRef(match.group(), start)
        if char == "*":
            self.at += 1
            if text.startswith(",", self.at):
                self.at += 1
                return Gap(MAX_GAP, start, clause=True)
            digits = re.match(r"\d+", text[self.at:])
            most = DEFAULT_GAP
            if digits:
                most = int(digits.group())
                self.at += len(digits.group())
                if not 1 <= most <= MAX_GAP:
                    raise self.fail(f"a gap can skip 1 to {MAX_GAP} words, not {most}", start)
            return Gap(most, start)
        if char == '"':
            end = text.find('"', start + 1)
            if end < 0:
                raise self.fail('missing \'"\' to close the phrase')
            self.at = end + 1
            phrase = " ".join(text[start + 1:end].split())
            if not phrase or not _WORD.fullmatch(phrase.replace(" ", "")):
                raise self.fail('a quoted phrase holds plain words only', start)
            return Word(phrase, start)
        match = _WORD.match(text, start)
        assert match  # any other character starts a word
        self.at = match.end()
        return Word(match.group(), start)


def _check_gaps(items: list[tuple[Node, int, int]]) -> None:
    """Gaps only between two elements, never two in a row."""
    for index, (node, offset, _) in enumerate(items):
        if not isinstance(node, Gap):
            continue
        if index == 0 or index == len(items) - 1:
            raise PatternError("a gap (*) must stand between two elements, not at the start or end", offset)
        if isinstance(items[index - 1][0], Gap):
            raise PatternError("two gaps in a row: write one, e.g. *6", offset)


def _required(node: Node) -> bool:
    """Whether the element must match some words (an optional part or a gap need not)."""
    if isinstance(node, Choice):
        return not node.optional and any(_required(option) for option in node.options)
    if isinstance(node, Group):
        return any(_required(item) for item in node.items)
    return not isinstance(node, Gap | Anchor)


def parse_pattern(text: str) -> Pattern:
    """Parse one pattern; raises `PatternError` with the offset of what is wrong."""
    if len(text) > MAX_LENGTH:
        raise PatternError(f"longer than {MAX_LENGTH} characters: split it into several patterns", 0)
    parser = _Parser(text)
    row = parser.row(None)
    excluded = tuple(node.node for node, _, _ in row if isinstance(node, Not))
    items = [(node, start, end) for node, start, end in row if not isinstance(node, Not)]
    if not items:
        raise PatternError("empty pattern" if not row else "a pattern needs more than '!' parts", 0)
    _check_gaps(items)
    if not any(_required(node) for node, _, _ in items):
        raise PatternError("every element is optional, so it would match anything: make one required", 0)
    return Pattern(" ".join(text.split()), tuple(node for node, _, _ in items),
                   tuple(text[start:end] for _, start, end in items), excluded)
