"""Keys where the user is: the list's keys from the search box, the palette whatever has
the focus, and Help first in the footer at 80 columns.

Found by the review of the house refactor: once the cursor keys moved onto the
list, down did nothing from the search box; the palette offered only the keys
of the focused widget (no Star while typing notes); and Help fell off the
footer at 80x24.
"""

from __future__ import annotations

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.personal import NotesEditor
from shelf.tui.widgets.search_box import SearchBox
from support.tui import screen_text, settle


def palette(app: ShelfApp) -> dict[str, str]:
    """The palette's shelf commands: title -> help ("key: …")."""
    return {
        command.title: command.help
        for command in app.get_system_commands(app.screen)
        if command.help.startswith("key: ")
    }


async def test_down_in_the_search_box_moves_the_list_and_j_is_typed(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"forgetting")
        await settle(pilot)
        results = app.main.results
        assert results.cursor == 0
        await pilot.press("down", "down")
        assert results.cursor == 2
        await pilot.press("pagedown")
        assert results.cursor > 2
        await pilot.press("j")
        search = app.main.query_one(SearchBox)
        assert app.focused is search
        assert search.value == "forgettingj"


async def test_a_remapped_list_key_works_from_the_search_box(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_keymap({"cursor_down": "j,down,ctrl+n"})
        await settle(pilot)
        await pilot.press("slash", *"forgetting")
        await settle(pilot)
        await pilot.press("ctrl+n")
        assert app.main.results.cursor == 1
        assert palette(app)["Down"] == "key: j, ↓, ^n"


async def test_the_palette_offers_every_key_while_notes_are_typed(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.focused, NotesEditor)
        commands = palette(app)
        assert commands["Star"] == "key: s"
        assert commands["Down"] == "key: j, ↓"
        assert {"To read", "Undo", "Export", "Help", "Page down"} <= set(commands)
        assert "Quit" not in commands  # quitting stays a key, never a misclicked command


async def test_the_palette_runs_star_while_notes_have_the_focus(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None and not paper.state.starred
        await pilot.press("n")
        star = next(c for c in app.get_system_commands(app.screen) if c.title == "Star")
        await star.callback()
        await settle(pilot)
        assert page_library.get(paper.id).state.starred


async def test_help_is_the_first_key_in_the_footer_at_80_columns(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.lstrip().startswith("? Help")
        assert "/ Search" in footer
