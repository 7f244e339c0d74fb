"""In the app, a typed typo lists the corrected query's papers and the summary says so.

Before, it listed nothing and showed a did-you-mean in the app's internal
syntax: "did you mean: (catastrophic OR catastrophc*)".
"""

from __future__ import annotations

from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.tui import settle, summary


async def test_a_typo_lists_the_corrected_papers(page_library: Library) -> None:
    expected = [e.id for e in page_library.search("catastrophic").entries]
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"catastrphic")
        await settle(pilot)
        assert [e.id for e in app.main.results.entries] == expected != []
        line = summary(app)
        assert "showing results for catastrophic (nothing matches catastrphic)" in line
        assert "*" not in line and " OR " not in line
