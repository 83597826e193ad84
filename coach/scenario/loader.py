"""Load briefings, marker libraries and scenarios from YAML files into models.

Every file is parsed with positions (`coach.scenario.yamlsource`), checked against its JSON Schema
(`coach.scenario.schema`), then cross-checked: ids that must exist, ids that must be unique (also
across files and folders). Problems are collected, not raised one at a time, so an author
sees every error in one go; a file with errors is left out of the catalog.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from coach.errors import CoachError, Problem
from coach.scenario.budgets import check_content
from coach.scenario.keys import as_tuple, clean, read
from coach.scenario.models import (
    Briefing,
    BriefingItem,
    BriefingSection,
    GoalParts,
    Marker,
    MarkerLibrary,
    Scenario,
)
from coach.scenario.patterns import CLASS_NAME, PatternError, parse_pattern
from coach.scenario.schema import (
    BRIEFING_FORMAT,
    FORMATS,
    MARKERS_FORMAT,
    SCENARIO_FORMAT,
    SCENARIO_FORMAT_1,
    schema_of,
)
from coach.scenario.schemacheck import iter_errors
from coach.scenario.sources import yaml_files
from coach.scenario.yamlsource import Document, Where, load_document

T = TypeVar("T")

RULE_WORDS = ("good", "pitfall", "move", "nothing", "question", "stayed", "repeated")
"""Names a rule's or response's `when` may use besides marker and goal ids."""


@dataclass
class Catalog:
    """Everything loaded from a set of folders, and every problem found on the way."""

    briefings: dict[str, Briefing] = field(default_factory=dict)
    libraries: dict[str, MarkerLibrary] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    def raise_errors(self) -> None:
        """Raise a `CoachError` carrying every error, if there are any."""
        if self.errors:
            raise CoachError(*self.errors)

    def scenario(self, scenario_id: str) -> Scenario:
        """The scenario with this id, or a clear error naming the ones there are."""
        if scenario_id in self.scenarios:
            return self.scenarios[scenario_id]
        known = sorted(self.scenarios)
        close = difflib.get_close_matches(scenario_id, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CoachError(f"unknown scenario {scenario_id!r}{hint}; known: {', '.join(known) or 'none'}")


def load_catalog(paths: Sequence[Path]) -> Catalog:
    """Read every YAML file under `paths` into a `Catalog`."""
    return build_catalog(*read_documents(paths))


def read_documents(paths: Sequence[Path]) -> tuple[list[Path], list[Document], list[Problem]]:
    """Every YAML file under `paths`, the documents that passed the budgets and schema, and
    the problems of the rest: the part of loading that `coach.scenario.catalog_cache` keeps."""
    files = yaml_files(paths)
    problems: list[Problem] = []
    documents = [document for document in (_read(path, problems) for path in files) if document is not None]
    return files, documents, problems


def build_catalog(files: Sequence[Path], checked: Sequence[Document], problems: Sequence[Problem]) -> Catalog:
    """The catalog of documents that passed the schema: models built, cross-references checked."""
    catalog = Catalog(files=list(files), problems=list(problems))
    documents: dict[str, list[Document]] = {name: [] for name in FORMATS}
    for document in checked:
        file_format = document.data["format"]
        documents[SCENARIO_FORMAT if file_format == SCENARIO_FORMAT_1 else file_format].append(document)
    _add_shared(catalog, documents[BRIEFING_FORMAT] + documents[MARKERS_FORMAT])
    for document in documents[SCENARIO_FORMAT]:
        scenario = _guard(lambda d: _ScenarioBuilder(d, catalog).build(), document, catalog.problems)
        _register(catalog.scenarios, scenario, document, "scenario", catalog.problems)
    catalog.problems.sort(key=lambda p: (str(p.file), p.line or 0, p.column or 0))
    return catalog


def _add_shared(catalog: Catalog, documents: Sequence[Document]) -> None:
    """Build the briefings, then the marker libraries (which cite them), into `catalog`."""
    for document in documents:
        if document.data["format"] == BRIEFING_FORMAT:
            _register(catalog.briefings, _guard(_build_briefing, document, catalog.problems), document,
                      "briefing", catalog.problems)
    for document in documents:
        if document.data["format"] == MARKERS_FORMAT:
            _register(catalog.libraries, _guard(_build_library, document, catalog.problems), document,
                      "marker library", catalog.problems)


@dataclass
class ScenarioFile:
    """One scenario file, read and built against the briefings and libraries of a catalog."""

    path: Path
    scenario: Scenario | None  # None when the file has errors
    problems: list[Problem]


@dataclass
class _Seen:
    path: Path


_FORMAT_LINE = re.compile(rb"^format:[ \t]*[\"']?([\w./-]+)", re.MULTILINE)


def declares_scenario(path: Path) -> bool:
    """Whether the file's own `format:` line says scenario (read, not parsed; a guess to order by)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(65_536)
    except OSError:
        return False
    found = _FORMAT_LINE.search(head)
    return found is not None and found.group(1).decode() in (SCENARIO_FORMAT, SCENARIO_FORMAT_1)


