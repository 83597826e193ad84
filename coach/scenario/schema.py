"""JSON Schemas of the three file formats: scenarios, marker libraries and briefings.

These dicts are the single definition of each format's shape: the loader validates every
file against them (with `jsonschema`) and `coach schema` prints them for editors.
Cross-references (ids that must exist, reachability) are checked in `coach.scenario.loader` and
`coach.authoring.lint`, which a schema cannot express.
"""

from __future__ import annotations

from typing import Any

SCENARIO_FORMAT = "coach-scenario/2"
SCENARIO_FORMAT_1 = "coach-scenario/1"  # still read: a reply that recognised nothing moves rules on
MARKERS_FORMAT = "coach-markers/1"
BRIEFING_FORMAT = "coach-briefing/1"
FORMATS = (SCENARIO_FORMAT, SCENARIO_FORMAT_1, MARKERS_FORMAT, BRIEFING_FORMAT)

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
Schema = dict[str, Any]


def _text(description: str, **extra: Any) -> Schema:
    return {"type": "string", "minLength": 1, "description": description, **extra}


def _id(description: str) -> Schema:
    return _text(description, pattern=ID_PATTERN)


def _texts(description: str, *, min_items: int = 1) -> Schema:
    return {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": min_items,
            "description": description}


def _ids(description: str, *, min_items: int = 0) -> Schema:
    return {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "minItems": min_items,
            "description": description}


SYNONYMS: Schema = {
    "type": "array",
    "items": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 2},
    "description": "Groups of words or short phrases that mean the same here, e.g. "
                   "[check in, catch up, touch base]; the first is canonical. Phrases and replies "
                   "are read with every variant folded onto it.",
}


CLASSES: Schema = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    "description": "Word classes named in marker patterns as `~name`: name -> words or short phrases, "
                   "e.g. `absolute: [always, never, every time]`. Classes of the same name in a scenario "
                   "and its libraries are merged.",
}


