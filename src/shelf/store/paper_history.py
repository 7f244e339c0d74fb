"""A paper's metadata changed by the user (a merge), with its history: undo puts it back.

An import's merge of metadata is not an action of the user's and keeps no
history; a ``shelf merge`` is, and records the survivor's metadata columns
before and after in a ``history`` row of kind ``'paper'``. ``History.undo`` and
``redo`` write them back through ``write_paper``. Also here: what finding
duplicates reads of every paper.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from shelf.domain import Paper
from shelf.domain.duplicates import Candidate
from shelf.store import outbox
from shelf.store.rows import paper_values

#: The history kind of a change to a paper's metadata.
PAPER_KIND = "paper"
#: The columns a metadata change records (``paper_values``'s, ``title_key`` included).
METADATA_COLUMNS = tuple(paper_values(Paper(title="")))
_UNIQUE = ("arxiv_id", "doi")


class PaperHistory:
    """The metadata half of the store's history (mixed into ``Store``)."""

    _db: sqlite3.Connection

    def change_paper(self, paper_id: str, paper: Paper, action: int) -> bool:
        """Give a paper the metadata ``paper`` holds (inside a transaction), recording the
        old and new columns for undo as part of ``action``. False when nothing changed
        (or there is no such paper); an arXiv id or DOI another paper has is left out."""
        row = self._db.execute(
            f"SELECT {', '.join(METADATA_COLUMNS)} FROM papers WHERE id = ?", (paper_id,)
        ).fetchone()
        if row is None:
            return False
        current = dict(zip(METADATA_COLUMNS, row, strict=True))
        wanted = paper_values(paper)
        new = {name: value for name, value in wanted.items() if current[name] != value}
        new = write_paper(self._db, paper_id, new)
        if not new:
            return False
        old = {name: current[name] for name in new}
        self._db.execute(
            "INSERT INTO history (action, paper_id, old, new, at, kind) VALUES (?, ?, ?, ?, ?, ?)",
            (action, paper_id, json.dumps(old, ensure_ascii=False),
             json.dumps(new, ensure_ascii=False), _now(), PAPER_KIND),
        )  # fmt: skip
        return True

    def duplicate_candidates(self) -> list[Candidate]:
        """Every paper's id, title key and first author, in the order they were added."""
        rows = self._db.execute(
            "SELECT id, title_key, coalesce(json_extract(authors, '$[0]'), '') "
            "FROM papers ORDER BY rowid"
        )
        return [Candidate(row[0], row[1], str(row[2])) for row in rows]


def write_paper(db: sqlite3.Connection, paper_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """Write metadata columns of a paper, as a new revision for the index; returns what
    was written (an arXiv id or DOI another paper has is left as it was)."""
    unknown = set(values) - set(METADATA_COLUMNS)
    if unknown:
        raise ValueError(f"not metadata columns: {sorted(unknown)}")
    values = {
        name: value
        for name, value in values.items()
        if not (name in _UNIQUE and value is not None and _taken(db, name, value, paper_id))
    }
    if values:
        assignments = ", ".join(f"{name} = ?" for name in values)
        db.execute(
            f"UPDATE papers SET {assignments}, rev = rev + 1 WHERE id = ?",
            [*values.values(), paper_id],
        )
        outbox.enqueue(db, paper_id)
    return values


def _taken(db: sqlite3.Connection, column: str, value: object, paper_id: str) -> bool:
    query = f"SELECT 1 FROM papers WHERE {column} = ? AND id != ?"
    return db.execute(query, (value, paper_id)).fetchone() is not None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