def _is_scenario(document: Document) -> bool:
    return document.data["format"] in (SCENARIO_FORMAT, SCENARIO_FORMAT_1)


def stream_catalog(paths: Sequence[Path]) -> tuple[Catalog, Iterator[ScenarioFile]]:
    """The briefings and libraries under `paths`, and their scenario files read one at a time.

    For commands that check many files (`coach validate`, `coach test`): a scenario, its
    document and whatever is built for it (its matcher) can be released before the next is
    read, so memory stays flat however many files there are. Scenario ids are still checked
    for clashes across every file. Files are ordered by the `format:` line they declare; a
    file whose line misleads is still read, as what it turns out to be.
    """
    files = yaml_files(paths)
    catalog = Catalog(files=list(files))
    later = {path for path in files if declares_scenario(path)}
    deferred: list[Document] = []
    shared: list[Document] = []
    for path in files:
        if path in later:
            continue
        document = _read(path, catalog.problems)
        if document is not None:
            (deferred if _is_scenario(document) else shared).append(document)
    _add_shared(catalog, shared)
    return catalog, _scenario_files(catalog, deferred, [path for path in files if path in later])


def _scenario_files(catalog: Catalog, deferred: list[Document], later: list[Path]) -> Iterator[ScenarioFile]:
    seen: dict[str, _Seen] = {}
    items: list[Document | Path] = [*deferred, *later]
    for item in items:
        problems: list[Problem] = []
        document = item if isinstance(item, Document) else _read(item, problems)
        path = item.path if isinstance(item, Document) else item
        if document is not None and not _is_scenario(document):
            _add_shared(catalog, [document])  # its `format:` line misled the ordering
            catalog.problems.extend(problems)
            continue
        scenario = None if document is None else _guard(lambda d: _ScenarioBuilder(d, catalog).build(), document, problems)
        if scenario is not None and document is not None and scenario.id in seen:  # a scenario has a document
            _register(seen, scenario, document, "scenario", problems)
            scenario = None
        elif scenario is not None:
            seen[scenario.id] = _Seen(path)
        yield ScenarioFile(path, scenario, problems)


def _guard(build: Callable[[Document], T], document: Document, problems: list[Problem]) -> T | None:
    """Run a builder, turning its `CoachError`s into collected problems."""
    try:
        return build(document)
    except CoachError as exc:
        problems.extend(exc.problems)
        return None


def _register(table: dict[str, Any], item: Any, document: Document, what: str, problems: list[Problem]) -> None:
    if item is None:
        return
    if item.id in table:
        other = table[item.id]
        problems.append(document.problem(("id",), f"{what} id {item.id!r} is already defined in {other.path}"))
        return
    table[item.id] = item


# ---------------------------------------------------------------------------------------
# Reading and schema checks


