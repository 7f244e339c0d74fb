"""The ``shelf`` command: bare, it opens the app; its subcommands do the same work from scripts.

Each command group lives in a module of its own (``papers``, ``reading``,
``state``, ``lists``, ``exporting``, ``maintenance``): a command parses its arguments,
calls one library verb and prints. ``session`` holds what they share.
Subcommands never import Textual (the app is imported only when opened), so
``shelf list`` starts fast. Any ``ShelfError`` becomes one line on stderr and
its exit status; nothing here prints a traceback for a user's mistake.
"""

from __future__ import annotations

from pathlib import Path

import click

from shelf import __version__
from shelf.cli import exporting, feeds, lists, maintenance, merging, papers, reading, state
from shelf.cli.session import Session, ShelfGroup
from shelf.config import load_settings
from shelf.paths import config_file


@click.group(
    cls=ShelfGroup,
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
    settings = load_settings(config_file(config_option), required=config_option is not None)
    session = Session(library_option, settings, demo)
    ctx.obj = session
    ctx.call_on_close(session.close)
    if ctx.invoked_subcommand is None:
        from shelf.tui import run_app

        run_app(session.library(announce=False), demo=session.demo)


for command in (
    papers.import_, papers.add, reading.search, reading.list_, reading.show, state.set_,
    state.undo, state.redo, papers.delete, reading.stats, exporting.export, maintenance.reindex,
    maintenance.doctor, lists.lists, state.attach, reading.cite,
):  # fmt: skip
    cli.add_command(command)
for command in (merging.merge, merging.duplicates):
    cli.add_command(command)
for command in (feeds.feed, feeds.fetch):
    cli.add_command(command)


def main() -> None:
    """The console entry point."""
    cli(prog_name="shelf")
