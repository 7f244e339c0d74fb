"""Looking after a library: ``doctor``'s checks, repairing a damaged database, leftovers.

``check`` compares the store with the search index. ``inspect`` does the same
for ``doctor --check-only`` without writing anything at all: the database is
read through a read-only connection (or a copy, when a killed process left a
log to replay) and the index is opened for reading only. ``repair_store``
rebuilds a damaged database beside the old one and swaps them atomically.
``notices`` names what an earlier repair kept aside, on every open, until the
user deals with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shelf.domain import DoctorReport, LibraryError, ShelfError
from shelf.paths import DB_NAME, INDEX_DIR, disk_full, make_private_dir
from shelf.store import Store, damaged_copies, looks_damaged, salvage

if TYPE_CHECKING:
    from shelf.search import WhooshIndex


def prepare(directory: Path) -> None:
    """Make ``directory`` ready to hold a library (private), or say why it cannot."""
    if directory.exists() and not directory.is_dir():
        raise ShelfError(f"{directory}: is a file, not a library directory")
    try:
        make_private_dir(directory)
    except OSError as err:
        raise ShelfError(
            f"{directory}: cannot create the library directory: {err.strerror}"
        ) from None


def doctor(
    store: Store, index: WhooshIndex, repairs_on_open: list[tuple[str, str]], repair: bool
) -> DoctorReport:
    """What opening the index repaired, then every check of ``check``."""
    report = DoctorReport(
        problems=[problem for problem, _ in repairs_on_open],
        repaired=[done for _, done in repairs_on_open],
    )
    check(store, index, report, repair)
    return report


def check(store: Store, index: WhooshIndex, report: DoctorReport, repair: bool) -> None:
    """Add store integrity and store/index agreement to ``report``; repair the index if asked."""
    report.checked.append("store integrity (PRAGMA integrity_check)")
    for problem in store.integrity_problems():
        report.problems.append(f"store: {problem}")
    report.checked.append("search index agrees with the store")
    stored = store.revisions()
    indexed = index.revisions()
    missing = [i for i in stored if i not in indexed]
    stale = [i for i in stored if i in indexed and indexed[i] != stored[i]]
    extra = [i for i in indexed if i not in stored]
    twice = [i for i in index.duplicates() if i in stored]
    for label, ids in (
        ("missing from", missing),
        ("out of date in", stale),
        ("extra in", extra),
        ("more than once in", twice),
    ):
        if ids:
            report.problems.append(f"{len(ids)} paper(s) {label} the search index")
    if repair and (missing or stale or extra or twice):
        if extra:
            index.delete(extra)
        redo = list(dict.fromkeys(missing + stale + twice))
        if redo:  # an upsert leaves one copy of each
            index.upsert(store.iter_index_docs(redo))
        report.repaired.append(
            f"re-indexed {len(redo)} paper(s), removed {len(extra)} stray one(s)"
        )


def inspect(directory: Path) -> DoctorReport:
    """``doctor --check-only``: every check, and nothing written to the library."""
    database = directory / DB_NAME
    if not database.exists():
        raise LibraryError(f"{directory}: no library here (no {DB_NAME})")
    report = DoctorReport()
    report.problems += [notice for notice in notices(directory)]
    with Store.reading(database) as store:
        queued = len(store.queued_for_index())
        if queued:
            report.problems.append(f"{queued} paper(s) wait to be indexed")
        from shelf.search import WhooshIndex

        index, wrong = WhooshIndex.inspect(directory / INDEX_DIR)
        if index is None:
            report.checked.append("store integrity (PRAGMA integrity_check)")
            report.problems += [f"store: {problem}" for problem in store.integrity_problems()]
            report.problems.append(f"{wrong}; any other command rebuilds it")
            return report
        try:
            check(store, index, report, repair=False)
        finally:
            index.close()
    return report


def repair_store(directory: Path) -> list[str]:
    """If the library database is damaged, rebuild it from what reads; what was done.

    The index is rebuilt from the recovered store the next time the library opens.
    """
    path = directory / DB_NAME
    if not looks_damaged(path):
        return []
    report = salvage(path)
    kept = ", ".join(f"{count} {table} rows" for table, count in report.rows.items())
    lines = [f"kept the damaged database as {report.damaged_copy}"]
    lines.append(f"recovered {kept or 'nothing'} into a fresh {DB_NAME}")
    lines += [f"could not read: {what}" for what in report.unreadable]
    return lines


#: Free space below this (or below ``_PER_PAPER`` per paper waiting to be indexed) is
#: "full" when papers wait: a command that opens the library says so.
_LOW_SPACE = 16 * 1024 * 1024
_PER_PAPER = 8 * 1024


def space_notices(directory: Path, store: Store) -> list[str]:
    """A notice when papers wait to be indexed and the disk has too little room for them."""
    waiting = len(store.queued_for_index())
    if not waiting:
        return []
    full = disk_full(directory, f"{waiting} paper(s) wait to be indexed until there is room")
    if full.free_bytes is None or full.free_bytes >= max(_LOW_SPACE, waiting * _PER_PAPER):
        return []
    return [str(full)]


def notices(directory: Path) -> list[str]:
    """What every command mentions until the user deals with it: kept damaged copies."""
    return [
        f"{copy} is the damaged database an earlier `shelf doctor --repair` kept aside; "
        "check that the library has everything, then delete it"
        for copy in damaged_copies(directory / DB_NAME)
    ]
