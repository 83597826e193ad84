"""Read a YAML file safely into plain data, remembering where every value came from.

PyYAML's safe loaders drop positions, so we take the parser's events (from the C parser when
libyaml is present) and build the data ourselves. That lets every later check point at
`file:line:col`, refuse tags that are not plain data, refuse duplicate keys, and hold every
file to the budgets of `coach.scenario.budgets` (size, text after alias expansion, values,
nesting, keys, numbers) while it is read, before it can cost more than they allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator, MutableMapping
from typing import Any

from coach.errors import CoachError, Problem
from coach.scenario.budgets import (
    MAX_DEPTH,
    MAX_EXPANDED_CHARS,
    MAX_FILE_BYTES,
    MAX_KEYS,
    MAX_NUMBER_DIGITS,
    MAX_TEXT_CHARS,
    MAX_VALUES,
)

MAX_BYTES = MAX_FILE_BYTES  # the name other modules and tests use

_PLAIN = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_PLAIN + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

Where = tuple[str | int, ...]
"""A path into the data: mapping keys and sequence indexes, from the top."""


@dataclass
class Document:
    """A YAML file's data plus the line and column of each value and mapping key."""

    path: Path
    data: Any
    values: MutableMapping[Where, tuple[int, int]] = field(default_factory=dict)  # a lazy table from the cache
    keys: MutableMapping[Where, tuple[int, int]] = field(default_factory=dict)
    _indexes: dict[tuple[Where, str], dict[Any, int]] = field(default_factory=dict, repr=False, compare=False)

    def index_of(self, where: Where, value: Any, key: str = "id") -> int | None:
        """Position, in the list at `where`, of the first mapping whose `key` is `value`.

        Each list is indexed once, so finding every marker of a large file stays linear.
        """
        index = self._indexes.get((where, key))
        if index is None:
            items = self.data
            for part in where:
                items = items.get(part) if isinstance(items, dict) else None
            index = {}
            for position, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, dict) and key in item:
                    index.setdefault(item[key], position)
            self._indexes[(where, key)] = index
        return index.get(value)

    def locate(self, where: Where, *, key: bool = False) -> tuple[int, int] | None:
        """Line and column (1-based) of `where`, or of its nearest known parent."""
        where = tuple(where)
        if key and where in self.keys:
            return self.keys[where]
        while where:
            if where in self.values:
                return self.values[where]
            where = where[:-1]
        return self.values.get((), (1, 1))

    def problem(self, where: Where, message: str, *, severity: str = "error", key: bool = False) -> Problem:
        """A problem pointing at the value (or key) found at `where`."""
        line, column = self.locate(where, key=key) or (None, None)
        return Problem(message, self.path, line, column, severity)


