"""The index outbox: papers whose indexed text changed, waiting to be (re)indexed.

Every write that changes what the search index holds of a paper (a new or
merged paper, notes, a deletion) queues the paper here in the same
transaction; the library's sync reads the queue, indexes, and clears what it
indexed. Each entry keeps the revision it was queued at, so a process that
indexed revision 3 never clears the entry another process queued for revision 4.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping


def enqueue(db: sqlite3.Connection, paper_id: str) -> None:
    """Queue ``paper_id`` at its current revision."""
    db.execute(
        "INSERT OR REPLACE INTO index_queue (paper_id, rev) "
        "SELECT id, rev FROM papers WHERE id = ?",
        (paper_id,),
    )


def enqueue_removed(db: sqlite3.Connection, paper_id: str, rev: int) -> None:
    """Queue a paper the store no longer holds (a deletion), for the index to drop."""
    db.execute("INSERT OR REPLACE INTO index_queue (paper_id, rev) VALUES (?, ?)", (paper_id, rev))


def enqueue_all(db: sqlite3.Connection) -> None:
    """Queue every paper (before a rebuild, or after a recovery)."""
    db.execute("INSERT OR REPLACE INTO index_queue (paper_id, rev) SELECT id, rev FROM papers")


def queued(db: sqlite3.Connection) -> dict[str, int]:
    """Every queued paper with the revision it was queued at."""
    return {row[0]: row[1] for row in db.execute("SELECT paper_id, rev FROM index_queue")}


def clear(db: sqlite3.Connection, done: Mapping[str, int] | None = None) -> None:
    """Forget what was indexed (``done``, or everything); a paper queued again since stays."""
    if done is None:
        db.execute("DELETE FROM index_queue")
        return
    db.executemany("DELETE FROM index_queue WHERE paper_id = ? AND rev <= ?", list(done.items()))
