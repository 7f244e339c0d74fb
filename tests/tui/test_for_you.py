"""The for-you order in the app (issue 14, point 4): ``o`` offers it, the list puts the inbox
papers most like the starred and read ones first, and the preview says which one
("like: <title>"), only in that order.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from shelf.domain import Sort, Status
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.sort_menu import SortMenu
from shelf.tui.widgets.preview import Preview
from support.tui import settle, settle_related, summary

LIKED = (
    "Text Is All You Need: Learning Language Representations for Sequential Recommendation",
    "BERT4Rec: Sequential Recommendation with Bidirectional Encoder Representations from "
    "Transformer",
    "Deep Learning for Sequential Recommendation: Algorithms, Influential Factors, and Evaluations",
)
OTHERS = {
    "Pre-train, Align, and Disentangle: Empowering Sequential Recommendation with Large "
    "Language Models",
    "Mamba4Rec: Towards Efficient Sequential Recommendation with Selective State Space Models",
}


def _like_recommendation(library: Library) -> None:
    ids = {entry.paper.title: entry.id for entry in library.entries()}
    library.update_many([ids[LIKED[0]], ids[LIKED[1]]], status=Status.READ)
    library.update(ids[LIKED[2]], starred=True)


async def _pick_for_you(app: ShelfApp, pilot: Pilot[None]) -> None:
    await pilot.press("o")
    assert isinstance(app.screen, SortMenu)
    options = app.screen.query_one(OptionList)
    names = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
    assert names[-1] == "for you"
    await pilot.press(*["down"] * names.index("for you"), "enter")
    await settle(pilot)


def _like_line(app: ShelfApp) -> str | None:
    """What the preview's "like:" line says, or None while it is hidden."""
    preview = app.query_one(Preview)
    if preview.has_class("-no-like"):
        return None
    return str(app.query_one("#preview-like", Static).content)


async def _wait_for_like(pilot: Pilot[None]) -> None:
    await settle_related(pilot)
    for _ in range(200):
        if _like_line(pilot.app) is not None:  # type: ignore[arg-type]
            break
        await pilot.pause(0.02)
    await settle(pilot)


async def test_o_for_you_reorders_the_list_and_the_preview_says_why(
    page_library: Library,
) -> None:
    _like_recommendation(page_library)
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_related(pilot)
        before = [entry.paper.title for entry in app.main.results.entries]
        assert _like_line(app) is None  # by relevance the preview gives no reason
        await _pick_for_you(app, pilot)
        await _wait_for_like(pilot)
        after = [entry.paper.title for entry in app.main.results.entries]
        first = app.main.results.highlighted
        like = _like_line(app)
        said = summary(app)
        assert app.main.sort is Sort.FOR_YOU and page_library.sort_order is Sort.FOR_YOU
    assert set(after[:2]) == OTHERS and set(before[:2]) != OTHERS
    assert first is not None and first.paper.title == after[0]
    assert like is not None and like.removeprefix("like: ") in LIKED
    assert said.startswith("all papers · sorted by for you · ")


async def test_for_you_with_nothing_liked_is_newest_first_and_says_so(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = [entry.id for entry in app.main.results.entries]
        await _pick_for_you(app, pilot)
        await settle_related(pilot)
        after = [entry.id for entry in app.main.results.entries]
        said = summary(app)
        like = _like_line(app)
    assert after == before
    assert said.startswith(
        "all papers · sorted by for you (nothing starred or read yet: newest first) · "
    )
    assert like is None


async def test_the_like_line_shows_a_hostile_title_literally(tmp_path: Path) -> None:
    about = "Sequential recommendation: predict the next item a user picks from their history."
    papers = [
        {"title": "[bold red]Session[/] recommendation \x1b[31mred", "abstract": about},
        {"title": "Next-item recommendation from sequences", "abstract": about},
    ]
    source = tmp_path / "papers.json"
    source.write_text(json.dumps(papers), encoding="utf-8")
    with Library.open(tmp_path / "library") as library:
        library.import_paths([source])
        liked = next(e for e in library.entries() if e.paper.title.startswith("[bold"))
        library.update(liked.id, status=Status.READ)
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await _pick_for_you(app, pilot)
            await _wait_for_like(pilot)
            first = app.main.results.highlighted
            like = _like_line(app)
    assert first is not None and first.paper.title == papers[1]["title"]
    assert like is not None and like.startswith("like: [bold red]Session[/] recommendation ")
    assert "\x1b" not in like