def _read(path: Path, problems: list[Problem]) -> Document | None:
    try:
        document = load_document(path)
    except CoachError as exc:
        problems.extend(exc.problems)
        return None
    data = document.data
    if not isinstance(data, dict):
        problems.append(document.problem((), "the file should be a mapping of keys, starting with `format:`"))
        return None
    file_format = data.get("format")
    if file_format not in FORMATS:
        if file_format is None:
            message = f"missing key 'format': start the file with `format: {SCENARIO_FORMAT}` (or {MARKERS_FORMAT}, {BRIEFING_FORMAT})"
        else:
            close = difflib.get_close_matches(str(file_format), FORMATS, n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            message = f"unknown format {file_format!r}{hint}; known: {', '.join(FORMATS)}"
        problems.append(document.problem(("format",), message))
        return None
    over = [document.problem(where, message) for where, message in check_content(data)]
    if over:  # the schema check and everything after it would pay for the excess
        problems.extend(over)
        return None
    schema_problems = check_schema(document, schema_of(file_format))
    problems.extend(schema_problems)
    return None if any(p.is_error for p in schema_problems) else document


def check_schema(document: Document, schema: dict[str, Any]) -> list[Problem]:
    """Problems of the document's shape, each at the node at fault, clearly worded."""
    errors = list(_within_one_of(iter_errors(schema, document.data)))
    problems = []
    for error in errors:
        if error.validator == "required" and _misspelt(error, errors):
            continue  # "unknown key 'phrasez' (did you mean 'phrases'?)" already says it
        problems.extend(_describe(document, tuple(error.absolute_path), error))
    return problems


_SHAPES = {"object": dict, "array": list, "string": str}


def _within_one_of(errors: Iterable[Any]) -> Iterator[Any]:
    """The errors, with a "one of" error replaced by what is wrong inside the option of the
    value's own shape (a mapping where a goal may be an id or a mapping): said more exactly."""
    for error in errors:
        if error.validator == "oneOf":
            fits = [option for option in error.validator_value
                    if isinstance(error.instance, _SHAPES.get(option.get("type", ""), ()))]
            inner = list(iter_errors(fits[0], error.instance, tuple(error.absolute_path))) if len(fits) == 1 else []
            if inner:
                yield from _within_one_of(inner)
                continue
        yield error


def _misspelt(required: Any, errors: list[Any]) -> bool:
    """Whether a missing required key is explained by a near-miss unknown key beside it."""
    missing = required.message.split("'")[1] if "'" in required.message else ""
    for error in errors:
        if error.validator == "additionalProperties" and error.absolute_path == required.absolute_path:
            allowed = list(error.schema.get("properties", {}))
            extras = [key for key in error.instance if key not in allowed]
            if any(difflib.get_close_matches(key, allowed, n=1, cutoff=0.6) == [missing] for key in extras):
                return True
    return False


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of keys", "integer": "a whole number",
               "number": "a number", "boolean": "true or false"}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return type(value).__name__


def _one_of(option: dict[str, Any], plural: bool = False) -> str:
    """What a value that passes `option` is, in words: "an id", "a list of texts", "a mapping with ..."."""
    if option.get("type") == "array":
        return f"a list of {_one_of(option.get('items', {}), True)}"
    if option.get("type") == "object":
        keys = [f"`{key}`" for key in option.get("properties", {})]
        required = [f"`{key}`" for key in option.get("required", [])]
        optional = [key for key in keys if key not in required]
        return "a mapping with " + ", ".join(required) + (f" and optionally {', '.join(optional)}" if optional else "")
    noun = "id" if "pattern" in option else "text"
    return noun + "s" if plural else ("an id" if noun == "id" else "text")


