"""Semantic checks of loaded scenarios and marker libraries, beyond what a schema can say.

The loader guarantees shape and references; these checks find what is well-formed but
wrong or fragile: beats no path reaches, beats with no way out to an ending, phrases the
matcher can never fire on, the same phrase praised and cautioned, goals that cannot be met.
Each problem points at the YAML node at fault, like the loader's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from coach.conversation.engine import library_matcher, matcher_for
from coach.errors import Problem
from coach.scenario.loader import Catalog
from coach.conversation.matcher import Matcher, Phrase
from coach.scenario.models import Beat, Ending, Marker, Response, Scenario
from coach.conversation.text import FILLER_WORDS, STOP_WORDS, written_words, words
from coach.scenario.loader import problem_inside as inside_text
from coach.scenario.patterns import ClassRef, Choice, Group, Pattern, Word
from coach.scenario.yamlsource import Document, Where

WARNING, ERROR = "warning", "error"


def lint_catalog(catalog: Catalog, selected: Callable[[Path | None], bool] = lambda path: True) -> list[Problem]:
    """Every lint problem of the libraries and scenarios in `catalog` whose file is `selected`,
    sorted by place."""
    documents = library_documents(catalog)
    problems = lint_libraries(catalog, selected)
    for scenario in catalog.scenarios.values():
        if selected(scenario.path):
            problems += lint_scenario(scenario, documents)
    return in_order(problems)


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems once each (a library's phrase clash is found once per scenario using it), by place."""
    return sorted(dict.fromkeys(problems), key=lambda p: (str(p.file), p.line or 0, p.column or 0, p.message))


def library_documents(catalog: Catalog) -> dict[str, Document]:
    """The documents of the catalog's marker libraries, by path: where included markers were written."""
    return {str(library.path): library.document for library in catalog.libraries.values()}


def lint_libraries(catalog: Catalog, selected: Callable[[Path | None], bool] = lambda path: True) -> list[Problem]:
    """Lint problems of the marker libraries whose file is `selected`."""
    problems: list[Problem] = []
    for library in catalog.libraries.values():
        if selected(library.path):
            matcher = library_matcher(library)
            problems += lint_markers(library.markers, library.document, matcher)
            problems += lint_reads(library.markers, library.document, matcher)
    return problems


def marker_site(marker: Marker, documents: dict[str, Document]) -> tuple[Document, Where] | None:
    """The document a marker was written in and its path there, to point problems at it."""
    document = documents.get(marker.origin)
    if document is None:
        return None
    index = document.index_of(("markers",), marker.id)
    return None if index is None else (document, ("markers", index))


# -- markers ------------------------------------------------------------------------------


def lint_markers(markers: Sequence[Marker], document: Document, matcher: Matcher) -> list[Problem]:
    """Problems of the markers written in `document` (phrases that cannot fire, no `better`),
    judged by `matcher`: the one they are played with, synonyms and all."""
    documents = {str(document.path): document}
    problems = []
    for marker in markers:
        site = marker_site(marker, documents)
        if site is None:
            continue
        _, where = site
        phrases = matcher.phrases_of(marker)
        for p_index, phrase in enumerate(phrases):
            if phrase.can_fire:
                continue
            why = ("is made only of common words" if not phrase.content
                   else "is too short")
            read_as = " ".join(phrase.words)
            if read_as != " ".join(words(phrase.text)):
                why += f" (the synonym groups read it as {read_as!r})"
            problems.append(document.problem(
                (*where, "phrases", p_index),
                f"marker {marker.id!r}: phrase {phrase.text!r} {why} to fire on its own: "
                "use two or more meaningful words, or a longer phrase", severity=WARNING))
        if phrases and not any(phrase.can_fire for phrase in phrases):
            problems.append(document.problem(
                (*where, "phrases"), f"marker {marker.id!r} can never fire: every phrase is too short "
                                     "or made only of common words"))
        if marker.kind == "pitfall" and not marker.better:
            problems.append(document.problem(
                (*where, "id"), f"pitfall {marker.id!r} has no `better:` alternative to suggest",
                severity=WARNING))
        if not marker.examples.match and not marker.examples.no_match:
            problems.append(document.problem(
                (*where, "id"), f"marker {marker.id!r} has no `examples:`, so `coach test` cannot check it",
                severity=WARNING))
    return problems


def thin_read(text: str, read: tuple[str, ...]) -> str | None:
    """What is wrong when an author's words are read as (almost) nothing, else None: a filler
    ("okay" was one, "well", "um") is dropped from every reply, so it never matches; words that
    leave only common words ("well done" -> "done") match far too much."""
    if not read:
        return "is dropped by normalisation (filler words are read as nothing), so it never matches"
    written = written_words(text)
    if all(word in STOP_WORDS for word in read) and any(word not in STOP_WORDS for word in written):
        return f"is read as {' '.join(read)!r}: only common words, so it matches far too much"
    dropped = [word for word in written if word in FILLER_WORDS]
    if dropped and len(written) > 1:
        return (f"is read as {' '.join(read)!r}: {dropped[0]!r} is dropped as a filler, so it matches "
                "more than written")
    return None


