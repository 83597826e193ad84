"""Run the checks authors write inside their files: marker examples and playthroughs.

`coach test` reports these like a test runner. Each check knows where it was written, so a
failure points at the example or playthrough in the YAML file, and says why: the best
phrase's score against its threshold, or the path a playthrough took.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coach.conversation.commands import HINT, UNDO, command_of, unknown
from coach.conversation.engine import COUNTERPART, Session, library_matcher, matcher_for
from coach.errors import CoachError, Problem
from coach.safetext import one_line
from coach.authoring.lint import library_documents, marker_site
from coach.scenario.loader import Catalog, load_catalog
from coach.conversation.matcher import Matcher, Verdict, shared_libraries
from coach.scenario.models import Marker, Playthrough, Scenario, Step
from coach.scenario.sources import scenario_paths, yaml_files
from coach.scenario.yamlsource import Document


@dataclass(frozen=True, slots=True)
class Check:
    """One example or playthrough, and whether it held."""

    owner: str  # scenario or marker library id
    name: str  # e.g. "marker rank: must match" or "playthrough 'open and kind'"
    passed: bool
    detail: str = ""  # why it failed
    where: str = ""  # file:line:col of what was checked

    def to_dict(self) -> dict[str, object]:
        return {"owner": self.owner, "name": self.name, "passed": self.passed, "detail": self.detail,
                "where": self.where}


@dataclass
class Coverage:
    """What the playthroughs of one scenario never visit."""

    scenario: str
    states: list[str] = field(default_factory=list)  # beats and endings never entered
    transitions: list[str] = field(default_factory=list)  # "from -> to (label)" never taken

    def to_dict(self) -> dict[str, object]:
        return {"scenario": self.scenario, "states": self.states, "transitions": self.transitions}


@dataclass
class TestRun:
    checks: list[Check] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def summary(self) -> str:
        failed = len(self.failed)
        return f"{len(self.checks) - failed} passed, {failed} failed"


def run_tests(catalog: Catalog, selected: Callable[[Path | None], bool] = lambda path: True,
              scenarios: Iterable[Scenario] | None = None) -> TestRun:
    """Run every example and playthrough written in the files `selected` accepts.

    `scenarios` (default: the catalog's) may be a stream, read one at a time: nothing built
    for one scenario (matcher, sessions, document) is kept once its checks are done.
    """
    with shared_libraries():  # each marker library compiled once for all the scenarios
        return _run_tests(catalog, selected, scenarios)


def library_checks(catalog: Catalog, selected: Callable[[Path | None], bool]) -> list[Check]:
    """The examples of the selected marker libraries' markers, checked against each library on its own."""
    documents = library_documents(catalog)
    checks = []
    for library in sorted(catalog.libraries.values(), key=lambda lib: lib.id):
        if selected(library.path):
            checks += marker_checks(library.id, library_matcher(library), library.markers, documents)
    return checks


def _run_tests(catalog: Catalog, selected: Callable[[Path | None], bool],
               scenarios: Iterable[Scenario] | None) -> TestRun:
    run = TestRun(library_checks(catalog, selected))
    documents = library_documents(catalog)
    results: list[tuple[str, list[Check], Coverage]] = []
    for scenario in (sorted(catalog.scenarios.values(), key=lambda s: s.id) if scenarios is None else scenarios):
        if selected(scenario.path):
            results.append((scenario.id, *scenario_checks(scenario, documents)))
    for _, checks, cover in sorted(results, key=lambda result: result[0]):
        run.checks += checks
        run.coverage.append(cover)
    return run


def scenario_checks(scenario: Scenario, libraries: dict[str, Document]) -> tuple[list[Check], Coverage]:
    """The checks of one scenario's own markers and playthroughs, and what they leave unvisited."""
    own = [m for m in scenario.markers if m.origin == str(scenario.path)]
    documents = {**libraries, str(scenario.path): scenario.document} if scenario.document is not None else libraries
    matcher = matcher_for(scenario)
    matcher.remember_replies(256)  # playthroughs often say the same lines: match each once
    checks = marker_checks(scenario.id, matcher, own, documents)
    sessions = []
    for index, playthrough in enumerate(scenario.playthroughs):
        check, session = playthrough_check(scenario, index, playthrough)
        checks.append(check)
        sessions.append(session)
    return checks, coverage(scenario, sessions)


def _where(document: Document | None, path: tuple) -> str:
    return document.problem(path, "").where() if document is not None else ""


def _explain(verdict: Verdict) -> str:
    if verdict.reason == "no words in common":
        return "no phrase shares a word with it"
    detail = f"best phrase \u201c{verdict.phrase}\u201d scored {verdict.score:.1f} against threshold {verdict.threshold:.0f}"
    if verdict.span:
        detail += f" on \u201c{verdict.span}\u201d"
    return f"{detail} ({verdict.reason})"


def marker_checks(owner: str, matcher: Matcher, markers: Iterable[Marker],
                  documents: dict[str, Document]) -> list[Check]:
    """Each example of `markers` checked against `matcher` (which holds them)."""
    index = {marker.id: i for i, marker in enumerate(matcher.markers)}
    checks = []
    for marker in markers:
        site = marker_site(marker, documents)
        for expected, key in ((True, "match"), (False, "no_match")):
            for e_index, example in enumerate(getattr(marker.examples, key)):
                verdict = matcher.explain_one(example, matcher.markers[index[marker.id]])
                passed = verdict.fired == expected
                name = f"marker {marker.id}: {'fires on' if expected else 'does not fire on'} \u201c{example}\u201d"
                detail = "" if passed else ("did not fire: " if expected else "fired: ") + _explain(verdict)
                where = _where(site[0], (*site[1], "examples", key, e_index)) if site else ""
                checks.append(Check(owner, name, passed, detail, where))
    return checks


def playthrough_check(scenario: Scenario, index: int, playthrough: Playthrough) -> tuple[Check, Session]:
    """Replay one playthrough and compare its ending, goals and expected answers with what the
    author wrote. Steps may be commands (`/undo`, `/hint`), as in a `coach play` script."""
    session = Session(scenario, seed=playthrough.seed)
    reasons = []
    replies = 0
    for s_index, step in enumerate(playthrough.steps):
        if session.ended:
            break
        command = command_of(step.say)
        try:
            if command == UNDO:
                session.undo()
            elif command == HINT:
                session.hint()
            elif command is not None:
                reasons.append(f"step {s_index + 1}: {unknown(command)}")
                continue
            else:
                session.reply(step.say)
                replies += 1
        except RuntimeError as exc:
            reasons.append(f"step {s_index + 1} ({step.say}): {exc}")
            continue
        reasons += _expectations(session, s_index, step)
    state = session.state.id
    if not session.ended:
        reasons.append(f"did not end: still at beat {state!r} after {len(session.turns)} replies")
    elif state != playthrough.ending:
        reasons.append(f"ended at {state!r} instead of {playthrough.ending!r}")
    expected_replies = sum(command_of(step.say) is None for step in playthrough.steps)
    if replies < expected_replies:
        reasons.append(f"ended after reply {replies} of {expected_replies}")
    missing = [goal for goal in playthrough.goals_met if goal not in session.goals_met]
    if missing:
        reasons.append(f"goals not met: {', '.join(missing)}")
    detail = ""
    if reasons:
        trace = [f"  turn {turn.index + 1}: \u201c{turn.reply}\u201d fired "
                 f"[{', '.join(m.marker for m in turn.matches) or 'nothing'}] -> {turn.beat}: "
                 f"\u201c{turn.answer}\u201d"
                 for turn in session.turns]
        detail = "; ".join(reasons) + "\n" + "\n".join(trace)
    where = _where(scenario.document, ("playthroughs", index))
    return Check(scenario.id, f"playthrough \u201c{playthrough.name}\u201d", not reasons, detail, where), session


def _expectations(session: Session, s_index: int, step: Step) -> list[str]:
    """What does not hold of the counterpart's answer to one step (its last line, and the beat)."""
    reasons = []
    answer = next(line.text for line in reversed(session.transcript) if line.speaker == COUNTERPART)
    if step.expect_beat is not None and session.state.id != step.expect_beat:
        reasons.append(f"step {s_index + 1}: at {session.state.id!r} instead of {step.expect_beat!r}")
    for text in step.expect_line_contains:
        if text.lower() not in answer.lower():
            reasons.append(f"step {s_index + 1}: the answer \u201c{answer}\u201d does not contain \u201c{text}\u201d")
    for text in step.expect_line_lacks:
        if text.lower() in answer.lower():
            reasons.append(f"step {s_index + 1}: the answer \u201c{answer}\u201d contains \u201c{text}\u201d")
    return reasons


def coverage(scenario: Scenario, sessions: Iterable[Session]) -> Coverage:
    """The beats, endings and rules (as from -> to) that no session went through."""
    visited = {scenario.start}
    taken: set[tuple[str, str]] = set()
    for session in sessions:
        for source, target in session.transitions_taken:
            visited.add(target)
            taken.add((source, target))
    result = Coverage(scenario.id)
    result.states = [state for state in scenario.states if state not in visited]
    for beat in scenario.beats:
        for rule in beat.next:
            if (beat.id, rule.to) not in taken:
                result.transitions.append(f"{beat.id} -> {rule.to} ({rule.describe()})")
    return result


def load_selection(paths: Sequence[str], extra: Sequence[str] = ()) -> tuple[Catalog, Callable[[Path | None], bool]]:
    """The catalog of every folder coach reads plus `paths`, and a test for "is in `paths`".

    Files are always read with the bundled ones, so a user's scenario can cite the bundled
    briefing and libraries, and a clash of ids with them is found. With no `paths`, every
    file is selected.
    """
    defaults = yaml_files(scenario_paths(extra))
    if not paths:
        return load_catalog(defaults), lambda path: True
    for path in paths:
        if not Path(path).exists():
            raise CoachError(Problem("no such file or folder", Path(path)))
    chosen = yaml_files([Path(p) for p in paths])
    known = {path.resolve() for path in defaults}
    catalog = load_catalog([*defaults, *(path for path in chosen if path.resolve() not in known)])
    return catalog, selection(paths)


def streamed_problems(paths: Sequence[str], extra: Sequence[str] = (), jobs: int = 1) -> tuple[list[Problem], int]:
    """What `coach validate` reports for `paths` (loader problems, then lint), and how many
    files were read, one scenario file at a time (on up to `jobs` processes)."""
    from coach.authoring.batch import VALIDATE, check_files
    from coach.authoring.lint import in_order, lint_libraries

    batch = check_files(VALIDATE, paths, extra, jobs)
    selected = batch.selected
    problems = lint_libraries(batch.catalog, selected)
    for result in batch.results:
        if selected(result.path):
            problems += [*result.problems, *result.lint]
    problems += batch.catalog.problems  # the shared files'
    return in_order(p for p in problems if selected(p.file)), batch.files


def tested_files(paths: Sequence[str], extra: Sequence[str] = (), jobs: int = 1) -> tuple[TestRun, list[Problem]]:
    """What `coach test` reports for `paths`: every check, and the errors of files that could not
    be built, one scenario file at a time (on up to `jobs` processes)."""
    from coach.authoring.batch import TEST, check_files

    batch = check_files(TEST, paths, extra, jobs)
    run = TestRun(library_checks(batch.catalog, batch.selected))
    for result in sorted((r for r in batch.results if r.checked), key=lambda r: r.scenario_id or ""):
        run.checks += result.checks
        if result.coverage is not None:
            run.coverage.append(result.coverage)
    broken = [p for p in (*batch.catalog.problems, *(p for r in batch.results for p in r.problems))
              if p.is_error and batch.selected(p.file)]
    broken.sort(key=lambda p: (str(p.file), p.line or 0, p.column or 0))
    return run, broken


def selection(paths: Sequence[str | Path]) -> Callable[[Path | None], bool]:
    """A test for "this file is one of `paths` (or inside one of its folders)"."""
    wanted = {path.resolve() for path in yaml_files([Path(p) for p in paths])}
    return lambda path: path is None or path.resolve() in wanted


def problems_of(catalog: Catalog, selected: Callable[[Path | None], bool]) -> list[Problem]:
    """What `coach validate` reports for the selected files: loader problems, then lint."""
    from coach.authoring.lint import lint_catalog

    return [p for p in (*catalog.problems, *lint_catalog(catalog, selected)) if selected(p.file)]


def verdict_lines(verdicts: Iterable[Verdict]) -> list[str]:
    """`coach match --explain`: per marker, the best phrase, score vs threshold, and why."""
    lines = []
    for verdict in verdicts:
        lines.append(f"{verdict.marker.kind:7} {verdict.marker.id:28} {verdict.score:5.1f} / {verdict.threshold:3.0f}  "
                     f"{verdict.reason}")
        if verdict.phrase and verdict.reason != "no words in common":
            matched = f"  matched \u201c{one_line(verdict.span)}\u201d" if verdict.span else ""
            lines.append(f"        best phrase \u201c{verdict.phrase}\u201d{matched}")
        if verdict.parts:  # a pattern: which words filled which element
            lines.append("        parts " + ", ".join(f"{element} \u2190 \u201c{one_line(words)}\u201d" for element, words in verdict.parts))
    return lines
