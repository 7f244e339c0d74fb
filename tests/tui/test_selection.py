"""Bulk triage in the app (issue 13, point 3): select papers with space, V and *, then
triage, star, tag, untag, delete or export them all as one change that one u undoes.

Before: space scrolled the abstract and every key acted on the highlighted paper alone,
so clearing an inbox of 200 papers took 200 keys and 200 undos.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from shelf.domain import Status
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.export import ExportDialog
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.widgets.paper_list import SELECTED_MARK
from shelf.tui.widgets.preview import Preview
from support.tui import screen_text, settle, summary

PAGE_PAPERS = 236


def _ids(app: ShelfApp, rows: range) -> list[str]:
    return [app.main.results.entries[row].id for row in rows]


def _said(app: ShelfApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def _select_first_three(app: ShelfApp, pilot: Pilot[None]) -> list[str]:
    await settle(pilot)
    await pilot.press("space", "space", "space")
    await settle(pilot)
    return _ids(app, range(3))


async def test_space_selects_and_moves_on_and_the_rows_are_marked_and_counted(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        picked = await _select_first_three(app, pilot)
        assert app.main.results.cursor == 3
        assert app.main.selection == picked
        assert summary(app).startswith("3 selected · all papers")
        lines = screen_text(app).splitlines()
        marked = [line for line in lines if line[1:2] == SELECTED_MARK]  # inside the border
        assert len(marked) == 3  # the mark takes the first column: at 80x24 too
        assert all(line.rstrip().endswith("│") for line in marked)  # nothing pushed off
        await pilot.press("k", "space")  # space again on a selected row unselects it
        await settle(pilot)
        assert app.main.selection == picked[:2]
        assert summary(app).startswith("2 selected · ")


async def test_ctrl_f_ctrl_b_and_b_scroll_the_abstract_now_that_space_selects(
    page_library: Library,
) -> None:
    longest = max(page_library.entries(), key=lambda entry: len(entry.paper.abstract))
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *f'"{longest.paper.title[:40]}"', "enter")
        await settle(pilot)
        preview = app.query_one(Preview)
        await pilot.press("ctrl+f")
        await settle(pilot)
        scrolled = preview.scroll_y
        assert scrolled > 0
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert preview.scroll_y < scrolled
        await pilot.press("ctrl+f", "b")
        await settle(pilot)
        assert preview.scroll_y < scrolled
        assert app.main.selection == []


async def test_v_selects_every_row_from_the_anchor_to_the_cursor(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "space")  # row 1 is the anchor; the cursor goes to row 2
        await pilot.press("j", "j", "j", "V")  # the cursor on row 5
        await settle(pilot)
        assert app.main.selection == _ids(app, range(1, 6))
        await pilot.press("k", "k", "k", "k", "k", "V")  # upwards from the anchor: row 0
        await settle(pilot)
        assert app.main.selection == _ids(app, range(6))
        assert summary(app).startswith("6 selected")


async def test_star_selects_every_match_not_only_the_rows_loaded(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(app.main.results.entries) == 200  # the first page of 236
        await pilot.press("asterisk")
        await settle(pilot)
        assert len(app.main.selection) == PAGE_PAPERS
        assert summary(app).startswith(f"{PAGE_PAPERS} selected")
        await pilot.press("slash", *"transfer learning", "enter", "escape")
        await settle(pilot)
        matches = app.main._total
        assert 0 < matches < PAGE_PAPERS
        await pilot.press("escape", "asterisk")  # escape clears; * takes this search's
        await settle(pilot)
        assert len(app.main.selection) == matches
        assert app.main.selection == [entry.id for entry in app.main.results.entries]


async def test_escape_clears_the_selection_then_goes_back_from_more_like_this(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"continual", "enter")
        await settle(pilot)
        searched = [entry.id for entry in app.main.results.entries]
        await pilot.press("j", "j")
        on = app.main.results.highlighted
        await pilot.press("m")
        await settle(pilot)
        assert summary(app).startswith("more like: ")
        await pilot.press("space", "space")
        await settle(pilot)
        assert len(app.main.selection) == 2
        await pilot.press("escape")  # first the selection
        await settle(pilot)
        assert app.main.selection == []
        assert summary(app).startswith("more like: ")
        assert "Selection cleared (2 papers)." in _said(app)
        await pilot.press("escape")  # then back, as before
        await settle(pilot)
        assert [entry.id for entry in app.main.results.entries] == searched
        assert app.main.results.highlighted == on


async def test_a_triage_key_changes_the_selection_as_one_change_that_one_u_undoes(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        picked = await _select_first_three(app, pilot)
        before = {paper_id: page_library.get(paper_id).state for paper_id in picked}
        untouched = _ids(app, range(3, 4))[0]
        await pilot.press("t")
        await settle(pilot)
        assert {page_library.get(i).state.status for i in picked} == {Status.TO_READ}
        assert page_library.get(untouched).state.status is Status.INBOX
        assert "Marked to-read: 3 papers" in _said(app)
        assert app.main.selection == picked  # kept: a tag can follow
        assert all(app.main.results.entries[row].state.status is Status.TO_READ
                   for row in range(3))  # fmt: skip
        await pilot.press("u")
        await settle(pilot)
        assert {i: page_library.get(i).state for i in picked} == before
        assert any(message.endswith("(and 2 more papers)") for message in _said(app))


async def test_star_tag_and_untag_act_on_the_whole_selection(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        picked = await _select_first_three(app, pilot)
        page_library.update(picked[0], starred=True)
        await pilot.press("s")  # not all starred: all are starred
        await settle(pilot)
        assert all(page_library.get(i).state.starred for i in picked)
        assert "Starred: 2 papers (1 already was)" in _said(app)
        await pilot.press("s")  # all starred: all are unstarred
        await settle(pilot)
        assert not any(page_library.get(i).state.starred for i in picked)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TagPrompt)
        await pilot.press(*"bulk", "enter")
        await settle(pilot)
        assert all("bulk" in page_library.get(i).state.tags for i in picked)
        assert "Tagged 'bulk': 3 papers" in _said(app)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, TagPrompt)
        await pilot.press(*"bulk", "enter")
        await settle(pilot)
        assert not any(page_library.get(i).state.tags for i in picked)
        await pilot.press("u")  # one u: the tag is back on all three
        await settle(pilot)
        assert all(page_library.get(i).state.tags == ("bulk",) for i in picked)


async def test_delete_takes_the_selection_away_and_one_u_brings_it_back(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        picked = await _select_first_three(app, pilot)
        following = _ids(app, range(3, 4))[0]
        await pilot.press("number_sign")
        await settle(pilot)
        assert page_library.count() == PAGE_PAPERS - 3
        assert not {entry.id for entry in app.main.results.entries} & set(picked)
        assert app.main.selection == []
        assert app.main.results.highlighted is not None
        assert app.main.results.highlighted.id == following
        assert "Deleted 3 papers; u brings them back." in _said(app)
        await pilot.press("u")
        await settle(pilot)
        assert page_library.count() == PAGE_PAPERS
        assert set(picked) <= {entry.id for entry in app.main.results.entries}


async def test_the_export_dialog_offers_the_selection_first(
    page_library: Library, tmp_path: Path
) -> None:
    skipped = page_library.entries()[1].id
    page_library.update(skipped, status=Status.SKIPPED)  # chosen: a Markdown list keeps it
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        picked = await _select_first_three(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-scope", Select).value == "selected"
        target = tmp_path / "picked.md"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert "Wrote 3 papers to" in _said(app)[-1]
        written = target.read_text(encoding="utf-8")
        for paper_id in picked:
            assert page_library.get(paper_id).paper.title in written
        await pilot.press("e")  # JSON too, in list order
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        dialog.query_one("#export-path", Input).value = str(tmp_path / "picked.json")
        await pilot.press("enter")
        await settle(pilot)
    records = json.loads((tmp_path / "picked.json").read_text(encoding="utf-8"))
    assert [record["id"] for record in records] == picked


async def test_without_a_selection_the_keys_act_on_the_highlighted_paper(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = app.main.results.highlighted
        assert first is not None
        assert app.main.target_ids() == [first.id]
        await pilot.press("d")
        await settle(pilot)
        assert page_library.get(first.id).state.status is Status.READ
        assert app.main.results.cursor == 1  # and on to the next, as before
