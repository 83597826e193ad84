"""Command-line mistakes are reported once (issue 13: `coach play --seed abc` printed two usage blocks)."""

from __future__ import annotations

import pytest

from coach.cli import main


@pytest.mark.parametrize("argv", [["play", "--seed", "abc"], ["--seed", "abc"], ["play", "--mode", "loud"]])
def test_a_bad_option_prints_one_usage_and_one_error(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.count("usage:") == 1, err
    assert err.count("error:") == 1, err
