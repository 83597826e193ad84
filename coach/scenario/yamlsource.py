"""Read a YAML file safely into plain data, remembering where every value came from.

PyYAML's safe loaders drop positions, so we compose the node tree (with the C loader when
libyaml is present) and build the data ourselves. That lets every later check point at
`file:line:col`, refuse tags that are not plain data, refuse duplicate keys, and stop
alias-expansion bombs and oversized files before they cost anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.errors import CoachError, Problem

MAX_BYTES = 1 << 20  # 1 MiB: no honest scenario is larger
MAX_VALUES = 100_000  # values built from one file, aliases counted each time they expand
MAX_DEPTH = 64

_PLAIN = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_PLAIN + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

Where = tuple[str | int, ...]
"""A path into the data: mapping keys and sequence indexes, from the top."""


@dataclass
class Document:
    """A YAML file's data plus the line and column of each value and mapping key."""

    path: Path
    data: Any
    values: dict[Where, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Where, tuple[int, int]] = field(default_factory=dict)

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
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise CoachError(Problem(f"text is larger than {MAX_BYTES:,} bytes (1 MiB)", path))
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        message, line, column = _in_plain_words(exc, text)
        raise CoachError(Problem(message, path, line, column)) from None
    except yaml.YAMLError as exc:
        raise CoachError(Problem(f"invalid YAML: {exc}", path)) from None
    except RecursionError:
        raise CoachError(Problem("invalid YAML: nested too deeply", path)) from None
    document = Document(path, None)
    if node is None:
        raise CoachError(Problem("file is empty", path, 1, 1))
    document.data = _Builder(document).build(node, (), 0)
    return document


class _Builder:
    """Turns a node tree into dicts, lists and scalars, recording positions."""

    def __init__(self, document: Document) -> None:
        import yaml

        self.yaml = yaml
        self.document = document
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: Any, message: str) -> CoachError:
        mark = node.start_mark
        return CoachError(Problem(message, self.document.path, mark.line + 1, mark.column + 1))

    def build(self, node: Any, where: Where, depth: int) -> Any:
        yaml = self.yaml
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, f"more than {MAX_VALUES:,} values: is an alias expanding out of control?")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        self.document.values[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _PLAIN + "seq":
                raise self.fail(node, f"tag {_short(node.tag)} is not allowed: use a plain list")
            return [self.build(item, (*where, index), depth + 1) for index, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, f"tag {_short(node.tag)} is not allowed: files hold plain text, numbers and lists")
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self.fail(node, f"bad value {node.value!r}: {exc}") from None

    def _mapping(self, node: Any, where: Where, depth: int) -> dict[str, Any]:
        yaml = self.yaml
        if node.tag != _PLAIN + "map":
            raise self.fail(node, f"tag {_short(node.tag)} is not allowed: use a plain mapping")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN + "merge":
                raise self.fail(key_node, "merge keys (<<) are not supported: write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be plain text")
            key = str(key_node.value)
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r}")
            self.document.keys[(*where, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*where, key), depth + 1)
        return result


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
