"""``o`` picks the order of the list (issue 12, point 2), and the library keeps it.

The orders: relevance (the best match first while searching; otherwise inbox
first, newest first), added, year, title, status changed (and for you: see
test_for_you). The list is checked
against the store's own fields, and the choice against a fresh app on the same
library directory.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from textual.widgets import OptionList

from shelf.domain import Entry, Sort
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.sort_menu import SortMenu
from support.paths import FIXTURES, PAGE_COPY
from support.tui import settle, summary


def _d2l_and_page(directory: Path) -> None:
    """d2l.bib's papers, with years, and the page copy's, without."""
    with Library.open(directory) as library:
        library.import_paths([FIXTURES / "d2l.bib", PAGE_COPY])


def _years(entries: list[Entry]) -> list[int | None]:
    return [entry.paper.year for entry in entries]


async def _pick(app: ShelfApp, pilot: object, name: str) -> None:
    await pilot.press("o")  # type: ignore[attr-defined]
    assert isinstance(app.screen, SortMenu)
    options = app.screen.query_one(OptionList)
    names = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
    assert names == ["relevance", "added", "year", "title", "status changed", "for you"]
    await pilot.press(*["down"] * names.index(name), "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_o_sorts_by_year_and_a_new_run_keeps_the_order(library_dir: Path) -> None:
    _d2l_and_page(library_dir)
    with Library.open(library_dir) as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await _pick(app, pilot, "year")
            await pilot.press("G")  # every paper, to check the whole order
            await settle(pilot)
            years = _years(list(app.main.results.entries))
            assert app.main.sort is Sort.YEAR
            assert summary(app).startswith("all papers · sorted by year · ")
    known = [year for year in years if year is not None]
    assert known == sorted(known, reverse=True) and len(set(known)) > 5
    assert None in years
    assert years[: len(known)] == known  # papers with no year come last

    with Library.open(library_dir) as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.main.sort is Sort.YEAR
            assert summary(app).startswith("all papers · sorted by year · ")
            shown = _years(list(app.main.results.entries))
    assert shown == years[: len(shown)]


async def test_a_search_sorted_by_title_lists_the_same_matches_a_to_z(library_dir: Path) -> None:
    _d2l_and_page(library_dir)
    with Library.open(library_dir) as library:
        by_relevance = library.search_as_you_type("learning", limit=10_000)
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"learning", "enter")
            await settle(pilot)
            await _pick(app, pilot, "title")
            await pilot.press("G")
            await settle(pilot)
            entries = list(app.main.results.entries)
            said = summary(app)
    assert {e.id for e in entries} == {e.id for e in by_relevance.entries}
    assert len(entries) == by_relevance.total > 200  # more than one page of results
    titles = [e.paper.title.casefold() for e in entries]
    assert titles != [e.paper.title.casefold() for e in by_relevance.entries]
    firsts = [t[:1] for t in titles if t[:1].isalpha()]
    assert firsts == sorted(firsts)
    assert said.startswith(f"all papers · sorted by title · {by_relevance.total} of ")


async def test_status_changed_lists_the_last_triaged_first(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first, second = (app.main.results.entries[n].id for n in (0, 1))
        await pilot.press("t")  # the first: to read, then the cursor moves on to the second
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await _pick(app, pilot, "status changed")
        ids = [entry.id for entry in app.main.results.entries]
    assert ids[:2] == [second, first]


async def test_o_o_takes_the_next_order_and_escape_keeps_the_current(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o", "o")
        await settle(pilot)
        assert app.main.sort is Sort.ADDED
        await pilot.press("o", "escape")
        await settle(pilot)
        assert app.main.sort is Sort.ADDED
        assert page_library.sort_order is Sort.ADDED


async def test_a_stored_order_that_is_not_one_opens_by_relevance(page_dir: Path) -> None:
    # Found by the second hostile pass: bytes that are not UTF-8 in the stored order
    # crashed the app at start (with exit status 0). A word that is no order, too.
    for stored in (b"\xffyear", b"stars"):
        with closing(sqlite3.connect(page_dir / "library.db")) as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('sort', CAST(? AS TEXT))", (stored,))
            db.commit()
        with Library.open(page_dir) as library:
            app = ShelfApp(library)
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                assert app.main.sort is Sort.RELEVANCE
                assert summary(app).startswith("all papers · 236 of 236 papers")
