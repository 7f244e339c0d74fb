"""Helpers shared by the app tests: waiting for the app to settle, and reading what it shows."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static


async def settle(pilot: Pilot[None]) -> None:
    """Let pending messages run, then wait for every worker and the updates they post."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle_related(pilot: Pilot[None]) -> None:
    """``settle``, then wait until the related papers of the highlighted one are shown.

    They are looked up once the cursor has rested (a timer), so a picture taken
    before would show the preview with or without them depending on timing.
    """
    from textual.widgets import OptionList

    await settle(pilot)
    related = pilot.app.query_one("#related", OptionList)
    for _ in range(200):
        if related.option_count:
            break
        await pilot.pause(0.02)
    await settle(pilot)


def summary(app: App[None]) -> str:
    """The plain text of the summary line under the search box."""
    return str(app.query_one("#summary", Static).content)


def screen_text(app: App[None]) -> str:
    """What the terminal shows, one line per row, read back from the SVG screenshot."""
    svg = app.export_screenshot()
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, length, row, raw in _SVG_TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if not cell_len(text):
            continue
        cell = float(length) / cell_len(text)  # Rich sets each run's length in cells
        column = round(float(x) / cell)
        for char in text:
            if 0 <= column < width:
                grid[int(row)][column] = char
            column += cell_len(char)
    return "\n".join("".join(line).rstrip() for line in grid)


# Rich writes each run of same-styled cells (but not runs of blanks) as one <text>
# clipped to its terminal row.
_SVG_TEXT = re.compile(
    r'<text [^>]*x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[\w-]*-line-(\d+)\)">([^<]*)</text>'
)
