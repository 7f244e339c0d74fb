"""Commands that read the library: ``search``, ``list``, ``show``, ``stats``, ``cite``."""

from __future__ import annotations

import click
from click.core import ParameterSource

from shelf.cli import output
from shelf.cli.options import STATUS_CHOICES, TEXT, sort_option, state_filter
from shelf.cli.session import fail, session
from shelf.domain import Sort
from shelf.domain.text import one_line
from shelf.formats.citing import Cite
from shelf.library import Library


@click.command()
@click.argument("query", nargs=-1, type=TEXT)
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Show at most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON array.")
@click.option("--exact", is_flag=True, help="Search the words as typed: no correction of typos.")
@click.option("--saved", type=TEXT, metavar="NAME",
              help="Run the saved search NAME (its query, filter and order; --sort overrides "
                   "the order), instead of a QUERY.")  # fmt: skip
@sort_option
@click.pass_context
def search(
    ctx: click.Context,
    query: tuple[str, ...],
    limit: int | None,
    as_json: bool,
    exact: bool,
    saved: str | None,
    sort: Sort,
) -> None:
    """Search the library, best match first (or in --sort order).

    A query that matches nothing, with a typo whose correction matches, shows
    the correction's hits and says so on stderr (--exact searches as typed).

    \b
    Examples: shelf search catastrophic forgetting
              shelf search 'title:adapter year:[2019 TO 2022] -status:skipped'
              shelf search --saved reading-group
    """
    text, state = " ".join(query), None
    if saved is not None and query:
        raise click.UsageError(
            "--saved NAME runs the saved search as it is: give no QUERY words with it"
        )
    if saved is None and not query:
        raise click.UsageError("Missing argument 'QUERY...' (or --saved NAME)")
    library = session(ctx).library(say_long_work=True)
    if saved is not None:
        chosen = library.saved_search(saved)
        text, state = chosen.query, chosen.state
        if ctx.get_parameter_source("sort") is ParameterSource.DEFAULT:
            sort = chosen.sort
    result = library.search(text, limit, state, correct=not exact, sort=sort)
    _say_if_nothing_liked(library, sort)
    if result.corrected_from is not None and result.suggestion:
        click.echo(
            f"shelf: showing results for {one_line(result.suggestion)!r} "
            f"(nothing matches {one_line(text)!r}; --exact searches for it as typed)",
            err=True,
        )
    if result.pending and not result.entries:
        why = result.pending_reason or "another shelf process is indexing them"
        fail(
            f"no papers match {text!r} among those indexed, but {result.pending} paper(s) "
            f"are not indexed yet ({why}); try again in a moment"
        )
    if result.pending:
        click.echo(
            f"shelf: note: {result.pending} paper(s) are not indexed yet; "
            "these hits may miss some of them",
            err=True,
        )
    if as_json:
        output.print_json([output.entry_json(entry) for entry in result.entries])
        return
    output.print_entries(result.entries)
    if not result.entries:
        hint = f"; did you mean: {one_line(result.suggestion)}" if result.suggestion else ""
        click.echo(f"no papers match {text!r}{hint}", err=True)
    elif result.total > len(result.entries):
        about = "" if result.exact else "about "
        shown = len(result.entries)
        click.echo(f"(showing {shown} of {about}{result.total}; use -n for more)", err=True)


@click.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUS_CHOICES),
    help="Only papers with this status (repeatable).",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    type=TEXT,
    help="Only papers with this tag (repeatable: all must match).",
)
@click.option("--starred/--unstarred", default=None, help="Only starred (or unstarred) papers.")
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@sort_option
@click.pass_context
def list_(
    ctx: click.Context,
    statuses: tuple[str, ...],
    tags: tuple[str, ...],
    starred: bool | None,
    limit: int | None,
    as_json: bool,
    sort: Sort,
) -> None:
    """List papers: inbox first, newest first (or in --sort order)."""
    state = state_filter(statuses, tags, starred)
    library = session(ctx).library()
    entries = library.entries(state, limit, sort)
    _say_if_nothing_liked(library, sort)
    if as_json:
        output.print_json([output.entry_json(entry) for entry in entries])
    else:
        output.print_entries(entries)


def _say_if_nothing_liked(library: Library, sort: Sort) -> None:
    """The for-you order with nothing to go on says so (on stderr: the list is unchanged)."""
    if sort is Sort.FOR_YOU and not library.likes_anything():
        click.echo(
            "shelf: note: no paper is starred or read yet, so for-you lists the inbox newest first",
            err=True,
        )


@click.command()
@click.argument("paper", type=TEXT)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_context
def show(ctx: click.Context, paper: str, as_json: bool) -> None:
    """Show everything about PAPER (its id, arXiv id or DOI)."""
    library = session(ctx).library()
    entry = library.get(paper)
    lists, pdf = library.lists_of(entry.id), library.pdf(entry)
    if as_json:
        output.print_json(output.entry_json(entry, full=True) | {"lists": lists, "pdf": pdf})
    else:
        output.print_entry(entry, lists, pdf)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count papers by status, stars and tags."""
    output.print_stats(session(ctx).library().stats(), as_json)


@click.command()
@click.argument("papers", nargs=-1, required=True, type=TEXT)
@click.option("--as", "kind", type=click.Choice([kind.value for kind in Cite]), default="bibtex",
              show_default=True, help="What to print: the BibTeX entry, its citation key, a "
              "Markdown line ([title](url) — authors, year), or the link.")  # fmt: skip
@click.pass_context
def cite(ctx: click.Context, papers: tuple[str, ...], kind: str) -> None:
    """Print PAPERS as references to paste, as the app's copy menu (y) copies them.

    \b
    Examples: shelf cite ghphy8
              shelf cite ghphy8 --as markdown
    """
    from shelf.formats.citing import cite_all

    library = session(ctx).library()
    entries = [library.get(paper) for paper in papers]  # every id checked before printing
    texts = cite_all(Cite(kind), entries)
    if missing := [entry.id for entry, text in zip(entries, texts, strict=True) if text is None]:
        fail(f"{missing[0]} has no web link (shelf show {missing[0]} says what it has)")
    separator = "\n" if kind == Cite.BIBTEX.value else ""
    click.echo(separator.join(f"{text.rstrip()}\n" for text in texts if text), nl=False)
