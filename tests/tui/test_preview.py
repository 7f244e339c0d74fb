"""The preview shows a paper's authors, year, venue, every link and its abstract, and
scrolls (issue 12, point 3). Before, a paper with a URL showed neither its arXiv nor its
DOI page."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Static

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.preview import Preview
from support.tui import settle

PAPER = {
    "title": "Sparse Adapters for Lifelong Translation",
    "authors": ["Ada Lovelace", "Alan Turing"],
    "year": 2021,
    "venue": "Advances in Neural Information Processing Systems",
    "url": "https://proceedings.example.org/sparse-adapters",
    "arxiv_id": "2106.01234",
    "doi": "10.5555/3495724.3496000",
    "abstract": " ".join(f"Sentence {n} of a long abstract about adapters." for n in range(80)),
}


async def test_the_preview_shows_every_fact_and_link_and_scrolls(tmp_path: Path) -> None:
    source = tmp_path / "paper.json"
    source.write_text(json.dumps([PAPER]), encoding="utf-8")
    with Library.open(tmp_path / "library") as library:
        library.import_paths([source])
        app = ShelfApp(library)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            body = str(app.query_one("#preview-body", Static).content)
            preview = app.query_one(Preview)
            await pilot.press("ctrl+f")  # from the list: the abstract scrolls down a page
            await settle(pilot)
            scrolled = preview.scroll_y
    lines = body.splitlines()
    assert lines[1] == "Ada Lovelace, Alan Turing"
    assert lines[2].startswith("2021 · Advances in Neural Information Processing Systems · id ")
    assert lines[3] == PAPER["abstract"]  # under the list at 80x24: the abstract first
    assert lines[-3:] == [
        "https://proceedings.example.org/sparse-adapters",
        "https://arxiv.org/abs/2106.01234",
        "https://doi.org/10.5555/3495724.3496000",
    ]
    assert scrolled > 0