def dotted(where: Where) -> str:
    """`markers[2].phrases` style path, for messages."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the file"


def _describe(document: Document, where: Where, error: Any) -> list[Problem]:
    label = dotted(where)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = [key for key in error.instance if key not in allowed]
        problems = []
        for key in extras:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; expected one of: {', '.join(allowed)}"
            problems.append(document.problem((*where, key), f"{label}: unknown key {key!r}{hint}", key=True))
        return problems
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [document.problem(where, f"{label}: missing required key {missing!r}")]
    if kind == "type":
        expected = error.validator_value
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return [document.problem(where, f"{label}: should be {names}, not {_kind_of(error.instance)}")]
    if kind == "pattern":
        return [document.problem(where, f"{label}: {str(error.instance)[:60]!r} is not a valid id: "
                                        "use lower-case letters, digits, '-', '_' and '.'")]
    if kind == "minItems":
        return [document.problem(where, f"{label}: needs at least {error.validator_value} item(s)")]
    if kind == "minLength":
        return [document.problem(where, f"{label}: should not be empty")]
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        close = difflib.get_close_matches(str(error.instance), [str(o) for o in options], n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return [document.problem(where, f"{label}: {str(error.instance)[:60]!r} is not allowed{hint}; "
                                        f"expected one of: {', '.join(map(str, options))}")]
    if kind == "oneOf":
        return [document.problem(where, f"{label}: should be {' or '.join(map(_one_of, error.validator_value))}")]
    if kind in ("minimum", "maximum"):
        return [document.problem(where, f"{label}: {error.instance} is out of range ({kind} {error.validator_value})")]
    return [document.problem(where, f"{label}: {error.message[:200]}")]


# ---------------------------------------------------------------------------------------
# Building models


def _build_briefing(document: Document) -> Briefing:
    data = document.data
    sections = []
    seen: dict[str, Where] = {}
    problems = []
    for s_index, section in enumerate(data["sections"]):
        items = []
        for i_index, item in enumerate(section["items"]):
            where = ("sections", s_index, "items", i_index, "id")
            if item["id"] in seen:
                problems.append(document.problem(where, f"duplicate briefing item id {item['id']!r}"))
            seen[item["id"]] = where
            items.append(read(BriefingItem, item, section=section["id"], section_title=clean(section["title"])))
        sections.append(read(BriefingSection, section, items=tuple(items)))
    if problems:
        raise CoachError(*problems)
    return read(Briefing, data, sections=tuple(sections), path=document.path, document=document)


_DEFAULT_TRUST = {"good": 1, "pitfall": -1, "move": 0}


def marker_problems(document: Document, where: Where, data: dict[str, Any]) -> list[Problem]:
    """A good practice or pitfall must cite the briefing and say its feedback; a move earns
    nothing, so it has neither."""
    problems = []
    if data["kind"] == "move":
        for key in ("briefing", "feedback", "better"):
            if data.get(key):
                problems.append(document.problem((*where, key), f"marker {data['id']!r}: a move earns no credit "
                                                                 f"and gives no feedback, so it has no {key!r}"))
        return problems
    for key in ("briefing", "feedback"):
        if not data.get(key):
            problems.append(document.problem(where, f"{dotted(where)}: missing required key {key!r} "
                                                    f"(a {data['kind']} marker needs it)"))
    return problems


def _build_marker(data: dict[str, Any], origin: str, document: Document, where: Where,
                  problems: list[Problem]) -> Marker:
    """A marker from its data; problems with its patterns are added to `problems`."""
    kind = data["kind"]
    if not data.get("phrases") and not data.get("patterns"):
        problems.append(document.problem((*where, "id"), f"marker {data['id']!r} needs `phrases:` or `patterns:`"))
    patterns = []
    for index, text in enumerate(data.get("patterns", [])):
        try:
            patterns.append(parse_pattern(text))
        except PatternError as exc:
            problems.append(problem_inside(document, (*where, "patterns", index), exc.offset,
                                    f"pattern {clean(text)[:60]!r}: {exc.message}"))
    return read(Marker, data, trust=int(data.get("trust", _DEFAULT_TRUST[kind])), origin=origin,
                patterns=tuple(patterns))


def problem_inside(document: Document, where: Where, offset: int, message: str) -> Problem:
    """A problem at character `offset` inside the one-line text value at `where`."""
    problem = document.problem(where, message)
    if problem.line is None or problem.column is None:
        return problem
    try:
        line = document.path.read_text(encoding="utf-8-sig").splitlines()[problem.line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return problem
    quoted = line[problem.column - 1:problem.column] in ("'", '"')
    return Problem(message, problem.file, problem.line, problem.column + offset + quoted, problem.severity)


def _classes(document: Document, problems: list[Problem]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The file's word classes; a badly named one is a problem."""
    found = []
    for name, entries in (document.data.get("classes") or {}).items():
        if not CLASS_NAME.fullmatch(name):
            problems.append(document.problem(("classes", name), f"class name {name!r} is not valid: use "
                                             "lower-case letters, digits, '-' and '_'", key=True))
            continue
        found.append((name, tuple(clean(entry) for entry in entries)))
    return tuple(found)


