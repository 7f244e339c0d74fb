"""A missing search index: listing answers at once, text search says it is indexing.

Before, after the index directory was deleted, the first search of a 20,000-paper
library waited 56 s with no output when stderr was not a terminal.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from support.commands import run, shelf_path

PAPERS = 1000  # the size from which long work is announced


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of ``PAPERS`` papers, one of them about zebrafish."""
    work = tmp_path_factory.mktemp("big")
    records = [
        {"title": f"Paper number {n} on transfer", "abstract": f"Abstract {n} of a study."}
        for n in range(PAPERS - 1)
    ] + [{"title": "Zebrafish regeneration", "abstract": "Fins grow back."}]
    source = work / "papers.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    run("import", str(source), library=work / "library").ok()
    return work / "library"


def test_a_search_rebuilding_the_index_says_so_on_stderr(big_library: Path, tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(big_library, library)
    shutil.rmtree(library / "index")

    listed = run("list", "-n", "3", library=library).ok()
    filtered = run("search", "status:inbox", "-n", "3", library=library).ok()
    assert len(filtered.lines) == 3 and "indexing" not in filtered.err
    assert not (library / "index").exists()  # neither needed the index
    searched = run("search", "zebrafish", library=library).ok()

    assert len(listed.lines) == 3 and "indexing" not in listed.err  # from SQLite alone
    assert searched.err.splitlines()[0] == f"shelf: indexing {PAPERS:,} papers…"
    assert [line.split(maxsplit=2)[2] for line in searched.lines] == ["Zebrafish regeneration"]
    again = run("search", "zebrafish", library=library).ok()
    assert "indexing" not in again.err  # rebuilt once


def test_an_index_another_process_just_made_anew_is_filled_not_trusted(
    big_library: Path, tmp_path: Path
) -> None:
    # Two searches on a missing index: the second could open the first one's fresh,
    # empty index before the first had queued the papers for it, and printed []
    # with no warning.
    from shelf.search import WhooshIndex

    library = tmp_path / "library"
    shutil.copytree(big_library, library)
    shutil.rmtree(library / "index")
    WhooshIndex.create(library / "index").close()  # the first process's empty index

    searched = run("search", "--json", "-n", "5000", "transfer", library=library).ok()

    assert len(json.loads(searched.out)) == PAPERS - 1
    assert "indexing 1,000 papers" in searched.err


def test_a_catch_up_killed_part_way_keeps_its_first_steps(tmp_path: Path) -> None:
    # The catch-up commits in steps (1,000 papers, then more): kill -9 after the first
    # and the next search indexes only the rest. Before, it was one commit: all or nothing.
    papers = 4000
    records = [{"title": f"Paper {n} on transfer", "abstract": "words"} for n in range(papers)]
    source = tmp_path / "papers.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    library = tmp_path / "library"
    run("import", str(source), library=library).ok()
    shutil.rmtree(library / "index")
    search = subprocess.Popen(
        [shelf_path(), "--library", str(library), "search", "transfer"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        waiting = _until_fewer_queued_than(library, papers, search)
    finally:
        search.kill()
        search.wait()

    searched = run("search", "--json", "-n", "5000", "transfer", library=library).ok()

    assert waiting <= papers - 1000
    assert f"shelf: indexing {waiting:,} papers…" in searched.err  # only what was left
    assert len(json.loads(searched.out)) == papers


def _until_fewer_queued_than(library: Path, count: int, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        with closing(sqlite3.connect(library / "library.db", timeout=10)) as db:
            (queued,) = db.execute("SELECT count(*) FROM index_queue").fetchone()
        if 0 < queued < count:
            return int(queued)
        time.sleep(0.01)
    raise AssertionError(f"the search never committed a step (exit {process.poll()})")
