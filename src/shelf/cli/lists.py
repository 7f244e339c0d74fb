"""``shelf lists``: named, ordered reading lists, and the commands that keep them."""

from __future__ import annotations

import click

from shelf.cli import output
from shelf.cli.options import TEXT
from shelf.cli.session import session
from shelf.domain.reading_list import ReadingList
from shelf.domain.text import one_line


def _papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"


def _line(reading_list: ReadingList) -> str:
    """``name  (N papers)  description`` for the list of lists."""
    about = f"  {one_line(reading_list.description)}" if reading_list.description else ""
    return f"{one_line(reading_list.name)}  ({_papers(reading_list.count)}){about}"


@click.group("lists", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the lists as a JSON array.")
@click.pass_context
def lists(ctx: click.Context, as_json: bool) -> None:
    """Named, ordered reading lists. Without a command: every list, with its count.

    In a search, list:NAME keeps the papers of a list (list:"reading group").
    Every change to a list is undone by `shelf undo`.

    \b
    Examples: shelf lists create "reading group" --description "Thursdays, 4pm"
              shelf lists add "reading group" ghphy8
              shelf lists show "reading group"
    """
    if ctx.invoked_subcommand is not None:
        return
    found = session(ctx).library().reading_lists()
    if as_json:
        output.print_json(
            [{"name": n.name, "description": n.description, "count": n.count} for n in found]
        )
    elif not found:
        click.echo("no reading lists yet: shelf lists create NAME makes one")
    for reading_list in [] if as_json else found:
        click.echo(_line(reading_list))


@lists.command()
@click.argument("name", type=TEXT)
@click.option("--description", "-d", type=TEXT, default="", help="What the list is for.")
@click.pass_context
def create(ctx: click.Context, name: str, description: str) -> None:
    """Make an empty reading list called NAME."""
    made = session(ctx).library().create_list(name, description)
    click.echo(f"created the reading list {one_line(made.name)!r}")


@lists.command()
@click.argument("name", type=TEXT)
@click.argument("papers", nargs=-1, required=True, type=TEXT)
@click.pass_context
def add(ctx: click.Context, name: str, papers: tuple[str, ...]) -> None:
    """Append PAPERS (ids, arXiv ids or DOIs) to list NAME, in the order given.

    A paper already in the list keeps its place.
    """
    changed, added, there = session(ctx).library().add_to_list(name, papers)
    kept = f" ({there} already in it)" if there else ""
    click.echo(f"added {_papers(added)} to {one_line(changed.name)!r}{kept}: "
               f"{_papers(changed.count)} in it now")  # fmt: skip


@lists.command()
@click.argument("name", type=TEXT)
@click.argument("papers", nargs=-1, required=True, type=TEXT)
@click.pass_context
def remove(ctx: click.Context, name: str, papers: tuple[str, ...]) -> None:
    """Take PAPERS out of list NAME (they stay in the library)."""
    changed, removed = session(ctx).library().remove_from_list(name, papers)
    click.echo(f"removed {_papers(removed)} from {one_line(changed.name)!r}: "
               f"{_papers(changed.count)} in it now")  # fmt: skip


@lists.command()
@click.argument("name", type=TEXT)
@click.argument("paper", type=TEXT)
@click.option("--to", "position", type=click.IntRange(min=1), required=True,
              help="The position to move to, counting from 1 (past the end: the end).")  # fmt: skip
@click.pass_context
def move(ctx: click.Context, name: str, paper: str, position: int) -> None:
    """Move PAPER to another position in list NAME."""
    library = session(ctx).library()
    now_at = library.move_in_list(name, paper, position)
    click.echo(
        f"moved {paper} to position {now_at} of {one_line(library.reading_list(name).name)!r}"
    )


@lists.command()
@click.argument("old", type=TEXT)
@click.argument("new", type=TEXT)
@click.pass_context
def rename(ctx: click.Context, old: str, new: str) -> None:
    """Rename list OLD to NEW."""
    renamed = session(ctx).library().rename_list(old, new)
    click.echo(f"renamed the reading list {one_line(old)!r} to {one_line(renamed.name)!r}")


@lists.command()
@click.argument("name", type=TEXT)
@click.argument("description", type=TEXT)
@click.pass_context
def describe(ctx: click.Context, name: str, description: str) -> None:
    """Set the description of list NAME (an empty one removes it)."""
    changed = session(ctx).library().describe_list(name, description)
    click.echo(f"described the reading list {one_line(changed.name)!r}")


@lists.command()
@click.argument("name", type=TEXT)
@click.pass_context
def delete(ctx: click.Context, name: str) -> None:
    """Delete list NAME; its papers stay in the library, and `shelf undo` brings it back."""
    gone = session(ctx).library().delete_list(name)
    click.echo(f"deleted the reading list {one_line(gone.name)!r} "
               f"({_papers(gone.count)}); shelf undo brings it back")  # fmt: skip


@lists.command()
@click.argument("name", type=TEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the list as a JSON object.")
@click.pass_context
def show(ctx: click.Context, name: str, as_json: bool) -> None:
    """The papers of list NAME, in its order."""
    library = session(ctx).library()
    shown, entries = library.reading_list(name), library.list_entries(name)
    if as_json:
        papers = [output.entry_json(entry) for entry in entries]
        output.print_json({"name": shown.name, "description": shown.description, "papers": papers})
        return
    click.echo(f"{one_line(shown.name)} ({_papers(len(entries))})")
    if shown.description:
        click.echo(one_line(shown.description))
    for position, entry in enumerate(entries, start=1):
        click.echo(f"{position:>3}. {output.entry_line(entry)}")
