"""What one input file may cost: every limit in one place, each with the reason for its size.

Any folder coach reads may hold a file written to exhaust the machine (an alias reused a
thousand times, a million tiny values, a phrase of 100,000 words). Each budget below bounds
one way a file grows the work done on it, so that any file under `MAX_FILE_BYTES` is
refused or accepted in about a second and a couple of hundred MB, whatever it holds.
`coach.scenario.yamlsource` enforces the shape budgets while it reads (size, expansion,
values, nesting, keys, text, numbers); `check_content` enforces the content budgets on the
data of a file that was read (phrases, words per phrase, markers, examples...), before the
schema check and everything after it. The bundled scenarios use a few percent of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# -- shape: enforced while a YAML file is read -------------------------------------------
MAX_FILE_BYTES = 1 << 20
"""1 MiB per file: the bundled scenarios are 20-60 KB."""
MAX_EXPANDED_CHARS = 1 << 20
"""Characters of text after aliases are expanded (every key and scalar, each time it is used):
an alias may repeat a small list, never turn a file into more text than the file limit."""
MAX_VALUES = 50_000
"""Values (scalars, lists, mappings) built from one file, aliases counted each time they expand;
the largest bundled scenario has about 1,600."""
MAX_DEPTH = 32
"""Nesting of lists and mappings; scenarios nest 6 deep."""
MAX_KEYS = 1_000
"""Keys in one mapping: every format has fewer than 30 fixed keys; `classes:` names each class as a key."""
MAX_TEXT_CHARS = 20_000
"""Characters in one text value: a long role description is about 1,000."""
MAX_NUMBER_DIGITS = 15
"""Digits in one number (|n| < 10^15): scenario numbers are small counts, scores and seeds."""

# -- content: enforced on the data of each file, before the schema check -------------------
MAX_MARKERS = 1_000
"""Markers in one file (the largest bundled scenario has 40)."""
MAX_PHRASES = 3_000
"""Phrases in one file, all markers together: each is compiled into the matcher (the largest
bundled scenario has 939)."""
MAX_WORDS_PER_PHRASE = 25
"""A phrase is a few words a mentor might say (the longest bundled one has 13); the matcher's
windows scale with its length."""
MAX_PATTERNS = 2_000
"""Patterns in one file (`patterns:` of markers), all markers together."""
MAX_WORDS_PER_PATTERN = 40
"""Words (or word slots) in one pattern."""
MAX_CLASSES = 500
"""Word classes in one file (`classes:`)."""
MAX_WORDS_PER_CLASS = 500
"""Words in one word class."""
MAX_SYNONYM_GROUPS = 1_000
"""Synonym groups in one file."""
MAX_WORDS_PER_SYNONYM = 20
"""Words in one synonym entry (a variant is a word or a short phrase)."""
MAX_BEATS = 500
"""Beats in one scenario: the largest bundled one has 12."""
MAX_RULES = 2_000
"""Rules (`next:` entries) in one scenario, all beats together."""
MAX_EXAMPLES = 2_000
"""Marker examples (`match:` and `no_match:`) in one file; `coach test` matches each one."""
MAX_PLAYTHROUGH_REPLIES = 2_000
"""Replies in all playthroughs of one file together; `coach test` plays each one."""
MAX_WORDS_PER_REPLY = 300
"""Words in one example or playthrough reply: a long spoken turn is about 150."""

COUNTED: dict[str, tuple[int, str]] = {
    "markers": (MAX_MARKERS, "markers"),
    "phrases": (MAX_PHRASES, "phrases"),
    "patterns": (MAX_PATTERNS, "patterns"),
    "classes": (MAX_CLASSES, "word classes"),
    "synonyms": (MAX_SYNONYM_GROUPS, "synonym groups"),
    "beats": (MAX_BEATS, "beats"),
    "next": (MAX_RULES, "rules"),
    "match": (MAX_EXAMPLES, "examples"),
    "no_match": (MAX_EXAMPLES, "examples"),
    "replies": (MAX_PLAYTHROUGH_REPLIES, "playthrough replies"),
}
"""Keys whose items are counted over the whole file: the key, its budget, what it holds."""

WORDS: dict[str, tuple[int, str]] = {
    "phrases": (MAX_WORDS_PER_PHRASE, "phrase"),
    "patterns": (MAX_WORDS_PER_PATTERN, "pattern"),
    "synonyms": (MAX_WORDS_PER_SYNONYM, "synonym"),
    "match": (MAX_WORDS_PER_REPLY, "example"),
    "no_match": (MAX_WORDS_PER_REPLY, "example"),
    "replies": (MAX_WORDS_PER_REPLY, "reply"),
}
"""Keys whose text items are limited in words."""

Where = tuple[str | int, ...]


def check_content(data: Any) -> Iterator[tuple[Where, str]]:
    """Each content budget `data` exceeds, as (where, message); at most one per budget.

    Keys are recognised wherever they appear, so a new section that reuses a counted key
    (`phrases:` in a pattern library, say) is bounded without a change here.
    """
    totals = dict.fromkeys((label for _, label in COUNTED.values()), 0)  # `match` and `no_match` share one
    reported: set[str] = set()
    for where, key, value in _lists(data, ()):
        items = value if isinstance(value, list) else list(value) if isinstance(value, dict) else []
        limit, label = COUNTED.get(key, (0, ""))
        if key in COUNTED and label not in reported:
            totals[label] += len(items)
            if totals[label] > limit:
                reported.add(label)
                yield where, f"more than {limit:,} {label} in one file (the budget for one file)"
        if key in WORDS and "words:" + key not in reported:
            most, label = WORDS[key]
            for index, words in _word_counts(items):
                if words > most:
                    reported.add("words:" + key)
                    yield (*where, *index), f"this {label} has {words:,} words; at most {most} are allowed"
                    break
    classes = _classes(data)
    if classes is not None:
        for where, words in classes:
            if words > MAX_WORDS_PER_CLASS:
                yield where, f"this word class has {words:,} words; at most {MAX_WORDS_PER_CLASS} are allowed"
                break


def _lists(data: Any, where: Where) -> Iterator[tuple[Where, str, Any]]:
    """Every (where, key, value) of a counted or word-limited key, depth first."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in COUNTED or key in WORDS:
                yield (*where, key), key, value
            yield from _lists(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _lists(value, (*where, index))


def _word_counts(items: list[Any]) -> Iterator[tuple[Where, int]]:
    """Word counts of the text items (and of text inside list items, e.g. synonym groups)."""
    for index, item in enumerate(items):
        if isinstance(item, str):
            yield (index,), len(item.split())
        elif isinstance(item, list):
            for inner, text in enumerate(item):
                if isinstance(text, str):
                    yield (index, inner), len(text.split())


def _classes(data: Any) -> list[tuple[Where, int]] | None:
    """Word counts of each word class (`classes: {name: [words]}` or a list of such groups)."""
    if not isinstance(data, dict) or "classes" not in data:
        return None
    classes = data["classes"]
    entries = classes.items() if isinstance(classes, dict) else enumerate(classes) if isinstance(classes, list) else ()
    result = []
    for name, members in entries:
        if isinstance(members, dict):
            members = members.get("words", [])
        if isinstance(members, list):
            result.append((("classes", name), len(members)))
    return result
