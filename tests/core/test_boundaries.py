"""The core knows no UI, and commands that don't open the app never import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import coach

PACKAGE = Path(coach.__file__).parent
UI_PACKAGES = ("textual", "rich", "textual_serve")
FRONT_ENDS = {"app", "cli", "web"}  # layers that may reach the UI (lazily, for the CLI)


def _core_modules() -> list[Path]:
    return [
        path for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in FRONT_ENDS
    ]


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_import_no_ui_package():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imported_names(path) if n.split(".")[0] in UI_PACKAGES)
        for path in _core_modules()
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"core modules import UI packages: {offenders}"
    assert len(_core_modules()) >= 8  # the scan really looked at the core


def _modules_loaded_by(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


def _packages_loaded_by_commands(*commands: list[str]) -> set[str]:
    """Top-level packages loaded by running `coach` with each argument list, in one process."""
    calls = "".join(f"    assert main({argv!r}) == 0\n" for argv in commands)
    loaded = _modules_loaded_by(
        "import io, contextlib\nfrom coach.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n{calls}"
    )
    assert "coach.cli" in loaded
    return {name.split(".")[0] for name in loaded}


def test_importing_the_core_loads_no_textual():
    loaded = _modules_loaded_by("import coach.scenario.loader, coach.conversation.engine, coach.conversation.matcher, coach.conversation.render, coach.conversation.feedback")
    assert "coach.conversation.engine" in loaded
    assert not {m for m in loaded if m.split(".")[0] in UI_PACKAGES}


def test_cli_commands_that_do_not_open_the_app_load_no_textual():
    packages = _packages_loaded_by_commands(
        ["list"], ["match", "--scenario", "hard-feedback", "we agreed on weekly check-ins"])
    assert "rapidfuzz" in packages  # the match really ran
    assert not packages & set(UI_PACKAGES)


def test_coach_list_loads_only_what_listing_needs():
    """`coach list` must start fast: no matcher, engine, schema library or web server."""
    heavy = {"rapidfuzz", "transitions", "jsonschema", "aiohttp", "textual_serve", "sqlite3", *UI_PACKAGES}
    assert not _packages_loaded_by_commands(["list"]) & heavy
