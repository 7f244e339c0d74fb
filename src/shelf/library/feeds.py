"""Feeds: subscribing (``shelf feed``), and fetching them into the inbox (``shelf fetch``).

A fetch takes the feeds one at a time. Each is downloaded and parsed first,
with no lock held and nothing written; then, in ONE transaction, its papers
go through the import pipeline (``importing.absorb``: a new paper lands in the
inbox, a known one is merged and keeps its state) tagged ``feed:NAME``, and
the feed remembers what it delivered and when. So a feed that fails (no
network, an HTTP error, a rate limit, a broken answer) leaves nothing behind
and is reported in one line, and the others are fetched all the same.

A paper the feed delivered before is left alone, whatever the user did with
it since (skipped, read, deleted); so is a paper another feed delivered and
the user deleted. Mixed into ``Library``, which holds the store and the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shelf.config import Settings
from shelf.domain import Paper, ParseResult, Problem, Record, ShelfError
from shelf.domain.feeds import (
    BROKEN,
    Feed,
    FeedExistsError,
    FeedKind,
    FeedOutcome,
    FetchReport,
    UnknownFeedError,
    default_name,
    identities,
    name_problem,
    parse_spec,
)
from shelf.domain.text import one_line
from shelf.library import importing
from shelf.library.progress import Progress, quiet, quiet_step
from shelf.store import Store, now

if TYPE_CHECKING:
    from shelf.remote.feeds import Pacer

OnFeed = Callable[[FeedOutcome], object]
"""Called as each feed is done (the CLI prints its line, the app its progress)."""


def _nothing(outcome: FeedOutcome) -> None:
    """Reports nothing."""


class FeedVerbs:
    """The verbs of feeds (see ``Library``)."""

    settings: Settings
    _store: Store
    _lock: threading.RLock
    stopping: threading.Event

    if TYPE_CHECKING:

        def _sync(self, outcome: str, progress: Progress = quiet) -> None: ...

    def feeds(self) -> list[Feed]:
        """Every feed, by name."""
        with self._lock:
            return self._store.feeds()

    def add_feed(self, spec: str, name: str | None = None) -> Feed:
        """Subscribe to ``spec`` (``arxiv:cs.LG``, an arXiv query, ``hf:daily``, a feed URL).

        Without ``name`` it is named after its source. A name or a source already
        subscribed to is refused.
        """
        kind, source = parse_spec(spec)
        chosen = name if name is not None else default_name(kind, source)
        problem = name_problem(chosen)
        if problem:
            raise ShelfError(problem)
        feed = Feed(chosen, kind, source, now().isoformat(timespec="seconds"))
        with self._lock, self._store.transaction():
            for known in self._store.feeds():
                if known.name.lower() == chosen.lower():
                    hint = "" if name is not None else "; name it with --name"
                    raise FeedExistsError(
                        f"a feed called {known.name!r} exists already ({one_line(known.spec)})"
                        + hint
                    )
                if (known.kind, known.source) == (kind, source):
                    raise FeedExistsError(f"already subscribed to that, as feed {known.name!r}")
            self._store.add_feed(feed)
        return feed

    def remove_feed(self, name: str) -> Feed:
        """Unsubscribe; the feed's papers stay in the library, and what it delivered is
        remembered (added again, it brings nothing old back as new)."""
        with self._lock, self._store.transaction():
            feed = _named(self._store.feeds(), name)
            self._store.remove_feed(feed.name)
        return feed

    def fetch(
        self, names: Sequence[str] = (), on_feed: OnFeed = _nothing, progress: Progress = quiet
    ) -> FetchReport:
        """Fetch every feed (or those named) into the inbox; one outcome per feed, passed to
        ``on_feed`` as each is done, and ``progress`` as the search index catches up.

        An unknown name fetches nothing. A feed that fails does not stop the others.
        """
        with self._lock:
            known = self._store.feeds()
        if not known:
            raise ShelfError("no feeds yet; add one, e.g. `shelf feed add arxiv:cs.LG`")
        chosen = list({feed.name: feed for feed in (_named(known, n) for n in names)}.values())
        from shelf.remote.feeds import Pacer  # the network code, only when it is used

        pacer = Pacer(self.settings.arxiv_pause)
        outcomes: list[FeedOutcome] = []
        for feed in chosen or known:
            if self.stopping.is_set():  # the app is closing: the other feeds wait
                break
            outcome = self._fetch_one(feed, pacer)
            outcomes.append(outcome)
            on_feed(outcome)
        if any(outcome.added or outcome.merged or outcome.unchanged for outcome in outcomes):
            with self._lock:  # new papers, and known ones with a new feed: tag, are indexed
                self._sync("the papers are saved; the search index", progress)
        return FetchReport(tuple(outcomes))

    def _fetch_one(self, feed: Feed, pacer: Pacer) -> FeedOutcome:
        started = now()
        try:
            with self._lock:
                memory = self._store.feed_memory(feed.name)
            result, memory = download(feed, self.settings, pacer, memory, started, self._seen)
            with self._lock, self._store.transaction():
                kept, seen, over, delivered = self._select(feed, result)
                if over or any(p.message.startswith(BROKEN) for p in result.problems):
                    memory = {}  # not all of it came in: ask for the whole of it next time
                report = importing.absorb(  # no undo step: `u` is for what the user did
                    self._store, [replace(result, records=kept)], started, quiet_step, False
                )
                stamp = started.isoformat(timespec="seconds")
                self._store.remember_feed(feed.name, delivered, len(kept), stamp, memory)
        except ShelfError as error:
            return FeedOutcome(feed.name, error=one_line(str(error)))
        problems = tuple(one_line(str(problem)) for problem in report.problems)
        return FeedOutcome(feed.name, report.added, report.merged, report.unchanged, seen, over,
                           problems)  # fmt: skip

    def _seen(self, feed: Feed, paper: Paper) -> bool:
        """Whether ``feed`` delivered ``paper`` before."""
        with self._lock:
            return bool(self._store.seen_identities(identities(paper), feed.name))

    def _select(
        self, feed: Feed, result: ParseResult
    ) -> tuple[tuple[Record, ...], int, int, list[str]]:
        """The records to import (new to this feed, tagged, capped), how many were seen
        before, how many are over the cap, and the identities to remember."""
        kept: list[Record] = []
        seen = over = 0
        delivered: list[str] = []
        now_delivered: set[str] = set()
        for record in result.records:
            ids = identities(record.paper)
            if now_delivered.intersection(ids):
                continue  # listed twice in one answer
            if self._store.seen_identities(ids, feed.name) or (
                self._store.seen_identities(ids) and self._store.find_match(record.paper) is None
            ):  # delivered before by this feed, or by another and deleted since
                seen += 1
                continue
            if len(kept) >= self.settings.feeds_max_per_fetch:
                over += 1
                continue
            kept.append(replace(record, tags=(*record.tags, feed.tag)))
            delivered += ids
            now_delivered.update(ids)
        return tuple(kept), seen, over, delivered


def _named(feeds: list[Feed], name: str) -> Feed:
    for feed in feeds:
        if feed.name.lower() == name.strip().lower():
            return feed
    raise UnknownFeedError(name, [feed.name for feed in feeds])


def _moment(stamp: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp) if stamp else None
    except ValueError:  # a hand-edited database: ask for the newest, as the first time
        return None


#: The most pages of an arXiv listing one fetch reads (each ``max_per_fetch`` papers).
ARXIV_PAGES = 5


def download(
    feed: Feed, settings: Settings, pacer: Pacer, memory: dict[str, Any], when: datetime,
    seen: Callable[[Feed, Paper], bool] = lambda feed, paper: False,
) -> tuple[ParseResult, dict[str, Any]]:  # fmt: skip
    """What the feed lists now, read into records, and what to remember for next time.

    An arXiv listing is read a page (``max_per_fetch`` papers) at a time, newest first,
    until ``max_per_fetch`` papers the feed has not ``seen`` are in, the listing ends, or
    ``ARXIV_PAGES`` pages were read: a busy category's papers past the first page are
    not skipped for ever.

    Nothing is written; every failure is a ``ShelfError``. The parsers and the network
    code are imported here, so that the commands that never fetch never load them.
    """
    from shelf.formats import arxiv as arxiv_format
    from shelf.formats import feed_rss, hf_json
    from shelf.remote import feeds as remote

    cap = settings.feeds_max_per_fetch
    if feed.kind is FeedKind.ARXIV:
        since = _moment(feed.fetched_at)
        records: list[Record] = []
        problems: list[Problem] = []
        for page in range(ARXIV_PAGES):
            pacer.wait()
            text = remote.arxiv_listing(feed.arxiv_query, settings.arxiv_api_url,
                                        settings.arxiv_timeout, cap, since, when,
                                        start=page * cap)  # fmt: skip
            read = arxiv_format.read(text, settings.arxiv_api_url, allow_empty=True)
            records += read.records
            problems += read.problems
            fresh = sum(not seen(feed, record.paper) for record in records)
            if len(read.records) < cap or fresh >= cap:
                break
        return ParseResult(tuple(records), tuple(problems)), {}
    if feed.kind is FeedKind.HF:
        text = remote.hf_daily(settings.hf_api_url, settings.hf_timeout, cap)
        return hf_json.read(text, settings.hf_api_url), {}
    etag, modified = str(memory.get("etag") or ""), str(memory.get("modified") or "")
    answer = remote.rss(feed.source, settings.feeds_timeout, etag, modified)
    kept = {key: value for key, value in (("etag", answer.etag), ("modified", answer.modified))
            if value}  # fmt: skip
    if answer.body is None:
        return ParseResult(()), kept
    return feed_rss.read(answer.body, feed.source), kept
