"""The record of a played session: turns, feedback items, citations, goals and the report.

Plain data, importing only the models: the engine produces it, the records database stores
it, exports, imports, workshop reports and every screen read it. One serializer (msgspec,
imported on first use so the engine and `coach list` do not pay for it) writes and reads
every type here field by field, so a field added with a default needs no code, and an older
row without it still reads. The one older shape that differs (reports stored goals as
`goals_met`/`goals_missed` lists) is upgraded in `_upgrade_report`, the only place that
looks into stored data by key.

`coach-session/N` is the one JSON file format of a session: `coach export --format json`
and the app's export write it, `coach import` reads it (`read_export` checks every field
against these types and the budgets below before anything is written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, is_dataclass, make_dataclass
from itertools import accumulate
from types import UnionType
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from coach.scenario.models import MODES, OUTCOMES

FORMAT = "coach-session/2"
"""The export format written now."""
READABLE_FORMATS = ("coach-session/1", FORMAT)
"""Formats `coach import` reads (`/1` stored the session summary as "session")."""

OUTCOME_NAMES = (*OUTCOMES, "unfinished")

# Budgets for what one imported file may cost or hold.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 16  # the format nests 6 deep (file, turns, turn, feedback, item, citations)
MAX_INT = 2**63 - 1  # what SQLite stores
MAX_ID = 200  # characters in a session id

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Citation:
    """A briefing item cited by feedback: its stable id and title."""

    id: str
    title: str

    def __str__(self) -> str:
        return f"{self.id} ({self.title})"


@dataclass(frozen=True, slots=True)
class FeedbackItem:
    """Praise or a caution for one reply, with the words that earned it and its sources."""

    kind: str  # "good" or "pitfall"
    marker: str
    message: str
    better: str | None
    citations: tuple[Citation, ...]
    evidence: str  # the user's own words that matched
    score: float


@dataclass(frozen=True, slots=True)
class Fired:
    """A marker that fired on a reply, as recorded: its id, the phrase and the words that matched."""

    marker: str
    kind: str
    briefing: tuple[str, ...]
    score: float
    phrase: str
    span: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the transcript."""

    speaker: str  # COUNTERPART or USER
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Turn:
    """What one reply did: what fired, the feedback, and how the counterpart answered."""

    index: int
    reply: str
    matches: tuple[Fired, ...]
    feedback: tuple[FeedbackItem, ...]
    answer: str
    beat: str  # the state after this turn (a beat or an ending)
    mood: str
    trust: int
    goals_met: tuple[str, ...]  # goals newly met on this turn
    ended: bool
    outcome: str | None = None
    hints: int = 0  # hints asked for before this reply


@dataclass(frozen=True, slots=True)
class GoalResult:
    id: str
    title: str
    met: bool
    turn: int | None = None  # the turn that met it
    model_answer: str | None = None  # for a missed goal
    elements: tuple[str, ...] = ()  # for a goal met part by part: all its parts
    elements_met: tuple[str, ...] = ()  # and the parts shown so far
    needs: int | None = None  # how many parts make it met


@dataclass(frozen=True, slots=True)
class PitfallHit:
    marker: str
    citations: tuple[Citation, ...]
    caution: str
    better: str | None
    reply: str
    evidence: str
    turn: int


