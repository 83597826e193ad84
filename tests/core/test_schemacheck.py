"""The fast schema checker agrees with the jsonschema library on the formats' schemas."""

from __future__ import annotations

import copy

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from coach.scenario.schema import FILE_FORMATS, json_schema, schema_of
from coach.scenario.schemacheck import SUPPORTED, iter_errors
from coach.scenario.sources import bundled_folder, yaml_files

from .helpers import FIXTURES

MINI = yaml.safe_load((FIXTURES / "mini.yaml").read_text())


def keywords(schema):
    if isinstance(schema, dict):
        yield from schema
        for key, value in schema.items():
            if key not in ("properties", "const", "enum"):
                yield from keywords(value)
            elif key == "properties":
                for sub in value.values():
                    yield from keywords(sub)
    elif isinstance(schema, list):
        for item in schema:
            yield from keywords(item)


SCENARIO = json_schema("scenario")


def test_schemas_use_only_supported_keywords():
    for schema in map(json_schema, FILE_FORMATS):
        Draft202012Validator.check_schema(schema)
        assert set(keywords(schema)) <= SUPPORTED


def both(schema, data):
    ours = {(tuple(e.absolute_path), e.validator) for e in iter_errors(schema, data)}
    theirs = {(tuple(e.absolute_path), e.validator) for e in Draft202012Validator(schema).iter_errors(data)}
    return ours, theirs


def test_bundled_files_pass_both():
    for path in yaml_files([bundled_folder()]):
        data = yaml.safe_load(path.read_text())
        ours, theirs = both(schema_of(data["format"]), data)
        assert ours == theirs == set(), path


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-200, 200) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


ALL_PATHS = list(paths(MINI))[1:]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["replace", "delete", "add"]), json_values, st.text(min_size=1, max_size=8))
def test_mutated_scenarios_get_the_same_errors(where, action, value, new_key):
    data = copy.deepcopy(MINI)
    parent = data
    for part in where[:-1]:
        parent = parent[part]
    last = where[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif isinstance(parent[last], dict):
        parent[last][new_key] = value
    ours, theirs = both(SCENARIO, data)
    assert ours == theirs
