"""The notes pane beside the preview (issue 12, points 3 and 4).

Seen in tmux before: after editing, only the last line of a note showed; at 80x24
the pane showed one line of notes, and editing them left the preview its title alone.
"""

from __future__ import annotations

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.personal import NotesEditor
from shelf.tui.widgets.preview import Preview
from support.tui import settle

LONG_NOTE = "\n".join(f"line {n}" for n in range(1, 31))


async def test_after_editing_a_long_note_it_reads_from_its_start(page_library: Library) -> None:
    paper = page_library.entries()[0]
    page_library.update(paper.id, notes=LONG_NOTE)
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = app.query_one(NotesEditor)
        await pilot.press("n")
        editor.move_cursor(editor.document.end)
        await pilot.press(*" and the end")  # typing at the end scrolls down to it
        await pilot.pause()
        assert editor.scroll_offset.y > 0
        await pilot.press("escape")
        await settle(pilot)
        assert editor.scroll_offset.y == 0 and editor.max_scroll_y > 0  # it scrolls
    assert page_library.get(paper.id).state.notes == LONG_NOTE + " and the end"


async def test_at_80x24_a_short_note_shows_whole_and_editing_keeps_the_preview(
    page_library: Library,
) -> None:
    paper = page_library.entries()[0]
    page_library.update(paper.id, notes="one\ntwo\nthree")
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = app.query_one(NotesEditor)
        assert editor.region.height == 3  # the whole note, not its first line
        preview = app.query_one(Preview)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.focused, NotesEditor)
        assert preview.scrollable_content_region.height >= 4  # title, id and the abstract
        assert editor.region.height >= 5
        await pilot.press("escape")
        await settle(pilot)
        assert editor.region.height == 3
