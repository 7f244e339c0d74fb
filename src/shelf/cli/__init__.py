"""The ``shelf`` command: bare, it opens the app; its subcommands do the same work from scripts.

Subcommands never import Textual (the app is imported only when opened), so
``shelf list`` starts fast. Any ``ShelfError`` becomes one line on stderr and
its exit status; nothing here prints a traceback for a user's mistake.
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import click

from shelf import __version__
from shelf.cli import output
from shelf.config import Settings, load_settings
from shelf.domain import ShelfError, StateFilter, Status, normalize_tag
from shelf.domain.text import one_line, without_surrogates
from shelf.formats import reader_names, writer_names
from shelf.library import Library, Progress, build_demo
from shelf.paths import config_file, library_dir

STATUS_CHOICES = [status.value for status in Status]


class _Text(click.ParamType):  # type: ignore[type-arg]
    """Text from the command line, made storable: bytes that are not UTF-8 (which Python
    hands over as lone surrogates) become U+FFFD instead of failing later."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return without_surrogates(value) if isinstance(value, str) else value


TEXT = _Text()


def _quiet_progress(phase: str, done: int, total: int | None) -> None:
    """Reports nothing (until the library is opened)."""


class _Failure(click.ClickException):
    """A ``ShelfError`` on its way out: one line, the error's own exit status."""

    def __init__(self, error: ShelfError) -> None:
        super().__init__(str(error))
        # click declares exit_code on the class; each failure carries its own.
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        # One line of visible characters, whatever a path or a server's words held.
        click.echo(f"shelf: {one_line(self.format_message())}", err=True)


class _UsageFailure(click.UsageError):
    """A mistyped command line (unknown status, option or command) as one line on stderr.

    click's own usage error prints the usage block and a hint over four lines.
    """

    def show(self, file: Any = None) -> None:
        hint = f" (see '{self.ctx.command_path} -h')" if self.ctx is not None else ""
        click.echo(f"shelf: {one_line(self.format_message())}{hint}", err=True)


