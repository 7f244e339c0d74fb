"""The app as a daily user meets it (issue 12, points 1 and 5): its keys, and what it says.

Seen in tmux before: escape in the search box stayed there (``adapter``, escape,
``j`` gave ``adapterj``); ``/zzq`` typed fast quit the app; help said ctrl+c
copies text while it quits; the abstract could not be scrolled from the list;
nothing said that tab moves between panes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import events
from textual.widgets import Input

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.keymap import checked_keymap
from shelf.tui.screens.help import HelpScreen
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.widgets.paper_list import PaperList
from shelf.tui.widgets.preview import Preview
from support.paths import FIXTURES
from support.tui import screen_text, settle


def type_fast(app: ShelfApp, keys: list[tuple[str, str]]) -> None:
    """Send (key, character) pairs as a terminal delivers fast typing: all of them queued
    before the first is handled (Pilot's ``press`` waits after each)."""
    assert app._driver is not None
    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_escape_in_the_search_box_goes_back_to_the_list_keeping_the_query(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"adapter")
        await settle(pilot)
        await pilot.press("escape", "j")
        await settle(pilot)
        assert app.query_one("#search", Input).value == "adapter"
        assert isinstance(app.focused, PaperList)
        assert app.main.results.cursor == 1


async def test_a_burst_after_slash_is_the_query_never_commands(page_library: Library) -> None:
    first = page_library.entries()[0]
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        type_fast(app, [("slash", "/"), ("z", "z"), ("z", "z"), ("q", "q"), ("t", "t")])
        await settle(pilot)
        assert app.is_running
        assert app.query_one("#search", Input).value == "zzqt"
    assert page_library.get(first.id).state == first.state  # nothing was triaged


async def test_help_says_ctrl_c_quits_and_names_the_pane_keys(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {row[0]: row[1] for row in app.screen._rows}
        shown = screen_text(app)
    assert "Copy selected text" not in shown
    assert rows["^c"].startswith("Quit")
    assert rows["tab"].startswith("Focus the next pane")
    assert rows["shift+tab"] == "Focus the previous pane"
    assert rows["^f"] == "Scroll the abstract down a page"
    assert rows["b, ^b"] == "Scroll the abstract up a page"
    assert rows["space"].startswith("Select or unselect the paper, go to the next")


async def test_at_80_columns_the_footer_shows_help_search_triage_quit_and_panes(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
    wanted = ["? Help", "/ Search", "t To read", "r Reading", "d Read", "x Skip", "q Quit",
              "tab Panes"]  # fmt: skip
    assert [key for key in wanted if key not in footer] == []
    assert "alette" not in footer  # the palette key overlapped the last one: "^pp alette"


async def test_at_120_columns_every_key_the_footer_shows_is_whole(page_library: Library) -> None:
    # Seen in tmux: the palette's key at the right cut the last key to "e Ex".
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
    assert footer.rstrip().endswith("e Export")


async def test_ctrl_f_and_b_scroll_the_abstract_from_the_list(page_library: Library) -> None:
    longest = max(page_library.entries(), key=lambda entry: len(entry.paper.abstract))
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *f'"{longest.paper.title[:40]}"', "enter")
        await settle(pilot)
        assert app.main.results.highlighted == longest
        preview = app.query_one(Preview)
        assert preview.max_scroll_y > 0
        await pilot.press("ctrl+f")
        await settle(pilot)
        scrolled = preview.scroll_y
        assert scrolled > 0
        assert isinstance(app.focused, PaperList)  # the list keeps the focus
        await pilot.press("b")
        await settle(pilot)
        assert preview.scroll_y < scrolled


async def test_a_remapped_key_is_what_the_footer_palette_and_help_show(
    page_library: Library,
) -> None:
    settings = replace(page_library.settings, keymap={"set_read": "D"})
    app = ShelfApp(page_library)
    app.set_keymap(checked_keymap(settings))  # as ``run_app`` does
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        await pilot.press("question_mark")
        await settle(pilot)
        rows = {row[1]: row[0] for row in app.screen._rows}
    assert "D Read" in footer and "d Read" not in footer
    assert commands["Read"] == "key: D"
    assert rows["Mark read (done), go to the next paper"] == "D"


async def test_a_tag_typed_fast_after_a_goes_into_the_tag_prompt(page_library: Library) -> None:
    first = page_library.entries()[0]
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        type_fast(app, [(key, key) for key in "asurvey"])
        await settle(pilot)
        assert isinstance(app.screen, TagPrompt)
        assert app.screen.query_one(Input).value == "survey"
        await pilot.press("enter")
        await settle(pilot)
    after = page_library.get(first.id).state
    assert after.tags == ("survey",)
    assert after.starred == first.state.starred  # "s" was a letter of the tag, not star


async def test_ctrl_c_quits_from_the_list_and_from_the_search_box(page_library: Library) -> None:
    for before in ([], ["slash", "a"]):
        app = ShelfApp(page_library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press(*before, "ctrl+c")
            await settle(pilot)
            assert not app.is_running, before


async def test_a_demo_library_says_at_the_top_that_changes_are_not_kept(
    page_library: Library,
) -> None:
    for demo in (True, False):
        app = ShelfApp(page_library, demo=demo)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            top = screen_text(app).splitlines()[0]
        assert ("demo library: changes are not kept" in top) is demo, top


async def test_undo_says_which_paper_and_what_came_back(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        first = app.main.results.highlighted
        assert first is not None
        await pilot.press("s", "u")
        await settle(pilot)
        notices = [notice.message for notice in app._notifications]
    title = first.paper.title[:30]
    assert any(n.startswith(f"Undone: {title}") and n.endswith(": not starred") for n in notices), (
        notices
    )
    assert not page_library.get(first.id).state.starred


async def test_tags_wrap_onto_as_many_lines_as_they_need(page_library: Library) -> None:
    # At 120x40 a paper with three tags showed "tags: continual-learning," and no more.
    first = page_library.entries()[0]
    tags = ("continual-learning", "reading-group-thursday", "parameter-efficient-tuning")
    page_library.update(first.id, add_tags=tags)
    for size in ((120, 40), (80, 24)):
        app = ShelfApp(page_library)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            assert app.main.results.highlighted is not None
            assert app.main.results.highlighted.id == first.id
            shown = " ".join(screen_text(app).split())
        for tag in tags:
            assert tag in shown, (size, tag)
        assert "inbox · ☆ not starred · tags:" in shown


async def test_the_first_author_column_shows_at_120_columns_as_at_80(library_dir: Path) -> None:
    # At 120x40 the list (beside the preview) was too narrow for it; at 80x24 it showed.
    with Library.open(library_dir) as library:
        library.import_paths([FIXTURES / "d2l.bib"])
        for size in ((120, 40), (80, 24)):
            app = ShelfApp(library)
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                first = app.main.results.highlighted
                assert first is not None and first.paper.authors
                title = first.paper.title[:20]
                row = next(line for line in screen_text(app).splitlines() if title in line)
            surname = first.paper.authors[0].split()[0]
            assert surname[:8] in row, (size, row)
