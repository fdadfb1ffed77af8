"""Whole-number options of ``melt-course`` say what is wrong, briefly, through argparse."""

import argparse

import pytest

from melt_course.cli.arguments import whole_number
from melt_course.cli.main import _build_parser


@pytest.mark.parametrize(("argv", "message"), [
    (["hub", "--idle-minutes", "0"], "argument --idle-minutes: minutes must be at least 1, got 0"),
    (["hub", "--idle-minutes", "ten"], "minutes must be a whole number, got 'ten'"),
    (["facilitator-kit", "--out", "x", "--slot", "-5"], "slot must be at least 1, got -5"),
    (["facilitator-kit", "--out", "x", "--slot", "1.5"], "slot must be a whole number, got '1.5'"),
])
def test_bad_whole_numbers_are_named_by_the_command(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:      # parsing only: nothing runs
        _build_parser().parse_args(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_a_long_bad_value_is_quoted_briefly_and_a_range_is_named():
    parse = whole_number("port", 1, 65535)
    assert parse("8080") == 8080 and parse(" 1 ") == 1 and parse("65535") == 65535
    with pytest.raises(argparse.ArgumentTypeError) as info:
        parse("9" * 30 + "x" * 10_000)
    assert str(info.value).startswith("port must be a whole number, got '999")
    assert len(str(info.value)) < 100
    for bad in ("0", "65536"):
        with pytest.raises(argparse.ArgumentTypeError,
                           match=f"port must be between 1 and 65535, got {bad}"):
            parse(bad)


@pytest.mark.parametrize("command", ["lab", "app", "hub"])
def test_every_port_option_reads_its_number_the_one_way(command, capsys):
    parser = _build_parser()
    assert parser.parse_args([command, "--port", "8080"]).port == 8080
    for bad, message in (("0", "port must be between 1 and 65535, got 0"),
                         ("65536", "port must be between 1 and 65535, got 65536"),
                         ("8" * 4000, "port must be between 1 and 65535, got 888"),
                         ("x" * 5000, "port must be a whole number, got 'xxx")):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args([command, "--port", bad])
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert f"argument --port: {message}" in err
        assert len(err.splitlines()[-1]) < 200, "the bad value is quoted in full"
