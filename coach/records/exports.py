"""A recorded session as Markdown, JSON or HTML; JSON imports back; files written safely.

Exports are written atomically (a temporary file in the same folder, then `os.replace`), so
a reader never sees half a file, and only ever inside the folder asked for: the file name is
built from the session id with anything but letters, digits, `.`, `_` and `-` replaced, and
the resolved path is checked to sit in that folder, whatever an imported id contains.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coach.conversation.engine import COUNTERPART, USER, GoalResult, Line, PitfallHit, Report
from coach.errors import CoachError, Problem
from coach.conversation.feedback import Citation
from coach.files import safe_name, write_atomic
from coach.records import EXPORT_FORMATS as FORMATS
from coach.records.html import esc, items, page, quote
from coach.records.store import SessionRecord, SessionSummary, Store
from coach.conversation.render import OUTCOME_WORDS, report_markdown

EXPORT_FORMAT = "coach-session/1"


# -- the stored report back as the engine's dataclasses, so `coach.conversation.render` can be reused ------

def report_from_dict(data: dict[str, Any]) -> Report:
    """Rebuild a `Report` from `Report.to_dict()` output."""
    def goal(g: dict[str, Any]) -> GoalResult:
        return GoalResult(g["id"], g["title"], g["met"], g.get("turn"), g.get("model_answer"))

    goals = [goal(g) for g in data.get("goals_met", [])] + [goal(g) for g in data.get("goals_missed", [])]
    pitfalls = tuple(
        PitfallHit(p["marker"], tuple(Citation(c["id"], c["title"]) for c in p["citations"]), p["caution"],
                   p.get("better"), p["reply"], p["evidence"], p["turn"])
        for p in data.get("pitfalls", []))
    return Report(
        scenario=data["scenario"], title=data["title"], outcome=data["outcome"], ending=data.get("ending"),
        ending_title=data.get("ending_title"), goals=tuple(goals), pitfalls=pitfalls,
        debrief=tuple(data.get("debrief", [])),
        transcript=tuple(Line(t["speaker"], t["name"], t["text"]) for t in data.get("transcript", [])),
        hints_used=data.get("hints_used", 0), turns=data.get("turns", 0), seed=data.get("seed", 0),
        mode=data.get("mode", "practice"), retries=data.get("retries", 0))


def report_of(record: SessionRecord) -> Report:
    """The session's report; for one still open, a provisional one from its turns."""
    if record.report is not None:
        return report_from_dict(record.report)
    s = record.summary
    transcript = [Line(COUNTERPART, "Counterpart", record.opening)]
    for turn in record.turns:
        transcript += [Line(USER, "You", turn["reply"]), Line(COUNTERPART, "Counterpart", turn["answer"])]
    return Report(
        scenario=s.scenario, title=s.title, outcome="unfinished", ending=None,
        ending_title="interrupted, not closed yet", goals=tuple(
            GoalResult(goal, goal, True, turn["index"]) for turn in record.turns for goal in turn["goals_met"]),
        pitfalls=(), debrief=(), transcript=tuple(transcript), hints_used=s.hints_used, turns=len(record.turns),
        seed=s.seed, mode=s.mode)


# -- renderings ---------------------------------------------------------------------------------

def session_header(summary: SessionSummary) -> list[str]:
    """Who played and when, as `key: value` lines."""
    lines = [f"Session: {summary.id}", f"Started: {summary.started}", f"Ended: {summary.ended or 'not closed'}"]
    if summary.workshop:
        lines.append(f"Workshop: {summary.workshop}")
    if summary.participant:
        lines.append(f"Participant: {summary.participant}")
    return lines


def to_markdown(record: SessionRecord) -> str:
    header = "".join(f"- {line}\n" for line in session_header(record.summary))
    text = report_markdown(report_of(record))
    title, _, rest = text.partition("\n")
    return f"{title}\n\n{header}{rest}"


def to_json(record: SessionRecord) -> dict[str, Any]:
    """The export format: everything stored, and nothing that depends on the machine."""
    return {"format": EXPORT_FORMAT, "session": record.summary.to_dict(), "scenario_hash": record.scenario_hash,
            "opening": record.opening, "turns": list(record.turns), "report": record.report}