def _object(properties: dict[str, Schema], required: list[str], description: str = "") -> Schema:
    schema: Schema = {"type": "object", "properties": properties, "required": required,
                      "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _format(name: str) -> Schema:
    return {"const": name, "description": f"File format and version; always `{name}`."}


def _one_or_many_ids(description: str) -> Schema:
    return {"oneOf": [{"type": "string", "pattern": ID_PATTERN}, _ids(description, min_items=1)],
            "description": description}


MARKER: Schema = _object(
    {
        "id": _id("Marker id, unique within the scenario and its included libraries."),
        "kind": {"enum": ["good", "pitfall", "move"],
                 "description": "`good` practice to praise, a `pitfall` to caution, or a conversational `move` "
                                "(small talk, a question to the counterpart) it answers in character: no credit, no feedback."},
        "briefing": _ids("Briefing item ids this marker evidences (at least one; none for a move).", min_items=0),
        "phrases": _texts("Phrases that show the practice; matched fuzzily (typos, word order, filler words)."),
        "patterns": _texts("Patterns that show the practice: words, ~classes, [one of], {optional}, "
                           "(groups) and * gaps, matched in order within a sentence (see docs/authoring.md)."),
        "element": _id("The part of a many-part goal this marker shows, e.g. `confidentiality` of an agreement."),
        "feedback": _text("Shown when the marker fires: praise for good practice, a caution for a pitfall (not for a move)."),
        "better": _text("For a pitfall: a better alternative to say instead."),
        "threshold": {"type": "number", "minimum": 50, "maximum": 100,
                      "description": "Score (0-100) a phrase needs to fire; by default it rises as phrases get shorter."},
        "trust": {"type": "integer", "minimum": -5, "maximum": 5,
                  "description": "How the counterpart's trust moves when this fires (default +1 good, -1 pitfall)."},
        "examples": _object(
            {"match": _texts("Replies this marker must fire on.", min_items=0),
             "no_match": _texts("Replies this marker must not fire on.", min_items=0)},
            [], "Examples checked by `coach test`."),
    },
    ["id", "kind"],
    "A good practice, pitfall or conversational move the coach listens for in every reply.",
)

_WHEN_WORDS = ("`good`, `pitfall`, `move` (a marker of that kind fired on this reply), `nothing` (no marker "
               "fired), `question` (the mentor asked one), `stayed` (for responses: the conversation stays at "
               "this beat), `repeated` (the reply says nothing new), marker ids (fired on this reply) or learning goal "
               "ids (shown by this reply)")

CONDITIONS: dict[str, Schema] = {
    "when": _one_or_many_ids(f"What must hold (all of it): {_WHEN_WORDS}."),
    "unless": _one_or_many_ids("What must not hold: the same names as `when`."),
    "trust_at_least": {"type": "integer", "description": "The counterpart's trust so far is at least this."},
    "trust_at_most": {"type": "integer", "description": "The counterpart's trust so far is at most this."},
    "goals_met_at_least": {"type": "integer", "minimum": 0, "description": "At least this many learning goals met so far."},
    "pitfalls_at_most": {"type": "integer", "minimum": 0, "description": "At most this many pitfalls hit so far."},
    "replies_here_at_least": {"type": "integer", "minimum": 1,
                              "description": "At least this many replies made at this beat, this one included "
                                             "(e.g. to give up asking after a few vague answers)."},
}

GOAL: Schema = {
    "oneOf": [
        {"type": "string", "pattern": ID_PATTERN},
        _object({"id": _id("The briefing item id of the goal."),
                  "elements": _ids("Its parts, named by markers' `element`; shown in any order, across turns.",
                                   min_items=1),
                  "needs": {"type": "integer", "minimum": 1,
                            "description": "How many parts make it met (default: all of them)."}},
                 ["id", "elements"]),
    ],
    "description": "A briefing item id, or {id, elements, needs} for a goal met part by part.",
}

RULE: Schema = _object(
    {"to": _id("The beat or ending to go to."), **CONDITIONS},
    ["to"],
    "A way out of a beat. Rules are tried in order; the first whose conditions all hold is taken. "
    "With no `when`, a rule is taken only if the reply recognised a good practice or a pitfall.",
)

RESPONSE: Schema = _object(
    {"say": _texts("What the counterpart says in answer; one variant is picked per run."),
     **CONDITIONS,
     "replace": {"type": "boolean",
                 "description": "Say this instead of the line of the beat the conversation goes to (default: before it)."}},
    ["say"],
    "A line said in answer to a reply when its conditions hold; of those that hold, the one that needs "
    "the most (`when` names and bounds; a beat's own counts its beat) is said.",
)

_RESPONSES: Schema = {"type": "array", "items": RESPONSE,
                      "description": "Lines said in answer to a reply, chosen by what was heard."}

BEAT: Schema = _object(
    {
        "id": _id("Beat id, unique within the scenario."),
        "mood": _text("How the counterpart feels here (open, guarded, defensive, ...); shown to the user."),
        "lines": _texts("What the counterpart says on arriving here; one variant is picked per run."),
        "again": _texts("Its point reworded, said when a reply leaves the conversation here (default: `lines`)."),
        "asks": _ids("Learning goal or marker ids this beat asks for; if already given, the beat is skipped.", min_items=1),
        "acknowledge": _texts("Said when the beat is skipped because what it `asks` was already given."),
        "responses": _RESPONSES,
        "hint": _text("A hint the user can ask for at this beat."),
        "model_answer": _text("A strong reply at this beat, shown in the report."),
        "shows": _ids("Learning goals (briefing ids) the model answer demonstrates."),
        "next": {"type": "array", "items": RULE, "minItems": 1, "description": "Rules to leave this beat, tried in order."},
    },
    ["id", "lines", "hint", "model_answer", "next"],
    "A moment of the conversation: the counterpart speaks and the user replies.",
)

ENDING: Schema = _object(
    {
        "id": _id("Ending id, unique within the scenario."),
        "outcome": {"enum": ["strong", "mixed", "poor"], "description": "How well the conversation went."},
        "title": _text("A short name for this ending."),
        "mood": _text("How the counterpart feels at the end."),
        "lines": _texts("The counterpart's closing line; one variant is picked per run."),
        "debrief": _texts("Questions to reflect on afterwards."),
    },
    ["id", "outcome", "title", "lines", "debrief"],
    "An end of the conversation.",
)

STEP: Schema = _object(
    {
        "say": _text("The reply (or a command: `/undo`, `/hint`)."),
        "expect_beat": _id("The beat or ending the conversation is at after this reply."),
        "expect_line_contains": {"oneOf": [_text("Text"), _texts("Texts")],
                                 "description": "Text the counterpart's answer must contain (any case)."},
        "expect_line_lacks": {"oneOf": [_text("Text"), _texts("Texts")],
                              "description": "Text the counterpart's answer must not contain (any case)."},
    },
    ["say"],
    "A reply with what the counterpart's answer to it is expected to be.",
)

PLAYTHROUGH: Schema = _object(
    {
        "name": _text("What this playthrough checks."),
        "replies": {"type": "array", "minItems": 1,
                    "items": {"oneOf": [{"type": "string", "minLength": 1}, STEP]},
                    "description": "The user's replies, in order: text, a command (`/undo`, `/hint`), or a "
                                   "mapping with `say` and what to expect of the answer."},
        "ending": _id("The ending id expected."),
        "goals_met": _ids("Learning goals expected met (at least these)."),
        "seed": {"type": "integer", "description": "Seed for line variants (default 0)."},
    },
    ["name", "replies", "ending"],
    "A scripted run checked by `coach test`.",
)

SCENARIO: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://coach.invalid/schema/scenario-2.json",
    "title": "coach scenario, format 2",
    **_object(
        {
            "format": {"enum": [SCENARIO_FORMAT, SCENARIO_FORMAT_1],
                       "description": f"File format and version: `{SCENARIO_FORMAT}` ({SCENARIO_FORMAT_1} is still read)."},
            "id": _id("Scenario id, unique across all scenario folders."),
            "title": _text("Title shown in lists."),
            "summary": _text("One or two sentences on what the user rehearses."),
            "minutes": {"type": "integer", "minimum": 1, "maximum": 120, "description": "Estimated minutes to play."},
            "briefing": _id("Id of the briefing this scenario is grounded in."),
            "role": _text("Who the user plays, and the situation."),
            "counterpart": _object(
                {"name": _text("The counterpart's name."), "role": _text("Their role."),
                 "temperament": _text("How they tend to react.")},
                ["name", "role", "temperament"], "The person the user talks to."),
            "goals": {"type": "array", "items": GOAL, "minItems": 1,
                      "description": "Learning goals: briefing item ids the user should show "
                                     "(or {id, elements, needs} for one met part by part)."},
            "trust": {"type": "integer", "minimum": -10, "maximum": 10, "description": "The counterpart's trust at the start (default 0)."},
            "include": _ids("Marker libraries (by id) whose markers this scenario uses too."),
            "markers": {"type": "array", "items": MARKER, "description": "What the coach listens for."},
            "synonyms": SYNONYMS,
            "responses": {**_RESPONSES, "description": "Fallback responses for every beat (small talk, "
                                                       "questions to the counterpart, nothing recognised)."},
            "classes": CLASSES,
            "start": _id("The beat the conversation starts at."),
            "beats": {"type": "array", "items": BEAT, "minItems": 1, "description": "The moments of the conversation."},
            "endings": {"type": "array", "items": ENDING, "minItems": 1, "description": "Where it can end."},
            "playthroughs": {"type": "array", "items": PLAYTHROUGH, "description": "Scripted runs for `coach test`."},
        },
        ["format", "id", "title", "summary", "briefing", "role", "counterpart", "goals", "start", "beats", "endings"],
    ),
}