@dataclass(frozen=True)
class Report:
    """The end of a session: outcome, goals met and missed, pitfalls, debrief, transcript."""

    scenario: str
    title: str
    outcome: str  # "strong", "mixed", "poor", or "unfinished"
    ending: str | None
    ending_title: str | None
    goals: tuple[GoalResult, ...]
    pitfalls: tuple[PitfallHit, ...]
    debrief: tuple[str, ...]
    transcript: tuple[Line, ...]
    hints_used: int
    turns: int
    seed: int
    mode: str
    retries: int = 0  # replies taken back (`Session.undo`) and tried again

    @property
    def goals_met(self) -> tuple[GoalResult, ...]:
        return tuple(g for g in self.goals if g.met)

    @property
    def goals_missed(self) -> tuple[GoalResult, ...]:
        return tuple(g for g in self.goals if not g.met)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One attempt as history lists it."""

    id: str
    scenario: str
    title: str
    started: str
    ended: str | None
    outcome: str | None  # None while the session is open (interrupted or in progress)
    goals_met: int
    goals_total: int
    hints_used: int
    turns: int
    mode: str
    seed: int
    workshop: str | None
    participant: str | None

    @property
    def is_open(self) -> bool:
        return self.ended is None

    def to_dict(self) -> dict[str, Any]:
        return to_data(self)


@dataclass(frozen=True)
class SessionRecord:
    """Everything stored about one attempt: enough to show, export, resume or compare it."""

    summary: SessionSummary
    scenario_hash: str
    opening: str
    turns: tuple[Turn, ...]
    report: Report | None

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def replies(self) -> list[str]:
        return [turn.reply for turn in self.turns]


# -- the one serializer ------------------------------------------------------------------------

def to_data(obj: Any) -> Any:
    """Any record value as JSON-ready data (dicts, lists, strings, numbers), every field kept."""
    import msgspec

    return msgspec.json.decode(msgspec.json.encode(obj))


def to_json(obj: Any, *, indent: int = 0) -> str:
    """Any record value as JSON text (UTF-8 safe: lone surrogates are refused by the encoder)."""
    import msgspec

    data = msgspec.json.encode(obj)
    if indent:
        data = msgspec.json.format(data, indent=indent)
    return data.decode("utf-8")


def from_data(data: Any, kind: type[T]) -> T:
    """Data (as `to_data` wrote it, or an older row) back as `kind`; a `RecordError` if it does not fit."""
    import msgspec

    try:
        return msgspec.convert(_upgrade(data, kind), kind)
    except msgspec.ValidationError as exc:
        raise RecordError(*_split(str(exc))) from None


def from_json(text: str | bytes, kind: type[T]) -> T:
    """JSON text (a stored row) back as `kind`; see `from_data`."""
    import msgspec

    try:
        if kind is Turn:  # turns never changed shape: straight from the text, the fastest way
            return msgspec.json.decode(text, type=kind)
        return from_data(msgspec.json.decode(text), kind)
    except msgspec.ValidationError as exc:
        raise RecordError(*_split(str(exc))) from None
    except msgspec.DecodeError as exc:
        raise RecordError("", f"not JSON: {exc}") from None


class RecordError(ValueError):
    """Stored or imported data that does not fit the record: where (a field path, a line) and what."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message
        self.line = line
        self.column = column


_MISSING = re.compile(r"Object missing required field `([^`]*)`")


def _split(text: str) -> tuple[str, str]:
    """msgspec's "Expected `int`, got `str` - at `$.turns[0].index`" as ("turns[0].index", "expected int, got str")."""
    message, _, where = text.partition(" - at `$")
    path = where.rstrip("`").lstrip(".")
    missing = _MISSING.fullmatch(message)
    if missing:  # name the field itself: "turns[0].goals_met: missing"
        return (f"{path}.{missing.group(1)}" if path else missing.group(1)), "missing (a required field)"
    message = message.replace("`", "")
    return path, message[:1].lower() + message[1:]


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column of byte `offset`."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


_AT_BYTE = re.compile(r"\s*\(byte (\d+)\)$")


def _upgrade(data: Any, kind: type) -> Any:
    """Older shapes brought up to date before conversion (the one place that reads data by key)."""
    if not isinstance(data, dict):
        return data
    if kind is Report:
        return _upgrade_report(data)
    if kind is SessionRecord:
        data = dict(data)
        if "summary" not in data and "session" in data:  # coach-session/1
            data["summary"] = data.pop("session")
        if isinstance(data.get("report"), dict):
            data["report"] = _upgrade_report(data["report"])
    return data


