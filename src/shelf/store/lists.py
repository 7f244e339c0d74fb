"""Reading lists in the store: named, ordered, undoable.

Every change to a list (created, papers added, removed or moved, renamed,
deleted) writes the whole list again and records it before and after in
``history`` (kind ``'list'``), so undo and redo put the list back exactly as
it was, whatever the change. Positions are 1, 2, 3 … after every change.

A deleted paper leaves its lists; its deletion's history row keeps its places
(``memberships``), and undo puts it back in them (``rejoin``).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shelf.domain.reading_list import (
    ListExistsError,
    ListRecord,
    ListStep,
    ReadingList,
    UnknownListError,
    list_key,
)
from shelf.store.errors import translate_errors

#: A list as history keeps it: id, name, description, created_at and its paper ids in order.
Snapshot = dict[str, Any]


@translate_errors
class Lists:
    """The reading-list half of the store (mixed into ``Store``)."""

    _db: sqlite3.Connection
    path: Path

    def reading_lists(self) -> list[ReadingList]:
        """Every list with its count, by name."""
        rows = self._db.execute(
            "SELECT name, description, (SELECT count(*) FROM list_items WHERE list_id = id) "
            "FROM lists ORDER BY key"
        ).fetchall()
        return [ReadingList(name, description, count) for name, description, count in rows]

    def reading_list(self, name: str) -> ReadingList:
        """The list called ``name`` (case aside); ``UnknownListError`` when there is none."""
        snapshot = self._snapshot_named(name)
        return ReadingList(snapshot["name"], snapshot["description"], len(snapshot["papers"]))

    def has_list(self, name: str) -> bool:
        """Whether a list has the name ``name``, case aside."""
        return self._id_of(name) is not None

    def list_paper_ids(self, name: str) -> list[str]:
        """The ids of the papers in list ``name``, in the list's order."""
        return list(self._snapshot_named(name)["papers"])

    def lists_of(self, paper_id: str) -> list[str]:
        """The names of the lists that hold ``paper_id``, by name."""
        rows = self._db.execute(
            "SELECT name FROM lists JOIN list_items ON list_id = id WHERE paper_id = ? "
            "ORDER BY key",
            (paper_id,),
        ).fetchall()
        return [row[0] for row in rows]

    def list_records(self) -> list[ListRecord]:
        """Every list with its paper ids in order, by name (for a backup to carry)."""
        found = []
        for (list_id,) in self._db.execute("SELECT id FROM lists ORDER BY key"):
            kept = snapshot(self._db, list_id)
            found.append(ListRecord(kept["name"], kept["description"], tuple(kept["papers"])))
        return found

    def change_list(self, current: str, action: int, **changes: Any) -> Snapshot:
        """Change list ``current`` (inside a transaction) as part of ``action``: any of
        ``name``, ``description`` and ``papers`` (ids in order) given in ``changes``.

        With ``create=True`` the list is made first (``ListExistsError`` if it exists).
        Returns the list as it is now. Records nothing when nothing changed.
        """
        if changes.pop("create", False):
            if self._id_of(current) is not None:
                raise ListExistsError(current)
            before = None
            after: Snapshot = {"id": self._next_id(), "name": current, "description": "",
                               "created_at": changes.pop("created_at"), "papers": []}  # fmt: skip
        else:
            before = self._snapshot_named(current)
            after = dict(before)
        new_name = changes.get("name")
        if new_name is not None:
            other = self._id_of(new_name)
            if other is not None and other != after["id"]:
                raise ListExistsError(new_name)
        after.update(changes)
        if after != before:
            put(self._db, after["id"], after)
            record(self._db, action, before, after)
        return after

    def delete_list(self, name: str, action: int) -> None:
        """Delete list ``name`` (inside a transaction) as part of ``action``; undo brings it
        back with its papers in their order."""
        before = self._snapshot_named(name)
        put(self._db, before["id"], None)
        record(self._db, action, before, None)

    def _snapshot_named(self, name: str) -> Snapshot:
        list_id = self._id_of(name)
        if list_id is None:
            raise UnknownListError(name)
        return snapshot(self._db, list_id)

    def _id_of(self, name: str) -> int | None:
        row = self._db.execute("SELECT id FROM lists WHERE key = ?", (list_key(name),)).fetchone()
        return None if row is None else int(row[0])

    def _next_id(self) -> int:
        """A list id never used before, not even by a deleted list undo may bring back."""
        row = self._db.execute(
            "SELECT max(coalesce((SELECT max(id) FROM lists), 0), coalesce((SELECT max("
            "json_extract(old, '$.id')) FROM history WHERE kind = 'list'), 0), coalesce(("
            "SELECT max(json_extract(new, '$.id')) FROM history WHERE kind = 'list'), 0)) + 1"
        ).fetchone()
        return int(row[0])