def read_text(path: Path) -> str:
    """The file's text, refusing what is too large or is not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CoachError(Problem(f"file is {size:,} bytes; the limit is {MAX_BYTES:,} (1 MiB)", path))
        raw = path.read_bytes()
    except OSError as exc:
        raise CoachError(Problem(f"cannot read file: {exc.strerror or exc}", path)) from None
    if len(raw) > MAX_BYTES:
        raise CoachError(Problem(f"file is larger than {MAX_BYTES:,} bytes (1 MiB)", path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CoachError(Problem("file is not UTF-8 text", path, line)) from None


def load_document(path: Path) -> Document:
    """Parse one YAML file into a `Document`; any problem raises `CoachError`."""
    return parse_document(read_text(path), path)


def parse_document(text: str, path: Path) -> Document:
    """Parse YAML text (already read) into a `Document`."""
    import yaml  # here, not at the top: a catalog read from the cache never needs it

    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise CoachError(Problem(f"text is larger than {MAX_FILE_BYTES:,} bytes (1 MiB)", path))
    document = Document(path, None)
    try:
        document.data = _Builder(document, yaml).build(yaml.parse(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        message, line, column = _in_plain_words(exc, text)
        raise CoachError(Problem(message, path, line, column)) from None
    except yaml.YAMLError as exc:
        raise CoachError(Problem(f"invalid YAML: {exc}", path)) from None
    return document


class _Builder:
    """Builds dicts, lists and scalars straight from the parser's events, recording positions.

    No node tree is composed first: every value is counted (with the characters of its text)
    as it is built, aliases each time they expand, so a file that would expand past a budget
    is refused after costing no more than the budget itself.
    """

    def __init__(self, document: Document, yaml: Any) -> None:
        self.yaml = yaml
        self.document = document
        self.values = 0
        self.chars = 0
        self.constructor = yaml.constructor.SafeConstructor()
        self.resolver = yaml.resolver.Resolver()
        self.recorded: list[Any] = []  # events of anchored nodes, replayed by their aliases
        self.recording = 0  # anchored nodes open right now
        self.anchors: dict[str, tuple[int, int]] = {}  # anchor -> slice of `recorded`
        self.main: Iterator[Any] | None = None  # the file's own events, not a replay
        self.expanding: Any = None  # the alias being expanded: where a budget error points

    def over_budget(self, event: Any, message: str) -> CoachError:
        """A budget error at `event`, or at the alias whose expansion reached it."""
        return self.fail(self.expanding or event, message)

    def fail(self, event: Any, message: str) -> CoachError:
        mark = event.start_mark
        return CoachError(Problem(message, self.document.path, mark.line + 1, mark.column + 1))

    def build(self, events: Iterator[Any]) -> Any:
        """The single document of the stream `events`, as plain data."""
        yaml = self.yaml
        stream = self.main = self._record(events)
        next(stream)  # StreamStartEvent
        start = next(stream)
        if isinstance(start, yaml.StreamEndEvent):
            raise CoachError(Problem("file is empty", self.document.path, 1, 1))
        data = self._value(next(stream), stream, (), 0)
        next(stream)  # DocumentEndEvent
        extra = next(stream)
        if not isinstance(extra, yaml.StreamEndEvent):
            raise self.fail(extra, "a file holds one document: remove the second `---` and what follows it")
        return data

    def _record(self, events: Iterator[Any]) -> Iterator[Any]:
        for event in events:
            if self.recording:
                self.recorded.append(event)
            yield event

    def _value(self, event: Any, stream: Iterator[Any], where: Where, depth: int) -> Any:
        yaml = self.yaml
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self.fail(event, f"unknown alias *{event.anchor}: define the anchor &{event.anchor} before it")
            first, last = self.anchors[event.anchor]
            replay = iter(self.recorded[first:last])
            outermost = self.expanding is None
            if outermost:
                self.expanding = event
            try:
                return self._value(next(replay), replay, where, depth)
            finally:
                if outermost:
                    self.expanding = None
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.over_budget(event, f"more than {MAX_VALUES:,} values in one file (the budget): "
                                   "is an alias expanding out of control?")
        if depth > MAX_DEPTH:
            raise self.over_budget(event, f"nested more than {MAX_DEPTH} levels deep (the budget for one file)")
        self.document.values[where] = (event.start_mark.line + 1, event.start_mark.column + 1)
        anchor = event.anchor if stream is self.main else None  # a replay's anchors were seen already
        if anchor is not None:
            if anchor in self.anchors:
                raise self.fail(event, f"anchor &{anchor} is defined twice: give the second another name")
            if not self.recording:  # inside another anchored node it is recorded already
                self.recorded.append(event)
            first = len(self.recorded) - 1
            self.recording += 1
        try:
            if isinstance(event, yaml.MappingStartEvent):
                value: Any = self._mapping(event, stream, where, depth)
            elif isinstance(event, yaml.SequenceStartEvent):
                value = self._sequence(event, stream, where, depth)
            else:
                value = self._scalar(event)
        finally:
            if anchor is not None:
                self.recording -= 1
        if anchor is not None:
            self.anchors[anchor] = (first, len(self.recorded))
        return value

    def _sequence(self, event: Any, stream: Iterator[Any], where: Where, depth: int) -> list[Any]:
        if event.tag not in (None, "!", _PLAIN + "seq"):
            raise self.fail(event, f"tag {_short(event.tag)} is not allowed: use a plain list")
        items: list[Any] = []
        for item in stream:
            if isinstance(item, self.yaml.SequenceEndEvent):
                return items
            items.append(self._value(item, stream, (*where, len(items)), depth + 1))
        raise self.fail(event, "invalid YAML: the list is not closed")

    def _mapping(self, event: Any, stream: Iterator[Any], where: Where, depth: int) -> dict[str, Any]:
        yaml = self.yaml
        if event.tag not in (None, "!", _PLAIN + "map"):
            raise self.fail(event, f"tag {_short(event.tag)} is not allowed: use a plain mapping")
        result: dict[str, Any] = {}
        for key_event in stream:
            if isinstance(key_event, yaml.MappingEndEvent):
                return result
            if not isinstance(key_event, yaml.ScalarEvent):
                raise self.fail(key_event, "a key must be plain text")
            if self._tag(key_event) == _PLAIN + "merge":
                raise self.fail(key_event, "merge keys (<<) are not supported: write the keys out")
            key = str(key_event.value)
            self._count_text(key_event, key)
            if key in result:
                raise self.fail(key_event, f"duplicate key {_quote(key)}")
            if len(result) >= MAX_KEYS:
                raise self.fail(key_event, f"more than {MAX_KEYS:,} keys in one mapping (the budget)")
            self.document.keys[(*where, key)] = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            result[key] = self._value(next(stream), stream, (*where, key), depth + 1)
        raise self.fail(event, "invalid YAML: the mapping is not closed")

    def _tag(self, event: Any) -> str:
        if event.tag is None and not event.implicit[0]:  # quoted or block text: always a string
            return _STR
        if event.tag is None or event.tag == "!":
            return self.resolver.resolve(self.yaml.ScalarNode, event.value, event.implicit)
        return event.tag

    def _count_text(self, event: Any, text: str) -> None:
        if len(text) > MAX_TEXT_CHARS:
            raise self.fail(event, f"this text is {len(text):,} characters long; at most {MAX_TEXT_CHARS:,} are allowed")
        self.chars += len(text)
        if self.chars > MAX_EXPANDED_CHARS:
            raise self.over_budget(event, f"more than {MAX_EXPANDED_CHARS:,} characters of text once aliases are "
                                   "expanded (the budget for one file): is an alias repeating a long text?")

    def _scalar(self, event: Any) -> Any:
        yaml = self.yaml
        tag = self._tag(event)
        if tag not in _SCALAR_TAGS:
            raise self.fail(event, f"tag {_short(tag)} is not allowed: files hold plain text, numbers and lists")
        self._count_text(event, event.value)
        if tag == _STR:
            return event.value  # what SafeConstructor gives for text, without building a node
        if tag in _NUMBER_TAGS and sum(ch.isdigit() for ch in event.value) > MAX_NUMBER_DIGITS:
            raise self.fail(event, f"number {_quote(event.value)} has more than {MAX_NUMBER_DIGITS} digits (the budget)")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self.fail(event, f"bad value {_quote(event.value)}: {_first_line(exc)}") from None
        if isinstance(value, float) and not (abs(value) < 10.0 ** MAX_NUMBER_DIGITS):
            raise self.fail(event, f"number {_quote(event.value)} is not a finite number below 10^{MAX_NUMBER_DIGITS}")
        return value


_STR = _PLAIN + "str"
_NUMBER_TAGS = {_PLAIN + "int", _PLAIN + "float"}


def _quote(text: str, most: int = 60) -> str:
    """`text` quoted for a one-line message, cut to `most` characters."""
    return repr(text if len(text) <= most else text[:most] + "...")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__


def _in_plain_words(exc: Any, text: str) -> tuple[str, int | None, int | None]:
    """A YAML syntax error as an author would say it, at the line where the mistake is.

    PyYAML reports a tab as "found character that cannot start any token" and a missing colon
    at the line after it; authors who are not programmers cannot act on either."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return f"invalid YAML: {exc.problem or exc}", None, None
    lines = text.splitlines()
    for candidate in (exc.problem_mark, exc.context_mark):
        if candidate is not None and candidate.line < len(lines):
            row = lines[candidate.line]
            indent = row[: len(row) - len(row.lstrip(" \t"))]
            if "\t" in indent:
                return ("tabs are not allowed for indentation; use spaces", candidate.line + 1,
                        indent.index("\t") + 1)
    if "could not find expected ':'" in str(exc.problem) and exc.context_mark is not None:
        start = exc.context_mark
        return ("this line has no ':' after its key (write `key: value`; a line that continues the text "
                "above must be indented under it)", start.line + 1, start.column + 1)
    message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or "invalid YAML"
    return f"invalid YAML: {message}", mark.line + 1, mark.column + 1


def _short(tag: str) -> str:
    return "!!" + tag[len(_PLAIN):] if tag.startswith(_PLAIN) else tag