def _upgrade_report(data: dict[str, Any]) -> dict[str, Any]:
    """Reports before coach-session/2 kept goals as two lists, met and missed."""
    if "goals" in data:
        return data
    met, missed = data.get("goals_met", []), data.get("goals_missed", [])
    if not isinstance(met, list) or not isinstance(missed, list):
        return {**data, "goals": met if not isinstance(met, list) else missed}  # let conversion name the fault
    return {**data, "goals": met + missed}


def replays_as(stored: Turn, played: Turn) -> bool:
    """Whether a replayed turn is the stored one (scores compared to the tenth, as older rows kept them)."""
    return _rounded(stored) == _rounded(played)


def _rounded(turn: Turn) -> Turn:
    from dataclasses import replace

    return replace(turn, matches=tuple(replace(m, score=round(m.score, 1)) for m in turn.matches),
                   feedback=tuple(replace(f, score=round(f.score, 1)) for f in turn.feedback))


# -- exports: the coach-session/N file ------------------------------------------------------------

def export_data(record: SessionRecord) -> dict[str, Any]:
    """The export file's content: the format's name, then the whole record."""
    return {"format": FORMAT, **to_data(record)}


def export_json(record: SessionRecord) -> str:
    return to_json(export_data(record), indent=2) + "\n"


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_ONLY_DIGITS = bytes(b if 0x30 <= b <= 0x39 else 0x20 for b in range(256))  # digits kept, the rest spaces
_DEPTH = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(set(range(256)) - set(_DEPTH))


