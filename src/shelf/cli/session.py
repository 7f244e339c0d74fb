"""What every command shares: the session (the options' library, opened once), the failures
that become one line on stderr, and the group that turns errors into them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

# What only a command needs is imported when one runs, so ``shelf --version`` is quick.
if TYPE_CHECKING:
    from shelf.config import Settings
    from shelf.domain import ShelfError
    from shelf.library import Library, Progress


def one_line(text: str) -> str:
    """``shelf.domain.text.one_line``, imported when a line is printed."""
    from shelf.domain.text import one_line as flattened

    return flattened(text)


def _quiet_progress(phase: str, done: int, total: int | None) -> None:
    """Reports nothing (until the library is opened)."""


class Failure(click.ClickException):
    """A ``ShelfError`` on its way out: one line, the error's own exit status."""

    def __init__(self, error: ShelfError) -> None:
        super().__init__(str(error))
        # click declares exit_code on the class; each failure carries its own.
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        # One line of visible characters, whatever a path or a server's words held.
        click.echo(f"shelf: {one_line(self.format_message())}", err=True)


class UsageFailure(click.UsageError):
    """A mistyped command line (unknown status, option or command) as one line on stderr.

    click's own usage error prints the usage block and a hint over four lines.
    """

    def show(self, file: Any = None) -> None:
        hint = f" (see '{self.ctx.command_path} -h')" if self.ctx is not None else ""
        click.echo(f"shelf: {one_line(self.format_message())}{hint}", err=True)


class ShelfGroup(click.Group):
    """The root group: a ``ShelfError`` or a usage mistake leaves as one line. Its
    commands are named in ``lazy`` (name: ``module:function`` under ``shelf.cli``), and
    a command's module is imported when the command is looked up."""

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy and cmd_name not in self.commands:
            module, name = self._lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(f"shelf.cli.{module}"), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise UsageFailure(error.format_message(), error.ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        from shelf.domain import ShelfError

        try:
            return super().invoke(ctx)
        except ShelfError as error:
            raise Failure(error) from None
        except click.UsageError as error:
            raise UsageFailure(error.format_message(), error.ctx) from None
        except KeyboardInterrupt:
            raise Interrupted from None
        except BrokenPipeError:
            _drop_stdout()  # the reader went away (`shelf list | head`): stop, as cat does
            raise SystemExit(1) from None
        except OSError as error:
            if error.filename is not None:  # a file of its own: not the output
                raise
            _drop_stdout()  # a full disk under `shelf export > file`: what is left is lost
            reason = ShelfError(f"cannot write the output: {error.strerror or error}")
            raise Failure(reason) from None


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the write Python tries at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


class Interrupted(click.ClickException):
    """Ctrl-C: said in words (click says only "Aborted!"), with the shell's status 130."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__(
            "interrupted; every change lands whole or not at all, and the search index "
            "catches up at the next command"
        )

    def show(self, file: Any = None) -> None:
        click.echo(f"shelf: {self.format_message()}", err=True)


@dataclass
class Session:
    """What the global options chose; opens the library on first use."""

    library_option: Path | None
    settings: Settings
    demo: bool
    _library: Library | None = None
    _cleanup: list[Any] = field(default_factory=list)
    _stack: ExitStack = field(default_factory=ExitStack)
    progress: Progress = field(default=_quiet_progress)
    """Reports long work (importing, indexing) on a terminal's stderr, for the command."""
    _announced: int | None = None
    """How many of the library's notices were printed (None: the app shows them)."""

    def directory(self) -> Path:
        """The library directory the options and config point at."""
        from shelf.paths import library_dir

        return library_dir(self.library_option, self.settings.library_path)

    def library(self, announce: bool = True, say_long_work: bool = False) -> Library:
        """The library, opened on first use.

        For a command (``announce``), its notices are printed on stderr, and long
        work draws one bar on a terminal's stderr for the whole command (the
        index may be caught up at any point); off a terminal, ``say_long_work`` prints
        one line as long work starts (a search waiting for its index to be rebuilt).
        The app shows both itself.
        """
        if self._library is None:
            from shelf.cli import output
            from shelf.library import Library, build_demo

            if announce:
                bar = output.progress_bar(sys.stderr.isatty(), say_long_work)
                self.progress = self._stack.enter_context(bar)
            if self.demo:
                scratch = tempfile.TemporaryDirectory(prefix="shelf-demo-")
                self._cleanup.append(scratch)
                self._library = build_demo(Path(scratch.name) / "library", self.settings)
            else:
                self._library = Library.open(self.directory(), self.settings, self.progress)
            if announce:
                self._announced = 0
                self.announce()
        return self._library

    def announce(self) -> None:
        """Print the library's notices not printed yet, one ``shelf: note:`` line each."""
        if self._library is None:
            return
        for notice in self._library.notices[self._announced :]:
            click.echo(f"shelf: note: {one_line(notice)}", err=True)
        self._announced = len(self._library.notices)

    def close(self) -> None:
        if self._library is not None:
            if self._announced is not None:
                self.announce()  # what the command itself ran into (an index kept busy)
            self._library.close()
        self._stack.close()
        for scratch in self._cleanup:
            scratch.cleanup()


def session(ctx: click.Context) -> Session:
    """The session the root command started."""
    found = ctx.find_object(Session)
    assert found is not None
    return found


def fail(message: str) -> NoReturn:
    """Stop the command with ``message`` as its one line on stderr."""
    from shelf.domain import ShelfError

    raise Failure(ShelfError(message))
