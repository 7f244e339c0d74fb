"""What the tmux walk through issue 12 found still wrong on screen, at 80x24 and on a big
library.

Seen in tmux: at 80x24 the preview of a paper with authors and a link showed its
title, authors, year line and link, and not one line of the abstract (the issue's
"or none when authors and venue are present"); the summary said "20000 of 20000
papers" while the indexing line said "20,000" (and the export dialog "This list (20000
papers)"); "more like" cut the title mid-word
with no ellipsis ("…with Efficient  · 50 related"); the filter and sort menus ended
their hint with a bare "escape" (said in full, it was cut: "escape canc").
"""

from __future__ import annotations

import json
from pathlib import Path

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.pick_menu import PickMenu
from shelf.tui.widgets.personal import NotesEditor
from shelf.tui.widgets.preview import Preview
from support.tui import screen_text, settle, summary

PAPER = {
    "title": "Sparse Adapters for Lifelong Translation",
    "authors": ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
    "year": 2021,
    "venue": "Advances in Neural Information Processing Systems",
    "url": "https://proceedings.example.org/sparse-adapters",
    "arxiv_id": "2106.01234",
    "doi": "10.5555/3495724.3496000",
    "abstract": " ".join(f"Sentence {n} of a long abstract about adapters." for n in range(80)),
}


def _one_paper(tmp_path: Path) -> Path:
    source = tmp_path / "paper.json"
    source.write_text(json.dumps([PAPER]), encoding="utf-8")
    return source


def _preview_rows(app: ShelfApp) -> list[str]:
    """The rows of the screen inside the preview, as shown."""
    region = app.query_one(Preview).scrollable_content_region  # no border, no scrollbar
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right].strip() for row in rows]


async def test_at_80x24_the_preview_shows_the_abstract_of_a_paper_with_every_fact(
    tmp_path: Path,
) -> None:
    with Library.open(tmp_path / "library") as library:
        library.import_paths([_one_paper(tmp_path)])
        app = ShelfApp(library)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            shown = _preview_rows(app)
            preview = app.query_one(Preview)
            await pilot.press("tab", "end")  # the links are a scroll away, below the abstract
            await settle(pilot)
            assert preview.scroll_y > 0
            below = _preview_rows(app)
    assert shown[0] == PAPER["title"]
    assert shown[1] == "Ada Lovelace, Alan Turing, Grace Hopper"
    assert shown[2].startswith("2021 · Advances in Neural Information Processing Systems")
    abstract = [row for row in shown if "Sentence" in row]
    assert len(abstract) >= 3, shown
    assert "https://doi.org/10.5555/3495724.3496000" in below


async def test_at_120x40_the_links_come_before_the_abstract(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library") as library:
        library.import_paths([_one_paper(tmp_path)])
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            shown = _preview_rows(app)
    links = shown.index("https://proceedings.example.org/sparse-adapters")
    assert links < next(n for n, row in enumerate(shown) if row.startswith("Sentence 0"))


async def test_counts_over_a_thousand_have_a_separator(tmp_path: Path) -> None:
    source = tmp_path / "many.json"
    source.write_text(json.dumps([{"title": f"Otters {n}"} for n in range(1200)]))
    with Library.open(tmp_path / "library") as library:
        library.import_paths([source])
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            said = summary(app)
            await pilot.press("e")
            await pilot.pause()
            dialog = screen_text(app)
            await pilot.press("escape", "S")
            await settle(pilot)
            stats = screen_text(app)
            await pilot.press("escape", "asterisk")
            await settle(pilot)
            selected = summary(app)
    assert said == "all papers · 1,200 of 1,200 papers · showing the first 200"
    assert "This list (1,200 papers)" in dialog
    assert "1,200 papers" in stats and "inbox    1,200" in stats
    assert selected.startswith("1,200 selected · ")


async def test_more_like_this_ends_a_cut_title_with_an_ellipsis(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *'"UniPT"', "enter")
        await settle(pilot)
        title = app.main.results.entries[0].paper.title
        assert len(title) > 70
        await pilot.press("m")
        await settle(pilot)
        said = summary(app)
    assert said.startswith(f"more like: {title[:69].rstrip()}… · ")
    assert "  " not in said


async def test_the_menus_say_what_escape_does_in_words_that_fit(page_library: Library) -> None:
    hints = {
        "f": ["enter picks · f next · escape cancels"],
        "o": ["enter picks · o next · escape cancels"],
        "y": ["enter, y or the letter copies", "escape cancels"],
    }
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, lines in hints.items():
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, PickMenu)
            shown = screen_text(app)
            assert [line for line in lines if line not in shown] == []  # whole, not cut
            await pilot.press("escape")


async def test_at_80x24_a_note_edited_at_its_end_reads_from_its_start_again(
    page_library: Library,
) -> None:
    # Seen in tmux: after typing four lines and escape, the pane showed lines 2 to 4.
    paper = page_library.entries()[0]
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"a note", "enter", *"second", "enter", *"third", "enter",
                          *"fourth")  # fmt: skip
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        editor = app.query_one(NotesEditor)
        assert editor.scroll_offset.y == 0
        assert "a note" in screen_text(app)
    assert page_library.get(paper.id).state.notes == "a note\nsecond\nthird\nfourth"


async def test_a_summary_too_long_for_80_columns_ends_in_an_ellipsis(page_library: Library) -> None:
    # Seen in tmux: "all papers · sorted by title · 14,503 of 20,000 papers · showing the
    # first" and no more: the line was cut with no sign of it.
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o", "end", "enter")  # for you, said at length
        await settle(pilot)
        assert len(summary(app)) > 76
        row = next(line for line in screen_text(app).splitlines() if "sorted by" in line)
    assert row.endswith("…"), row


async def test_help_at_120x40_gives_what_a_key_does_one_line_where_it_can(
    page_library: Library,
) -> None:
    # Seen in tmux: "does" had the width of the binding ids, so most rows took two or
    # three lines ("Mark read (done), go to the" / "next paper") and help three pages.
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        shown = screen_text(app)
    for does in ("Mark read (done), go to the next paper", "Back to the inbox, go to the next "
                 "paper", "Add a tag (completes from your tags)"):  # fmt: skip
        assert does in shown, does
