"""Through the installed command, what the review of the house refactor found changed.

A did-you-mean appeared when the filter itself let no paper through (no word
could help), a failed migration no longer named its schema, and ``pending``
said 0 for papers an interrupted import left queued.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from shelf.library import Library
from shelf.store.schema import MIGRATIONS
from support.commands import run


def test_no_did_you_mean_when_the_filter_lets_no_paper_through(page_dir: Path) -> None:
    assert json.loads(run("list", "--status", "read", "--json", library=page_dir).ok().out) == []
    filtered = run("search", "status:read catastrophc", library=page_dir)
    assert "did you mean" not in filtered.err
    assert filtered.out == ""
    unfiltered = run("search", "--exact", "catastrophc", library=page_dir)
    assert "did you mean: catastrophic" in unfiltered.err


def test_a_failed_migration_names_the_schema_and_changes_nothing(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    path = library / "library.db"
    old = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            old.execute(statement)
    old.execute("ALTER TABLE index_queue ADD COLUMN rev INTEGER")  # what migration 2 adds
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()

    message = run("list", library=library).error()
    assert "cannot migrate to schema 2" in message
    assert "duplicate column name: rev" in message
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 1
    check.close()


def test_pending_counts_papers_queued_before_the_index_is_opened(page_dir: Path) -> None:
    with Library.open(page_dir) as library, library._store.transaction():
        library._store.queue_all_for_index()  # as an import killed before indexing leaves
    with Library.open(page_dir) as library:
        assert library.pending == 236
        assert library.search("forgetting").pending == 0  # the search indexed them first
        assert library.pending == 0
