"""Pilot tests of the main screen: searching, triage, undo, tags, notes, filter and export.

Each test drives the real ``ShelfApp`` on its own copy of a library imported from
the real page copy, and checks both what the widgets show and what the store holds.
pytest-asyncio is not a dependency: each ``async def`` test runs in a fresh event loop
(the ``pytest_pyfunc_call`` hook in ``tests/conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from shelf.domain import Status
from shelf.formats.markdown import escape
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.export import ExportDialog
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.widgets.paper_list import PaperList
from shelf.tui.widgets.personal import NotesEditor
from support.paths import PAGE_PAPERS
from support.tui import screen_text, settle, summary

SIZE = (120, 40)


async def test_startup_lists_every_paper_inbox_first(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        limit = app.library.settings.search_limit
        assert len(app.main.results.entries) == limit < PAGE_PAPERS
        assert "236 of 236 papers · showing the first 200" in summary(app)
        first = app.main.results.highlighted
        assert first is not None
        assert first.paper.title.startswith("AdapterFusion:")
        assert app.main.results.entries[0].id == page_library.entries()[0].id
        assert isinstance(app.focused, PaperList)
        # Moving onto the last row loaded fetches the rest, keeping the cursor in place
        # (G goes on to the last of them all: test_whole_list.py).
        app.main.results.move_to(limit - 1)
        await settle(pilot)
        last_of_first_page = page_library.entries()[limit - 1].id
        assert len(app.main.results.entries) == PAGE_PAPERS
        assert app.main.results.highlighted is not None
        assert app.main.results.highlighted.id == last_of_first_page
        assert "showing the first" not in summary(app)


async def test_search_as_you_type_narrows_and_highlights(page_library: Library) -> None:
    query = "catastrophic forgetting"

    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *query)
        await settle(pilot)
        assert app.query_one("#search", Input).value == query
        listed = app.main.results.entries
        assert 0 < len(listed) < PAGE_PAPERS
        assert f"{len(listed)} of {PAGE_PAPERS} papers" in summary(app)
        for entry in listed:
            assert "forget" in f"{entry.paper.title} {entry.paper.abstract}".lower()

        highlighted = app.main.results.highlighted
        assert highlighted is not None
        spans = page_library.highlight(highlighted.paper.abstract, query)
        assert spans
        body = app.query_one("#preview-body", Static).content
        abstract_at = str(body).index(highlighted.paper.abstract)
        marked = [
            str(body)[span.start : span.end].lower()
            for span in body.spans
            if "reverse" in str(span.style)
        ]
        assert len(marked) == len(spans)
        assert any(word.startswith("forget") for word in marked)
        for start, end in spans:
            assert any(
                span.start == abstract_at + start and span.end == abstract_at + end
                for span in body.spans
            )

        await pilot.press("enter")
        assert isinstance(app.focused, PaperList)


async def test_bad_query_syntax_is_an_inline_message(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"year:abc")
        await settle(pilot)
        line = app.query_one("#summary", Static)
        assert line.has_class("-error")
        assert "abc" in summary(app)
        assert app.main.results.entries  # the last list that could be shown stays
        # Fixing the query clears the message.
        await pilot.press("backspace", "backspace", "backspace", *"2023")
        await settle(pilot)
        assert not line.has_class("-error")
        assert app.return_code is None  # still running


async def test_each_triage_key_saves_the_status_and_moves_on(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ids = [entry.id for entry in app.main.results.entries[:5]]
        expected = {"t": Status.TO_READ, "r": Status.READING, "d": Status.READ}
        expected |= {"x": Status.SKIPPED}
        for row, (key, status) in enumerate(expected.items()):
            assert app.main.results.cursor == row
            await pilot.press(key)
            assert page_library.get(ids[row]).state.status is status
            assert app.main.results.entries[row].state.status is status
            assert app.main.results.cursor == row + 1
            assert app.main.results.highlighted is not None
            assert app.main.results.highlighted.id == ids[row + 1]
        # `i` puts a triaged paper back in the inbox, and moves on too.
        await pilot.press("k", "k")
        assert app.main.results.cursor == 2
        await pilot.press("i")
        assert page_library.get(ids[2]).state.status is Status.INBOX
        assert app.main.results.cursor == 3
        assert page_library.get(ids[3]).state.status is Status.SKIPPED  # the others are kept


async def test_star_and_undo_step_back_through_history(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = (entry.id for entry in app.main.results.entries[:2])
        await pilot.press("s")
        assert page_library.get(first).state.starred
        await pilot.press("s")
        assert not page_library.get(first).state.starred
        await pilot.press("s", "t", "d")  # star first, first to-read, second read
        assert page_library.get(second).state.status is Status.READ

        await pilot.press("u")
        assert page_library.get(second).state.status is Status.INBOX
        assert page_library.get(first).state.status is Status.TO_READ
        assert app.main.results.highlighted is not None
        assert app.main.results.highlighted.id == second  # undo shows what it changed
        await pilot.press("u")
        assert page_library.get(first).state.status is Status.INBOX
        assert page_library.get(first).state.starred
        await pilot.press("u")
        assert not page_library.get(first).state.starred
        assert app.main.results.highlighted.id == first
        await pilot.press("u")  # undoes the first unstar
        assert page_library.get(first).state.starred


async def test_tags_are_added_and_removed_through_the_prompt(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("a")
        assert isinstance(app.screen, TagPrompt)
        await pilot.press(*"nlp", "enter")
        assert not isinstance(app.screen, TagPrompt)
        assert page_library.get(paper.id).state.tags == ("nlp",)
        assert "nlp" in str(app.query_one("#state-line", Static).content)

        await pilot.press("A")
        assert isinstance(app.screen, TagPrompt)
        await pilot.press(*"nlp", "enter")
        assert page_library.get(paper.id).state.tags == ()
        await pilot.press("u")
        assert page_library.get(paper.id).state.tags == ("nlp",)


async def test_notes_are_saved_on_escape(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("n")
        assert isinstance(app.focused, NotesEditor)
        await pilot.press(*"read section 3")
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)
        assert page_library.get(paper.id).state.notes == "read section 3"
        # The saved notes are searchable.
        await pilot.press("slash", *"section")
        await settle(pilot)
        assert paper.id in [entry.id for entry in app.main.results.entries]


@pytest.mark.parametrize("how", ["exit", "ctrl+q", "ctrl+c"])
async def test_quitting_while_typing_notes_keeps_them(page_library: Library, how: str) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("n", *"unsaved thoughts")
        assert isinstance(app.focused, NotesEditor)
        if how == "exit":
            app.exit()
        else:
            await pilot.press(how)
        await pilot.pause()
    assert app.return_code == 0
    assert page_library.get(paper.id).state.notes == "unsaved thoughts"


async def test_f_f_cycles_through_the_filters(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chosen = [entry.id for entry in app.main.results.entries[:3]]
        await pilot.press("t", "t", "t", "d")
        await pilot.press("f", "f")  # the menu, and in it the filter after the current
        await settle(pilot)
        assert app.main.list_filter is Status.INBOX
        assert f"filter: inbox · {PAGE_PAPERS - 4} of 236 papers" in summary(app)
        assert all(e.state.status is Status.INBOX for e in app.main.results.entries)
        await pilot.press("f", "f")
        await settle(pilot)
        assert app.main.list_filter is Status.TO_READ
        assert [entry.id for entry in app.main.results.entries] == chosen
        assert "filter: to-read · 3 of 236 papers" in summary(app)
        for _ in range(5):  # reading, read, skipped, starred, then all again
            await pilot.press("f", "f")
            await settle(pilot)
        assert app.main.list_filter is None
        assert "all papers · 236 of 236 papers" in summary(app)


async def test_export_dialog_writes_a_markdown_reading_list(
    page_library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "to-read.md"

    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        first, _, third = app.main.results.entries[:3]
        await pilot.press("t", "j", "t")
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        # From the path field back to the choice of papers (the detail field is off until
        # a tag or query is chosen): "Only to-read", the fourth.
        await pilot.press("shift+tab", "enter", "down", "down", "down", "enter")
        await pilot.pause()
        assert app.screen.query_one("#export-scope", Select).value == "to-read"
        path = app.screen.query_one("#export-path", Input)
        path.value = str(target)
        path.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        text = target.read_text(encoding="utf-8")
        assert "## To read (2)" in text
        assert f"**{escape(first.paper.title)}**" in text
        assert f"**{escape(third.paper.title)}**" in text
        assert text.count("- [ ]") == 2
        assert "Wrote 2 papers to" in screen_text(app)


async def test_export_dialog_leaves_skipped_papers_out_of_a_markdown_list(
    page_library: Library, tmp_path: Path
) -> None:
    # As ``shelf export`` does: a shared reading list holds no skipped papers, and says so.
    target = tmp_path / "list.md"
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        skipped = app.main.results.highlighted
        assert skipped is not None
        await pilot.press("x", "slash", *"learning", "enter")
        await settle(pilot)
        listed = app.main._total  # every match, not only the rows loaded
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path", Input).value = str(target)
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
    text = target.read_text(encoding="utf-8")
    assert "## Skipped" not in text
    assert f"**{escape(skipped.paper.title)}**" not in text
    assert text.count("- [") == listed - 1
    assert f"{listed - 1} papers (matching 'learning'; 1 skipped left out), exported" in text


async def test_export_dialog_writes_a_toml_backup_with_the_right_extension(
    page_library: Library, tmp_path: Path
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#export-path", Input)
        path.value = str(tmp_path / "backup.md")
        dialog.query_one("#export-format", Select).value = "toml"
        await pilot.pause()
        assert path.value == str(tmp_path / "backup.toml")
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        text = (tmp_path / "backup.toml").read_text(encoding="utf-8")
        assert text.count("[[paper]]") == PAGE_PAPERS  # every match, not the 200 rows loaded
        assert text.count("starred = true") == 1
