"""Redo (issue 12, point 5): ``shelf redo`` and ``U`` in the app make again what undo took
back, until a new change is made. The undone action stays in the database, so redo
works in a later run too."""

from __future__ import annotations

import json
from pathlib import Path

from shelf.domain import Status
from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.commands import run
from support.paths import PAGE_COPY
from support.tui import settle


def _first(library: Path) -> str:
    return run("list", "-n", "1", library=library).ok().out.split()[0]


def test_redo_makes_again_what_undo_took_back(page_dir: Path) -> None:
    paper = _first(page_dir)
    run("set", paper, "--status", "read", "--tag", "group", library=page_dir).ok()
    run("undo", library=page_dir).ok()
    assert "inbox" in run("show", paper, library=page_dir).ok().out

    redone = run("redo", library=page_dir).ok()

    assert redone.out.startswith("redid status, tags: ")
    shown = run("show", paper, "--json", library=page_dir).ok().out
    assert '"status": "read"' in shown and '"group"' in shown
    assert run("redo", library=page_dir).ok().out.strip() == "nothing to redo"
    run("undo", library=page_dir).ok()  # and undo again takes it back again
    assert '"status": "inbox"' in run("show", paper, "--json", library=page_dir).ok().out


def test_a_new_change_after_undo_ends_redo(page_dir: Path) -> None:
    paper = _first(page_dir)
    run("set", paper, "--status", "read", library=page_dir).ok()
    run("undo", library=page_dir).ok()
    run("set", paper, "--star", library=page_dir).ok()
    assert run("redo", library=page_dir).ok().out.strip() == "nothing to redo"
    assert '"status": "inbox"' in run("show", paper, "--json", library=page_dir).ok().out


def test_redo_of_a_delete_deletes_again_and_undo_brings_it_back(page_dir: Path) -> None:
    paper = _first(page_dir)
    run("delete", paper, library=page_dir).ok()
    run("undo", library=page_dir).ok()
    redone = run("redo", library=page_dir).ok()
    assert redone.out.startswith("redid delete: ")
    assert run("show", paper, library=page_dir).code != 0
    run("undo", library=page_dir).ok()
    assert run("show", paper, library=page_dir).ok().out


async def test_U_in_the_app_redoes_what_u_undid(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        paper = app.main.results.highlighted
        assert paper is not None
        await pilot.press("t", "u")
        await settle(pilot)
        assert page_library.get(paper.id).state.status is Status.INBOX
        await pilot.press("U")
        await settle(pilot)
        assert page_library.get(paper.id).state.status is Status.TO_READ
        assert app.main.results.highlighted is not None
        assert app.main.results.highlighted.id == paper.id
        said = [n.message for n in app._notifications]
        assert said[-1].startswith("Redone: ") and "status to-read" in said[-1]
        await pilot.press("U")
        await settle(pilot)
        assert [n.message for n in app._notifications][-1] == "Nothing to redo."


def test_undoing_a_delete_after_the_paper_was_imported_again_brings_its_state_back(
    page_dir: Path,
) -> None:
    # Found by the hostile pass: undo said "undid delete" and restored nothing, and a
    # redo then replaced the only copy of the notes, star and tag with the blank row.
    paper = "ghphy8"  # AdapterFusion, in the page copy
    run("set", paper, "--status", "read", "--star", "--tag", "survey", "--note", "precious",
        library=page_dir).ok()  # fmt: skip
    run("delete", paper, library=page_dir).ok()
    assert "added 1" in run("import", str(PAGE_COPY), library=page_dir).ok().out

    def state() -> tuple[object, ...]:
        shown = json.loads(run("show", paper, "--json", library=page_dir).ok().out)
        return shown["status"], shown["starred"], shown["tags"], shown["notes"]

    assert state() == ("inbox", False, [], "")
    run("undo", library=page_dir).ok()
    assert state() == ("read", True, ["survey"], "precious")
    run("redo", library=page_dir).ok()  # deleted again, its state kept for undo
    assert run("show", paper, library=page_dir).error(code=1)
    run("undo", library=page_dir).ok()
    assert state() == ("read", True, ["survey"], "precious")
