"""Commands for feeds: ``feed add``, ``feed list``, ``feed remove`` and ``fetch``."""

from __future__ import annotations

import click

from shelf.cli import output
from shelf.cli.options import TEXT
from shelf.cli.session import session
from shelf.domain.feeds import Feed, FeedOutcome
from shelf.domain.text import inert, one_line


@click.group()
def feed() -> None:
    """Subscribe to arXiv categories and queries, Hugging Face daily papers, RSS and Atom feeds.

    \b
    Examples: shelf feed add arxiv:cs.LG
              shelf feed add 'arxiv:ti:diffusion AND cat:cs.CV' --name diffusion
              shelf feed add hf:daily
              shelf feed add https://www.nature.com/nature.rss
    """


@feed.command("add")
@click.argument("spec", type=TEXT, metavar="SOURCE")
@click.option("--name", type=TEXT, help="What to call it (default: from its source).")
@click.pass_context
def add(ctx: click.Context, spec: str, name: str | None) -> None:
    """Subscribe to SOURCE: arxiv:CATEGORY, arxiv:QUERY, hf:daily or a feed's URL.

    `shelf fetch` brings its new papers into the inbox, tagged feed:NAME.
    """
    added = session(ctx).library().add_feed(spec, name)
    click.echo(f"added feed {added.name} ({inert(added.spec)}); `shelf fetch` fetches it")


@feed.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the feeds as JSON.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """List the feeds: name, source, papers delivered and the last fetch."""
    feeds = session(ctx).library().feeds()
    if as_json:
        output.print_json([_feed_json(item) for item in feeds])
        return
    if not feeds:
        click.echo("no feeds yet; add one, e.g. `shelf feed add arxiv:cs.LG`", err=True)
    for item in feeds:
        fetched = f"last fetched {item.fetched_at}" if item.fetched_at else "never fetched"
        line = f"{item.name}\t{one_line(item.spec)}\t{item.delivered} delivered, {fetched}"
        click.echo(line)


def _feed_json(item: Feed) -> dict[str, object]:
    return {"name": item.name, "source": item.spec, "kind": item.kind.value,
            "delivered": item.delivered, "fetched_at": item.fetched_at}  # fmt: skip


@feed.command("remove")
@click.argument("name", type=TEXT)
@click.pass_context
def remove(ctx: click.Context, name: str) -> None:
    """Unsubscribe from feed NAME; its papers stay in the library."""
    removed = session(ctx).library().remove_feed(name)
    click.echo(f"removed feed {removed.name}; its papers stay in the library")


@click.command()
@click.argument("names", nargs=-1, type=TEXT, metavar="[NAME...]")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def fetch(ctx: click.Context, names: tuple[str, ...], as_json: bool) -> None:
    """Fetch every feed (or those NAMEd): their new papers go to the inbox, tagged feed:NAME.

    One line per feed on stderr. A paper a feed delivered before never comes
    back as new, whether you kept, skipped, read or deleted it; a paper already
    in the library is merged and keeps your state. A feed that fails is
    reported in one line, the others are fetched, and the exit status is 1.
    """

    def said(outcome: FeedOutcome) -> None:
        prefix = "" if outcome.ok else "shelf: "
        click.echo(f"{prefix}{outcome.line}", err=True)
        for problem in outcome.problems:
            click.echo(f"warning: feed {outcome.name}: {inert(problem)}", err=True)

    current = session(ctx)
    library = current.library()
    report = library.fetch(names, said, current.progress)
    if as_json:
        output.print_json({
            "added": report.added,
            "failed": report.failed,
            "feeds": [{"name": o.name, "added": o.added, "merged": o.merged,
                       "unchanged": o.unchanged, "seen_before": o.seen,
                       "over_cap": o.over_cap, "problems": list(o.problems), "error": o.error}
                      for o in report.outcomes],
        })  # fmt: skip
    else:
        click.echo(report.summary())
    if report.failed:
        ctx.exit(1)
