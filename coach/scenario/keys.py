"""The vocabulary a file format's keys are declared in, once, on the models themselves.

A model field that is a key of a file is declared with `key(...)`: what kind of value it
holds (text, an id, a list of records, ...), what it means, and whether a file must give
it. From that one declaration come the JSON Schema (`coach.scenario.schema`, printed by
`coach schema` and checked on load), the loader's reading of the key (`read`), and the
key table of docs/authoring.md. Fields without a `key` are derived by the loader (the file
a marker came from, the parsed patterns, ...). A key marked `built` needs something beyond
its own value (another file, other keys): the loader passes it to `read`, which refuses to
build a record without it, so no declared key is ever silently dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

Schema = dict[str, Any]
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


def clean(value: Any) -> str:
    """Text as shown: runs of whitespace (YAML's folded lines) become one space."""
    return " ".join(str(value).split()) if value is not None else ""


def as_tuple(value: Any) -> tuple[Any, ...]:
    """One value or a list of them, as a tuple (`when: good` and `when: [good, question]`)."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


class Kind:
    """What kind of value a key holds: its JSON Schema, how it reads, how the docs name it."""

    def words(self, plural: bool = False) -> str:
        """What the docs call a value of this kind (or several)."""
        return "values" if plural else "a value"

    def schema(self) -> Schema:
        raise NotImplementedError

    def read(self, value: Any) -> Any:
        return value

    def records(self) -> Iterator[type]:
        """The record classes nested in this kind (for the docs' tables)."""
        return iter(())


class Text(Kind):
    """Text; shown text has its whitespace folded, `exact` text (ids, replies) is kept as written."""

    def __init__(self, *, exact: bool = False, pattern: str | None = None, min_length: int = 1) -> None:
        self.exact, self.pattern, self.min_length = exact, pattern, min_length

    def words(self, plural: bool = False) -> str:
        return ("id" if self.pattern == ID_PATTERN else "text") + ("s" if plural else "")

    def schema(self) -> Schema:
        schema: Schema = {"type": "string"}
        if self.min_length:
            schema["minLength"] = self.min_length
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema

    def read(self, value: Any) -> Any:
        return value if self.exact else clean(value)


ID = Text(exact=True, pattern=ID_PATTERN)
ID_ITEM = Text(exact=True, pattern=ID_PATTERN, min_length=0)  # an id in a list: the pattern says it all
TEXT = Text()
EXACT_TEXT = Text(exact=True)


class Many(Kind):
    """A list of one kind of value, read as a tuple."""

    def __init__(self, item: Kind, min_items: int = 0) -> None:
        self.item, self.min_items = item, min_items

    def words(self, plural: bool = False) -> str:
        if plural:  # a list inside a list: "lists of at least 2 texts"
            return f"lists of {f'at least {self.min_items} ' if self.min_items else ''}{self.item.words(True)}"
        return f"list of {self.item.words(True)}" + (f", at least {self.min_items}" if self.min_items else "")

    def schema(self) -> Schema:
        schema: Schema = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema

    def read(self, value: Any) -> Any:
        return tuple(self.item.read(entry) for entry in value)

    def records(self) -> Iterator[type]:
        return self.item.records()


def texts(min_items: int = 1, *, exact: bool = False) -> Many:
    return Many(Text(exact=True) if exact else Text(), min_items)


def ids(min_items: int = 0) -> Many:
    return Many(ID_ITEM, min_items)


class OneOrMany(Kind):
    """One value or a list of them (at least one), read as a tuple."""

    def __init__(self, item: Kind) -> None:
        self.item = item

    def words(self, plural: bool = False) -> str:
        return f"{self.item.words()} or list of {self.item.words(True)}"

    def schema(self) -> Schema:
        return {"oneOf": [self.item.schema(), Many(self.item, 1).schema()]}

    def read(self, value: Any) -> Any:
        return as_tuple(value)


class Number(Kind):
    """A whole number (`integer`) or any number, within bounds."""

    def __init__(self, *, integer: bool = True, minimum: float | None = None, maximum: float | None = None) -> None:
        self.integer, self.minimum, self.maximum = integer, minimum, maximum

    def words(self, plural: bool = False) -> str:
        name = ("whole number" if self.integer else "number") + ("s" if plural else "")
        if self.minimum is not None and self.maximum is not None:
            return f"{name}, {self.minimum:g} to {self.maximum:g}"
        return f"{name}, at least {self.minimum:g}" if self.minimum is not None else name

    def schema(self) -> Schema:
        schema: Schema = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def read(self, value: Any) -> Any:
        return int(value) if self.integer else float(value)


class Flag(Kind):
    def words(self, plural: bool = False) -> str:
        return "true or false"

    def schema(self) -> Schema:
        return {"type": "boolean"}

    def read(self, value: Any) -> Any:
        return bool(value)


class Choice(Kind):
    """One of a few fixed words."""

    def __init__(self, options: tuple[str, ...]) -> None:
        self.options = options

    def words(self, plural: bool = False) -> str:
        return " / ".join(f"`{option}`" for option in self.options)

    def schema(self) -> Schema:
        return {"enum": list(self.options)}


class Table(Kind):
    """A mapping of free names to values of one kind (word classes, a briefing's source)."""

    def __init__(self, value: Kind) -> None:
        self.value = value

    def words(self, plural: bool = False) -> str:
        return f"{'mappings' if plural else 'mapping'} of names to {self.value.words(True)}"

    def schema(self) -> Schema:
        return {"type": "object", "additionalProperties": self.value.schema()}

    def read(self, value: Any) -> Any:
        return {name: self.value.read(entry) for name, entry in (value or {}).items()}


class Record(Kind):
    """A mapping of declared keys, read into the model class that declares them.

    With `shorthand`, the record may also be written as just the value of that one key
    (a goal as its id, a playthrough step as the reply it says).
    """

    def __init__(self, model: type, shorthand: str | None = None) -> None:
        self.model, self.shorthand = model, shorthand

    def words(self, plural: bool = False) -> str:
        name = f"{'mappings' if plural else 'mapping'} ({title(self.model)})"
        return f"{declared(self.model)[self.shorthand].kind.words(plural)} or {name}" if self.shorthand else name

    def schema(self) -> Schema:
        mapping = record_schema(self.model)
        if self.shorthand:
            return {"oneOf": [declared(self.model)[self.shorthand].kind.schema(), mapping]}
        return mapping

    def read(self, value: Any) -> Any:
        if self.shorthand and not isinstance(value, dict):
            return read(self.model, {self.shorthand: value})
        return read(self.model, value)

    def records(self) -> Iterator[type]:
        yield self.model


def records(model: type, min_items: int = 0) -> Many:
    return Many(Record(model), min_items)


class Key:
    """One declared key: its kind, what it means, whether a file must give it, how it is read.

    `name` is the key in the file when it differs from the field's name; a `built` key is read
    by the loader (it needs more than the value) and passed to `read`; `absent` is what a file
    that leaves the key out gets, when that is not the field's default.
    """

    __slots__ = ("absent", "built", "description", "kind", "name", "required")

    def __init__(self, kind: Kind, description: str, required: bool = False, name: str | None = None,
                 built: bool = False, absent: Any = dataclasses.MISSING) -> None:
        self.kind, self.description, self.required = kind, description, required
        self.name, self.built, self.absent = name, built, absent

    def schema(self) -> Schema:
        return {**self.kind.schema(), "description": self.description}


_KEY = "coach.key"


def key(kind: Kind, description: str, *, required: bool = False, name: str | None = None, built: bool = False,
        absent: Any = dataclasses.MISSING, default: Any = dataclasses.MISSING,
        default_factory: Callable[[], Any] | Any = dataclasses.MISSING) -> Any:
    """A model field that is a key of a file (see the module's docstring)."""
    metadata = {_KEY: Key(kind, description, required, name, built, absent)}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@cache
def declared(model: type) -> dict[str, Key]:
    """The keys `model` declares, by their name in the file, in declaration order."""
    found = {}
    for field in dataclasses.fields(model):
        declaration = field.metadata.get(_KEY)
        if declaration is not None:
            found[declaration.name or field.name] = declaration
    return found


@cache
def plan(model: type) -> tuple[tuple[str, str, Key, Any], ...]:
    """(key in the file, field name, declaration, what an absent key gives) for every key."""
    plan = []
    for field in dataclasses.fields(model):
        declaration = field.metadata.get(_KEY)
        if declaration is None:
            continue
        absent = declaration.absent
        if absent is dataclasses.MISSING and field.default is dataclasses.MISSING \
                and field.default_factory is dataclasses.MISSING and not declaration.required and not declaration.built:
            raise TypeError(f"{model.__name__}.{field.name}: an optional key needs a default or `absent`")
        plan.append((declaration.name or field.name, field.name, declaration, absent))
    return tuple(plan)


def read(model: type, data: dict[str, Any], **given: Any) -> Any:
    """The `model` a checked mapping describes: every declared key read by its kind.

    `given` holds the built keys (which the caller must pass: leaving one out is an error
    of the loader, not of the file) and the fields that are not keys at all.
    """
    values: dict[str, Any] = {}
    for name, attribute, declaration, absent in plan(model):
        if declaration.built:
            if attribute not in given:
                raise TypeError(f"{model.__name__}.{attribute} is built by the loader but was not given")
            continue
        if name in data:
            values[attribute] = declaration.kind.read(data[name])
        elif absent is not dataclasses.MISSING:
            values[attribute] = absent
    return model(**values, **given)


def record_schema(model: type, extra: dict[str, Schema] | None = None, extra_required: tuple[str, ...] = ()) -> Schema:
    """The JSON Schema of a mapping of `model`'s declared keys (and any `extra` ones first)."""
    keys = declared(model)
    properties = {**(extra or {}), **{name: declaration.schema() for name, declaration in keys.items()}}
    required = [*extra_required, *(name for name, declaration in keys.items() if declaration.required)]
    schema: Schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    description = summary(model)
    if description:
        schema["description"] = description
    return schema


def summary(model: type) -> str:
    """The first paragraph of the model's docstring, on one line."""
    return clean((model.__doc__ or "").split("\n\n")[0])


def title(model: type) -> str:
    """What the docs call a mapping of this model's keys."""
    return getattr(model, "KEYS_TITLE", model.__name__.lower())
