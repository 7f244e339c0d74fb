"""Papers that arrived since the app was last opened (issue 14, point 2): marked in the
list, and found by ``is:new`` in the app and on the command line."""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from pathlib import Path

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.paper_list import NEW_MARK
from support.commands import in_terminal, run
from support.tui import screen_text, settle

SIZE = (120, 40)
ARRIVED = [{"title": "Arrived between two visits", "abstract": "A paper fetched meanwhile."}]


def _row(app: ShelfApp, title: str) -> str:
    return next(line for line in screen_text(app).splitlines() if title in line)


async def test_papers_added_since_the_last_visit_are_marked_and_found_by_is_new(
    page_library: Library, tmp_path: Path
) -> None:
    async with ShelfApp(page_library).run_test(size=SIZE) as pilot:  # the first visit
        await settle(pilot)
    source = tmp_path / "arrived.json"
    source.write_text(json.dumps(ARRIVED), encoding="utf-8")
    page_library.import_paths([source])
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"{NEW_MARK}Arrived between two visits" in _row(app, "Arrived between")
        assert NEW_MARK not in _row(app, "AdapterFusion")
        await pilot.press("slash", *"is:new", "enter")
        await settle(pilot)
        assert [entry.paper.title for entry in app.main.results.entries] == [ARRIVED[0]["title"]]
    async with ShelfApp(page_library).run_test(size=SIZE) as pilot:  # a visit later: old
        await settle(pilot)
        assert page_library.search("is:new").entries == []


def test_is_new_on_the_command_line_counts_from_the_visit_before_the_last(
    page_dir: Path, tmp_path: Path
) -> None:
    assert run("search", "is:new", library=page_dir).ok().out == ""  # never opened: none
    for _ in range(2):
        terminal = in_terminal(["--library", str(page_dir)])
        try:
            terminal.wait_for("AdapterFusion")
            terminal.type("q")
            assert terminal.wait() == 0
        finally:
            terminal.kill()
        if _ == 0:
            source = tmp_path / "arrived.json"
            source.write_text(json.dumps(ARRIVED), encoding="utf-8")
            run("import", str(source), library=page_dir).ok()
    found = json.loads(run("search", "is:new", "--json", library=page_dir).ok().out)
    assert [hit["title"] for hit in found] == [ARRIVED[0]["title"]]
    others = run("search", "-n", "300", "--", "-is:new", library=page_dir).ok().lines
    assert len(others) == 236
    refused = run("search", "is:old", library=page_dir).error()
    assert "the is: filters are is:starred and is:new" in refused


def test_a_visit_time_with_an_offset_is_compared_in_utc(page_library: Library) -> None:
    # The time was copied as it was and compared as text: 23:00 at UTC-8 (07:00 UTC the
    # next day) sorted before every paper, and all of them were new.
    newest = max(entry.state.added_at for entry in page_library.entries(limit=300))
    later = (newest + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-8)))
    page_library._store.set_meta("visited", later.isoformat())  # as another tool wrote it
    page_library.begin_visit()
    assert page_library.search("is:new").entries == []