def lint_reads(markers: Sequence[Marker], document: Document, matcher: Matcher) -> list[Problem]:
    """Class entries and pattern words of `document` that `matcher` reads as (almost) nothing,
    and pattern words written apart that a synonym group reads as one word."""
    problems = []
    for name, entries in (document.data.get("classes") or {}).items():
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            why = thin_read(str(entry), matcher.reads(str(entry)))
            if why:
                problems.append(document.problem(("classes", name, index),
                                                 f"class {name!r}: entry {entry!r} {why}", severity=WARNING))
    documents = {str(document.path): document}
    for marker in markers:
        site = marker_site(marker, documents)
        if site is None:
            continue
        _, where = site
        for p_index, pattern in enumerate(marker.patterns):
            at = (*where, "patterns", p_index)
            for word in _pattern_words(pattern):
                why = thin_read(word.text, matcher.reads(word.text))
                if why:
                    problems.append(_warning(document, at, word.offset,
                                             f"pattern {pattern.text[:60]!r}: word {word.text!r} {why}"))
            for first, second in _neighbours(pattern):
                together = matcher.reads(f"{first.text} {second.text}")
                if together != matcher.reads(first.text) + matcher.reads(second.text):
                    problems.append(_warning(
                        document, at, first.offset,
                        f"pattern {pattern.text[:60]!r}: {first.text!r} {second.text!r} is read as one word "
                        f"{' '.join(together)!r} (a synonym group), so written apart it never matches: "
                        f'write "{first.text} {second.text}" or the group\'s word'))
    return problems


def _warning(document: Document, where: Where, offset: int, message: str) -> Problem:
    problem = inside_text(document, where, offset, message)
    return Problem(problem.message, problem.file, problem.line, problem.column, WARNING)


def _pattern_words(pattern: Pattern) -> list[Word]:
    """Every literal word or quoted phrase of a pattern, nested ones included."""
    return [node for node in pattern.nodes() if isinstance(node, Word)]


def _neighbours(pattern: Pattern) -> list[tuple[Word, Word]]:
    """Literal words that stand next to each other in a row (top level or a group)."""
    pairs: list[tuple[Word, Word]] = []

    def row(items: Sequence[object]) -> None:
        for first, second in zip(items, items[1:]):
            if isinstance(first, Word) and isinstance(second, Word):
                pairs.append((first, second))
        for item in items:
            if isinstance(item, Group):
                row(item.items)
            elif isinstance(item, Choice):
                for option in item.options:
                    if isinstance(option, Group):
                        row(option.items)

    row(pattern.items)
    return pairs


def _phrase_clashes(scenario: Scenario, documents: dict[str, Document]) -> list[Problem]:
    """The same (normalised) phrase in a good marker and in a pitfall."""
    matcher = matcher_for(scenario)
    seen: dict[tuple[str, ...], tuple[Marker, Phrase]] = {}
    problems = []
    positions: dict[int, int] = defaultdict(int)  # marker index -> phrases seen so far
    for phrase in matcher.phrases:
        p_index = positions[phrase.marker]
        positions[phrase.marker] += 1
        marker = matcher.markers[phrase.marker]
        key = phrase.words
        if key not in seen:
            seen[key] = (marker, phrase)
            continue
        other, _ = seen[key]
        if other.kind == marker.kind or "move" in (other.kind, marker.kind):
            continue  # a move may share words with a practice: it earns nothing either way
        site = marker_site(marker, documents)
        if site is None:
            continue
        document, where = site
        problems.append(document.problem(
            (*where, "phrases", p_index),
            f"phrase {phrase.text!r} of {marker.kind} {marker.id!r} is also a phrase of "
            f"{other.kind} {other.id!r}: one reply cannot be both"))
    return problems


# -- scenarios ----------------------------------------------------------------------------


def lint_scenario(scenario: Scenario, documents: dict[str, Document] | None = None) -> list[Problem]:
    """Every lint problem of one scenario (its own markers included)."""
    document = scenario.document
    if document is None:
        return []
    documents = {**(documents or {}), str(document.path): document}
    own = [marker for marker in scenario.markers if marker.origin == str(document.path)]
    return [
        *lint_markers(own, document, matcher_for(scenario)),
        *lint_reads(own, document, matcher_for(scenario)),
        *_phrase_clashes(scenario, documents),
        *_shape(scenario, document),
        *_goals(scenario, document),
        *_texts(scenario, document),
        *_dialogue(scenario, document),
        *_playthroughs(scenario, document),
    ]


