"""Saved searches in the app (issue 13, point 2): ``ctrl+s`` saves, ``1``-``9`` run one.

A saved search is the query with the filter menu's choice and the sort menu's;
the library keeps it, so a fresh app on the same directory shows it in the bar
above the list and runs it. ``[searches]`` in the config declares more, numbered
first. Digits typed in a text field stay text.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from shelf.config import parse_settings
from shelf.domain import Sort, StateFilter, Status
from shelf.domain.saved import SavedSearch
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.filter_menu import FilterMenu
from shelf.tui.screens.saved_searches import SearchNamePrompt
from shelf.tui.screens.sort_menu import SortMenu
from support.tui import screen_text, settle, summary

QUERY = "learning"


def _to_read(library: Library, count: int) -> list[str]:
    """Mark ``count`` papers matching ``QUERY`` to-read; their ids."""
    ids = [entry.id for entry in library.search(QUERY, limit=count).entries]
    for paper_id in ids:
        library.update(paper_id, status=Status.TO_READ)
    return ids


async def _menu(app: ShelfApp, pilot: object, key: str, name: str) -> None:
    await pilot.press(key)  # type: ignore[attr-defined]
    assert isinstance(app.screen, FilterMenu | SortMenu)
    options = app.screen.query_one(OptionList)
    names = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
    await pilot.press(*["down"] * names.index(name), "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


def _bar(app: ShelfApp) -> str:
    bar = app.query_one("#saved-searches", Static)
    return str(bar.content) if bar.display else ""


def _notices(app: ShelfApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_ctrl_s_saves_query_filter_and_sort_and_a_new_app_runs_it_with_1(
    page_dir: Path,
) -> None:
    with Library.open(page_dir) as library:
        marked = _to_read(library, 12)
        to_read = StateFilter(statuses=frozenset({Status.TO_READ}))
        expected = library.search_as_you_type(QUERY, state=to_read, sort=Sort.TITLE).entries
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert _bar(app) == ""  # none saved: no bar
            await pilot.press("slash", *QUERY, "enter")
            await _menu(app, pilot, "f", "to-read")
            await _menu(app, pilot, "o", "title")
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, SearchNamePrompt)
            await pilot.press(*"reading-group", "enter")
            await settle(pilot)
            assert _bar(app) == "1 reading-group"
            assert any("Saved search 1 reading-group: 'learning'" in n for n in _notices(app))
    assert [entry.id for entry in expected] and {e.id for e in expected} <= set(marked)

    with Library.open(page_dir) as library:
        assert library.saved_searches() == [
            SavedSearch("reading-group", QUERY, "to-read", Sort.TITLE)
        ]
        library.sort_order = Sort.RELEVANCE  # the saved order must come from the search
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert _bar(app) == "1 reading-group"
            assert app.main.sort is Sort.RELEVANCE and app.main.list_filter is None
            await pilot.press("1")
            await settle(pilot)
            assert app.query_one("#search", Input).value == QUERY
            assert app.main.list_filter is Status.TO_READ and app.main.sort is Sort.TITLE
            assert [entry.id for entry in app.main.results.entries] == [e.id for e in expected]
            assert summary(app).startswith("filter: to-read · sorted by title · ")
            assert app.focused is app.main.results


async def test_saving_under_a_name_taken_replaces_that_search_in_its_place(
    page_library: Library,
) -> None:
    page_library.save_search(SavedSearch("first", "adapter"))
    page_library.save_search(SavedSearch("inbox-ml", "transfer", "inbox"))
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"prompt tuning", "enter")
        await pilot.press("ctrl+s", *"Inbox-ML", "enter")
        await settle(pilot)
        assert _bar(app) == "1 first  2 Inbox-ML"
        said = [n for n in _notices(app) if n.startswith("Saved search 2 Inbox-ML")]
        assert said == [
            "Saved search 2 Inbox-ML: 'prompt tuning' (it replaces 'transfer' · filter: inbox)"
        ]
    assert page_library.saved_searches()[1] == SavedSearch("Inbox-ML", "prompt tuning")


async def test_the_configs_searches_come_first_and_win_their_name(page_dir: Path) -> None:
    settings = parse_settings('[searches]\nadapters = "adapter"\n"my [b]tag[/b]" = "tag:x"\n')
    with Library.open(page_dir) as library:  # saved in the app before the config had it
        library.save_search(SavedSearch("ADAPTERS", "zzz"))
        library.save_search(SavedSearch("prompts", "prompt", sort=Sort.YEAR))
    with Library.open(page_dir, settings) as library:
        expected = library.search_as_you_type("adapter").entries
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            # Names are drawn as written: the config's markup-like name too.
            assert _bar(app) == "1 adapters  2 my [b]tag[/b]  3 prompts"
            await pilot.press("1")
            await settle(pilot)
            assert app.query_one("#search", Input).value == "adapter"
            assert [entry.id for entry in app.main.results.entries] == [e.id for e in expected]
            await pilot.press("3")
            await settle(pilot)
            assert app.main.sort is Sort.YEAR
            assert app.query_one("#search", Input).value == "prompt"
            # The config's name cannot be saved over from the app.
            await pilot.press("ctrl+s", *"adapters", "enter")
            await settle(pilot)
            assert any("declared in [searches] of the config file" in n for n in _notices(app))
            await pilot.press("9")  # no ninth: says so
            assert any(n.startswith("No saved search 9") for n in _notices(app))
        assert [s.name for s in library.saved_searches()] == [
            "adapters",
            "my [b]tag[/b]",
            "prompts",
        ]


async def test_the_bar_fits_80_columns_with_an_ellipsis(page_library: Library) -> None:
    for number in range(1, 12):
        page_library.save_search(SavedSearch(f"search-number-{number}", "adapter"))
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        bar = next(line for line in lines if "1 search-number-1" in line)
        assert bar.strip().startswith("1 search-number-1  2 search-number-2  3 search-number-3")
        assert bar.endswith("…") and len(bar) <= 80
        assert any("Search" in line for line in lines[:3])  # the search box still shows
        assert app.main.results.entries  # and the list under the bar


async def test_digits_typed_in_the_search_box_are_text(page_library: Library) -> None:
    page_library.save_search(SavedSearch("one", "adapter"))
    page_library.save_search(SavedSearch("two", "transfer"))
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"year:2021")
        await settle(pilot)
        assert app.query_one("#search", Input).value == "year:2021"
        assert app.main.list_filter is None
        await pilot.press("enter", "2")  # back on the list, 2 runs the second
        await settle(pilot)
        assert app.query_one("#search", Input).value == "transfer"
        # Typed at once after / (the app hands keys typed ahead to the field): text.
        await pilot.press("slash", "1", "2")
        await settle(pilot)
        assert app.query_one("#search", Input).value == "12"  # / selects the query: replaced


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        (b"\xff[not json", []),
        (b'[{"name": "good", "query": "adapter", "filter": "nope", "sort": "stars"}, 7,'
         b' {"name": "\\u001b[31m", "query": "x"}, {"name": "bad", "query": "status:zz"}]',
         [SavedSearch("good", "adapter")]),
    ],
)  # fmt: skip
async def test_stored_searches_that_do_not_read_are_left_out(
    page_dir: Path, stored: bytes, read: list[SavedSearch]
) -> None:
    # A hand-edited database: bytes that are not UTF-8, or a list with bad items (what
    # reads is kept, an unknown filter or order falling back to all and relevance).
    with closing(sqlite3.connect(page_dir / "library.db")) as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('searches', CAST(? AS TEXT))", (stored,))
        db.commit()
    with Library.open(page_dir) as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert summary(app).startswith("all papers · 236 of 236 papers")
            assert app.main.saved_searches == read
            assert _bar(app) == ("1 good" if read else "")
            await pilot.press("ctrl+s", *"fresh", "enter")  # writes a sound list
            await settle(pilot)
        assert library.saved_searches() == [*read, SavedSearch("fresh", "")]


async def test_what_is_saved_is_shown_literally_and_a_bad_name_is_refused(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[b]adapter[/b]", "enter", "ctrl+s")
        assert isinstance(app.screen, SearchNamePrompt)
        title = app.screen.query_one(".dialog-title", Static)
        assert str(title.content) == "Save this search ('[b]adapter[/b]') as:"
        await pilot.press(*"[red]x" * 8, "enter")  # 48 characters: too long for a name
        await settle(pilot)
        assert any("a name is at most 40 characters" in n for n in _notices(app))
        assert _bar(app) == ""
        await pilot.press("ctrl+s", *"[red]x", "enter")
        await settle(pilot)
        assert _bar(app) == "1 [red]x"
        assert "Saved search 1 [red]x: '[b]adapter[/b]'" in _notices(app)
    assert page_library.saved_searches() == [SavedSearch("[red]x", "[b]adapter[/b]")]


async def test_digits_typed_in_the_notes_are_text(page_library: Library) -> None:
    page_library.save_search(SavedSearch("one", "adapter"))
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("n", *"read 1 and 2", "escape")
        await settle(pilot)
        assert app.query_one("#search", Input).value == ""  # no saved search ran
    assert page_library.get(paper.id).state.notes == "read 1 and 2"
