"""Typed messages: what a worker found, a worker that failed, and a paper a pane changed.

Also ``Highlight``, the value the panes watch to follow the list's cursor.

Workers run in threads and never touch a widget: each ends by posting one of
these (``post_message`` is safe from any thread), and the handler of the node
that started it shows it. A worker that fails raises; its node passes the
failure up as ``WorkerFailed``, and the app's one handler turns it into a
notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message
from textual.worker import Worker

from shelf.domain import Entry, SearchResult
from shelf.domain.feeds import FeedOutcome, FetchReport


@dataclass(frozen=True, slots=True)
class Highlight:
    """The paper the list's cursor rests on (None: no paper), and the query that found it.

    The main screen holds it as ``highlight``; a pane follows it by watching that:
    ``self.watch(self.screen, "highlight", self.follow)`` in its ``on_mount``.
    """

    entry: Entry | None = None
    query: str = ""
    for_you: bool = False
    """Whether the list is in the for-you order (the preview then says why a paper ranks
    where it does)."""


class SearchDone(Message):
    """A search finished; the cursor should rest on paper ``keep`` if it is listed."""

    def __init__(self, result: SearchResult, keep: str | None) -> None:
        self.result = result
        self.keep = keep
        super().__init__()


class Indexing(Message):
    """The search index is being built (a search waits for it): ``done`` of ``total`` papers."""

    def __init__(self, done: int, total: int) -> None:
        self.done = done
        self.total = total
        super().__init__()


class StepIndexed(Message):
    """A step of a catch-up was committed: a search now finds more of the library."""


class SearchFailed(Message):
    """A search could not run (a bad query, a damaged index): ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__()


class RelatedFound(Message):
    """The papers most like ``paper_id``, best first."""

    def __init__(self, paper_id: str, related: list[Entry]) -> None:
        self.paper_id = paper_id
        self.related = related
        super().__init__()


class MoreLikeFound(Message):
    """The papers most like ``anchor``, for the list ("more like this"); the cursor was on
    paper ``back_to`` when they were asked for."""

    def __init__(self, anchor: Entry, related: list[Entry], back_to: str | None) -> None:
        self.anchor = anchor
        self.related = related
        self.back_to = back_to
        super().__init__()


class Exported(Message):
    """``count`` papers were written to ``path``."""

    def __init__(self, count: int, path: Path) -> None:
        self.count = count
        self.path = path
        super().__init__()


class DemoLoaded(Message):
    """The demo papers (or a first feed) were imported; ``summary`` says how many."""

    def __init__(self, summary: str) -> None:
        self.summary = summary
        super().__init__()


class FeedFetched(Message):
    """One feed was fetched (or failed): what it did, for the line that shows progress."""

    def __init__(self, outcome: FeedOutcome) -> None:
        self.outcome = outcome
        super().__init__()


class FeedsFetched(Message):
    """Every feed asked for was fetched; ``report`` says what each did (None: the fetch
    failed as a whole, and the failure is said otherwise)."""

    def __init__(self, report: FetchReport | None) -> None:
        self.report = report
        super().__init__()


class PaperChanged(Message):
    """A pane saved a change to ``entry`` (its notes): the list shows the new state."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        super().__init__()


class WorkerFailed(Message):
    """``worker`` raised: the app says so in a notification and carries on."""

    def __init__(self, worker: Worker[object]) -> None:
        self.worker = worker
        super().__init__()