class _Group(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise _UsageFailure(error.format_message(), error.ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ShelfError as error:
            raise _Failure(error) from None
        except click.UsageError as error:
            raise _UsageFailure(error.format_message(), error.ctx) from None


@dataclass
class Session:
    """What the global options chose; opens the library on first use."""

    library_option: Path | None
    settings: Settings
    demo: bool
    _library: Library | None = None
    _cleanup: list[Any] = field(default_factory=list)
    _stack: ExitStack = field(default_factory=ExitStack)
    progress: Progress = field(default=_quiet_progress)
    """Reports long work (importing, indexing) on a terminal's stderr, for the command."""
    _announced: int | None = None
    """How many of the library's notices were printed (None: the app shows them)."""

    def directory(self) -> Path:
        """The library directory the options and config point at."""
        return library_dir(self.library_option, self.settings.library_path)

    def library(self, announce: bool = True) -> Library:
        """The library, opened on first use.

        For a command (``announce``), its notices are printed on stderr, and long
        work draws one bar on a terminal's stderr for the whole command (the
        index may be caught up at any point). The app shows both itself.
        """
        if self._library is None:
            if announce:
                bar = output.progress_bar(sys.stderr.isatty())
                self.progress = self._stack.enter_context(bar)
            if self.demo:
                scratch = tempfile.TemporaryDirectory(prefix="shelf-demo-")
                self._cleanup.append(scratch)
                self._library = build_demo(Path(scratch.name) / "library", self.settings)
            else:
                self._library = Library.open(self.directory(), self.settings, self.progress)
            if announce:
                self._announced = 0
                self.announce()
        return self._library

    def announce(self) -> None:
        """Print the library's notices not printed yet, one ``shelf: note:`` line each."""
        if self._library is None:
            return
        for notice in self._library.notices[self._announced :]:
            click.echo(f"shelf: note: {one_line(notice)}", err=True)
        self._announced = len(self._library.notices)

    def close(self) -> None:
        if self._library is not None:
            if self._announced is not None:
                self.announce()  # what the command itself ran into (an index kept busy)
            self._library.close()
        self._stack.close()
        for scratch in self._cleanup:
            scratch.cleanup()


def _session(ctx: click.Context) -> Session:
    session = ctx.find_object(Session)
    assert session is not None
    return session


def _fail(message: str) -> NoReturn:
    raise _Failure(ShelfError(message))


@click.group(
    cls=_Group,
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

        run_app(session.library(announce=False), settings)


@cli.command("import")
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

    Every file is read and checked before anything is imported. Papers already
    in the library are merged (missing metadata filled in) and keep your
    status, star, tags and notes, unless the file is a backup of them (shelf's
    own TOML, JSON or CSV export): then the state it holds is restored, as one
    change `shelf undo` reverts.
    """
    library = _session(ctx).library()
    report = library.import_paths(files, fmt, _session(ctx).progress)
    output.print_report(report, as_json)


@cli.command()
@click.argument("refs", nargs=-1, required=True, metavar="ARXIV_ID...", type=TEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def add(ctx: click.Context, refs: tuple[str, ...], as_json: bool) -> None:
    """Add papers by arXiv id, with their metadata from the arXiv API.

    \b
    Examples: shelf add arxiv:2106.09685
              shelf add 2106.09685v2 cond-mat/0412498 https://arxiv.org/abs/1706.03762

    Every id is checked before anything is fetched, and nothing is imported
    unless the API answered. Papers already in the library are merged; your
    status, star, tags and notes are never touched.
    """
    session = _session(ctx)
    fetched = Library.fetch_arxiv(refs, session.settings)  # before the library is opened
    library = session.library()
    report = library.import_fetched(fetched, session.progress)
    output.print_report(report, as_json)


@cli.command()
@click.argument("query", nargs=-1, required=True, type=TEXT)
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Show at most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON array.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int | None, as_json: bool) -> None:
    """Search the library, best match first.

    \b
    Examples: shelf search catastrophic forgetting
              shelf search 'title:adapter year:[2019 TO 2022] -status:skipped'
    """
    text = " ".join(query)
    result = _session(ctx).library().search(text, limit)
    if result.pending and not result.entries:
        why = result.pending_reason or "another shelf process is indexing them"
        _fail(
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


def _filter(statuses: tuple[str, ...], tags: tuple[str, ...], starred: bool | None) -> StateFilter:
    return StateFilter(
        statuses=frozenset(Status.parse(s) for s in statuses),
        tags=frozenset(normalize_tag(t) for t in tags),
        starred=starred,
    )


@cli.command("list")
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
@click.pass_context
def list_(
    ctx: click.Context,
    statuses: tuple[str, ...],
    tags: tuple[str, ...],
    starred: bool | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List papers: inbox first, newest first."""
    entries = _session(ctx).library().entries(_filter(statuses, tags, starred), limit)
    if as_json:
        output.print_json([output.entry_json(entry) for entry in entries])
    else:
        output.print_entries(entries)


@cli.command()
@click.argument("paper", type=TEXT)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_context
def show(ctx: click.Context, paper: str, as_json: bool) -> None:
    """Show everything about PAPER (its id, arXiv id or DOI)."""
    entry = _session(ctx).library().get(paper)
    if as_json:
        output.print_json(output.entry_json(entry, full=True))
    else:
        output.print_entry(entry)


@cli.command("set")
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
        _fail("give --note or --note-file, not both")
    if note_file is not None:
        source = sys.stdin.buffer if note_file == "-" else Path(note_file)
        note = Library.read_notes(source)
    if status is None and star is None and not add_tags and not remove_tags and note is None:
        _fail("nothing to change: give --status, --star/--unstar, --tag, --untag or --note")
    entry = (
        _session(ctx)
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


@cli.command()
@click.pass_context
def undo(ctx: click.Context) -> None:
    """Undo the last change (to status, star, tags or notes, or a delete)."""
    undone = _session(ctx).library().undo()
    if not undone:
        click.echo("nothing to undo")
        return
    for item in undone:
        if item.came_back:
            click.echo(f"undid delete: {output.entry_line(item.entry)}")
            continue
        changed = ", ".join(item.shown)
        click.echo(f"undid {changed}: {output.entry_line(item.entry)}")


@cli.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID...", type=TEXT)
@click.pass_context
def delete(ctx: click.Context, papers: tuple[str, ...]) -> None:
    """Delete papers with their reading state.

    Status, star, tags and notes go with them; `shelf undo` brings them all back.
    """
    deleted = _session(ctx).library().delete(papers)
    for entry in deleted:
        click.echo(f"deleted {output.entry_line(entry)}")
    click.echo(f"{len(deleted)} paper(s) deleted; `shelf undo` brings them back", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count papers by status, stars and tags."""
    output.print_stats(_session(ctx).library().stats(), as_json)


@cli.command()
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
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (atomically) instead of stdout.",
)
@click.option("--force", is_flag=True, help="Replace a symbolic link at the output path.")
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
) -> None:
    """Export the reading list (all papers, or those the options select)."""
    library = _session(ctx).library()
    entries = library.select(query, _filter(statuses, tags, starred))
    if target is None:
        click.echo(library.render(fmt, entries), nl=False)
        return
    library.export(fmt, entries, target, replace_link=force)
    click.echo(f"wrote {len(entries)} papers to {one_line(str(target))}", err=True)


@cli.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the library database."""
    library = _session(ctx).library()
    count = library.reindex(_session(ctx).progress)
    click.echo(f"indexed {count} papers")


@cli.command()
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
    session = _session(ctx)
    if check_only and not session.demo:
        report = Library.inspect(session.directory())  # opens nothing for writing
    else:
        if repair and not session.demo:
            for line in Library.repair(session.directory()):
                click.echo(f"repaired: {line}")
        report = session.library().doctor(repair=not check_only)
    output.print_doctor(report, checked_only=check_only)
    if not report.healthy:
        ctx.exit(1)


def main() -> None:
    """The console entry point."""
    cli(prog_name="shelf")
