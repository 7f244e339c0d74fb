"""The stats screen (``S``): counts by status, papers added and read per week, top tags.

The same figures as ``shelf stats``, drawn with the same bars and sparklines.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from shelf.domain import Stats
from shelf.domain.text import bar, printable, sparkline

_BAR_WIDTH = 30


class StatsScreen(ModalScreen[None]):
    """The library in figures; escape, q or S closes it."""

    BINDINGS = [Binding("escape,q,S", "dismiss", "Close", id="stats_close")]

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self._stats = stats

    def compose(self) -> ComposeResult:
        stats = self._stats
        counts = Table(box=None, show_header=False)
        widest = max(stats.by_status.values(), default=0)
        for status, count in stats.by_status.items():
            counts.add_row(status.value, f"{count:,}", Text(bar(count, widest, _BAR_WIDTH)))
        counts.add_row("starred", f"{stats.starred:,}", "")
        weeks = Table(box=None, show_header=False)
        for label, weekly in (("added", stats.added_weekly), ("read", stats.read_weekly)):
            weeks.add_row(label, f"{sum(weekly):,}", Text(sparkline(weekly), style="bold"))
        tags = ", ".join(f"{printable(tag)} ({n})" for tag, n in stats.top_tags) or "none yet"
        with VerticalScroll(id="stats-box"):
            yield Static(Text(f"{stats.total:,} papers", style="bold"), classes="dialog-title")
            yield Static(counts)
            yield Static(Text(f"\nThe last {len(stats.added_weekly)} weeks, oldest first"))
            yield Static(weeks)
            yield Static(Text("\nTop tags: ") + Text(tags))
            yield Static(Text("\nescape closes this", style="dim"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
