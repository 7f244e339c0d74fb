"""``shelf`` in-process, through click's test runner: quick, and every run checked.

Each invocation is checked for the same promise as the real command: no
traceback, ever. ``one_line_error`` checks a user error: a non-zero exit and
exactly one ``shelf:`` line on stderr. (``support.commands`` runs the
installed command as a real process instead.)
"""

from __future__ import annotations

from click.testing import CliRunner, Result

from shelf.cli import cli


def invoke(*args: str, input: str | None = None) -> Result:
    """Run ``shelf ARGS`` in-process; fail the test on any traceback or unexpected exception."""
    result = CliRunner().invoke(cli, list(args), input=input, prog_name="shelf")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"shelf {' '.join(args)} raised") from result.exception
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def one_line_error(result: Result, code: int | None = None) -> str:
    """Assert ``result`` is a user error: non-zero exit, one ``shelf:`` line on stderr."""
    assert result.exit_code != 0, result.output
    if code is not None:
        assert result.exit_code == code
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("shelf: ")
    assert result.stdout == ""
    return lines[0]
