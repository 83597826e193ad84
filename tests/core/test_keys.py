"""Each key is declared once (on the models) and the schema, the loader and the guide's key
tables all follow from that one declaration."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.scenario import schema
from coach.scenario.keys import ID, TEXT, Many, Number, Record, key, plan, read
from coach.scenario.loader import check_schema
from coach.scenario.models import Briefing, MarkerLibrary, Scenario
from coach.scenario.schema import FileFormat, json_schema, key_tables
from coach.scenario.schemacheck import iter_errors
from coach.scenario.yamlsource import parse_document

from .helpers import load_with

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def test_the_guide_s_key_tables_are_the_generated_ones():
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(r"<!-- key tables: begin[^\n]*-->\n(.*)<!-- key tables: end -->", text, re.S)
    assert found, "docs/authoring.md has lost its key table markers"
    assert found.group(1) == key_tables(), "run `coach schema --keys` and paste its output between the markers"


@dataclass(frozen=True)
class Sample:
    """A sample file, declared here and nowhere else."""

    id: str = key(ID, "Sample id.", required=True)
    colour: str = key(TEXT, "The colour of the sample, a key declared only on this line.", required=True)
    sizes: tuple[int, ...] = key(Many(Number(minimum=1)), "Sizes, declared only here too.", default=())


@pytest.fixture
def sample_format(monkeypatch):
    monkeypatch.setitem(schema.FILE_FORMATS, "sample", FileFormat("sample", Sample, ("coach-sample/1",), "sample", "x"))
    json_schema.cache_clear()
    yield
    json_schema.cache_clear()


def test_a_key_declared_once_is_in_the_schema_the_loaded_model_and_the_key_table(sample_format):
    properties = json_schema("sample")["properties"]
    assert properties["colour"] == {"type": "string", "minLength": 1,
                                    "description": "The colour of the sample, a key declared only on this line."}
    assert properties["sizes"]["items"] == {"type": "integer", "minimum": 1}
    assert "colour" in json_schema("sample")["required"]
    document = parse_document("format: coach-sample/1\nid: one\ncolour: \"deep\n  blue\"\nsizes: [2, 3]\n",
                              Path("sample.yaml"))
    assert check_schema(document, json_schema("sample")) == []
    assert read(Sample, document.data) == Sample("one", "deep blue", (2, 3))
    assert "| `colour` | text | yes | The colour of the sample, a key declared only on this line. |" in key_tables()
    assert "| `sizes` | list of whole numbers, at least 1 |  | Sizes, declared only here too. |" in key_tables()


def test_a_key_nobody_declared_is_an_error_at_its_line_and_column(sample_format):
    document = parse_document("format: coach-sample/1\nid: one\ncolour: blue\nsizez: [2]\n", Path("sample.yaml"))
    assert [str(p) for p in check_schema(document, json_schema("sample"))] == [
        "sample.yaml:4:1: error: the file: unknown key 'sizez' (did you mean 'sizes'?)"]


def test_an_undeclared_key_in_a_scenario_beat_is_an_error_at_its_place(tmp_path):
    text = (Path(__file__).resolve().parents[1] / "fixtures" / "core" / "mini.yaml").read_text()
    (tmp_path / "s.yaml").write_text(text.replace("    hint:", "    colour: red\n    hint:", 1))
    catalog = load_with(tmp_path)
    [problem] = [str(p).replace(str(tmp_path) + "/", "") for p in catalog.errors]
    assert re.fullmatch(r"s\.yaml:\d+:5: error: beats\[0\]: unknown key 'colour'; expected one of: acknowledge, "
                        r"again, asks, hint, id, lines, model_answer, mood, next, responses, shows", problem)


def test_a_built_key_the_loader_forgets_is_a_loud_error_not_a_silent_drop():
    with pytest.raises(TypeError, match=r"Scenario\.briefing is built by the loader but was not given"):
        read(Scenario, {"id": "x"})


def _same(model: object, data: dict) -> list[str]:
    """Where a read model differs from what its file's declared keys say (recursively)."""
    differences = []
    for name, attribute, declaration, _ in plan(type(model)):
        if declaration.built or name not in data:
            continue
        value, kind = getattr(model, attribute), declaration.kind
        if isinstance(kind, Record):
            differences += _same(value, data[name]) if isinstance(data[name], dict) else []
        elif isinstance(kind, Many) and isinstance(kind.item, Record):
            for entry, item in zip(value, data[name], strict=True):
                differences += _same(entry, item) if isinstance(item, dict) else []
        elif value != kind.read(data[name]):
            differences.append(f"{type(model).__name__}.{attribute}")
    return differences


def test_every_key_of_every_bundled_file_reaches_its_model(catalog):
    loaded: list[Scenario | MarkerLibrary | Briefing] = [
        *catalog.scenarios.values(), *catalog.libraries.values(), *catalog.briefings.values()]
    assert len(loaded) >= 6
    for model in loaded:
        assert model.document is not None
        assert _same(model, model.document.data) == [], model.path


MINI = (Path(__file__).resolve().parents[1] / "fixtures" / "core" / "mini.yaml").read_text()


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("goals: [", "goals: [[x], ",
     "s.yaml:10:9: error: goals[0]: should be an id or a mapping with `id`, `elements` and optionally `needs`"),
    ("goals: [", "goals: [{id: helps.agreement, elemnts: [a]}, ",
     "s.yaml:10:31: error: goals[0]: unknown key 'elemnts' (did you mean 'elements'?)"),
    ('replies: ["How do you see it?"', "replies: [[1]",
     "s.yaml:69:15: error: playthroughs[0].replies[0]: should be text or a mapping with `say` and optionally "
     "`expect_beat`, `expect_line_contains`, `expect_line_lacks`"),
    ('replies: ["How do you see it?"', "replies: [{say: hi, expect_line_contains: {a: 1}}",
     "s.yaml:69:47: error: playthroughs[0].replies[0].expect_line_contains: should be text or a list of texts"),
    ("when: pitfall", "when: [Bad]",
     "s.yaml:34:28: error: beats[0].next[0].when[0]: 'Bad' is not a valid id: use lower-case letters, digits, "
     "'-', '_' and '.'"),
    ("when: pitfall", "when: 3", "s.yaml:34:27: error: beats[0].next[0].when: should be an id or a list of ids"),
])
def test_a_value_that_may_take_two_shapes_is_described_from_its_declaration(tmp_path, old, new, expected):
    (tmp_path / "s.yaml").write_text(MINI.replace(old, new, 1))
    assert [str(p).replace(str(tmp_path) + "/", "") for p in load_with(tmp_path).errors] == [expected]


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _paths(value, (*prefix, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


_MINI_DATA = yaml.safe_load(MINI)
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-200, 200) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8) | st.sampled_from(["ok", "a-b", "good"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["say", "id", "to", "x"]), inner,
                                                                 max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(_paths(_MINI_DATA))[1:]), _values)
def test_whatever_the_schema_accepts_the_declarations_read(where, value):
    """Schema and reading come from one declaration, so a file the schema passes always reads."""
    data = copy.deepcopy(_MINI_DATA)
    parent = data
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = value
    if any(True for _ in iter_errors(json_schema("scenario"), data)):
        return
    scenario = read(Scenario, data, briefing=None, goals=(), markers=(), synonyms=(), classes=(), version=2)
    assert scenario.id == data["id"] and len(scenario.beats) == len(data["beats"])
