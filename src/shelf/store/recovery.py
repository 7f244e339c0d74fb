"""Getting a damaged library database back, and reading one without writing to it.

Nothing is overwritten and a kill at any moment leaves a whole library. The
new database is built beside the old one (``library.db.repairing-<time>``) from
every row that can still be read, table by table and, where a table fails
part-way, page range by page range. Once complete it is renamed
``library.db.repaired-<time>``; then the damaged file gets a second name,
``library.db.damaged-<time>`` (with its journal files), and the rebuilt one
takes ``library.db``'s place in one rename. A repair killed after the rebuild
is finished by the next open (``finish_interrupted_repair``); one killed during
it leaves the old file in place and a half-built one that the next open removes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shelf.store import outbox
from shelf.store.schema import TABLE_COLUMNS, migrate

_CHUNK = 200
#: How far rowids are probed when neither a table nor any of its indexes reads.
_PROBE_LIMIT = 100_000
_JOURNALS = ("-wal", "-shm")
BUILDING, BUILT, DAMAGED = ".repairing-", ".repaired-", ".damaged-"


@dataclass(slots=True)
class Salvage:
    """What a recovery kept and what it could not read."""

    damaged_copy: Path
    rows: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


def read_only_uri(path: Path) -> str:
    """The SQLite URI that reads ``path`` as it is on disk: no locks, no journal files.

    ``immutable`` keeps SQLite from creating the ``-wal`` and ``-shm`` files a
    read-only connection to a WAL database would otherwise leave behind.
    """
    return path.absolute().as_uri() + "?mode=ro&immutable=1"


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that reads the database at ``path`` and can never write beside it.

    A write-ahead log beside the database (a process has it open, or one was
    killed) holds changes the database file does not have yet; replaying it is
    a write, so the database and its log are copied aside and the copy is read.
    """
    wal = path.with_name(path.name + "-wal")
    if not (wal.exists() and wal.stat().st_size > 0):
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            yield connection
        finally:
            connection.close()
        return
    _remove_stale_copies()
    with tempfile.TemporaryDirectory(prefix=f"{_COPY_PREFIX}{os.getpid()}-") as scratch:
        copy = Path(scratch) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        replayed = sqlite3.connect(copy)
        try:
            yield replayed
        finally:
            replayed.close()


_COPY_PREFIX = "shelf-read-"


def _remove_stale_copies() -> None:
    """Delete the copies ``reading`` made in processes that were killed before cleaning up."""
    for stale in Path(tempfile.gettempdir()).glob(f"{_COPY_PREFIX}*-*"):
        pid = stale.name.removeprefix(_COPY_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def looks_damaged(path: Path) -> bool:
    """True when ``path`` exists but SQLite cannot read it as a sound database."""
    if not path.exists():
        return False
    try:
        with reading(path) as connection:
            result = connection.execute("PRAGMA quick_check").fetchone()
    except (sqlite3.Error, OSError):
        return True
    return result is None or result[0] != "ok"


def salvage(path: Path) -> Salvage:
    """Rebuild the database at ``path`` from every row that still reads; keep the old one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    building = path.with_name(f"{path.name}{BUILDING}{stamp}")
    built = path.with_name(f"{path.name}{BUILT}{stamp}")
    report = Salvage(damaged_copy=path.with_name(f"{path.name}{DAMAGED}{stamp}"))
    building.unlink(missing_ok=True)
    _rebuild(path, building, report)
    _fsync(building)
    os.replace(building, built)
    _fsync(path.parent)
    _swap(path, built, report.damaged_copy)
    return report


def finish_interrupted_repair(path: Path) -> Path | None:
    """Complete a repair that was killed after its rebuild; drop a half-built one.

    Returns the damaged copy when a repair was completed here.
    """
    finished = None
    for leftover in sorted(path.parent.glob(f"{path.name}{BUILDING}*")):
        leftover.unlink(missing_ok=True)
    for built in sorted(path.parent.glob(f"{path.name}{BUILT}*")):
        stamp = built.name.removeprefix(f"{path.name}{BUILT}")
        finished = path.with_name(f"{path.name}{DAMAGED}{stamp}")
        _swap(path, built, finished)
    return finished


def damaged_copies(path: Path) -> list[Path]:
    """The damaged databases repairs kept beside ``path`` (their journals not counted)."""
    found = path.parent.glob(f"{path.name}{DAMAGED}*")
    return sorted(p for p in found if not p.name.endswith(_JOURNALS))


def _swap(path: Path, built: Path, damaged: Path) -> None:
    """Put ``built`` in ``path``'s place, keeping the old file (and journals) as ``damaged``.

    Each step can be repeated: a kill between two of them is finished by running
    this again. The old journals go before the new file comes, so no stale
    write-ahead log is ever replayed into the rebuilt database.
    """
    if path.exists() and not damaged.exists():
        _second_name(path, damaged)
    for suffix in _JOURNALS:
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            kept = damaged.with_name(damaged.name + suffix)
            if not kept.exists():
                _second_name(journal, kept)
            journal.unlink()
    os.replace(built, path)
    _fsync(path.parent)


def _second_name(path: Path, name: Path) -> None:
    """Give ``path`` a second name without moving it (a copy where links are not allowed)."""
    try:
        os.link(path, name)
    except OSError:
        shutil.copy2(path, name)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _rebuild(source_path: Path, target: Path, report: Salvage) -> None:
    fresh = sqlite3.connect(target, isolation_level=None)
    try:
        target.chmod(0o600)
        fresh.execute("BEGIN")
        migrate(fresh, nullcontext)  # the store's own migrations, in this one transaction
        try:
            with reading(source_path) as source:
                if _schema_reads(source, report):
                    for table, names in TABLE_COLUMNS.items():
                        report.rows[table] = _copy(source, fresh, table, names, report)
        except (sqlite3.Error, OSError) as error:
            report.unreadable.append(f"the whole file ({error})")
        outbox.enqueue_all(fresh)  # everything recovered must be indexed again
        fresh.execute("COMMIT")
    finally:
        fresh.close()


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
    source: sqlite3.Connection,
    fresh: sqlite3.Connection,
    table: str,
    names: tuple[str, ...],
    report: Salvage,
) -> int:
    # An older schema lacks the newer columns: copy those it has, the rest get defaults.
    try:
        present = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
    except sqlite3.Error:
        present = set(names)
    if not present and _absent(source, table):
        return 0  # a table of a newer schema than the damaged file's (reading lists)
    columns = ", ".join(name for name in names if name in present or not present)
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


def _absent(source: sqlite3.Connection, table: str) -> bool:
    """Whether the schema, read as far as it reads, has no table ``table``."""
    try:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return source.execute(query, (table,)).fetchone() is None
    except sqlite3.Error:
        return False


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