MARKER_LIBRARY: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://coach.invalid/schema/markers-1.json",
    "title": "coach marker library, format 1",
    **_object(
        {
            "format": _format(MARKERS_FORMAT),
            "id": _id("Library id, named by scenarios in `include`."),
            "title": _text("What these markers are for."),
            "markers": {"type": "array", "items": MARKER, "minItems": 1},
            "synonyms": SYNONYMS,
            "classes": CLASSES,
        },
        ["format", "id", "markers"],
    ),
}

_ITEM = _object(
    {"id": _id("Stable item id, `section.name`."), "title": _text("Short title."),
     "summary": _text("The fact, in the project's own words.")},
    ["id", "title", "summary"],
)

BRIEFING: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://coach.invalid/schema/briefing-1.json",
    "title": "coach briefing, format 1",
    **_object(
        {
            "format": _format(BRIEFING_FORMAT),
            "id": _id("Briefing id, named by scenarios."),
            "title": _text("Title."),
            "summary": _text("What the briefing is about."),
            "source": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "Where the facts come from: title, kind, date and so on."},
            "sections": {"type": "array", "minItems": 1, "items": _object(
                {"id": _id("Section id."), "title": _text("Section title."), "intro": _text("One line on the section."),
                 "items": {"type": "array", "items": _ITEM, "minItems": 1}},
                ["id", "title", "items"])},
        },
        ["format", "id", "title", "sections"],
    ),
}

SCHEMAS: dict[str, Schema] = {SCENARIO_FORMAT: SCENARIO, SCENARIO_FORMAT_1: SCENARIO, MARKERS_FORMAT: MARKER_LIBRARY, BRIEFING_FORMAT: BRIEFING}
