"""Feeds in the app (issue 14, point 2), driven by Pilot against recorded answers served on
127.0.0.1: ``F`` fetches in a worker with a line per feed, new papers are marked, and the
welcome screen of an empty library subscribes to a first feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shelf.config import load_settings
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.screens.welcome import WelcomeScreen
from shelf.tui.widgets.paper_list import NEW_MARK
from support.feed_stub import FeedStub, Route, feed_config, serving
from support.tui import screen_text, settle, summary

SIZE = (120, 40)


@pytest.fixture
def base() -> Iterator[str]:
    stub = FeedStub()
    stub.routes["/broken.rss"] = Route(b"Internal error", "text/plain", status=500)
    with serving(stub) as address:
        yield address


def _said(app: ShelfApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def _until(pilot: object, condition: object) -> None:
    for _ in range(300):
        await settle(pilot)  # type: ignore[arg-type]
        if condition():  # type: ignore[operator]
            return
    raise AssertionError("never happened")


async def test_F_fetches_every_feed_and_a_broken_one_says_so(
    page_dir: Path, tmp_path: Path, base: str
) -> None:
    settings = load_settings(feed_config(tmp_path, base))
    with Library.open(page_dir, settings) as library:
        library.add_feed("arxiv:cs.LG")
        library.add_feed(f"{base}/broken.rss", "broken")
        app = ShelfApp(library)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("F")
            await _until(pilot, lambda: "Feeds:" in _said(app))
            assert "Feeds: added 10, merged 0, unchanged 0 from 2 feeds (1 failed: broken)" in (
                _said(app)
            )
            assert "feed broken:" in _said(app)
            assert library.count() == 246
            fetched = library.search("tag:feed:cs.lg").entries
            assert len(fetched) == 10
            await pilot.press("g")
            await settle(pilot)
            title = fetched[0].paper.title[:30]
            row = next(line for line in screen_text(app).splitlines() if title in line)
            assert NEW_MARK in row  # arrived since the app was opened
            first = fetched[0].id
            await pilot.press("slash", *"tag:feed:cs.lg", "enter")
            await settle(pilot)
            await pilot.press("x")  # skipped in the app
            await settle(pilot)
            skipped = [e.id for e in library.search("status:skipped").entries]
            assert len(skipped) == 1
            library.update(first, starred=True)
            await pilot.press("F")  # again: nothing new, the feed's papers keep their state
            await _until(pilot, lambda: _said(app).count("Feeds:") == 2)
            assert "Feeds: added 0" in _said(app).split(" | ")[-1]
            assert library.count() == 246 and library.get(first).state.starred
            assert [e.id for e in library.search("status:skipped").entries] == skipped


async def test_F_with_no_feeds_says_how_to_add_one(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert "No feeds yet: shelf feed add arxiv:cs.LG" in _said(app)


async def test_the_welcome_screen_subscribes_to_a_first_feed_and_fetches_it(
    library_dir: Path, tmp_path: Path, base: str
) -> None:
    settings = load_settings(feed_config(tmp_path, base))
    with Library.open(library_dir, settings) as library:
        app = ShelfApp(library)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, WelcomeScreen)
            await pilot.press("F")
            await settle(pilot)
            assert isinstance(app.screen, TagPrompt)
            await pilot.press(*"hf:daily", "enter")
            await _until(pilot, lambda: not isinstance(app.screen, WelcomeScreen))
            assert "Feed hf-daily: added 3" in _said(app)
            assert [feed.name for feed in library.feeds()] == ["hf-daily"]
            assert len(app.main.results.entries) == 3
            assert "3 of 3" in summary(app) or "3 papers" in summary(app)


async def test_F_while_a_fetch_is_under_way_waits_for_it(page_dir: Path, tmp_path: Path) -> None:
    # F twice ran two fetches side by side (arXiv asked twice at once, counts wrong).
    stub = FeedStub()
    stub.routes["/api/daily_papers"].delay = 1.0
    with serving(stub) as address:
        settings = load_settings(feed_config(tmp_path, address))
        with Library.open(page_dir, settings) as library:
            library.add_feed("hf:daily")
            app = ShelfApp(library)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await pilot.press("F", "F")
                assert "The feeds are being fetched already." in _said(app)
                await _until(pilot, lambda: "Feeds:" in _said(app))
            assert len(stub.asked("/api/daily_papers")) == 1


async def test_the_welcome_screen_fetches_a_feed_that_failed_before_and_names_a_new_one(
    library_dir: Path, tmp_path: Path, base: str
) -> None:
    # After a failed first fetch the welcome screen refused the same feed again ("exists
    # already; name it with --name"), and any other feed of that host.
    settings = load_settings(feed_config(tmp_path, base))
    with Library.open(library_dir, settings) as library:
        library.add_feed(f"{base}/broken.rss")  # failed before: named after the host
        app = ShelfApp(library)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("F", *f"{base}/world.rss", "enter")
            await _until(pilot, lambda: not isinstance(app.screen, WelcomeScreen))
        assert "added 10" in _said(app)
        assert sorted(feed.name for feed in library.feeds()) == ["127.0.0.1", "127.0.0.1-2"]
