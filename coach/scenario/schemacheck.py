"""A fast checker for the subset of JSON Schema that `coach.scenario.schema` uses.

The `jsonschema` library costs ~70 ms to import and ~8 ms a scenario to run, which would
double the time `coach list` takes. This checker walks the same schema dicts in one pass
and yields errors shaped like `jsonschema`'s (validator, validator_value, instance, schema,
absolute_path, message), so the loader words them the same way. The test suite checks it
against `jsonschema` itself on valid, broken and fuzzed files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Schema = dict[str, Any]

_TYPES = {
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
SUPPORTED = {"type", "const", "enum", "oneOf", "minLength", "pattern", "minimum", "maximum", "minItems",
             "items", "properties", "required", "additionalProperties", "description", "title",
             "$schema", "$id"}


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One failed keyword, with the attributes the loader reads from jsonschema errors."""

    validator: str
    validator_value: Any
    instance: Any
    schema: Schema
    absolute_path: tuple[str | int, ...]
    message: str


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def iter_errors(schema: Schema, instance: Any, path: tuple[str | int, ...] = ()) -> Iterator[SchemaError]:
    """Every way `instance` fails `schema`, depth first."""

    def error(keyword: str, message: str) -> SchemaError:
        return SchemaError(keyword, schema[keyword], instance, schema, path, message)

    if "const" in schema and instance != schema["const"]:
        yield error("const", f"{instance!r} was expected to be {schema['const']!r}")
    if "enum" in schema and instance not in schema["enum"]:
        yield error("enum", f"{instance!r} is not one of {schema['enum']!r}")
    if "oneOf" in schema:
        passing = sum(not any(True for _ in iter_errors(option, instance, path)) for option in schema["oneOf"])
        if passing != 1:
            yield error("oneOf", f"{instance!r} is not valid under exactly one of the given schemas")
        return
    expected = schema.get("type")
    if expected is not None:
        names = [expected] if isinstance(expected, str) else expected
        if not any(_TYPES[name](instance) for name in names):
            yield error("type", f"{instance!r} is not of type {expected!r}")
            return
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            yield error("minLength", f"{instance!r} should be non-empty")
        if "pattern" in schema and not _pattern(schema["pattern"]).search(instance):
            yield error("pattern", f"{instance!r} does not match {schema['pattern']!r}")
    elif _TYPES["number"](instance):
        if "minimum" in schema and instance < schema["minimum"]:
            yield error("minimum", f"{instance} is less than the minimum of {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            yield error("maximum", f"{instance} is greater than the maximum of {schema['maximum']}")
    elif isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            yield error("minItems", f"{instance!r} should be non-empty")
        if "items" in schema:
            for index, item in enumerate(instance):
                yield from iter_errors(schema["items"], item, (*path, index))
    elif isinstance(instance, dict):
        for key in schema.get("required", ()):
            if key not in instance:
                yield error("required", f"{key!r} is a required property")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        if extra is False and any(key not in properties for key in instance):
            yield error("additionalProperties", "Additional properties are not allowed")
        for key, value in instance.items():
            if key in properties:
                yield from iter_errors(properties[key], value, (*path, key))
            elif isinstance(extra, dict):
                yield from iter_errors(extra, value, (*path, key))