def to_html(record: SessionRecord) -> str:
    report = report_of(record)
    ending = f" ({report.ending_title})" if report.ending_title else ""
    body = [f"<h1>{esc(report.title)}: report</h1>",
            items([esc(line) for line in session_header(record.summary)]),
            f"<p><strong>Outcome:</strong> {esc(OUTCOME_WORDS.get(report.outcome, report.outcome) + ending)}<br>"
            f"<strong>Turns:</strong> {report.turns} · <strong>Hints used:</strong> {report.hints_used} · "
            f"<strong>Retries:</strong> {report.retries} · "
            f"<strong>Mode:</strong> {esc(report.mode)} · <strong>Seed:</strong> {report.seed}</p>",
            f"<h2>Learning goals met ({len(report.goals_met)}/{len(report.goals)})</h2>",
            items([f"<code>{esc(g.id)}</code> {esc(g.title)}" for g in report.goals_met]),
            f"<h2>Learning goals missed ({len(report.goals_missed)})</h2>",
            items([f"<code>{esc(g.id)}</code> {esc(g.title)}"
                   + (f"<br>a model answer: {quote(g.model_answer)}" if g.model_answer else "")
                   for g in report.goals_missed]),
            f"<h2>Pitfalls ({len(report.pitfalls)})</h2>",
            items([f"Turn {hit.turn + 1}: {quote(hit.evidence)}{esc(hit.caution)} ("
                   + "; ".join(f"<code>{esc(c.id)}</code> {esc(c.title)}" for c in hit.citations) + ")"
                   + (f"<br>better: {esc(hit.better)}" if hit.better else "") for hit in report.pitfalls])]
    if report.debrief:
        body.append("<h2>Debrief</h2><ol>" + "".join(f"<li>{esc(q)}</li>" for q in report.debrief) + "</ol>")
    body.append("<h2>Transcript</h2>")
    body += [f"<p><strong>{esc(line.name)}:</strong></p>{quote(line.text)}" for line in report.transcript]
    return page(f"{report.title}: report", "\n".join(body))


def render(record: SessionRecord, fmt: str) -> str:
    """The session in `fmt` (one of FORMATS)."""
    if fmt == "md":
        return to_markdown(record)
    if fmt == "json":
        return json.dumps(to_json(record), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return to_html(record)
    raise CoachError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")


def export_session(record: SessionRecord, fmt: str, folder: Path) -> Path:
    return write_atomic(folder, safe_name(f"coach-{record.summary.scenario}-{record.id}", fmt), render(record, fmt))


# -- import ------------------------------------------------------------------------------------------

_SESSION_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,), "scenario": (str,), "title": (str,), "started": (str,), "ended": (str, type(None)),
    "outcome": (str, type(None)), "goals_met": (int,), "goals_total": (int,), "hints_used": (int,),
    "turns": (int,), "mode": (str,), "seed": (int,), "workshop": (str, type(None)),
    "participant": (str, type(None)),
}


def parse_export(text: str, source: Path) -> tuple[SessionSummary, str, str, list[dict[str, Any]], dict[str, Any] | None]:
    """Check and take apart a JSON export; every fault is a `CoachError` naming the file."""
    def bad(message: str, line: int | None = None) -> CoachError:
        return CoachError(Problem(message, source, line))

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"not JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise bad(f"not a coach session export (expected \"format\": \"{EXPORT_FORMAT}\")")
    session = data.get("session")
    if not isinstance(session, dict):
        raise bad("missing \"session\"")
    for key, types in _SESSION_FIELDS.items():
        if key not in session:
            raise bad(f"session: missing {key!r}")
        if not isinstance(session[key], types) or (isinstance(session[key], bool) and bool not in types):
            raise bad(f"session.{key}: wrong type ({type(session[key]).__name__})")
    turns = data.get("turns")
    if not isinstance(turns, list) or not all(
            isinstance(t, dict) and isinstance(t.get("reply"), str) and t.get("index") == n
            and isinstance(t.get("answer"), str) for n, t in enumerate(turns)):
        raise bad("turns: expected a list of turns, each with index, reply and answer, in order")
    if session["turns"] != len(turns):
        raise bad(f"session.turns says {session['turns']} but there are {len(turns)} turns")
    report = data.get("report")
    if report is not None and not isinstance(report, dict):
        raise bad("report: expected an object or null")
    for key in ("scenario_hash", "opening"):
        if not isinstance(data.get(key), str):
            raise bad(f"missing {key!r}")
    summary = SessionSummary(**{key: session[key] for key in _SESSION_FIELDS})
    return summary, data["scenario_hash"], data["opening"], turns, report


def import_file(store: Store, path: Path) -> str:
    """Add a JSON export to the records; returns the session id."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CoachError(Problem(f"cannot read file: {getattr(exc, 'strerror', None) or exc}", Path(path))) from None
    summary, scenario_hash, opening, turns, report = parse_export(text, Path(path))
    store.insert_record(summary, scenario_hash, opening, turns, report)
    return summary.id
