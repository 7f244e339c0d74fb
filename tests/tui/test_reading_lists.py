"""Reading lists in the app (issue 13, points 1 and 5), driven by Pilot on a real library:
``l`` adds the paper or the selection, ``L`` opens a list in its order, ``J``/``K``
move a paper in it, ``e`` exports it, ``M`` merges two selected papers."""

from __future__ import annotations

from pathlib import Path

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.export import ExportDialog
from shelf.tui.screens.list_actions import ListPrompt
from support.tui import screen_text, settle, summary

SIZE = (120, 40)


def _said(app: ShelfApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def test_l_adds_the_paper_to_a_new_list_and_u_takes_it_back(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ListPrompt)
        await pilot.press(*"Reading group", "enter")
        await settle(pilot)
        assert page_library.list_entries("reading group")[0].id == paper.id
        assert "Added 1 paper to 'Reading group'; 1 in it now." in _said(app)
        await pilot.press("u")
        await settle(pilot)
        assert page_library.reading_lists() == []
        assert "reading list 'Reading group': gone" in _said(app)


async def test_l_adds_the_selection_in_list_order_to_a_list_picked_with_completion(
    page_library: Library,
) -> None:
    page_library.create_list("Reading group")
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = [entry.id for entry in app.main.results.entries[:3]]
        await pilot.press("j", "space", "k", "k", "space")  # the second row, then the first
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"read", "right", "enter")  # right takes the completion
        await settle(pilot)
        assert [e.id for e in page_library.list_entries("Reading group")] == rows[:2]
        await pilot.press("escape", "l")  # nothing selected: the highlighted paper
        await settle(pilot)
        await pilot.press(*"Reading group", "enter")
        await settle(pilot)
        assert "Added 0 papers to 'Reading group' (1 already in it)" in _said(app)


async def test_L_opens_a_list_in_its_order_and_J_K_move_a_paper_in_it(
    page_library: Library,
) -> None:
    ids = [entry.id for entry in page_library.entries(limit=40)]
    chosen = [ids[30], ids[5], ids[12]]
    page_library.create_list("Thursday", "the reading group")
    page_library.add_to_list("Thursday", chosen)
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, ListPrompt)
        await pilot.press(*"thursday", "enter")
        await settle(pilot)
        assert [entry.id for entry in app.main.results.entries] == chosen
        assert "list: Thursday · 3 papers · the reading group" in summary(app)
        await pilot.press("J")  # the first paper one place down
        await settle(pilot)
        assert [e.id for e in page_library.list_entries("Thursday")] == [ids[5], ids[30], ids[12]]
        assert app.main.results.highlighted.id == ids[30]  # the cursor follows it
        await pilot.press("J", "J")  # past the end: nothing moves
        await settle(pilot)
        assert [e.id for e in page_library.list_entries("Thursday")] == [ids[5], ids[12], ids[30]]
        await pilot.press("K", "K", "K")
        await settle(pilot)
        assert [e.id for e in page_library.list_entries("Thursday")] == [ids[30], ids[5], ids[12]]
        await pilot.press("u")  # one move, one undo; the open list shows it
        await settle(pilot)
        assert [entry.id for entry in app.main.results.entries] == [ids[5], ids[30], ids[12]]
        assert app.main.results.highlighted.id == ids[30]
        await pilot.press("d")  # triage in a list keeps the list open
        await settle(pilot)
        assert [entry.id for entry in app.main.results.entries] == [ids[5], ids[30], ids[12]]
        assert page_library.get(ids[30]).state.status.value == "read"
        await pilot.press("escape")  # back to the search results
        await settle(pilot)
        assert len(app.main.results.entries) > 3 and "list:" not in summary(app)
        assert "showing the first 200" in summary(app)  # the end of a list is no next page
        await pilot.press("J")  # no list open: J does nothing
        await settle(pilot)
        assert [e.id for e in page_library.list_entries("Thursday")] == [ids[5], ids[30], ids[12]]


async def test_L_with_no_lists_says_how_to_make_one(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert not isinstance(app.screen, ListPrompt)
        assert "No reading lists yet: l adds the paper to a new one." in _said(app)


async def test_e_in_an_open_list_exports_the_list_in_its_order(
    page_library: Library, tmp_path: Path
) -> None:
    ids = [entry.id for entry in page_library.entries(limit=10)]
    page_library.create_list("Thursday", "the reading group")
    page_library.add_to_list("Thursday", [ids[7], ids[2]])
    page_library.update(ids[7], status=None)
    app = ShelfApp(page_library)
    target = tmp_path / "thursday.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.show_list("Thursday")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert "This list (2 papers)" in screen_text(app)
        dialog.query_one("#export-path").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
    lines = target.read_text("utf-8").splitlines()
    assert lines[:3] == ["# Thursday", "", "the reading group"]
    items = [line for line in lines if line.startswith("- [")]
    first, second = (page_library.get(i).paper.title for i in (ids[7], ids[2]))
    assert len(items) == 2 and first[:20] in items[0] and second[:20] in items[1]


async def test_M_merges_two_selected_papers_and_u_brings_both_back(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = app.main.results.entries[:2]
        page_library.update(second.id, add_tags=["from-the-copy"])
        await pilot.press("M")  # nothing selected: says what to do
        await settle(pilot)
        assert "Select the two copies of a paper (space) to merge them." in _said(app)
        await pilot.press("space", "space", "M")
        await settle(pilot)
        assert page_library.count() == 235
        assert "from-the-copy" in page_library.get(first.id).state.tags
        assert f"Merged {second.id} into {first.id}" in _said(app)
        assert second.id not in [entry.id for entry in app.main.results.entries]
        await pilot.press("u")
        await settle(pilot)
        assert page_library.count() == 236
        assert page_library.get(first.id).state.tags == ()


async def test_G_in_an_open_list_goes_to_its_last_paper_and_m_leaves_the_list(
    page_library: Library,
) -> None:
    # G reloaded the search's matches; J after m moved a list paper to a place taken
    # from the related papers.
    ids = [entry.id for entry in page_library.entries(limit=6)]
    page_library.create_list("six")
    page_library.add_to_list("six", ids)
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.show_list("six")
        await settle(pilot)
        await pilot.press("j", "G")
        await settle(pilot)
        assert [entry.id for entry in app.main.results.entries] == ids
        assert app.main.results.highlighted.id == ids[-1]
        await pilot.press("m")
        await settle(pilot)
        assert "more like:" in summary(app)
        await pilot.press("j", "J", "K")
        await settle(pilot)
        assert [e.id for e in page_library.list_entries("six")] == ids
        assert "more like:" in summary(app)
