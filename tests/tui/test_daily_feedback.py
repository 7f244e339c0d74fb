"""What the app tells a daily user (issue 12, point 5): where a screenshot went, the way
back from "more like this", and a filter menu.

Seen in tmux before: the palette's Screenshot said only "Failed to save screenshot"
(it wrote to a Downloads folder the machine did not have); after "more like this"
nothing led back to the search; the filter key only cycled.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.tui import settle


async def _screenshot_from_the_palette(app: ShelfApp, pilot: Pilot[None]) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.press(*"Screenshot")
    await settle(pilot)
    await pilot.press("enter")
    for _ in range(100):
        await pilot.pause(0.05)
        said = [n.message for n in app._notifications if "creenshot" in n.message]
        if said:
            return said
    raise AssertionError("the palette's Screenshot said nothing")


async def test_a_screenshot_goes_to_the_configured_folder_and_the_app_says_where(
    page_library: Library, tmp_path: Path
) -> None:
    page_library.settings = replace(page_library.settings, screenshot_dir=tmp_path)
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = await _screenshot_from_the_palette(app, pilot)
    saved = list(tmp_path.glob("*.svg"))
    assert len(saved) == 1 and "AdapterFusion" in saved[0].read_text(encoding="utf-8")
    assert said == [f"Screenshot saved to {saved[0]}"]


async def test_a_screenshot_without_a_configured_folder_goes_to_the_current_one(
    page_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _screenshot_from_the_palette(app, pilot)
    assert len(list(tmp_path.glob("*.svg"))) == 1


async def test_a_screenshot_that_cannot_be_saved_says_why(
    page_library: Library, tmp_path: Path
) -> None:
    missing = tmp_path / "no such folder"
    page_library.settings = replace(page_library.settings, screenshot_dir=missing)
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = await _screenshot_from_the_palette(app, pilot)
    assert said == [f"No screenshot saved: {missing}: No such file or directory"]
