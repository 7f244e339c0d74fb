"""``Library.fetch``, the verb the app calls: an outcome per feed as each is done, and the
same memory as ``shelf fetch`` (the command-line tests in tests/cli/test_feeds.py)."""

from __future__ import annotations

from pathlib import Path

from shelf.config import load_settings
from shelf.domain.feeds import FeedOutcome
from shelf.library import Library
from support.feed_stub import FeedStub, Route, feed_config, serving


def test_fetch_reports_each_feed_as_it_is_done(tmp_path: Path) -> None:
    stub = FeedStub(routes={"/broken.rss": Route(b"<html>no feed</html>", "text/html")})
    with serving(stub) as base:
        settings = load_settings(feed_config(tmp_path, base))
        with Library.open(tmp_path / "library", settings) as library:
            library.add_feed("hf:daily")
            library.add_feed(f"{base}/broken.rss", name="broken")
            library.add_feed(f"{base}/journal.rss")
            said: list[FeedOutcome] = []
            report = library.fetch(on_feed=said.append)
            again = library.fetch(["HF-DAILY"])
            count = library.count()
            feeds = {feed.name: feed for feed in library.feeds()}
    assert [outcome.name for outcome in said] == ["127.0.0.1", "broken", "hf-daily"]
    assert report.outcomes == tuple(said)
    assert report.added == 4 and report.failed == ["broken"]
    assert said[1].error is not None and "not an RSS or Atom feed" in said[1].error
    assert again.outcomes == (FeedOutcome("hf-daily", seen=3),)
    assert feeds["hf-daily"].delivered == 3
    assert feeds["broken"].fetched_at is None and feeds["broken"].delivered == 0
    assert count == 4