def merge_classes(*groups: Iterable[tuple[str, tuple[str, ...]]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Classes of the same name merged (entries in order of first mention)."""
    merged: dict[str, list[str]] = {}
    for group in groups:
        for name, entries in group:
            target = merged.setdefault(name, [])
            target.extend(entry for entry in entries if entry not in target)
    return tuple((name, tuple(entries)) for name, entries in merged.items())


def _unknown_classes(document: Document, where: Where, entries: list[Any], markers: Sequence[Marker],
                     known: set[str]) -> list[Problem]:
    """Problems for classes that patterns of `markers` (written at `where`) name but nobody declares."""
    problems = []
    for index, marker in enumerate(markers):
        for p_index, pattern in enumerate(marker.patterns):
            for ref in pattern.classes():
                if ref.name not in known:
                    close = difflib.get_close_matches(ref.name, sorted(known), n=1, cutoff=0.6)
                    hint = f" (did you mean '~{close[0]}'?)" if close else (
                        f"; known: {', '.join(sorted(known))}" if 0 < len(known) <= 8
                        else "; declare it under `classes:`")
                    problems.append(problem_inside(document, (*where, index, "patterns", p_index), ref.offset,
                                            f"pattern {pattern.text[:60]!r}: unknown class '~{ref.name}'{hint}"))
    return problems


def _build_library(document: Document) -> MarkerLibrary:
    data = document.data
    problems: list[Problem] = []
    markers = tuple(_build_marker(m, str(document.path), document, ("markers", index), problems)
                    for index, m in enumerate(data["markers"]))
    problems += _duplicate_ids(document, ("markers",), data["markers"], "marker")
    classes = _classes(document, problems)
    problems += _unknown_classes(document, ("markers",), data["markers"], markers, {name for name, _ in classes})
    for index, entry in enumerate(data["markers"]):
        problems += marker_problems(document, ("markers", index), entry)
    if problems:
        raise CoachError(*problems)
    return read(MarkerLibrary, data, title=clean(data.get("title", data["id"])), markers=markers, path=document.path,
                document=document, synonyms=_synonyms(data), classes=classes)


def _synonyms(data: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(clean(entry) for entry in group) for group in data.get("synonyms", []))


def _first_at(document: Document, first: Where) -> str:
    """Where the first use of a duplicated id is, for the error about the second."""
    line, _ = document.locate((*first, "id")) or (None, None)
    return f" (the first is at line {line})" if line else ""


def _duplicate_ids(document: Document, where: Where, entries: list[dict[str, Any]], what: str,
                   seen: dict[str, Any] | None = None) -> list[Problem]:
    seen = {} if seen is None else seen
    problems = []
    for index, entry in enumerate(entries):
        entry_id = entry["id"]
        if entry_id in seen:
            problems.append(document.problem((*where, index, "id"),
                                             f"duplicate {what} id {entry_id!r}{_first_at(document, seen[entry_id])}"))
        seen[entry_id] = (*where, index)
    return problems


class _ScenarioBuilder:
    """Builds one `Scenario`, collecting every cross-reference problem."""

    def __init__(self, document: Document, catalog: Catalog) -> None:
        self.document = document
        self.data = document.data
        self.catalog = catalog
        self.problems: list[Problem] = []

    def error(self, where: Where, message: str) -> None:
        self.problems.append(self.document.problem(where, message))

    def build(self) -> Scenario:
        data = self.data
        briefing = self.catalog.briefings.get(data["briefing"])
        if briefing is None:
            self._unknown(("briefing",), "briefing", data["briefing"], self.catalog.briefings)
            raise CoachError(*self.problems)
        items = briefing.items
        self.classes = self._merged_classes()
        markers = self._markers(items)
        states = self._states()
        goals = self.goal_ids
        for index, goal in enumerate(goals):
            where: Where = ("goals", index, "id") if isinstance(data["goals"][index], dict) else ("goals", index)
            self._check_ref(where, "briefing item", goal, items)
        self._check_goal_parts(markers)
        self._check_ref(("start",), "beat", data["start"], {b["id"] for b in data["beats"]})
        names = [*RULE_WORDS, *(m.id for m in markers), *goals]
        topics = [*goals, *(m.id for m in markers)]
        for index, response in enumerate(data.get("responses", [])):
            self._check_conditions(("responses", index), response, names)
        for b_index, beat in enumerate(data["beats"]):
            for s_index, goal in enumerate(beat.get("shows", [])):
                self._check_ref(("beats", b_index, "shows", s_index), "learning goal", goal, goals)
            for a_index, topic in enumerate(beat.get("asks", [])):
                self._check_ref(("beats", b_index, "asks", a_index), "learning goal or marker", topic, topics)
            if beat.get("acknowledge") and not beat.get("asks"):
                self.error(("beats", b_index, "acknowledge"),
                           f"beat {beat['id']!r}: `acknowledge` is said when what the beat `asks` was already "
                           "given, but it asks for nothing: add `asks`")
            for r_index, response in enumerate(beat.get("responses", [])):
                self._check_conditions(("beats", b_index, "responses", r_index), response, names)
            for r_index, rule in enumerate(beat["next"]):
                where = ("beats", b_index, "next", r_index)
                self._check_ref((*where, "to"), "beat or ending", rule["to"], states)
                self._check_conditions(where, rule, names)
        endings = {e["id"] for e in data["endings"]}
        for p_index, playthrough in enumerate(data.get("playthroughs", [])):
            self._check_ref(("playthroughs", p_index, "ending"), "ending", playthrough["ending"], endings)
            for g_index, goal in enumerate(playthrough.get("goals_met", [])):
                self._check_ref(("playthroughs", p_index, "goals_met", g_index), "learning goal", goal, goals)
            for s_index, step in enumerate(playthrough["replies"]):
                if isinstance(step, dict) and "expect_beat" in step:
                    self._check_ref(("playthroughs", p_index, "replies", s_index, "expect_beat"), "beat or ending",
                                    step["expect_beat"], states)
        if self.problems:
            raise CoachError(*self.problems)
        return self._scenario(briefing, markers)

    def _check_conditions(self, where: Where, entry: dict[str, Any], names: list[str]) -> None:
        """Every name in `when`/`unless` is a word the engine knows, a marker or a learning goal."""
        for key in ("when", "unless"):
            for name in as_tuple(entry.get(key)):
                if name not in names:
                    self._unknown((*where, key), "marker or goal (or good, pitfall, move, nothing, question, stayed, repeated)",
                                  name, names)

    @property
    def goal_ids(self) -> list[str]:
        return [goal if isinstance(goal, str) else goal["id"] for goal in self.data["goals"]]

    def goal_parts(self) -> tuple[tuple[str, GoalParts], ...]:
        """The goals met part by part; one that does not say what it `needs` needs every part."""
        parts = (read(GoalParts, goal) for goal in self.data["goals"] if isinstance(goal, dict))
        return tuple((part.id, replace(part, needs=part.needs or len(part.elements))) for part in parts)

    def _check_goal_parts(self, markers: Sequence[Marker]) -> None:
        """Every part of a many-part goal is shown by some good marker (which may cite another
        goal: meeting rhythm is a practice of its own and a part of an agreement); `needs` fits."""
        shown = sorted({m.element for m in markers if m.kind == "good" and m.element})
        for index, goal in enumerate(self.data["goals"]):
            if not isinstance(goal, dict):
                continue
            for e_index, element in enumerate(goal["elements"]):
                if element not in shown:
                    close = difflib.get_close_matches(element, shown, n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    self.error(("goals", index, "elements", e_index),
                               f"no good marker shows element {element!r}{hint}: markers name the part "
                               "of a goal they show with `element:`")
            if goal.get("needs", 0) > len(goal["elements"]):
                self.error(("goals", index, "needs"), f"needs {goal['needs']} of only {len(goal['elements'])} elements")

    def _markers(self, items: dict[str, BriefingItem]) -> tuple[Marker, ...]:
        data = self.data
        markers: list[Marker] = []
        seen: dict[str, Any] = {}
        for index, library_id in enumerate(data.get("include", [])):
            library = self.catalog.libraries.get(library_id)
            if library is None:
                self._unknown(("include", index), "marker library", library_id, self.catalog.libraries)
                continue
            for marker in library.markers:
                seen[marker.id] = library.path
                markers.append(marker)
        for index, entry in enumerate(data.get("markers", [])):
            where = ("markers", index)
            if entry["id"] in seen:
                first = seen[entry["id"]]
                elsewhere = f" (the first is in {first})" if isinstance(first, Path) else _first_at(self.document, first)
                self.error((*where, "id"), f"duplicate marker id {entry['id']!r}{elsewhere}")
            seen[entry["id"]] = where
            self.problems += marker_problems(self.document, where, entry)
            markers.append(_build_marker(entry, str(self.document.path), self.document, where, self.problems))
        own = len(data.get("markers", []))
        included, written_here = markers[: len(markers) - own], markers[len(markers) - own:]
        for marker in included:
            for ref in (ref for ref in marker.briefing if ref not in items):
                self.error(("include",), f"marker {marker.id!r} from {marker.origin} cites unknown briefing item {ref!r}")
        for index, marker in enumerate(written_here):
            for position, ref in enumerate(marker.briefing):
                if ref not in items:
                    self._unknown(("markers", index, "briefing", position), "briefing item", ref, items)
        self.problems += _unknown_classes(self.document, ("markers",), data.get("markers", []), written_here,
                                          {name for name, _ in self.classes})
        return tuple(markers)

    def _merged_classes(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Word classes of the included libraries and the scenario, merged by name."""
        libraries = [self.catalog.libraries[i] for i in self.data.get("include", []) if i in self.catalog.libraries]
        return merge_classes(*(library.classes for library in libraries), _classes(self.document, self.problems))

    def _states(self) -> set[str]:
        data = self.data
        seen: dict[str, Any] = {}
        self.problems += _duplicate_ids(self.document, ("beats",), data["beats"], "beat or ending", seen)
        self.problems += _duplicate_ids(self.document, ("endings",), data["endings"], "beat or ending", seen)
        return set(seen)

    def _check_ref(self, where: Where, what: str, value: str, known: Iterable[str]) -> None:
        known = list(known)
        if value not in known:
            self._unknown(where, what, value, known)

    def _unknown(self, where: Where, what: str, value: str, known: Iterable[str]) -> None:
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.error(where, f"unknown {what} {value!r}{hint}")

    def _scenario(self, briefing: Briefing, markers: tuple[Marker, ...]) -> Scenario:
        data = self.data
        libraries = [self.catalog.libraries[i] for i in data.get("include", []) if i in self.catalog.libraries]
        return read(
            Scenario, data, briefing=briefing, goals=tuple(self.goal_ids), markers=markers,
            synonyms=_synonyms(data) + tuple(group for library in libraries for group in library.synonyms),
            classes=self.classes, goal_parts=self.goal_parts(),
            version=1 if data["format"] == SCENARIO_FORMAT_1 else 2, path=self.document.path, document=self.document,
        )
