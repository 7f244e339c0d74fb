"""What the hostile pass of 2026-12-01 found in the app, each pinned by a test.

Each test drives the real app (Pilot, or the installed command on a
pseudo-terminal for signals) and fails without its fix; the finding's number
is in its first comment.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.export import ExportDialog
from shelf.tui.widgets.personal import CHANGED_ELSEWHERE, NotesEditor
from support.commands import Terminal, in_terminal, run
from support.tui import settle

SIZE = (120, 40)


def _fill(library: Library) -> None:
    """No room for one more page of the database (a full disk, as SQLite meets it)."""
    db = library._store._db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


#: Notes too long to fit in the pages the database has free.
LONG = "precious words " * 5000


def _free(library: Library) -> None:
    library._store._db.execute("PRAGMA max_page_count = 1073741823")


async def _until(condition: Callable[[], bool], tries: int = 300) -> None:
    """Let the app run (its timers too) until ``condition`` holds: up to 30 s, for a CI
    machine busy with the other tests (10 s was once too short there)."""
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the app never got there")


async def test_notes_that_cannot_be_saved_stay_when_the_cursor_moves_on(
    page_library: Library,
) -> None:
    # Finding 1: typed while the disk was full, then left: the text was gone for good.
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.main.results.highlighted
        assert first is not None
        _fill(page_library)
        await pilot.press("n")
        app.main.personal.editor.insert(LONG)
        await pilot.press(*" and more")
        app.main.results.focus()  # leave the editor another way than escape
        await pilot.press("j")  # and move to another paper
        await settle(pilot)
        assert app.main.personal.paper_id == first.id  # the pane keeps them, on their paper
        assert app.main.personal.editor.text == LONG + " and more"
        assert app.main.personal.has_class("-unsaved")
        _free(page_library)
        saved = LONG + " and more"
        await _until(lambda: page_library.get(first.id).state.notes == saved)
        await pilot.press("j")
        await settle(pilot)
        assert app.main.personal.paper_id != first.id  # saved: the pane follows again


async def test_a_note_changed_elsewhere_while_typing_keeps_both(page_library: Library) -> None:
    # Finding 2: the draft autosave overwrote a note another process had just saved.
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("n", *"mine first")
        await _until(lambda: page_library.get(paper.id).state.notes == "mine first")
        run("set", paper.id, "--note", "theirs, from the command line",
            library=page_library.directory).ok()  # fmt: skip
        await pilot.press(*", and more of mine")
        expected = (
            f"mine first, and more of mine\n\n{CHANGED_ELSEWHERE}\ntheirs, from the command line"
        )
        try:
            await _until(lambda: page_library.get(paper.id).state.notes == expected)
        except AssertionError:
            personal = app.main.personal
            raise AssertionError(
                repr(
                    (
                        page_library.get(paper.id).state.notes,
                        app.focused,
                        personal.paper_id,
                        personal.editor.text,
                        personal.stored,
                        [n.message for n in app._notifications],
                        app._exception,
                    )
                )
            ) from None
        assert app.main.personal.editor.text == expected
        assert any("both versions are kept" in n.message for n in app._notifications)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_closed_terminal_right_after_typing_keeps_the_note(
    page_dir: Path, sig: signal.Signals
) -> None:
    # Finding 5: SIGHUP or SIGTERM within half a second of the last key lost that typing.
    terminal = in_terminal(["--library", str(page_dir)])
    try:
        terminal.wait_for("AdapterFusion")
        terminal.type("n")
        terminal.read(0.5)
        terminal.type("typed just before the hangup")
        terminal.read(0.05)
        os.kill(terminal.pid, sig)
        code = terminal.wait()
    finally:
        terminal.kill()
    assert code == 0
    first = run("list", "-n", "1", library=page_dir).ok().out.split()[0]
    assert "typed just before the hangup" in run("show", first, library=page_dir).ok().out


def test_a_prompt_typed_in_one_go_with_its_enter_takes_the_text(page_dir: Path) -> None:
    # Issue 13's hostile pass: "l", a name and enter sent at once made no list, and "a",
    # a tag and enter no tag: the enter reached the prompt before the name did.
    terminal = in_terminal(["--library", str(page_dir)])
    try:
        terminal.wait_for("AdapterFusion")
        terminal.type("lFast list\r")
        _until_shown(terminal, page_dir, "lists:   Fast list")
        terminal.type("aquick tag\r")
        _until_shown(terminal, page_dir, "tags:    quick tag")
    finally:
        terminal.kill()
    assert run("lists", library=page_dir).ok().out == "Fast list  (1 paper)\n"


def _until_shown(terminal: Terminal, library: Path, line: str) -> None:
    """Let the app run until ``shelf show`` of its first paper prints ``line`` (30 s)."""
    deadline = time.monotonic() + 30
    while line not in run("show", "ghphy8", library=library).ok().out:
        assert time.monotonic() < deadline, f"never saved: {line!r}"
        terminal.read(0.2)


@pytest.mark.parametrize("keys", ["gm", "fm", "sm", "dm"])
async def test_keys_right_after_a_delete_never_reach_the_deleted_paper(
    page_library: Library, keys: str
) -> None:
    # Finding 6: "#" then any key then "m" closed the app with UnknownPaperError.
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("number_sign", *keys)
        await settle(pilot)
        assert app.is_running
        assert page_library.count() == 235


async def test_the_export_dialog_takes_a_folder_for_a_path(page_library: Library) -> None:
    # Finding 7: a path with no file name ("/"), then another format: ValueError, app closed.
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#export-path")
        path.value = "/"  # type: ignore[attr-defined]
        dialog.query_one("#export-format").value = "bibtex"  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.is_running
        assert path.value == "/"  # type: ignore[attr-defined]
        await pilot.press("enter")  # exporting to a folder is refused, in words
        await settle(pilot)
        assert app.is_running
        assert any("directory" in n.message for n in app._notifications)


async def test_escape_with_notes_that_cannot_be_saved_stays_in_the_editor(
    page_library: Library,
) -> None:
    # Finding 1 again, by escape: the editor closed and the text was gone.
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        _fill(page_library)
        await pilot.press("n")
        app.main.personal.editor.insert(LONG)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.focused, NotesEditor)
        assert app.main.personal.editor.text == LONG
        await pilot.press("ctrl+q")  # quitting with them unsaved is refused once
        await settle(pilot)
        assert app.is_running
        _free(page_library)
        await pilot.press("escape")
        await settle(pilot)
        assert page_library.get(paper.id).state.notes == LONG


async def test_a_space_typed_just_before_a_conflict_is_kept(page_library: Library) -> None:
    # Found by the test above on a busy machine: the draft save that met the other
    # process's note stripped what was typed, so "more of mine" became "more ofmine".
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("n", *"mine")
        await _until(lambda: page_library.get(paper.id).state.notes == "mine")
        run("set", paper.id, "--note", "theirs", library=page_library.directory).ok()
        await pilot.press("space")
        await _until(lambda: any("both versions" in n.message for n in app._notifications))
        await pilot.press(*"too")
        expected = f"mine too\n\n{CHANGED_ELSEWHERE}\ntheirs"
        await _until(lambda: page_library.get(paper.id).state.notes == expected)
