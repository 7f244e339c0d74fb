"""Commands that bring papers in and take them out: ``import``, ``add``, ``delete``."""

from __future__ import annotations

from pathlib import Path

import click

from shelf.cli import output
from shelf.cli.options import TEXT
from shelf.cli.session import session
from shelf.formats import reader_names
from shelf.library import Library


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(reader_names()),
    help="Read the files as this format instead of guessing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def import_(ctx: click.Context, files: tuple[Path, ...], fmt: str | None, as_json: bool) -> None:
    """Import papers from FILES (a copied papers page, a .bib, .ris, .json, .csv, ...).

    Every file is checked before anything is imported, then read as its papers go
    in; a file found broken halfway leaves the library as it was. Papers already
    in the library are merged (missing metadata filled in) and keep your
    status, star, tags and notes, unless the file is a backup of them (shelf's
    own TOML, JSON or CSV export): then the state it holds is restored, as one
    change `shelf undo` reverts.
    """
    library = session(ctx).library()
    report = library.import_paths(files, fmt, session(ctx).progress)
    output.print_report(report, as_json)


@click.command()
@click.argument("refs", nargs=-1, required=True, metavar="ARXIV_ID_OR_DOI...", type=TEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def add(ctx: click.Context, refs: tuple[str, ...], as_json: bool) -> None:
    """Add papers by arXiv id (from the arXiv API) or DOI (from Crossref).

    \b
    Examples: shelf add arxiv:2106.09685
              shelf add 2106.09685v2 cond-mat/0412498 https://arxiv.org/abs/1706.03762
              shelf add 10.1145/3290605.3300857 https://doi.org/10.1038/srep16696

    Every id is checked before anything is fetched, and nothing is imported
    unless every request was answered. Papers already in the library are
    merged; your status, star, tags and notes are never touched.
    """
    current = session(ctx)
    fetched = Library.fetch_refs(refs, current.settings)  # before the library is opened
    library = current.library()
    report = library.import_fetched(fetched, current.progress)
    output.print_report(report, as_json)


@click.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID...", type=TEXT)
@click.pass_context
def delete(ctx: click.Context, papers: tuple[str, ...]) -> None:
    """Delete papers with their reading state.

    Status, star, tags and notes go with them; `shelf undo` brings them all back.
    """
    deleted = session(ctx).library().delete(papers)
    for entry in deleted:
        click.echo(f"deleted {output.entry_line(entry)}")
    click.echo(f"{len(deleted)} paper(s) deleted; `shelf undo` brings them back", err=True)
