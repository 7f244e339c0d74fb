"""How the CLI shows things: plain lines for people and pipes, JSON for scripts, progress bars.

Every piece of imported text goes through ``one_line``/``inert`` before it is
printed, so a title cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from shelf.domain import DoctorReport, Entry, ImportReport, Stats
from shelf.domain.text import bar, inert, one_line, sparkline

if TYPE_CHECKING:
    from shelf.library import Progress


def entry_json(entry: Entry, full: bool = False) -> dict[str, Any]:
    """The JSON object for one paper (``full`` adds the abstract and timestamps)."""
    paper, state = entry.paper, entry.state
    data: dict[str, Any] = {
        "id": entry.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "status": state.status.value,
        "starred": state.starred,
        "tags": list(state.tags),
        "notes": state.notes,
        "url": paper.link,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
    }
    if full:
        data["abstract"] = paper.abstract
        for name in ("added_at", "status_changed_at", "read_at"):
            stamp = getattr(state, name)
            data[name] = stamp.isoformat() if stamp else None
    return data


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def entry_line(entry: Entry, width: int | None = None) -> str:
    """``id  status  ★ title  (year)``, cut to ``width`` when printing to a terminal."""
    star = "★" if entry.state.starred else " "
    year = f"  ({entry.paper.year})" if entry.paper.year else ""
    head = f"{entry.id:<8} {entry.state.status.value:<8} {star} "
    title = one_line(entry.paper.title)
    if width is not None and len(head) + len(title) + len(year) > width:
        room = max(10, width - len(head) - len(year) - 1)
        title = title[:room] + "…"
    return f"{head}{title}{year}"


def print_entries(entries: Sequence[Entry]) -> None:
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    for entry in entries:
        click.echo(entry_line(entry, width))


def print_entry(entry: Entry, lists: Sequence[str] = (), pdf: str | None = None) -> None:
    """Everything about one paper, for ``shelf show``: with the reading lists holding it,
    and ``pdf``, where ``P`` opens it."""
    paper, state = entry.paper, entry.state
    rows = [
        ("id", entry.id),
        ("status", state.status.value),
        ("starred", "yes" if state.starred else "no"),
        ("authors", ", ".join(paper.authors)),
        ("year", str(paper.year or "")),
        ("venue", paper.venue),
        ("arXiv", paper.arxiv_id or ""),
        ("DOI", paper.doi or ""),
        ("link", paper.link),
        ("PDF", pdf or ""),
        ("tags", ", ".join(state.tags)),
        ("lists", ", ".join(lists)),
        ("added", state.added_at.strftime("%Y-%m-%d %H:%M UTC") if state.added_at else ""),
    ]
    click.echo(one_line(paper.title))
    click.echo()
    for label, value in rows:
        if value:
            click.echo(f"  {label + ':':<9}{one_line(value)}")
    for heading, body in (("Abstract", paper.abstract), ("Notes", state.notes)):
        if body.strip():
            click.echo(f"\n{heading}")
            for paragraph in inert(body).splitlines():
                wrapped = textwrap.fill(paragraph, 78, initial_indent="  ", subsequent_indent="  ")
                click.echo(wrapped if paragraph.strip() else "")


def print_report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "added": report.added,
                "merged": report.merged,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
                "restored": report.restored,
                "lists": report.lists,
                "problems": [str(problem) for problem in report.problems],
            }
        )
        return
    for problem in report.problems:
        click.echo(f"warning: {inert(str(problem))}", err=True)
    click.echo(report.summary())


def print_stats(stats: Stats, as_json: bool) -> None:
    """Counts by status as bars, the papers added and read per week as sparklines over
    the last 12 weeks, and the top tags."""
    if as_json:
        print_json(
            {
                "total": stats.total,
                "by_status": {status.value: count for status, count in stats.by_status.items()},
                "starred": stats.starred,
                "tags": stats.tags,
                "added_per_week": list(stats.added_weekly),
                "read_per_week": list(stats.read_weekly),
            }
        )
        return
    click.echo(f"{stats.total} papers, {stats.starred} starred")
    widest = max(stats.by_status.values(), default=0)
    for status, count in stats.by_status.items():
        click.echo(f"  {status.value:<9}{count:>6}  {bar(count, widest, _BAR_WIDTH)}".rstrip())
    click.echo(f"the last {len(stats.added_weekly)} weeks, oldest first:")
    for label, weekly in (("added", stats.added_weekly), ("read", stats.read_weekly)):
        click.echo(f"  {label:<9}{sum(weekly):>6}  {sparkline(weekly)}")
    if stats.tags:
        top = stats.top_tags
        click.echo("top tags: " + ", ".join(f"{one_line(tag)} ({n})" for tag, n in top))


_BAR_WIDTH = 40


def print_doctor(report: DoctorReport, checked_only: bool = False) -> None:
    """What doctor checked, found and repaired, then one line saying where that leaves it."""
    for check in report.checked:
        click.echo(f"checked: {check}")
    for problem in report.problems:
        click.echo(f"found:   {inert(problem)}")
    for repair in report.repaired:
        click.echo(f"repaired: {inert(repair)}")
    store_damaged = any(problem.startswith("store:") for problem in report.problems)
    if report.healthy:
        click.echo("library is healthy")
    elif store_damaged:
        click.echo("the library database is damaged: `shelf doctor --repair` rebuilds it")
    elif checked_only:
        click.echo("library has problems: `shelf doctor` repairs them")
    else:
        click.echo("library has problems doctor cannot repair")


@contextmanager
def progress_bar(enabled: bool, say_long_work: bool = False) -> Iterator[Progress]:
    """A ``Progress`` callback drawing a bar per phase on stderr, or doing nothing.

    On stderr, so what a command prints on stdout (a report, JSON) stays clean.
    Without a terminal, ``say_long_work`` still says once what long work is doing,
    so a script waiting on it is not left in silence.
    """
    if not enabled:
        yield _announce_long_phases() if say_long_work else (lambda phase, done, total: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        transient=True,
        console=Console(stderr=True),
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def advance(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total, count="")
            if done == total or done % 50 == 0:
                # A file read as it is imported has no total before its end: the count.
                count = f"{done:,} papers" if total is None else f"{done:,} of {total:,}"
                bar.update(tasks[phase], completed=done, total=total, count=count)

        yield advance


#: Work on at least this many papers is announced where no bar can be drawn.
LONG_WORK = 1000


def _announce_long_phases() -> Progress:
    """A ``Progress`` callback that prints one line as each long phase starts."""
    announced: set[str] = set()

    def announce(phase: str, done: int, total: int | None) -> None:
        if phase not in announced and total is not None and total >= LONG_WORK:
            announced.add(phase)
            click.echo(f"shelf: {phase} {total:,} papers…", err=True)

    return announce
