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

#: ``set`` asks before changing more papers than this (unless ``--yes``).
CONFIRM_OVER = 20


@click.command("set")
@click.argument("papers", nargs=-1, type=TEXT)
@click.option("--query", type=TEXT, help="Change every paper matching this search query.")
@click.option("--yes", is_flag=True, help=f"Change over {CONFIRM_OVER} papers without asking.")
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
    papers: tuple[str, ...],
    query: str | None,
    yes: bool,
    status: str | None,
    star: bool | None,
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    note: str | None,
    note_file: str | None,
) -> None:
    """Change the status, star, tags or notes of PAPERS, or of every paper matching
    --query, as one undoable change.

    Over 20 papers, it asks first (--yes does not); with no terminal to ask on, it refuses.
    """
    if bool(papers) == (query is not None):
        fail("name the papers: give paper ids or --query, not both"
             if papers else "name the papers: give paper ids or --query")  # fmt: skip
    if note is not None and note_file is not None:
        fail("give --note or --note-file, not both")
    if note_file is not None:
        source = sys.stdin.buffer if note_file == "-" else Path(note_file)
        note = Library.read_notes(source)
    if status is None and star is None and not add_tags and not remove_tags and note is None:
        fail("nothing to change: give --status, --star/--unstar, --tag, --untag or --note")
    library = session(ctx).library()
    if query is not None:
        if library.selects_everything(query):
            fail(f"--query {one_line(query)!r} has no words to search for (stop words and "
                 "single letters are left out): it would change every paper; name the papers, "
                 "or choose by a filter such as 'status:inbox'")  # fmt: skip
        targets = library.select(query).ids
        if not targets:
            click.echo(f"no paper matches {one_line(query)!r}: nothing changed", err=True)
            return
    else:
        targets = [library.get(ref).id for ref in papers]  # an unknown id: nothing changed
    count = len(dict.fromkeys(targets))
    if count > CONFIRM_OVER and not yes:
        _confirm(count)
    changed = library.update_many(
        targets,
        status=Status.parse(status) if status else None,
        starred=star,
        add_tags=add_tags,
        remove_tags=remove_tags,
        notes=note,
    )
    if count == 1:
        output.print_entries(library.entries_of(targets))
        return
    output.print_entries(changed)
    click.echo(f"{len(changed)} of {count} papers changed; `shelf undo` takes them all back",
               err=True)  # fmt: skip


def _confirm(count: int) -> None:
    """Ask on the terminal before changing ``count`` papers; refuse when there is none."""
    if not sys.stdin.isatty():
        fail(f"{count} papers would change: give --yes to change them without a terminal")
    try:
        sure = click.confirm(f"Change {count} papers?", default=False, prompt_suffix=" ", err=True)
    except click.Abort:  # the input ended (ctrl+d) before an answer
        sure = False
    if not sure:
        fail("nothing changed")


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
