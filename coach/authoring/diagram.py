"""A scenario's state machine drawn by `transitions`' own diagram support (Mermaid or DOT).

The machine is the one the engine plays (`coach.conversation.engine.build_machine`), built with a
`GraphMachine`; we only give its states and edges readable labels (an edge says what
triggers it, an ending says it is one) and a style for endings.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import ClassVar

from transitions.extensions.diagrams import GraphMachine

from coach.conversation.engine import TRIGGER, build_machine, rule_label
from coach.errors import CoachError
from coach.scenario.models import Scenario

FORMATS = ("mermaid", "dot")


class ScenarioGraphMachine(GraphMachine):
    """A `GraphMachine` that styles endings (final states) apart: double border, shaded."""

    style_attributes: ClassVar[dict] = {
        **GraphMachine.style_attributes,
        "node": {**GraphMachine.style_attributes["node"],
                 "ending": {"fillcolor": "lightgrey", "color": "black", "peripheries": "2"}},
    }


class _Holder:
    """The diagram's model: it only holds the current state."""


def diagram(scenario: Scenario, fmt: str = "mermaid") -> str:
    """The scenario's machine as Mermaid or DOT source text."""
    if fmt not in FORMATS:
        raise CoachError(f"unknown diagram format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "dot" and importlib.util.find_spec("graphviz") is None:
        raise CoachError("DOT output needs the `graphviz` Python package (pip install graphviz; "
                         "no Graphviz program is needed): use --format mermaid meanwhile")
    engine = "mermaid" if fmt == "mermaid" else "graphviz"
    logging.getLogger("transitions").setLevel(logging.ERROR)  # its fallback warnings are not ours
    machine = build_machine(scenario, machine_class=ScenarioGraphMachine, graph_engine=engine,
                            title=scenario.title)
    for beat in scenario.beats:
        # transitions keeps each source's transitions in the order they were added: rule order
        for rule, transition in zip(beat.next, machine.events[TRIGGER].transitions[beat.id], strict=True):
            transition.label = rule_label(rule, scenario.version)
    for ending in scenario.endings:
        machine.get_state(ending.id).label = f"{ending.id} (ending: {ending.outcome})"
    holder = _Holder()
    machine.add_model(holder)
    graph = machine.model_graphs[id(holder)]
    graph.reset_styling()  # no "active" start state: this is a map, not a session
    for ending in scenario.endings:
        graph.set_node_style(ending.id, "ending")
    return str(holder.get_graph().source).rstrip() + "\n"
