"""Reading-state changes with their history: every user action is undoable, across runs.

A change writes the fields it sets and records their old and new values in
``history``, grouped by action. A deletion records the whole row (tags and
place in the listing included), so undo brings the paper back as it was; a
merge also records the survivor's metadata (``paper_history``). The
JSON in ``history`` is keyed by column: it never leaves the store.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shelf.domain import Field, ReadingState, Reverted, StateChange
from shelf.domain.reading_list import ListStep
from shelf.store import lists, outbox
from shelf.store.errors import translate_errors
from shelf.store.paper_history import PAPER_KIND, write_paper
from shelf.store.rows import STATE_COLUMNS, fields_of, state_values
from shelf.store.schema import PAPER_COLUMNS

_SCALARS = tuple(column for field, column in STATE_COLUMNS.items() if field is not Field.TAGS)
#: A deleted paper's reading state, as its history row keeps it (tags included).
_STATE = (*_SCALARS, "tags")


def now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


@translate_errors
class History:
    """The reading-state half of the store (mixed into ``Store``)."""

    _db: sqlite3.Connection
    path: Path

    def change_state(
        self, paper_id: str, change: StateChange, action: int, *, amend: bool = False
    ) -> bool:
        """Apply ``change`` (inside a transaction), recording it for undo as part of ``action``.

        With ``amend``, what ``action`` already recorded for this paper is extended
        instead (its old values stay the ones undo brings back), so notes saved again
        and again while being typed are one undoable change. Returns False when
        nothing actually changed (and records nothing).
        """
        wanted = state_values(change.state, change.fields)
        current = self._state_columns(paper_id, wanted.keys())
        new = {key: value for key, value in wanted.items() if current.get(key) != value}
        if not new:
            return False
        self._write_state(paper_id, new)
        recorded = None
        if amend:
            recorded = self._db.execute(
                "SELECT seq, old, new FROM history WHERE action = ? AND paper_id = ? "
                "AND kind = 'state'",
                (action, paper_id),
            ).fetchone()
        stamp = now().isoformat(timespec="microseconds")
        if recorded is not None:
            seq, old_json, new_json = recorded
            old = json.loads(old_json)
            old.update({key: current.get(key) for key in new if key not in old})
            self._db.execute(
                "UPDATE history SET old = ?, new = ?, at = ? WHERE seq = ?",
                (json.dumps(old), json.dumps({**json.loads(new_json), **new}), stamp, seq),
            )
            return True
        old = {key: current.get(key) for key in new}
        self._db.execute(
            "INSERT INTO history (action, paper_id, old, new, at) VALUES (?, ?, ?, ?, ?)",
            (action, paper_id, json.dumps(old), json.dumps(new), stamp),
        )
        return True

    def restore_state(self, paper_id: str, state: ReadingState, action: int) -> bool:
        """Make a paper's reading state exactly ``state`` (inside a transaction), as part of
        ``action``; returns False when it already was."""
        return self.change_state(paper_id, StateChange.whole(state), action)

    def last_action(self) -> int | None:
        """The most recent action in history (None when there is none)."""
        row = self._db.execute("SELECT max(action) FROM history WHERE undone = 0").fetchone()
        return None if row[0] is None else int(row[0])

    def only_notes_of(self, action: int, paper_id: str) -> bool:
        """True when ``action`` changed nothing but this paper's notes."""
        rows = self._db.execute(
            "SELECT paper_id, kind, new FROM history WHERE action = ?", (action,)
        ).fetchall()
        return bool(rows) and all(
            row[0] == paper_id and row[1] == "state" and set(json.loads(row[2])) == {"notes"}
            for row in rows
        )

    def next_action(self) -> int:
        """A new action's number (inside a transaction): what was undone can no longer be
        redone."""
        self._db.execute("DELETE FROM history WHERE undone = 1")
        row = self._db.execute("SELECT coalesce(max(action), 0) + 1 FROM history").fetchone()
        return int(row[0])

    def forget_action(self, action: int) -> None:
        """Keep no record of ``action`` (inside a transaction): it is no step for undo."""
        self._db.execute("DELETE FROM history WHERE action = ?", (action,))

    def history_depth(self) -> int:
        query = "SELECT count(DISTINCT action) FROM history WHERE undone = 0"
        return int(self._db.execute(query).fetchone()[0])

    def delete(self, paper_id: str, action: int) -> bool:
        """Remove a paper with its reading state (inside a transaction), as part of ``action``.

        The whole row and its tags are kept in ``history``, so ``undo`` brings the
        paper back as it was, id and place included. False when there is no such paper.
        """
        columns = ", ".join(PAPER_COLUMNS)
        query = f"SELECT {columns}, rowid FROM papers WHERE id = ?"
        row = self._db.execute(query, (paper_id,)).fetchone()
        if row is None:
            return False
        old = dict(zip(PAPER_COLUMNS, row[:-1], strict=True))
        old["tags"] = self._tags(paper_id)
        old["lists"] = lists.memberships(self._db, paper_id)
        old["rowid"] = row[-1]  # its place in the listing, given back by undo
        self._db.execute(
            "INSERT INTO history (action, paper_id, old, new, at, kind) "
            "VALUES (?, ?, ?, 'null', ?, 'delete')",
            (action, paper_id, json.dumps(old, ensure_ascii=False), now().isoformat()),
        )
        self._db.execute("DELETE FROM papers WHERE id = ?", (paper_id,))
        # The index drops it when it syncs: the outbox names a paper the store lacks.
        outbox.enqueue_removed(self._db, paper_id, old["rev"] + 1)
        return True

    def undo(self) -> list[Reverted | ListStep]:
        """Revert the last recorded action (inside a transaction); what came back, per paper
        (and per reading list)."""
        action = self.last_action()
        if action is None:
            return []
        reverted: list[Reverted | ListStep] = []
        listed: dict[int, ListStep] = {}  # per list, what all its steps did in the end
        rows = self._db.execute(
            "SELECT paper_id, old, kind, new FROM history WHERE action = ? ORDER BY seq DESC",
            (action,),
        ).fetchall()
        for paper_id, old, kind, new in rows:
            values = json.loads(old)
            if kind == "list":
                list_id = _list_id(values, new)
                if step := lists.put(self._db, list_id, values):
                    listed[list_id] = _then(listed.get(list_id), step)
            elif kind == "delete":
                if self._exists(paper_id):
                    # Imported again since its deletion: the new row keeps its metadata and
                    # takes back the reading state the deletion took (redo deletes it again,
                    # keeping that state in the history once more).
                    self._write_state(paper_id, {c: values[c] for c in _STATE if c in values})
                    lists.rejoin(self._db, paper_id, values.get("lists", []))
                else:
                    self._undelete(values)
                reverted.append(Reverted(paper_id, came_back=True))
            elif kind == PAPER_KIND and self._exists(paper_id):
                write_paper(self._db, paper_id, values)
                reverted.append(Reverted(paper_id, metadata=True))
            elif self._exists(paper_id):
                self._write_state(paper_id, values)
                reverted.append(Reverted(paper_id, fields_of(values)))
        self._db.execute("UPDATE history SET undone = 1 WHERE action = ?", (action,))
        return reverted + list(listed.values())

    def redoable(self) -> list[str]:
        """The papers ``redo`` would change, in the order it changes them."""
        action = self._next_to_redo()
        query = "SELECT paper_id FROM history WHERE action = ? AND kind != 'list' ORDER BY seq"
        return [row[0] for row in self._db.execute(query, (action,))]

    def _next_to_redo(self) -> int | None:
        """The action the last undo reverted (undos go newest first: the oldest undone)."""
        row = self._db.execute("SELECT min(action) FROM history WHERE undone = 1").fetchone()
        return None if row[0] is None else int(row[0])

    def redo(self) -> list[Reverted | ListStep]:
        """Make again (inside a transaction) the action the last undo reverted; per paper,
        what it set again, or that it deleted the paper again."""
        action = self._next_to_redo()
        if action is None:
            return []
        rows = self._db.execute(
            "SELECT seq, paper_id, new, kind, old FROM history WHERE action = ? ORDER BY seq",
            (action,),
        ).fetchall()
        done: list[Reverted | ListStep] = []
        listed: dict[int, ListStep] = {}
        for seq, paper_id, new, kind, old in rows:
            if kind == "list":
                values = json.loads(new)
                list_id = _list_id(values, old)
                if step := lists.put(self._db, list_id, values):
                    listed[list_id] = _then(listed.get(list_id), step)
                continue
            if not self._exists(paper_id):
                continue  # deleted since, by an import's merge or another shelf
            if kind == "delete":
                # The paper's row as it is now goes into a new record, for undo again, in
                # the old record's place: undo goes back in that order (a merge's survivor
                # gives back the DOI before the other copy comes back with it).
                self._db.execute("DELETE FROM history WHERE seq = ?", (seq,))
                self.delete(paper_id, action)
                self._db.execute(
                    "UPDATE history SET seq = ? WHERE action = ? AND paper_id = ? "
                    "AND kind = 'delete'",
                    (seq, action, paper_id),
                )
                done.append(Reverted(paper_id, gone=True))
            elif kind == PAPER_KIND:
                write_paper(self._db, paper_id, json.loads(new))
                done.append(Reverted(paper_id, metadata=True))
            else:
                values = json.loads(new)
                self._write_state(paper_id, values)
                done.append(Reverted(paper_id, fields_of(values)))
        self._db.execute("UPDATE history SET undone = 0 WHERE action = ?", (action,))
        return done + list(listed.values())

    def _undelete(self, old: dict[str, Any]) -> None:
        """Put a deleted paper's row back (an arXiv id or DOI taken since is left off)."""
        row = {name: old.get(name) for name in PAPER_COLUMNS}
        paper_id = str(row["id"])
        row["rev"] = int(row["rev"] or 0) + 2  # past the revision its deletion queued
        for unique in ("arxiv_id", "doi"):
            taken = row[unique]
            if taken is not None and self._taken(unique, str(taken), paper_id):
                row[unique] = None
        rowid = old.get("rowid")
        if (
            rowid is not None
            and self._db.execute("SELECT 1 FROM papers WHERE rowid = ?", (rowid,)).fetchone()
        ):
            rowid = None  # taken since: the paper comes back at the end of its group
        marks = ", ".join("?" * (len(PAPER_COLUMNS) + 1))
        self._db.execute(
            f"INSERT INTO papers ({', '.join(PAPER_COLUMNS)}, rowid) VALUES ({marks})",
            [*(row[name] for name in PAPER_COLUMNS), rowid],
        )
        self._db.executemany(
            "INSERT INTO tags (paper_id, tag) VALUES (?, ?)",
            [(paper_id, tag) for tag in old.get("tags", [])],
        )
        lists.rejoin(self._db, paper_id, old.get("lists", []))
        outbox.enqueue(self._db, paper_id)

    def _state_columns(self, paper_id: str, keys: Any) -> dict[str, Any]:
        row = self._db.execute(
            f"SELECT {', '.join(_SCALARS)} FROM papers WHERE id = ?", (paper_id,)
        ).fetchone()
        if row is None:
            return {}
        values: dict[str, Any] = dict(zip(_SCALARS, row, strict=True))
        values["starred"] = bool(values["starred"])
        if "tags" in keys:
            values["tags"] = self._tags(paper_id)
        return values

    def _write_state(self, paper_id: str, values: dict[str, Any]) -> None:
        columns = {key: value for key, value in values.items() if key != "tags"}
        unknown = set(values) - set(STATE_COLUMNS.values())
        if unknown:
            raise ValueError(f"not reading-state columns: {sorted(unknown)}")
        if columns:
            assignments = ", ".join(f"{key} = ?" for key in columns)
            params = [int(v) if isinstance(v, bool) else v for v in columns.values()]
            self._db.execute(f"UPDATE papers SET {assignments} WHERE id = ?", [*params, paper_id])
        if "notes" in values:  # notes are indexed: a new revision for the index
            self._db.execute("UPDATE papers SET rev = rev + 1 WHERE id = ?", (paper_id,))
            outbox.enqueue(self._db, paper_id)
        if "tags" in values:
            self._db.execute("DELETE FROM tags WHERE paper_id = ?", (paper_id,))
            self._db.executemany(
                "INSERT INTO tags (paper_id, tag) VALUES (?, ?)",
                [(paper_id, tag) for tag in values["tags"]],
            )

    def _tags(self, paper_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT tag FROM tags WHERE paper_id = ? ORDER BY tag", (paper_id,)
        ).fetchall()
        return [row[0] for row in rows]

    def _taken(self, column: str, value: str, paper_id: str) -> bool:
        """Whether another paper than ``paper_id`` has ``value`` in a unique ``column``."""
        row = self._db.execute(
            f"SELECT 1 FROM papers WHERE {column} = ? AND id != ?", (value, paper_id)
        ).fetchone()
        return row is not None

    def _exists(self, paper_id: str) -> bool:
        return (
            self._db.execute("SELECT 1 FROM papers WHERE id = ?", (paper_id,)).fetchone()
            is not None
        )


def _list_id(snapshot: dict[str, Any] | None, other_json: str) -> int:
    """The id of the list a history row records (one side of it may be no list)."""
    return int((snapshot or json.loads(other_json))["id"])


def _then(before: ListStep | None, step: ListStep) -> ListStep:
    """What two steps of one action did to a list, together: it came back if it was not
    there before the first, and is gone if the last deleted it."""
    if before is None:
        return step
    return ListStep(step.name, came_back=before.came_back and not step.gone, gone=step.gone)
