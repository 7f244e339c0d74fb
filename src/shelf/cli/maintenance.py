"""Commands that look after the library: ``reindex`` and ``doctor``."""

from __future__ import annotations

import click

from shelf.cli import output
from shelf.cli.session import session
from shelf.library import Library


@click.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the library database."""
    library = session(ctx).library()
    count = library.reindex(session(ctx).progress)
    click.echo(f"indexed {count} papers")


@click.command()
@click.option(
    "--check-only", is_flag=True, help="Report problems without repairing or writing anything."
)
@click.option(
    "--repair",
    is_flag=True,
    help="Also rebuild a damaged database from every row that can be read "
    "(the damaged file is kept beside it).",
)
@click.pass_context
def doctor(ctx: click.Context, check_only: bool, repair: bool) -> None:
    """Check the database and the search index, and repair the index."""
    current = session(ctx)
    if check_only and not current.demo:
        report = Library.inspect(current.directory())  # opens nothing for writing
    else:
        if repair and not current.demo:
            for line in Library.repair(current.directory()):
                click.echo(f"repaired: {line}")
        report = current.library().doctor(repair=not check_only)
    output.print_doctor(report, checked_only=check_only)
    if not report.healthy:
        ctx.exit(1)
