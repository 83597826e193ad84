"""Each command line imports only the module of the command it names (start-up time), and the
table that says which module that is matches what the modules register."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from coach.cli import COMMANDS, build_parser, main


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_the_command_table_names_every_registered_command_and_its_module():
    assert set(_subcommands(build_parser())) == set(COMMANDS)
    for command, module in COMMANDS.items():
        assert command in _subcommands(build_parser(command)), (command, module)


def test_coach_list_imports_no_other_command_s_module():
    code = ("import io, contextlib, sys\nfrom coach.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['list']) == 0\n"
            "print('\\n'.join(m for m in sys.modules if m.startswith('coach.cli.')))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert "coach.cli.scenarios" in loaded
    assert not loaded & (set(COMMANDS.values()) - {"coach.cli.scenarios"}), loaded


@pytest.mark.parametrize("argv", [["lis"], ["--help"], ["list", "--json", "--bogus"]])
def test_a_mistyped_or_help_command_line_still_gets_the_full_usage(capsys, argv):
    with pytest.raises(SystemExit):
        main(argv)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "usage: coach" in text
    if argv == ["lis"]:
        assert "invalid choice: 'lis'" in text and "'workshop'" in text
