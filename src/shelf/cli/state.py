"""Commands that change reading state: ``set``, ``undo`` and ``redo``; ``attach`` a file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shelf.cli import output
from shelf.cli.options import STATUS_CHOICES, TEXT
from shelf.cli.session import fail, session
from shelf.domain import Status
from shelf.domain.reading_list import ListStep
from shelf.domain.text import one_line
from shelf.library import Library


@click.command("set")
@click.argument("paper", type=TEXT)
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="Set the reading status.")
@click.option("--star/--unstar", default=None, help="Star or unstar.")
@click.option("--tag", "add_tags", multiple=True, type=TEXT, help="Add a tag (repeatable).")
@click.option("--untag", "remove_tags", multiple=True, type=TEXT, help="Remove a tag (repeatable).")
@click.option("--note", type=TEXT, help="Replace the notes with TEXT.")
@click.option(
    "--note-file",
    metavar="FILE",
    help="Replace the notes with the contents of a file ('-' for stdin).",
)
@click.pass_context
def set_(
    ctx: click.Context,
    paper: str,
    status: str | None,
    star: bool | None,
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    note: str | None,
    note_file: str | None,
) -> None:
    """Change PAPER's status, star, tags or notes (one undoable change)."""
    if note is not None and note_file is not None:
        fail("give --note or --note-file, not both")
    if note_file is not None:
        source = sys.stdin.buffer if note_file == "-" else Path(note_file)
        note = Library.read_notes(source)
    if status is None and star is None and not add_tags and not remove_tags and note is None:
        fail("nothing to change: give --status, --star/--unstar, --tag, --untag or --note")
    entry = (
        session(ctx)
        .library()
        .update(
            paper,
            status=Status.parse(status) if status else None,
            starred=star,
            add_tags=add_tags,
            remove_tags=remove_tags,
            notes=note,
        )
    )
    output.print_entries([entry])


@click.command()
@click.pass_context
def redo(ctx: click.Context) -> None:
    """Make again the change the last undo took back (until a new change is made)."""
    redone = session(ctx).library().redo()
    if not redone:
        click.echo("nothing to redo")
    for item in redone:
        if isinstance(item, ListStep):
            click.echo(f"redid: {item.described}")
            continue
        changed = "delete" if item.gone else ", ".join(item.shown)
        click.echo(f"redid {changed}: {output.entry_line(item.entry)}")


@click.command()
@click.pass_context
def undo(ctx: click.Context) -> None:
    """Undo the last change (to status, star, tags or notes, or a delete)."""
    undone = session(ctx).library().undo()
    if not undone:
        click.echo("nothing to undo")
        return
    for item in undone:
        if isinstance(item, ListStep):
            click.echo(f"undid: {item.described}")
            continue
        if item.came_back:
            click.echo(f"undid delete: {output.entry_line(item.entry)}")
            continue
        changed = ", ".join(item.shown)
        click.echo(f"undid {changed}: {output.entry_line(item.entry)}")


@click.command()
@click.argument("paper", type=TEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def attach(ctx: click.Context, paper: str, file: Path) -> None:
    """Attach FILE, a PDF on this machine, to PAPER: `P` in the app opens it."""
    entry = session(ctx).library().attach(paper, file)
    click.echo(f"attached {one_line(entry.attached)} to {output.entry_line(entry)}")
