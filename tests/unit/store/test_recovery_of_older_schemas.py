"""Recovery of a database made by an older shelf, before the tables of reading lists.

Without the fix, ``salvage`` read every table of today's schema from the old file
and reported the ones it never had (``lists``, ``list_items``) as unreadable, so a
repair of a sound old database said that parts of it were lost.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from shelf.store import Store, salvage
from shelf.store.schema import MIGRATIONS, statements


def test_a_database_from_before_reading_lists_recovers_with_nothing_unreadable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "library.db"
    with closing(sqlite3.connect(path)) as old:
        for number, script in enumerate(MIGRATIONS[:5], start=1):  # schema 5: no lists
            for statement in statements(script):
                old.execute(statement)
            old.execute(f"PRAGMA user_version = {number}")
        old.execute(
            "INSERT INTO papers (id, title, title_key, added_at) "
            "VALUES ('ab12cd', 'Old paper', 'old paper', '2024-01-01T00:00:00+00:00')"
        )
        old.commit()

    report = salvage(path)

    assert report.unreadable == []
    assert report.rows["papers"] == 1 and report.rows["lists"] == 0
    store = Store.open(path)
    try:
        assert store.get("ab12cd") is not None
        assert store.reading_lists() == []
    finally:
        store.close()
