"""The file a user attached to a paper (``shelf attach``): its PDF on this machine.

It sits in the paper's row (``attached``), so it goes with the paper when it is
deleted and comes back with ``undo``.
"""

from __future__ import annotations

import sqlite3

from shelf.store.errors import translate_errors


@translate_errors
class Attachments:
    """The attaching half of the store (mixed into ``Store``)."""

    _db: sqlite3.Connection

    def attach(self, paper_id: str, path: str) -> bool:
        """Give a paper the file at ``path`` (inside a transaction); False when there is
        no such paper."""
        done = self._db.execute("UPDATE papers SET attached = ? WHERE id = ?", (path, paper_id))
        return done.rowcount > 0