def snapshot(db: sqlite3.Connection, list_id: int) -> Snapshot:
    """List ``list_id`` as history keeps it."""
    name, description, created_at = db.execute(
        "SELECT name, description, created_at FROM lists WHERE id = ?", (list_id,)
    ).fetchone()
    papers = [
        row[0]
        for row in db.execute(
            "SELECT paper_id FROM list_items WHERE list_id = ? ORDER BY position, paper_id",
            (list_id,),
        )
    ]
    return {"id": list_id, "name": name, "description": description,
            "created_at": created_at, "papers": papers}  # fmt: skip


def put(db: sqlite3.Connection, list_id: int, wanted: Snapshot | None) -> ListStep | None:
    """Make list ``list_id`` exactly ``wanted`` (None: no such list); what that did, or None
    when the list neither was nor is to be.

    Papers deleted since are left out. A name another list took meanwhile gets
    " (restored)" after it, so undo never fails for want of a name.
    """
    existed = db.execute("SELECT name FROM lists WHERE id = ?", (list_id,)).fetchone()
    db.execute("DELETE FROM lists WHERE id = ?", (list_id,))
    if wanted is None:
        return None if existed is None else ListStep(existed[0], gone=True)
    name = wanted["name"]
    while db.execute("SELECT 1 FROM lists WHERE key = ?", (list_key(name),)).fetchone():
        name = f"{name} (restored)"
    db.execute(
        "INSERT INTO lists (id, name, key, description, created_at) VALUES (?, ?, ?, ?, ?)",
        (list_id, name, list_key(name), wanted["description"], wanted["created_at"]),
    )
    db.execute(
        "INSERT INTO list_items (list_id, paper_id, position) "
        "SELECT ?, value, key + 1 FROM json_each(?) WHERE value IN (SELECT id FROM papers)",
        (list_id, json.dumps(wanted["papers"])),
    )
    return ListStep(name, came_back=existed is None)


def record(
    db: sqlite3.Connection, action: int, before: Snapshot | None, after: Snapshot | None
) -> None:
    """Keep a list's change in ``history`` as part of ``action``."""
    db.execute(
        "INSERT INTO history (action, paper_id, old, new, at, kind) "
        "VALUES (?, '', ?, ?, ?, 'list')",
        (action, json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False),
         datetime.now(UTC).isoformat()),
    )  # fmt: skip


def memberships(db: sqlite3.Connection, paper_id: str) -> list[list[int]]:
    """The lists holding ``paper_id``, as [list id, position] pairs (for a deletion's record)."""
    query = "SELECT list_id, position FROM list_items WHERE paper_id = ?"
    return [[int(list_id), int(position)] for list_id, position in db.execute(query, (paper_id,))]


def rejoin(db: sqlite3.Connection, paper_id: str, places: list[list[int]]) -> None:
    """Put a paper that came back into the lists it was in, at its places in them.

    Its deletion left its position free, and the papers around it kept theirs; only
    when a change to the list has numbered it anew since (the place is taken) do the
    papers from there on move down one to make room.
    """
    for list_id, position in places:
        if db.execute("SELECT 1 FROM lists WHERE id = ?", (list_id,)).fetchone() is None:
            continue  # the list was deleted since
        taken = "SELECT 1 FROM list_items WHERE list_id = ? AND position = ?"
        if db.execute(taken, (list_id, position)).fetchone() is not None:
            db.execute(
                "UPDATE list_items SET position = position + 1 WHERE list_id = ? AND position >= ?",
                (list_id, position),
            )
        db.execute(
            "INSERT OR IGNORE INTO list_items (list_id, paper_id, position) VALUES (?, ?, ?)",
            (list_id, paper_id, position),
        )