def _reach(start: Iterable[str], edges: dict[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(seen)
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _shape(scenario: Scenario, document: Document) -> list[Problem]:
    """Beats no path reaches, beats with no way out to an ending, rules never tried."""
    forward: dict[str, set[str]] = {beat.id: {rule.to for rule in beat.next} for beat in scenario.beats}
    backward: dict[str, set[str]] = defaultdict(set)
    for source, targets in forward.items():
        for target in targets:
            backward[target].add(source)
    reached = _reach([scenario.start], forward)
    can_end = _reach([ending.id for ending in scenario.endings], backward)
    problems = []
    for b_index, beat in enumerate(scenario.beats):
        where = ("beats", b_index, "id")
        if beat.id not in reached:
            problems.append(document.problem(where, f"no path reaches beat {beat.id!r} from the start beat "
                                                    f"{scenario.start!r}"))
        elif beat.id not in can_end:
            problems.append(document.problem(
                where, f"beat {beat.id!r} cannot lead to any ending (a dead end, or a loop with no way out)"))
        for r_index, rule in enumerate(beat.next[:-1]):
            later = beat.next[r_index + 1:]
            if scenario.version >= 2 and all("nothing" in other.when for other in later):
                continue  # from format 2, a rule with no condition needs something recognised
            if rule.is_unconditional:
                problems.append(document.problem(
                    ("beats", b_index, "next", r_index + 1),
                    f"beat {beat.id!r}: this rule is never tried: the rule before it has no conditions "
                    "and always holds", severity=WARNING))
                break
    for e_index, ending in enumerate(scenario.endings):
        if ending.id not in reached:
            problems.append(document.problem(("endings", e_index, "id"),
                                             f"no path reaches ending {ending.id!r}", severity=WARNING))
    return problems


def _goals(scenario: Scenario, document: Document) -> list[Problem]:
    """Goals no marker can credit, goals no model answer shows, model answers that credit nothing."""
    matcher = matcher_for(scenario)
    firing = {phrase.marker for phrase in matcher.phrases if phrase.can_fire}
    creditable = {goal for index, marker in enumerate(matcher.markers) if marker.kind == "good" and index in firing
                  for goal in marker.briefing}
    shown = {goal for beat in scenario.beats for goal in beat.shows}
    problems = []
    for g_index, goal in enumerate(scenario.goals):
        if goal not in creditable:
            problems.append(document.problem(
                ("goals", g_index), f"learning goal {goal!r} can never be met: no good marker that can fire cites it"))
        if goal not in shown:
            problems.append(document.problem(
                ("goals", g_index), f"learning goal {goal!r} is shown by no beat's `shows:`, so a user who misses "
                                    "it gets no model answer", severity=WARNING))
    for b_index, beat in enumerate(scenario.beats):
        credited = {goal for match in matcher.match(beat.model_answer) if match.marker.kind == "good"
                    for goal in match.marker.briefing}
        for s_index, goal in enumerate(beat.shows):
            if goal not in credited:
                problems.append(document.problem(
                    ("beats", b_index, "shows", s_index),
                    f"beat {beat.id!r}: its model answer does not credit {goal!r} (no good marker citing it "
                    "fires on it): reword the answer or add a phrase", severity=WARNING))
    return problems


def _texts(scenario: Scenario, document: Document) -> list[Problem]:
    """Blank texts the schema lets through (a line of spaces is not empty to a schema)."""
    problems = []
    groups: tuple[tuple[str, Sequence[Beat | Ending]], ...] = (("beats", scenario.beats), ("endings", scenario.endings))
    for group, states in groups:
        for s_index, state in enumerate(states):
            for l_index, line in enumerate(state.lines):
                if not line.strip():
                    problems.append(document.problem((group, s_index, "lines", l_index),
                                                     f"{state.id!r}: a counterpart line is blank"))
    for b_index, beat in enumerate(scenario.beats):
        for key, value in (("hint", beat.hint), ("model_answer", beat.model_answer)):
            if not value.strip():
                problems.append(document.problem(("beats", b_index, key), f"beat {beat.id!r}: `{key}` is blank"))
    return problems


def _answers_nothing(response: Response) -> bool:
    """Whether a response can be said to a reply in which nothing at all was recognised (the beat
    stays for it, unless a rule says otherwise)."""
    return set(response.when) <= {"nothing", "stayed"} and not {"nothing", "stayed"} & set(response.unless)


def _dialogue(scenario: Scenario, document: Document) -> list[Problem]:
    """Beats with no answer for a reply that recognised nothing, and beats that skip what was
    already given without a word about it."""
    problems = []
    fallback = any(_answers_nothing(response) for response in scenario.responses)
    for b_index, beat in enumerate(scenario.beats):
        if scenario.version >= 2 and not fallback and not any(_answers_nothing(r) for r in beat.responses):
            problems.append(document.problem(
                ("beats", b_index, "id"),
                f"beat {beat.id!r} has no response for a reply that recognised nothing (small talk, "
                "something unclear): add one with `when: nothing`, here or in the scenario's `responses:`",
                severity=WARNING))
        if beat.asks and not beat.acknowledge:
            problems.append(document.problem(
                ("beats", b_index, "asks"),
                f"beat {beat.id!r} asks for {', '.join(beat.asks)} but has no `acknowledge:` line: when that "
                "was already given, the counterpart moves on without a word about it", severity=WARNING))
    return problems


def _playthroughs(scenario: Scenario, document: Document) -> list[Problem]:
    if scenario.playthroughs:
        return []
    return [document.problem(("id",), f"scenario {scenario.id!r} has no `playthroughs:`, so `coach test` cannot "
                                      "check where replies lead", severity=WARNING)]
