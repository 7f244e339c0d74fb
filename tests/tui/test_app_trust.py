"""The app under the faults of the trust issue, driven by Pilot on a real library.

Without the fixes: a note being typed lived only in memory until escape or
quit (kill -9 lost it); a pasted 5,000-word query froze the app for over a
minute; zero-width characters in a title shifted that row's columns; and no
key removed a junk paper.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual import events

from shelf.domain import Paper
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.widgets import personal
from shelf.tui.widgets.personal import DRAFT_MAX_WAIT, NotesEditor
from shelf.tui.widgets.search_box import SearchBox
from support.papers import add_papers
from support.tui import screen_text, settle, summary

SIZE = (120, 40)


def stored_notes(directory: Path, paper_id: str) -> str:
    """The notes as another process would read them now."""
    with Library.open(directory) as other:
        return other.get(paper_id).state.notes


async def wait_for_save(app: ShelfApp, directory: Path, paper_id: str, text: str) -> None:
    """Let the app run (its timers too) until the note is in the database."""
    for _ in range(200):
        if stored_notes(directory, paper_id) == text:
            return
        await asyncio.sleep(DRAFT_MAX_WAIT / 10)
    raise AssertionError(f"the draft never reached the database: {text!r}")


async def test_notes_are_saved_while_typing_as_one_undoable_change(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("n", *"first thought")
        assert isinstance(app.focused, NotesEditor)
        await wait_for_save(app, page_library.directory, paper.id, "first thought")
        await pilot.press(*", and a second")  # still editing: the same session
        await wait_for_save(app, page_library.directory, paper.id, "first thought, and a second")
        assert isinstance(app.focused, NotesEditor)
        await pilot.press("escape")
        await settle(pilot)
        assert page_library.search("notes:second").entries[0].id == paper.id  # indexed now
        await pilot.press("u")  # one undo takes the whole session back
        await settle(pilot)
        assert page_library.get(paper.id).state.notes == ""


async def test_typing_on_past_the_longest_wait_still_saves_a_draft(
    page_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key that came DRAFT_MAX_WAIT after the first unsaved one set a timer of no delay,
    # and a Textual timer of no delay never fires: typing on without a pause (or keys
    # handled late on a busy machine) was never saved. Here each key comes 0.3 s after the
    # last as the pane sees it, faster than the real timers of DRAFT_DELAY can fire.
    clock = iter(itertools.count(start=1000.0, step=0.3))
    monkeypatch.setattr(personal, "monotonic", lambda: next(clock))
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("n", *"typed on")
        await wait_for_save(app, page_library.directory, paper.id, "typed on")


APP_SCRIPT = r"""
import asyncio, sys
from pathlib import Path
from shelf.library import Library
from shelf.tui.app import ShelfApp

async def main() -> None:
    with Library.open(Path(sys.argv[1])) as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()  # the list the search found is shown before typing
            await pilot.press("n", *"typed before the kill")
            print(app.main.results.highlighted.id, flush=True)
            await asyncio.sleep(600)  # typing done; the user walks away, then kill -9

asyncio.run(main())
"""


def test_kill_9_after_typing_keeps_the_note(page_library: Library) -> None:
    directory = page_library.directory
    paper_id = page_library.entries(limit=1)[0].id
    page_library.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", APP_SCRIPT, str(directory)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == paper_id
        deadline = time.monotonic() + 60
        while stored_notes(directory, paper_id) != "typed before the kill":
            assert time.monotonic() < deadline, "the draft was never saved"
            time.sleep(0.1)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert stored_notes(directory, paper_id) == "typed before the kill"
    with Library.open(directory) as reopened:  # the outbox indexed it on the next open
        assert [e.id for e in reopened.search("notes:typed").entries] == [paper_id]


async def test_a_pasted_page_is_cut_to_a_query_and_the_app_answers(page_library: Library) -> None:
    pasted = " ".join(["adapters"] + [f"word{n}" for n in range(5000)])

    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        box = app.query_one(SearchBox)
        box.post_message(events.Paste(pasted))
        await settle(pilot)
        assert len(box.value) <= 1000 and len(box.value.split()) <= 64
        assert box.value.startswith("adapters word0 word1")
        notices = [n.message for n in app._notifications]
        assert any("cut to fit" in message for message in notices)
        assert "papers" in summary(app)  # a search ran and answered
        await pilot.press("escape")


async def test_zero_width_characters_do_not_shift_a_row(
    page_library: Library, tmp_path: Path
) -> None:
    sneaky = "Zero\u200bwidth\u200d\u2060 and a\ufe0f sneaky\u00ad title"
    add_papers(page_library, [Paper(title=sneaky, year=2031), Paper(title="Plain row", year=2031)])

    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"year:2031")
        await settle(pilot)
        # The list pane only (the preview and its related papers may show them too).
        panes = [line.split("││")[0] for line in screen_text(app).splitlines()]
        rows = [pane for pane in panes if "Plain row" in pane or "sneaky" in pane]
        assert len(rows) == 2
        assert rows[0].index("2031") == rows[1].index("2031")  # the year column
        assert len(rows[0]) == len(rows[1])  # and the pane's border


async def test_the_delete_key_removes_a_paper_and_undo_brings_it_back(
    page_library: Library,
) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        doomed = app.main.results.highlighted
        assert doomed is not None
        page_library.update(doomed.id, notes="keep me", add_tags=["mine"])
        count = page_library.count()
        await pilot.press("number_sign")
        await settle(pilot)
        assert page_library.count() == count - 1
        assert doomed.id not in {entry.id for entry in app.main.results.entries}
        await pilot.press("u")
        await settle(pilot)
        back = page_library.get(doomed.id)
        assert (back.state.notes, back.state.tags) == ("keep me", ("mine",))
        assert app.main.results.highlighted is not None
        assert app.main.results.highlighted.id == doomed.id


async def test_a_kept_damaged_copy_is_mentioned_in_the_app(page_library: Library) -> None:
    directory = page_library.directory
    page_library.close()
    kept = directory / "library.db.damaged-20261201T120000"
    kept.write_bytes(b"what an earlier repair kept")

    with Library.open(directory) as reopened:
        app = ShelfApp(reopened)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert any(str(kept) in n.message for n in app._notifications)
