"""A missing search index in the app: the list shows at once, a search says it is indexing.

Before, while a search waited for the index to be rebuilt, the summary went on
describing the list of before (or "0 of 20000 papers") with no sign of work.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.summary import Summary
from support.tui import settle, summary


async def test_a_search_that_rebuilds_the_index_shows_its_progress(
    page_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(page_dir / "index")
    said: list[str] = []
    original = Summary.say

    def recording(self: Summary, text: str, error: bool = False) -> None:
        said.append(text)
        original(self, text, error)

    monkeypatch.setattr(Summary, "say", recording)
    with Library.open(page_dir) as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert summary(app).startswith("all papers · 236 of 236 papers")
            assert len(app.main.results.entries) == 200  # listing needed no index
            await pilot.press("slash", *"adapters")
            await settle(pilot)
            progress = [text for text in said if text.startswith("indexing ")]
            assert progress == [
                "indexing 100 of 236 papers for text search…",
                "indexing 200 of 236 papers for text search…",
            ]
            assert summary(app).startswith("all papers · ")  # once done, what is listed
            assert "Adapters" in app.main.results.entries[0].paper.title
