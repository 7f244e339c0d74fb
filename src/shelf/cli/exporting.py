"""``shelf export``: the reading list, or any selection of it, in a file or on stdout."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shelf.cli.options import STATUS_CHOICES, TEXT, state_filter
from shelf.cli.session import fail, session
from shelf.domain import InputError
from shelf.domain.query import describe_selection
from shelf.domain.text import one_line
from shelf.formats import markdown, writer_names


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(writer_names()),
    default="markdown",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUS_CHOICES),
    help="Only papers with this status (repeatable).",
)
@click.option(
    "--tag", "tags", multiple=True, type=TEXT, help="Only papers with this tag (repeatable)."
)
@click.option("--starred", is_flag=True, default=None, help="Only starred papers.")
@click.option("--query", "query", default="", type=TEXT, help="Only papers matching this search.")
@click.option("--list", "list_name", type=TEXT,
              help="The papers of this reading list, in its order, under its name.")  # fmt: skip
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (atomically) instead of stdout.",
)
@click.option("--force", is_flag=True, help="Replace a symbolic link at the output path.")
@click.option("--parents", is_flag=True, help="Make the output's folder if it is missing.")
@click.option(
    "--include-skipped",
    is_flag=True,
    help="Markdown: list skipped papers too (other formats always hold them).",
)
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str,
    statuses: tuple[str, ...],
    tags: tuple[str, ...],
    starred: bool | None,
    query: str,
    target: Path | None,
    force: bool,
    parents: bool,
    include_skipped: bool,
    list_name: str | None,
) -> None:
    """Export the reading list (all papers, or those the options select).

    A Markdown reading list leaves out skipped papers unless --include-skipped
    (or --status skipped) is given; every other format holds them. --list NAME
    writes one reading list whole, in its order, with its name as the title.
    """
    if target is not None and not parents and not _folder_of(target).exists():
        raise InputError(str(target), f"the folder {_folder_of(target)} does not exist "
                         "(--parents makes it)")  # fmt: skip
    library = session(ctx).library()
    if list_name is not None:
        if statuses or tags or starred or query:
            fail("--list exports the whole list: it takes no --status, --tag, --starred or --query")
        entries, about = library.select_list(list_name), ""
    else:
        entries = library.select(query, state_filter(statuses, tags, starred))
        about = describe_selection(statuses, tags, bool(starred), query)
    if (
        list_name is None
        and fmt == "markdown"
        and not include_skipped
        and "skipped" not in statuses
    ):
        entries, about = markdown.without_skipped(entries, about)
    if target is None:
        sys.stdout.writelines(library.render(fmt, entries, about))  # as it is made
        sys.stdout.flush()
        return
    library.export(fmt, entries, target, about, replace_link=force, parents=parents)
    click.echo(f"wrote {len(entries)} papers to {one_line(str(target))}", err=True)


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")
