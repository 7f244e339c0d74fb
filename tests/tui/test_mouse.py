"""The mouse (issue 12, point 8): a click selects a row and focuses its pane, the wheel
scrolls the list and the preview."""

from __future__ import annotations

from textual import events

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.paper_list import PaperList
from shelf.tui.widgets.personal import NotesEditor
from shelf.tui.widgets.preview import Preview
from support.tui import settle


async def test_a_click_selects_the_row_under_it(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        results = app.main.results
        content = results.content_region.y - results.region.y  # the border above the rows
        await pilot.click(PaperList, offset=(10, content + 4))
        await settle(pilot)
        assert results.cursor == 4
        assert app.main.personal.paper_id == results.entries[4].id  # the panes follow


async def test_a_click_focuses_the_pane_under_it(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click(Preview, offset=(5, 5))
        assert isinstance(app.focused, Preview)
        await pilot.click(NotesEditor)
        assert isinstance(app.focused, NotesEditor)
        await pilot.click(PaperList, offset=(10, 3))
        assert isinstance(app.focused, PaperList)


async def test_the_wheel_scrolls_the_list_and_the_preview(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        results, preview = app.main.results, app.query_one(Preview)
        for widget in (results, preview):
            assert widget.scroll_offset.y == 0
            for _ in range(3):
                await pilot.hover(type(widget), offset=(5, 5))
                widget.post_message(
                    events.MouseScrollDown(widget, 5, 5, 0, 0, 0, False, False, False)
                )
            await settle(pilot)
            assert widget.scroll_offset.y > 0, widget
        assert results.cursor == 0  # the wheel moves the view, not the cursor
