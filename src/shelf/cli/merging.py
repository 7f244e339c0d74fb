"""Commands that join copies of one paper: ``merge``, and ``duplicates`` that finds them."""

from __future__ import annotations

import click

from shelf.cli import output
from shelf.cli.options import TEXT
from shelf.cli.session import session
from shelf.domain import Entry
from shelf.domain.merging import STATUS_PROGRESS
from shelf.domain.text import one_line

_ORDER = " < ".join(status.value for status in STATUS_PROGRESS)


@click.command(
    epilog=f"The status kept is the one further along: {_ORDER}.",
)
@click.argument("papers", nargs=-1, metavar="ID ID", type=TEXT)
@click.pass_context
def merge(ctx: click.Context, papers: tuple[str, ...]) -> None:
    """Merge the second paper into the first: one paper, the first one's id.

    Each field keeps the better of both copies (the longer abstract, the fuller
    author list, a year, venue, link, arXiv id or DOI the first lacks); the
    status further along, starred if either is, the tags of both, the notes of
    both one after the other. The second paper is removed; `shelf undo` brings
    both back as they were.

    \b
    Example: shelf merge 7mvr2b 2106.09685
    """
    if len(papers) != 2:
        raise click.UsageError(f"give two paper ids (the one to keep first), not {len(papers)}")
    report = session(ctx).library().merge(*papers)
    title = one_line(report.entry.paper.title)
    click.echo(f"merged {report.removed.id} into {report.entry.id}: {title}")
    taken = ", ".join(report.from_other) or "nothing (the first had it all)"
    click.echo(f"from {report.removed.id}: {taken}")
    click.echo("`shelf undo` takes the merge back", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the groups as a JSON array.")
@click.pass_context
def duplicates(ctx: click.Context, as_json: bool) -> None:
    """List probable duplicates: papers with the same title, or a very similar title and
    the same first author. Each group says the `shelf merge` that joins it."""
    groups = session(ctx).library().duplicates()
    if as_json:
        output.print_json([[output.entry_json(entry) for entry in group] for group in groups])
        return
    if not groups:
        click.echo("no probable duplicates")
        return
    for number, group in enumerate(groups):
        if number:
            click.echo()
        for entry in group:
            click.echo(_line(entry))
        first = group[0].id
        for entry in group[1:]:
            click.echo(f"  shelf merge {first} {entry.id}")
    click.echo(f"{len(groups)} group(s) of probable duplicates", err=True)


def _line(entry: Entry) -> str:
    """``id  year  first author  title``, imported text made inert."""
    paper = entry.paper
    author = one_line(paper.authors[0]) if paper.authors else "-"
    year = str(paper.year) if paper.year else "----"
    return f"{entry.id:<8} {year}  {author}  {one_line(paper.title)}"
