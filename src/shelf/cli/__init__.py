"""The ``shelf`` command: bare, it opens the app; its subcommands do the same work from scripts.

Each command group lives in a module of its own (``papers``, ``reading``,
``state``, ``lists``, ``exporting``, ``maintenance``...): a command parses its
arguments, calls one library verb and prints. ``session`` holds what they
share. A command's module is imported only when that command runs (``COMMANDS``
names where each is), and subcommands never import Textual (the app is
imported only when opened), so ``shelf --version`` and ``shelf list`` start
fast. Any ``ShelfError`` becomes one line on stderr and its exit status;
nothing here prints a traceback for a user's mistake.
"""

from __future__ import annotations

from pathlib import Path

import click

from shelf import __version__
from shelf.cli.session import Session, ShelfGroup

#: Each command, and where it is: ``module:function`` under ``shelf.cli``.
COMMANDS = {
    "add": "papers:add",
    "attach": "state:attach",
    "cite": "reading:cite",
    "delete": "papers:delete",
    "doctor": "maintenance:doctor",
    "duplicates": "merging:duplicates",
    "export": "exporting:export",
    "feed": "feeds:feed",
    "fetch": "feeds:fetch",
    "import": "papers:import_",
    "list": "reading:list_",
    "lists": "lists:lists",
    "merge": "merging:merge",
    "redo": "state:redo",
    "reindex": "maintenance:reindex",
    "search": "reading:search",
    "set": "state:set_",
    "show": "reading:show",
    "stats": "reading:stats",
    "undo": "state:undo",
}


@click.group(
    cls=ShelfGroup,
    lazy=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--library",
    "library_option",
    type=click.Path(path_type=Path),
    help="Library directory (default: $SHELF_HOME or the OS data dir).",
)
@click.option(
    "--config",
    "config_option",
    type=click.Path(path_type=Path),
    help="Config file (default: $SHELF_CONFIG or the OS config dir).",
)
@click.option(
    "--demo", is_flag=True, help="Work on a throwaway library of the bundled demo papers."
)
@click.version_option(__version__, prog_name="shelf")
@click.pass_context
def cli(
    ctx: click.Context, library_option: Path | None, config_option: Path | None, demo: bool
) -> None:
    """A keyboard-driven reading list for research papers.

    Run without a command to open the app.
    """
    from shelf.config import load_settings
    from shelf.paths import config_file

    settings = load_settings(config_file(config_option), required=config_option is not None)
    session = Session(library_option, settings, demo)
    ctx.obj = session
    ctx.call_on_close(session.close)
    if ctx.invoked_subcommand is None:
        from shelf.tui import run_app

        run_app(session.library(announce=False), demo=session.demo)


def main() -> None:
    """The console entry point."""
    cli(prog_name="shelf")
