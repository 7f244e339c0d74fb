"""Pilot tests of the app's other faces: welcome, command palette, help, keymap,
hostile imported text, and a small terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from shelf.config import Settings, parse_settings
from shelf.domain import ConfigError, Status
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.keymap import checked_keymap
from shelf.tui.screens.help import HelpScreen
from shelf.tui.screens.welcome import WelcomeScreen
from support.papers import import_text
from support.paths import PAGE_PAPERS
from support.tui import screen_text, settle, summary

SIZE = (120, 40)


@pytest.fixture
def empty_library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "empty") as opened:
        yield opened


def palette_prompts(app: ShelfApp) -> list[str]:
    """The palette's options, best first (each prompt's first line)."""
    options = app.screen.query_one(CommandList)
    prompts = (options.get_option_at_index(i).prompt for i in range(options.option_count))
    return [str(prompt).splitlines()[0] for prompt in prompts]


async def test_welcome_on_an_empty_library_loads_the_demo(empty_library: Library) -> None:
    app = ShelfApp(empty_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert "shelf import" in screen_text(app)
        await pilot.press("D")
        await settle(pilot)
        await settle(pilot)  # the import worker starts the search worker
        assert not isinstance(app.screen, WelcomeScreen)
        assert empty_library.count() == PAGE_PAPERS
        assert "236 of 236 papers" in summary(app)
        assert "236 of 236 papers" in summary(app)


async def test_welcome_escape_starts_with_an_empty_list(empty_library: Library) -> None:
    app = ShelfApp(empty_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, WelcomeScreen)
        assert app.main.results.entries == []
        assert "0 of 0 papers" in summary(app)
        await pilot.press("t", "s")  # nothing highlighted: nothing happens, no crash
        assert empty_library.count() == 0


async def test_palette_runs_an_action(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Star")
        await settle(pilot)
        assert palette_prompts(app)[0] == "Star"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert page_library.get(paper.id).state.starred

        await pilot.press("ctrl+p", *"To read")
        await settle(pilot)
        assert palette_prompts(app)[0] == "To read"
        await pilot.press("enter")
        await settle(pilot)
        assert page_library.get(paper.id).state.status is Status.TO_READ


async def test_palette_jumps_to_a_paper_by_title(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.results.cursor == 0
        await pilot.press("ctrl+p", *"lifelong robot")
        await settle(pilot)
        prompts = palette_prompts(app)
        assert prompts[0].startswith("Jump to: LIBERO: Benchmarking Knowledge Transfer")
        await pilot.press("enter")
        await settle(pilot)
        highlighted = app.main.results.highlighted
        assert highlighted is not None
        assert highlighted.paper.title.startswith("LIBERO:")
        assert app.main.results.cursor > 0
        assert "LIBERO" in screen_text(app)


async def test_help_lists_the_active_bindings_by_id(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for binding_id in ("set_read", "toggle_star", "edit_notes"):
            assert binding_id in shown
        app.screen.query_one("#help-box").scroll_end(animate=False)
        await pilot.pause()
        assert "fetch_feeds" in screen_text(app).split()  # the last of its own keys
        await pilot.press("t")  # the help screen takes keys; the list does not move
        assert app.main.results.cursor == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        assert page_library.get(app.main.results.entries[0].id).state.status is Status.INBOX


async def test_hostile_titles_render_as_characters(empty_library: Library) -> None:
    title = "[bold red]x[/] \x1b[2J evil"
    abstract = "A [link=https://example.com]click[/link] and \x1b[31mred\x1b[0m. " + "word " * 40
    report = import_text(empty_library, f"{title}\n{abstract}\n", "hostile.txt", fmt="hf-text")
    assert report.added == 1

    app = ShelfApp(empty_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.results.highlighted is not None
        assert app.main.results.highlighted.paper.title == title
        svg = app.export_screenshot()
        assert "\x1b" not in svg
        shown = screen_text(app)
        assert shown.count("[bold red]x[/] \\x1b[2J evil") == 2  # the list and the preview
        assert "[link=https://example.com]click[/link]" in shown
        assert "\\x1b[31mred\\x1b[0m" in shown


def test_keymap_refuses_an_unknown_binding_id(page_library: Library) -> None:
    settings = parse_settings('[keymap]\nset_read = "D"\nset_raed = "R"\n', "config.toml")
    with pytest.raises(ConfigError) as raised:
        checked_keymap(settings)
    message = str(raised.value)
    assert "keymap.set_raed" in message
    assert "config.toml" in message
    good = Settings(keymap={"set_read": "D", "toggle_star": "S"})
    assert checked_keymap(good) == {"set_read": "D", "toggle_star": "S"}


async def test_a_remapped_key_runs_its_action(page_library: Library) -> None:
    app = ShelfApp(page_library)
    app.set_keymap({"set_read": "D"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.main.results.entries[0].id
        await pilot.press("d")  # no longer bound
        assert page_library.get(first).state.status is Status.INBOX
        assert app.main.results.cursor == 0
        await pilot.press("D")
        assert page_library.get(first).state.status is Status.READ
        assert app.main.results.cursor == 1


async def test_the_app_works_at_80x24(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.query_one("#results").region
        preview = app.query_one("#preview").region
        personal = app.query_one("#personal").region
        for region in (results, preview, personal):
            assert region.width >= 70
            assert region.height > 2  # more than its border
            assert app.screen.region.contains_region(region)
        assert results.bottom <= preview.y  # stacked: the list above the preview
        first = app.main.results.entries[0]
        shown = screen_text(app)
        assert first.paper.title[:40] in shown
        assert "236 of 236 papers" in shown
        await pilot.press("x")
        assert page_library.get(first.id).state.status is Status.SKIPPED
