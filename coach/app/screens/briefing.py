"""Browse a briefing: its sections and items in a tree, the selected item's full text beside it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

from coach.app.text import literal, visible
from coach.scenario.models import Briefing, BriefingItem, BriefingSection


def item_text(item: BriefingItem) -> Content:
    return Content.assemble((visible(item.title), "bold"), "\n", (f"{item.id} \u00b7 {visible(item.section_title)}", "dim"),
                            "\n\n", literal(item.summary))


def section_text(section: BriefingSection) -> Content:
    items = "\n".join(f"\u2022 {item.title}" for item in section.items)
    return Content.assemble((visible(section.title), "bold"), "\n\n", literal(section.intro), "\n\n", literal(items))


def briefing_text(briefing: Briefing) -> Content:
    source = ", ".join(f"{key}: {value}" for key, value in briefing.source.items())
    return Content.assemble((visible(briefing.title), "bold"), "\n\n", literal(briefing.summary),
                            "\n\n", (visible(source), "dim"))


class BriefingScreen(Screen):
    """The briefing a scenario is grounded in; opened on one item when a citation is selected."""

    CSS_PATH = ["briefing.tcss"]  # loaded when first shown: start-up parses only coach.tcss

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, briefing: Briefing, item: str | None = None) -> None:
        super().__init__()
        self.briefing = briefing
        self.item = item

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="briefing-body"):
            tree: Tree[object] = Tree(Text(self.briefing.title), data=self.briefing, id="briefing-tree")
            tree.root.expand()
            for section in self.briefing.sections:
                node = tree.root.add(Text(section.title), data=section, expand=True)
                for item in section.items:
                    node.add_leaf(Text(item.title), data=item)
            yield tree
            with VerticalScroll(id="item-pane"):
                yield Static(briefing_text(self.briefing), id="item-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Briefing: {self.briefing.title}"
        tree = self.query_one(Tree)
        tree.focus()
        if self.item:
            self.show_item(self.item)

    def show_item(self, item_id: str) -> None:
        """Move the tree's cursor to an item, which shows its text."""
        tree = self.query_one(Tree)
        for section in tree.root.children:
            for node in section.children:
                if isinstance(node.data, BriefingItem) and node.data.id == item_id:
                    section.expand()
                    tree.move_cursor(node)
                    self._show(node.data)
                    return

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show(event.node.data)

    def _show(self, data: object) -> None:
        text = self.query_one("#item-text", Static)
        if isinstance(data, BriefingItem):
            text.update(item_text(data))
        elif isinstance(data, BriefingSection):
            text.update(section_text(data))
        else:
            text.update(briefing_text(self.briefing))
        self.query_one("#item-pane").scroll_home(animate=False)