def _outside_strings(data: bytes) -> bytes:
    """JSON text without its strings: escaped backslashes and quotes dropped, then every other
    piece between quotes (a fast way to see the structure: brackets and numbers)."""
    return b"".join(data.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')[::2])


def _lone_surrogate(data: bytes) -> re.Match[bytes] | None:
    """The first `\\uD800`-`\\uDFFF` escape that is not half of a pair (in JSON text), if any."""
    previous_high = -1
    for found in _SURROGATE.finditer(data):
        start = found.start()
        backslashes = len(data[:start]) - len(data[:start].rstrip(b"\\"))
        if backslashes % 2:  # "\\ud800": an escaped backslash, then text
            continue
        high = found.group()[3:4].lower() in b"89ab"
        if high:
            if previous_high >= 0:
                return _SURROGATE.match(data, previous_high)
            previous_high = start
        elif previous_high >= 0 and previous_high + 6 == start:
            previous_high = -1  # a proper pair
        else:
            return found
    return _SURROGATE.match(data, previous_high) if previous_high >= 0 else None


@dataclass(frozen=True, slots=True)
class _ExportFile:
    """A `coach-session/2` file as written, so it decodes and checks in one step."""

    format: str
    summary: SessionSummary
    scenario_hash: str
    opening: str
    turns: tuple[Turn, ...]
    report: Report | None


def read_export(data: bytes, *, scanned: bool = False) -> SessionRecord:
    """An export file's bytes as a checked `SessionRecord`; a `RecordError` naming the field if not.

    Every budget is checked before the data is decoded (`scan`). `scanned=True` skips that for
    bytes scanned once already (an import's second pass); the decoder still refuses what the
    scan would have named, only in vaguer words.
    """
    import msgspec

    long_numbers = scan(data) if not scanned else False
    try:
        exported: _ExportFile | None = _decode(data, _ExportFile)
        wrong: msgspec.ValidationError | None = None
    except msgspec.ValidationError as exc:
        exported, wrong = None, exc
    if exported is not None and exported.format == FORMAT:
        record = SessionRecord(exported.summary, exported.scenario_hash, exported.opening, exported.turns,
                               exported.report)
    else:  # not this format's shape: an older format, or a fault to name
        try:
            raw = _decode(data, None)
        except msgspec.ValidationError as exc:  # a number too large to read at all
            raise RecordError("", _split(str(exc))[1].replace("integer value", "a number is")) from None
        if not isinstance(raw, dict) or raw.get("format") not in READABLE_FORMATS:
            raise RecordError("format", f"not a coach session export (expected \"format\": \"{FORMAT}\")")
        if raw["format"] == FORMAT and wrong is not None:
            raise RecordError(*_split(str(wrong))) from None
        record = from_data(raw, SessionRecord)
    check(record, numbers=long_numbers)
    return record


def _decode(data: bytes, kind: Any) -> Any:
    """JSON bytes decoded (as `kind`, if given); malformed JSON is a `RecordError` with its place."""
    import msgspec

    try:
        return msgspec.json.decode(data, type=kind) if kind is not None else msgspec.json.decode(data)
    except RecursionError:
        raise RecordError("", f"nested deeper than a session export may ({MAX_DEPTH} levels)") from None
    except msgspec.ValidationError:  # (a kind of DecodeError) the caller names the field
        raise
    except msgspec.DecodeError as exc:
        reason = str(exc).removeprefix("JSON is malformed: ")
        at = _AT_BYTE.search(reason)
        if at:
            raise RecordError("", f"not JSON: {reason[:at.start()]}", *_place(data, int(at.group(1)))) from None
        if reason == "Input data was truncated":
            reason = "the file ends in the middle of a value"
        raise RecordError("", f"not JSON: {reason}") from None


@dataclass(frozen=True, slots=True)
class StoredRows:
    """A session as the database keeps it: the summary, the report and each turn as JSON text."""

    summary: SessionSummary
    scenario_hash: str
    opening: str
    report: str | None
    turns: tuple[tuple[int, str, int, str], ...]  # index, reply, hints, the turn as JSON


def rows_of(record: SessionRecord) -> StoredRows:
    """A record ready to store: every value serialized once, here."""
    return StoredRows(record.summary, record.scenario_hash, record.opening,
                      to_json(record.report) if record.report is not None else None,
                      tuple((turn.index, turn.reply, turn.hints, to_json(turn)) for turn in record.turns))


@dataclass(frozen=True, slots=True)
class _TurnKeys:
    """What the turns table keeps beside a turn's JSON."""

    index: int
    reply: str
    hints: int = 0


def stored_rows(data: bytes) -> StoredRows:
    """A file `read_export` accepted, as rows to store, without building every turn again: each
    turn's and the report's JSON is kept as written (made compact). Older formats take the
    long way (`read_export`, then `rows_of`)."""
    import msgspec

    try:
        raw: Any = msgspec.json.decode(data, type=_raw_export())
    except msgspec.ValidationError:
        return rows_of(read_export(data, scanned=True))
    if raw.format != FORMAT:
        return rows_of(read_export(data, scanned=True))
    turns = []
    for text in raw.turns:
        keys = msgspec.json.decode(text, type=_TurnKeys)
        turns.append((keys.index, keys.reply, keys.hints, msgspec.json.format(text, indent=-1).decode("utf-8")))
    report = bytes(raw.report)
    return StoredRows(raw.summary, raw.scenario_hash, raw.opening,
                      None if report == b"null" else msgspec.json.format(report, indent=-1).decode("utf-8"),
                      tuple(turns))


_raw_types: list[type] = []


def _raw_export() -> type:
    """`_ExportFile` with turns and report left as raw JSON (msgspec's `Raw`, so made on first use)."""
    if not _raw_types:
        import msgspec

        _raw_types.append(make_dataclass("RawExport", [
            ("format", str), ("summary", SessionSummary), ("scenario_hash", str), ("opening", str),
            ("turns", tuple[msgspec.Raw, ...]), ("report", msgspec.Raw)], frozen=True, slots=True))
    return _raw_types[0]


def scan(data: bytes) -> bool:
    """The budgets of one file, checked on its bytes: size, UTF-8, whole characters, nesting depth.

    Returns whether it has numbers long enough (19 digits) to be out of range."""
    if len(data) > MAX_FILE_BYTES:
        raise RecordError("", f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError("", "not UTF-8 text", *_place(data, exc.start)) from None
    surrogate = _lone_surrogate(data)
    if surrogate:
        raise RecordError("", f"a lone surrogate {surrogate.group().decode()} is not text (only whole "
                              "characters are)", *_place(data, surrogate.start()))
    structure = _outside_strings(data)
    depth = max(accumulate(map(_DEPTH.__getitem__, structure.translate(None, delete=_NOT_BRACKETS))), default=0)
    if depth > MAX_DEPTH:
        raise RecordError("", f"nested {depth} levels deep; a session export nests at most {MAX_DEPTH}")
    return max(map(len, structure.translate(_ONLY_DIGITS).split()), default=0) >= 19  # may be out of range


def check(record: SessionRecord, *, numbers: bool = True) -> None:
    """What the types cannot say: numbers in range, ids present, counts that agree. Raises `RecordError`.

    `numbers=False`: the file is known to hold no number long enough to be out of range."""
    if numbers:
        _check_ints(record, "")
    summary = record.summary
    if not summary.id.strip():
        raise RecordError("summary.id", "a session id cannot be empty")
    if len(summary.id) > MAX_ID:
        raise RecordError("summary.id", f"longer than {MAX_ID} characters")
    if not summary.scenario.strip():
        raise RecordError("summary.scenario", "a scenario id cannot be empty")
    if summary.mode not in MODES:
        raise RecordError("summary.mode", f"{summary.mode!r} is not a mode ({', '.join(MODES)})")
    if summary.outcome is not None and summary.outcome not in OUTCOME_NAMES:
        raise RecordError("summary.outcome", f"{summary.outcome!r} is not an outcome ({', '.join(OUTCOME_NAMES)})")
    for name in ("goals_met", "goals_total", "hints_used", "turns"):
        if getattr(summary, name) < 0:
            raise RecordError(f"summary.{name}", "cannot be negative")
    if summary.turns != len(record.turns):
        raise RecordError("summary.turns", f"says {summary.turns} but there are {len(record.turns)} turns")
    for number, turn in enumerate(record.turns):
        if turn.index != number:
            raise RecordError(f"turns[{number}].index", f"is {turn.index}; turns must be numbered 0, 1, 2... in order")
        if turn.hints < 0:
            raise RecordError(f"turns[{number}].hints", "cannot be negative")
    report = record.report
    if report is not None:
        if report.outcome not in OUTCOME_NAMES:
            raise RecordError("report.outcome", f"{report.outcome!r} is not an outcome ({', '.join(OUTCOME_NAMES)})")
        if report.mode not in MODES:
            raise RecordError("report.mode", f"{report.mode!r} is not a mode ({', '.join(MODES)})")


def _check_ints(value: Any, path: str) -> None:
    """Every whole number within what SQLite stores (a 10**30 seed is refused, not overflowed later)."""
    ints, children, many = _plan(type(value))
    for name in ints:
        number = getattr(value, name)
        if number is not None and not -MAX_INT - 1 <= number <= MAX_INT:
            shown = str(number) if abs(number) < 10**24 else f"a {len(str(abs(number)))}-digit number"
            raise RecordError(f"{path}.{name}" if path else name, f"{shown} is out of range (at most {MAX_INT})")
    for name in children:
        child = getattr(value, name)
        if child is not None:
            _check_ints(child, f"{path}.{name}" if path else name)
    for name in many:
        for n, child in enumerate(getattr(value, name)):
            _check_ints(child, f"{path}.{name}[{n}]" if path else f"{name}[{n}]")


_Plan = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_plans: dict[Any, _Plan] = {}


def _plan(kind: Any) -> _Plan:
    """A record type's fields that hold whole numbers, a record, or a tuple of records (worked out once)."""
    if kind in _plans:
        return _plans[kind]
    ints: list[str] = []
    children: list[str] = []
    many: list[str] = []
    for name, hint in get_type_hints(kind).items():
        options = get_args(hint) if isinstance(hint, UnionType) else (hint,)
        records = [option for option in options if is_dataclass(option) and any(_plan(option))]
        if int in options:
            ints.append(name)
        elif records:
            children.append(name)
        elif get_origin(hint) is tuple and is_dataclass(get_args(hint)[0]) and any(_plan(get_args(hint)[0])):
            many.append(name)
    plan = _plans[kind] = (tuple(ints), tuple(children), tuple(many))
    return plan
