"""Getting a damaged library database back: move it aside, then save every row that reads.

Nothing is overwritten: the damaged file (with its journal files) is renamed
``library.db.damaged-<time>`` and kept. A fresh database is built with the
current schema and filled with the rows that can still be read from the
damaged copy, table by table and, where a table fails part-way, page range by
page range.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shelf.store.schema import MIGRATIONS, SCHEMA_VERSION

# Tables in dependency order, with the columns copied (those of the current schema).
_TABLES = {
    "papers": (
        "id, title, title_key, authors, year, venue, abstract, url, arxiv_id, doi, status, "
        "starred, notes, added_at, status_changed_at, read_at, rev"
    ),
    "tags": "paper_id, tag",
    "history": "seq, action, paper_id, old, new, at",
    "meta": "key, value",
}
_CHUNK = 200
#: How far rowids are probed when neither a table nor any of its indexes reads.
_PROBE_LIMIT = 100_000


@dataclass(slots=True)
class Salvage:
    """What a recovery kept and what it could not read."""

    damaged_copy: Path
    rows: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


def looks_damaged(path: Path) -> bool:
    """True when ``path`` exists but SQLite cannot read it as a sound database."""
    if not path.exists():
        return False
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return True
    return result is None or result[0] != "ok"


def salvage(path: Path) -> Salvage:
    """Move the database at ``path`` aside and rebuild it from every row that still reads."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    damaged = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(damaged)
    for suffix in ("-wal", "-shm"):
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            journal.rename(damaged.with_name(damaged.name + suffix))
    report = Salvage(damaged_copy=damaged)
    fresh = sqlite3.connect(path, isolation_level=None)
    try:
        fresh.execute("BEGIN")
        for script in MIGRATIONS:
            for statement in (part.strip() for part in script.split(";")):
                if statement:
                    fresh.execute(statement)
        fresh.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        try:
            source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
        except sqlite3.Error as error:
            report.unreadable.append(f"the whole file ({error})")
        else:
            try:
                if _schema_reads(source, report):
                    for table, columns in _TABLES.items():
                        report.rows[table] = _copy(source, fresh, table, columns, report)
            finally:
                source.close()
        # Everything recovered must be indexed again.
        fresh.execute(
            "INSERT OR REPLACE INTO index_queue (paper_id, rev) SELECT id, rev FROM papers"
        )
        fresh.execute("COMMIT")
    finally:
        fresh.close()
    path.chmod(0o600)
    return report


def _schema_reads(source: sqlite3.Connection, report: Salvage) -> bool:
    """Whether the damaged file still has a readable schema (else nothing in it reads)."""
    try:
        # A file cut short still records its old length, and SQLite refuses it as
        # malformed unless the schema is writable: then it reads the pages that are
        # left. The connection is read-only, so nothing can be written.
        source.execute("PRAGMA writable_schema = ON")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        report.unreadable.append(f"the whole file ({error})")
        return False
    return True


def _copy(
    source: sqlite3.Connection, fresh: sqlite3.Connection, table: str, columns: str, report: Salvage
) -> int:
    marks = ",".join("?" * len(columns.split(",")))
    insert = f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})"
    try:
        rows = source.execute(f"SELECT {columns} FROM {table}").fetchall()
    except sqlite3.Error as error:
        if table not in ("papers", "history"):  # WITHOUT ROWID tables cannot be read in ranges
            report.unreadable.append(f"table {table} ({error})")
            return 0
        rows = _by_ranges(source, table, columns, report)
    before = fresh.total_changes
    fresh.executemany(insert, rows)
    return fresh.total_changes - before


def _by_ranges(
    source: sqlite3.Connection, table: str, columns: str, report: Salvage
) -> list[tuple[object, ...]]:
    """Read a rowid table a range at a time, then row by row where a range fails."""
    known, complete = _known_rowids(source, table)
    if not complete:  # no index reads to its end either: probe up to the highest rowid
        try:
            highest = source.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        except sqlite3.Error:
            highest = max(known, default=_PROBE_LIMIT)
        known = list(range(1, highest + 1))
    rows: list[tuple[object, ...]] = []
    lost = 0
    select = f"SELECT {columns} FROM {table} WHERE rowid >= ? AND rowid <= ?"
    for start in range(0, len(known), _CHUNK):
        chunk = known[start : start + _CHUNK]
        try:
            rows += source.execute(select, (chunk[0], chunk[-1])).fetchall()
            continue
        except sqlite3.Error:
            pass
        for rowid in chunk:  # the range failed: row by row
            try:
                rows += source.execute(select, (rowid, rowid)).fetchall()
            except sqlite3.Error:
                lost += 1
    if lost and complete:
        report.unreadable.append(f"{lost} of {len(known)} {table} rows (damaged pages)")
    elif lost:
        report.unreadable.append(f"some {table} rows (damaged pages)")
    return rows


def _known_rowids(source: sqlite3.Connection, table: str) -> tuple[list[int], bool]:
    """The rowids ``table``'s indexes still list (they live on pages of their own).

    The flag is True when at least one index was read to its end.
    """
    found: set[int] = set()
    complete = False
    try:
        indexes = [
            row[0]
            for row in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
            )
        ]
    except sqlite3.Error:
        return [], False
    for index in indexes:
        try:
            for (rowid,) in source.execute(f'SELECT rowid FROM {table} INDEXED BY "{index}"'):
                found.add(rowid)
        except sqlite3.Error:
            continue  # keep what this index gave before it failed
        complete = True
    return sorted(found), complete
