"""The three file formats (scenarios, marker libraries, briefings), their JSON Schemas and key tables.

Nothing here declares a key: each format is a model of `coach.scenario.models`, whose keys are
declared once there (`coach.scenario.keys`). This module names the formats and derives, from
those declarations, the JSON Schema the loader checks every file against (with
`coach.scenario.schemacheck`) and `coach schema` prints for editors, and the key tables of
docs/authoring.md (`coach schema --keys`; a test holds the guide to them). Schemas are built
on first use: a warm `coach list` reads checked documents from the catalog cache and never
needs one. Cross-references (ids that must exist, reachability) are checked in
`coach.scenario.loader` and `coach.authoring.lint`, which a schema cannot express.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from coach.scenario.keys import ID_PATTERN, Key, declared, record_schema, summary, title
from coach.scenario.models import Briefing, MarkerLibrary, Scenario

SCENARIO_FORMAT = "coach-scenario/2"
SCENARIO_FORMAT_1 = "coach-scenario/1"  # still read: a reply that recognised nothing moves rules on
MARKERS_FORMAT = "coach-markers/1"
BRIEFING_FORMAT = "coach-briefing/1"
FORMATS = (SCENARIO_FORMAT, SCENARIO_FORMAT_1, MARKERS_FORMAT, BRIEFING_FORMAT)

__all__ = ["BRIEFING_FORMAT", "FILE_FORMATS", "FORMATS", "ID_PATTERN", "MARKERS_FORMAT", "SCENARIO_FORMAT",
           "SCENARIO_FORMAT_1", "json_schema", "key_tables", "schema_of"]

Schema = dict[str, Any]


class FileFormat:
    """A kind of file: the `format:` values it is written in and the model its keys declare."""

    __slots__ = ("formats", "model", "name", "schema_id", "title")

    def __init__(self, name: str, model: type, formats: tuple[str, ...], title: str, schema_id: str) -> None:
        self.name, self.model, self.formats, self.title, self.schema_id = name, model, formats, title, schema_id

    def format_key(self) -> Schema:
        first = self.formats[0]
        if len(self.formats) == 1:
            return {"const": first, "description": f"File format and version; always `{first}`."}
        older = ", ".join(self.formats[1:])
        return {"enum": list(self.formats), "description": f"File format and version: `{first}` ({older} is still read)."}


FILE_FORMATS = {
    "scenario": FileFormat("scenario", Scenario, (SCENARIO_FORMAT, SCENARIO_FORMAT_1), "coach scenario, format 2",
                           "https://coach.invalid/schema/scenario-2.json"),
    "markers": FileFormat("markers", MarkerLibrary, (MARKERS_FORMAT,), "coach marker library, format 1",
                          "https://coach.invalid/schema/markers-1.json"),
    "briefing": FileFormat("briefing", Briefing, (BRIEFING_FORMAT,), "coach briefing, format 1",
                           "https://coach.invalid/schema/briefing-1.json"),
}
"""Each kind of file by the name `coach schema --format` takes."""


@cache
def json_schema(name: str) -> Schema:
    """The JSON Schema of one kind of file (`scenario`, `markers`, `briefing`), from its declarations."""
    kind = FILE_FORMATS[name]
    body = record_schema(kind.model, {"format": kind.format_key()}, ("format",))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": kind.schema_id, "title": kind.title,
            **body}


def schema_of(file_format: str) -> Schema:
    """The JSON Schema of a file that says `format: file_format` (one of `FORMATS`)."""
    return json_schema(next(name for name, kind in FILE_FORMATS.items() if file_format in kind.formats))


# ---------------------------------------------------------------------------------------
# The key tables of docs/authoring.md


def _records(model: type, seen: list[type], under: str = "") -> Iterator[tuple[type, str]]:
    """`model` (and the key it is written under) and every record nested in it, each once, in
    the order a reader meets them."""
    if model in seen:
        return
    seen.append(model)
    yield model, under
    for name, declaration in declared(model).items():
        for nested in declaration.kind.records():
            yield from _records(nested, seen, name)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(name: str, declaration: Key) -> str:
    required = "yes" if declaration.required else ""
    return f"| `{name}` | {_cell(declaration.kind.words())} | {required} | {_cell(declaration.description)} |"


def key_tables() -> str:
    """Markdown: for each kind of file, a table of every key of every mapping in it."""
    out: list[str] = []
    seen: list[type] = []
    for kind in FILE_FORMATS.values():
        for model, under in _records(kind.model, seen):
            heading = f"{title(model)} file (`format: {kind.formats[0]}`)" if model is kind.model \
                else f"{title(model)} (under `{under}`)"
            out += [f"#### {heading}", "", summary(model), "",
                    "| key | value | required | what it is |", "|---|---|---|---|"]
            if model is kind.model:
                out.append(f"| `format` | {' or '.join(f'`{f}`' for f in kind.formats)} | yes | "
                           f"{_cell(kind.format_key()['description'])} |")
            out += [_row(name, declaration) for name, declaration in declared(model).items()]
            out.append("")
    return "\n".join(out)
