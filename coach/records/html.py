"""What self-contained HTML pages need besides their templates: the style and chart geometry.

Exports and workshop reports are opened from a disk or mailed around, so a page carries its
own style and charts (inline SVG, no scripts, fonts or files from elsewhere). The markup lives
in `templates/*.html` (Jinja2, autoescaped); here only numbers are worked out: where each
label line and bar goes. A label sits on its own line(s) above its bar, wrapped, so no label
is ever cut short or clipped at the page's edge.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

OUTCOME_COLOURS = {"strong": "#2e7d32", "mixed": "#f9a825", "poor": "#c62828", "unfinished": "#9e9e9e",
                   "open": "#bdbdbd"}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.45}
h1{font-size:1.7rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;
vertical-align:top}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #bbb;white-space:pre-wrap}
code{background:#f2f2f2;padding:0 .2rem}.muted{color:#666}.legend span{margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
svg{max-width:100%;height:auto}svg text{font-family:inherit;font-size:12px}
ul.feedback li.pitfall{color:#8a1c1c}
"""

CHART_WIDTH = 640
BAR_WIDTH = 520  # room for the value after the longest bar
LABEL_CHARS = 72  # at 12px most characters are 5-8px wide: 72 fit in 640 with room to spare


@dataclass(frozen=True, slots=True)
class Segment:
    value: float
    colour: str
    label: str  # shown as the tooltip


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    width: float
    colour: str
    tip: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    title: str  # the whole label, as a tooltip
    lines: tuple[str, ...]  # the label, wrapped
    label_y: int
    bar_y: int
    bars: tuple[Bar, ...]
    end_x: float
    total: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    caption: str
    rows: tuple[ChartRow, ...]
    line_height: int = 15
    bar_height: int = 16
    bar_width: int = BAR_WIDTH  # the full scale, drawn as a light track behind each bar


def bar_chart(rows: Sequence[tuple[str, Sequence[Segment]]], *, scale: float | None = None,
              caption: str = "", unit: str = "") -> Chart:
    """Horizontal stacked bars, one per label, laid out for `templates/charts.html`."""
    total = max((sum(s.value for s in segments) for _, segments in rows), default=0)
    scale = scale or total or 1
    line_height, bar_height, gap = 15, 16, 10
    laid: list[ChartRow] = []
    y = 4
    for label, segments in rows:
        lines = tuple(textwrap.wrap(label, LABEL_CHARS, break_long_words=True)) or ("",)
        label_y = y + 12
        bar_y = y + line_height * len(lines) + 2
        bars, x = [], 0.0
        for segment in segments:
            width = BAR_WIDTH * segment.value / scale
            if width > 0:
                bars.append(Bar(x, width, segment.colour, segment.label))
            x += width
        value = sum(s.value for s in segments)
        shown = f"{round(value)}{unit}" if value != int(value) else f"{value:g}{unit}"
        laid.append(ChartRow(label, lines, label_y, bar_y, tuple(bars), x, shown))
        y = bar_y + bar_height + gap
    return Chart(CHART_WIDTH, y, caption, tuple(laid), line_height, bar_height)
