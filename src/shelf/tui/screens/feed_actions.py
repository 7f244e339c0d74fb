"""Feeds in the app: ``F`` fetches every feed in a worker, one line per feed as it is done.

New papers go to the inbox (tagged ``feed:NAME``) and are marked new; a feed
that fails says so in one line and the others are still fetched, as with
``shelf fetch``. Feeds are added with ``shelf feed add`` (or from the welcome
screen of an empty library).
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding, BindingType

from shelf.tui import messages
from shelf.tui.screens.list_actions import ListActions
from shelf.tui.widgets.summary import Summary

#: The key of feeds (in ``[keymap]`` by its id).
FEED_KEYS: list[BindingType] = [
    Binding("F", "fetch_feeds", "Fetch feeds", show=False, id="fetch_feeds",
            tooltip="Fetch every feed (shelf feed add makes one): new papers go to the inbox"),
]  # fmt: skip


class FeedActions(ListActions):
    """The feed half of the main screen."""

    _fetching = False
    """Whether a fetch is under way (a second ``F`` waits for it rather than run beside it)."""

    def action_fetch_feeds(self) -> None:
        if self._fetching:
            self.notify("The feeds are being fetched already.")
            return
        if not self.library.feeds():
            self.notify("No feeds yet: shelf feed add arxiv:cs.LG (or hf:daily, or a feed's URL) "
                        "adds one.", markup=False)  # fmt: skip
            return
        self.query_one(Summary).say("fetching the feeds…")
        self._fetching = True
        self._fetch_feeds()

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds")
    def _fetch_feeds(self) -> None:
        tell = self.post_message  # safe from this thread
        report = None
        try:
            report = self.library.fetch(on_feed=lambda done: tell(messages.FeedFetched(done)))
        finally:  # a failure is said by the app (WorkerFailed); the next F may run
            tell(messages.FeedsFetched(report))

    @on(messages.FeedFetched)
    def _feed_fetched(self, event: messages.FeedFetched) -> None:
        self.query_one(Summary).say(event.outcome.line, error=not event.outcome.ok)

    @on(messages.FeedsFetched)
    def _feeds_fetched(self, event: messages.FeedsFetched) -> None:
        self._fetching = False
        if (report := event.report) is None:
            return
        for outcome in report.outcomes:
            if not outcome.ok:
                self.notify(outcome.line, severity="error", markup=False, timeout=15)
        self.notify(f"Feeds: {report.summary()}", markup=False)
        highlighted = self.results.highlighted
        self.refresh_results(keep=highlighted.id if highlighted else None)
