"""In the app, typing a real title key by key never shows an empty list, and ends on it.

Before (issue 11), typing "Leveraging the Feature Distribution in Transfer-based
Few-Shot Learning" showed 0 papers from "Leveraging the F" on and a syntax error
at "Transfer-b".
"""

from __future__ import annotations

import re

from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.tui import settle, summary

TITLE = "Leveraging the Feature Distribution in Transfer-based Few-Shot Learning"


async def test_typing_a_hyphenated_title_never_empties_the_list(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        seen = []
        for key in TITLE:
            await pilot.press("space" if key == " " else key)
            await settle(pilot)
            line = summary(app)
            match = re.search(r"(\d+) of \d+ papers", line)
            assert match, line  # never a syntax error instead of a count
            seen.append(int(match.group(1)))
        assert min(seen) > 0
        highlighted = app.main.results.highlighted
        assert highlighted is not None and highlighted.paper.title == TITLE
