"""SVG snapshots of the main screens at 120x40 (pytest-textual-snapshot).

Regenerate after an intended change with ``pytest tests/tui/test_snapshots.py
--snapshot-update``, then look at the SVGs in ``tests/tui/__snapshots__/``. Nothing on
these screens depends on the clock or the machine: paper ids come from the titles,
no dates are shown, and the search box is left before the picture so no cursor blinks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.tui import settle, settle_related

SIZE = (120, 40)
SnapCompare = Callable[..., bool]


def test_main_screen_with_a_search(snap_compare: SnapCompare, page_library: Library) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"catastrophic forgetting")
        await settle(pilot)
        await pilot.press("enter", "j", "t")  # back to the list; the second hit to-read
        await settle_related(pilot)

    assert snap_compare(ShelfApp(page_library), terminal_size=SIZE, run_before=search)


def test_help_screen(snap_compare: SnapCompare, page_library: Library) -> None:
    async def open_help(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(ShelfApp(page_library), terminal_size=SIZE, run_before=open_help)


def test_welcome_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def wait(pilot: Pilot[None]) -> None:
        await settle(pilot)

    with Library.open(tmp_path / "empty") as empty:
        assert snap_compare(ShelfApp(empty), terminal_size=SIZE, run_before=wait)
