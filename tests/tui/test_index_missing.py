"""A missing search index in the app: the list shows at once, a search says it is indexing.

Before, while a search waited for the index to be rebuilt, the summary went on
describing the list of before (or "0 of 20000 papers") with no sign of work.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from shelf.domain import Status
from shelf.domain.errors import SyncStopped
from shelf.library import Library
from shelf.library.indexing import FIRST_STEP
from shelf.search import WhooshIndex
from shelf.search.whoosh_index import PARALLEL_FROM
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.summary import Summary
from support.tui import settle, summary


async def test_a_search_that_rebuilds_the_index_shows_its_progress(
    page_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(page_dir / "index")
    said: list[str] = []
    original = Summary.say

    def recording(self: Summary, text: str, error: bool = False) -> None:
        said.append(text)
        original(self, text, error)

    monkeypatch.setattr(Summary, "say", recording)
    with Library.open(page_dir) as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)  # the listing: it never waits for the index
            assert summary(app).startswith("all papers · 236 of 236 papers")
            assert len(app.main.results.entries) == 200  # listing needed no index
            await pilot.press("slash", *"adapters")
            await settle(pilot)
            progress = [text for text in said if text.startswith("indexing ")]
            assert progress == [
                "indexing 100 of 236 papers for text search…",
                "indexing 200 of 236 papers for text search…",
            ]
            assert summary(app).startswith("all papers · ")  # once done, what is listed
            assert "Adapters" in app.main.results.entries[0].paper.title


async def test_while_the_index_catches_up_the_list_answers_from_what_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, a search waited for the whole catch-up, holding the library's lock: the
    # list, and every key, waited with it. Here the catch-up is held after its first
    # step (1,000 papers) until the test has looked.
    papers = 4000
    _library_without_index(tmp_path / "lib", papers)
    go_on = threading.Event()
    steps: list[int] = []
    add_all = WhooshIndex.add_all

    def held_after_the_first_step(self: WhooshIndex, *args: Any, **kwargs: Any) -> int:
        steps.append(kwargs["expected"])
        if len(steps) > 1:
            go_on.wait(30)
        return add_all(self, *args, **kwargs)

    monkeypatch.setattr(WhooshIndex, "add_all", held_after_the_first_step)
    with Library.open(tmp_path / "lib") as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"transfer")
            await _until(pilot, lambda: "of 4,000 papers" in summary(app) and len(steps) == 2)
            await _until(pilot, lambda: summary(app).startswith("all papers · 1,000 of 4,000"))
            assert summary(app).endswith(" · indexing 1,000 of 4,000 papers…")
            assert len(app.main.results.entries) == 200  # the first page, from the first step
            await pilot.press("escape", "t")  # triage answers at once, mid catch-up
            first = app.main.results.entries[0].id
            assert library.get(first).state.status is Status.TO_READ
            go_on.set()  # the rest is indexed in the catch-up's own thread, then listed
            everything = f"all papers · {papers:,} of {papers:,} papers"
            await _until(pilot, lambda: summary(app).startswith(everything))
            assert "indexing" not in summary(app)
            assert steps == [1000, 3000]


def _library_without_index(directory: Path, papers: int) -> None:
    """A library of ``papers`` papers on transfer, its search index deleted."""
    records = [{"title": f"Paper {n} on transfer", "abstract": "words"} for n in range(papers)]
    source = directory.parent / "papers.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    with Library.open(directory) as library:
        library.import_paths([source])
    shutil.rmtree(directory / "index")


async def _until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    for _ in range(1500):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never got there")


async def test_quitting_during_a_catch_up_stops_it_and_keeps_the_rest_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by the hostile pass: q during a catch-up left a blank screen for 8-16 s
    # while the catch-up went on to its end. Here its second step is held until the
    # app has been told to quit.
    papers = 4000
    _library_without_index(tmp_path / "lib", papers)
    go_on, second_step_over = threading.Event(), threading.Event()
    steps: list[int] = []
    stopped_by: list[BaseException] = []
    add_all = WhooshIndex.add_all

    def held_after_the_first_step(self: WhooshIndex, *args: Any, **kwargs: Any) -> int:
        steps.append(kwargs["expected"])
        if len(steps) == 1:
            return add_all(self, *args, **kwargs)
        go_on.wait(30)
        try:
            return add_all(self, *args, **kwargs)
        except BaseException as error:
            stopped_by.append(error)
            raise
        finally:
            second_step_over.set()

    monkeypatch.setattr(WhooshIndex, "add_all", held_after_the_first_step)
    stop_indexing = Library.stop_indexing

    def stop_then_go_on(self: Library) -> None:
        stop_indexing(self)
        go_on.set()  # the held step goes on once quitting has asked it to stop

    monkeypatch.setattr(Library, "stop_indexing", stop_then_go_on)
    with Library.open(tmp_path / "lib") as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"transfer")
            await _until(pilot, lambda: len(steps) == 2)
            await pilot.press("escape", "q")
        assert second_step_over.wait(30)
        assert [type(error) for error in stopped_by] == [SyncStopped]
        assert library.pending == papers - 1000  # the first step stays; the rest is queued
    with Library.open(tmp_path / "lib") as library:  # the next run catches up the rest
        assert library.search("transfer", limit=papers).total == papers


async def test_the_app_catches_up_a_step_built_in_parallel(tmp_path: Path) -> None:
    # Found by the second hostile pass: in the app every parallel step of a catch-up
    # failed (its workers, forked from a thread pool's thread, exit 1), and the index
    # stopped at the first 5,000 papers, the summary saying "indexing" for ever.
    papers = FIRST_STEP + PARALLEL_FROM  # a second step large enough to be parallel
    _library_without_index(tmp_path / "lib", papers)
    with Library.open(tmp_path / "lib") as library:
        app = ShelfApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"transfer")
            await _until(pilot, lambda: library.pending == 0 and "indexing" not in summary(app))
        assert library.search("transfer", limit=papers).total == papers
