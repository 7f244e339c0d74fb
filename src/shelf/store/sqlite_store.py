"""The SQLite store: the source of truth for papers and the user's reading state.

Every user action is one ``BEGIN IMMEDIATE`` transaction. Changes to reading
state are written to ``history`` grouped by action, so ``undo`` works across
runs. Changes to indexed text (metadata, notes) put the paper's id in
``index_queue`` in the same transaction: the search index is brought up to date
from that outbox, so a crash between the two writes is repaired on next open.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shelf.domain import Entry, LibraryError, Paper, ReadingState, StateFilter, Status
from shelf.domain.identity import normalize_doi, normalize_title, parse_arxiv_id
from shelf.store.errors import explain, translate_errors
from shelf.store.recovery import finish_interrupted_repair, reading
from shelf.store.schema import MIGRATIONS, PAPER_COLUMNS, SCHEMA_VERSION

_COLUMNS = (
    "id, title, authors, year, venue, abstract, url, arxiv_id, doi, status, starred, notes, "
    "added_at, status_changed_at, read_at, "
    "(SELECT group_concat(tag, char(31)) FROM tags WHERE tags.paper_id = papers.id) AS tags"
)
_LISTING_ORDER = (
    "CASE status WHEN 'inbox' THEN 0 WHEN 'reading' THEN 1 WHEN 'to-read' THEN 2 "
    "WHEN 'read' THEN 3 ELSE 4 END, added_at DESC, rowid"
)
#: Reading-state columns a user action may change (and undo may restore).
STATE_COLUMNS = frozenset(
    {"status", "starred", "notes", "status_changed_at", "read_at", "added_at", "tags"}
)
_CHUNK = 500
#: How long an open or a write waits for another process's write to finish.
BUSY_SECONDS = 10.0


def now() -> str:
    """The current time as stored: ISO 8601, UTC, microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@translate_errors
class Store:
    """One open library database; callers serialize access (the Library holds a lock)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date.

        A repair that was killed after rebuilding the database is finished first.
        Another process opening (and so perhaps creating or migrating) the same
        library at the same moment is waited for, up to ``BUSY_SECONDS``.
        """
        finish_interrupted_repair(path)
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                return cls._connect(path)
            except sqlite3.OperationalError as err:
                busy = "locked" in str(err) or "busy" in str(err)
                if not busy or time.monotonic() > deadline:
                    raise explain(path, err) from None
                time.sleep(0.05)

    @classmethod
    def _connect(cls, path: Path) -> Store:
        created = not path.exists()
        try:
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            if created:  # notes are private: readable by the user only (journals follow)
                path.chmod(0o600)
        except sqlite3.DatabaseError as err:
            raise LibraryError(f"{path}: cannot open the library database ({err})") from None
        store = cls(connection, path)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            # Refuse a newer database before changing anything in it (its journal mode too).
            if version > SCHEMA_VERSION:
                raise LibraryError(
                    f"{path}: made by a newer shelf "
                    f"(schema {version}, this one knows {SCHEMA_VERSION})"
                )
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA foreign_keys = ON")
            # FULL: a change the screen shows (a triage key, a note draft) survives even a
            # power cut; in WAL mode that is one fsync of the log per transaction.
            connection.execute("PRAGMA synchronous = FULL")
            store._migrate(version)
        except sqlite3.OperationalError:
            connection.close()
            raise  # perhaps busy: the caller decides whether to try again
        except sqlite3.Error as err:
            connection.close()
            raise explain(path, err) from None
        except BaseException:
            connection.close()
            raise
        return store

    @classmethod
    @contextmanager
    def reading(cls, path: Path) -> Iterator[Store]:
        """The database at ``path``, for looking only: nothing is ever written to it.

        For ``doctor --check-only``: no migration, no journal mode change, and a
        log a killed process left is replayed into a copy, never into the library.
        """
        try:
            with reading(path) as connection:
                yield cls(connection, path)
        except sqlite3.Error as err:
            raise explain(path, err) from None

    def _migrate(self, version: int) -> None:
        if 0 < version < SCHEMA_VERSION:
            self.back_up(f"before-schema-{SCHEMA_VERSION}")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            try:
                with self.transaction():
                    # Another process opening the library at the same moment may have
                    # migrated it since the version was read; now the write lock is ours.
                    if self._db.execute("PRAGMA user_version").fetchone()[0] >= number:
                        continue
                    for statement in _statements(MIGRATIONS[number - 1]):
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number}")
            except sqlite3.DatabaseError as err:
                raise LibraryError(
                    f"{self.path}: cannot migrate to schema {number}: {err}"
                ) from None

    def back_up(self, reason: str) -> Path:
        """Copy the database aside (``backups/`` beside it) with SQLite's online backup."""
        folder = self.path.parent / "backups"
        folder.mkdir(mode=0o700, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = folder / f"library-{stamp}-{reason}.db"
        copy = sqlite3.connect(target)
        try:
            self._db.backup(copy)
        finally:
            copy.close()
        target.chmod(0o600)
        return target

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: all of it lands, or none of it."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise explain(self.path, error) from None
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise explain(self.path, error) from None

    # -- papers ------------------------------------------------------------------

    def find_match(self, paper: Paper) -> Entry | None:
        """The stored paper that ``paper`` is another copy of, by arXiv id, DOI or title."""
        if paper.arxiv_id:
            found = self._one("arxiv_id = ?", (paper.arxiv_id,))
            if found:
                return found
        if paper.doi:
            found = self._one("doi = ?", (paper.doi,))
            if found:
                return found
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM papers WHERE title_key = ? ORDER BY rowid",
            (normalize_title(paper.title),),
        ).fetchall()
        for row in rows:
            candidate = _entry(row)
            if _compatible(candidate.paper, paper):
                return candidate
        return None

    def insert(self, paper_id: str, paper: Paper, added_at: str) -> None:
        """Add a new paper in the inbox (inside a transaction)."""
        self._db.execute(
            "INSERT INTO papers (id, title, title_key, authors, year, venue, abstract, url, "
            "arxiv_id, doi, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                paper_id,
                paper.title,
                normalize_title(paper.title),
                json.dumps(list(paper.authors), ensure_ascii=False),
                paper.year,
                paper.venue,
                paper.abstract,
                paper.url,
                paper.arxiv_id,
                paper.doi,
                added_at,
            ),
        )
        self._enqueue(paper_id)

    def update_paper(self, paper_id: str, paper: Paper) -> None:
        """Replace a paper's metadata (inside a transaction); reading state is untouched."""
        doi = paper.doi if paper.doi and not self._taken("doi", paper.doi, paper_id) else None
        arxiv = paper.arxiv_id
        if arxiv and self._taken("arxiv_id", arxiv, paper_id):
            arxiv = None
        self._db.execute(
            "UPDATE papers SET title = ?, title_key = ?, authors = ?, year = ?, venue = ?, "
            "abstract = ?, url = ?, arxiv_id = coalesce(?, arxiv_id), doi = coalesce(?, doi), "
            "rev = rev + 1 WHERE id = ?",
            (
                paper.title,
                normalize_title(paper.title),
                json.dumps(list(paper.authors), ensure_ascii=False),
                paper.year,
                paper.venue,
                paper.abstract,
                paper.url,
                arxiv,
                doi,
                paper_id,
            ),
        )
        self._enqueue(paper_id)

    def existing(self, paper_ids: Iterable[str]) -> set[str]:
        """Which of ``paper_ids`` the store holds."""
        found: set[str] = set()
        ids = list(paper_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self._db.execute(f"SELECT id FROM papers WHERE id IN ({marks})", chunk)
            )
        return found

    def id_exists(self, paper_id: str) -> bool:
        return (
            self._db.execute("SELECT 1 FROM papers WHERE id = ?", (paper_id,)).fetchone()
            is not None
        )

    def get(self, paper_id: str) -> Entry | None:
        return self._one("id = ?", (paper_id,))

    def get_many(self, paper_ids: Iterable[str]) -> dict[str, Entry]:
        """The entries with these ids (missing ids are left out)."""
        found: dict[str, Entry] = {}
        ids = list(paper_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT {_COLUMNS} FROM papers WHERE id IN ({marks})", chunk
            ):
                entry = _entry(row)
                found[entry.id] = entry
        return found

    def resolve(self, ref: str) -> str | None:
        """The id of the paper ``ref`` names: its short id, arXiv id or DOI.

        arXiv ids and DOIs are read the way imports store them, so a version
        suffix, an ``arXiv:`` or ``doi:`` prefix or a full URL still finds the paper.
        """
        ref = ref.strip()
        candidates = (
            ("id", ref.lower()),
            ("arxiv_id", ref),
            ("arxiv_id", parse_arxiv_id(ref)),
            ("doi", normalize_doi(ref)),
        )
        for column, value in candidates:
            if not value:
                continue
            row = self._db.execute(f"SELECT id FROM papers WHERE {column} = ?", (value,)).fetchone()
            if row:
                return str(row[0])
        return None

    def list_entries(self, state: StateFilter, limit: int | None = None) -> list[Entry]:
        """Entries passing ``state``, inbox first, newest first."""
        where, params = _where(state)
        sql = f"SELECT {_COLUMNS} FROM papers {where} ORDER BY {_LISTING_ORDER}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_entry(row) for row in self._db.execute(sql, params)]

    def count(self, state: StateFilter | None = None) -> int:
        where, params = _where(state or StateFilter())
        return int(self._db.execute(f"SELECT count(*) FROM papers {where}", params).fetchone()[0])

    def ids_matching(self, state: StateFilter, invert: bool = False) -> set[str]:
        """Ids of papers passing ``state`` (or, with ``invert``, of those it stops)."""
        where, params = _where(state)
        if invert and where:
            where = f"WHERE NOT ({where.removeprefix('WHERE ')})"
        return {row[0] for row in self._db.execute(f"SELECT id FROM papers {where}", params)}

    def revisions(self) -> dict[str, int]:
        """Every paper id with the revision of its indexed text."""
        return {row[0]: row[1] for row in self._db.execute("SELECT id, rev FROM papers")}

    def iter_index_docs(self, paper_ids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """The fields the search index needs, for some papers or (``None``) all of them."""
        sql = "SELECT id, rev, title, authors, year, venue, abstract, notes FROM papers"
        if paper_ids is None:
            rows: Iterable[sqlite3.Row | tuple[Any, ...]] = self._db.execute(sql)
            yield from (_index_doc(row) for row in rows)
            return
        ids = list(paper_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"{sql} WHERE id IN ({marks})", chunk):
                yield _index_doc(row)

    # -- reading state and undo -------------------------------------------------------

    def change_state(
        self, paper_id: str, changes: Mapping[str, Any], action: int, *, amend: bool = False
    ) -> bool:
        """Apply reading-state ``changes`` (inside a transaction), recording them for undo.

        With ``amend``, a change ``action`` already recorded for this paper is
        extended instead (its old values stay the ones undo brings back), so notes
        saved again and again while being typed are one undoable change.
        Returns False when nothing actually changed (and records nothing).
        """
        current = self._state_columns(paper_id, changes.keys())
        new = {key: value for key, value in changes.items() if current.get(key) != value}
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
        if recorded is not None:
            seq, old_json, new_json = recorded
            old = json.loads(old_json)
            old.update({key: current.get(key) for key in new if key not in old})
            self._db.execute(
                "UPDATE history SET old = ?, new = ?, at = ? WHERE seq = ?",
                (json.dumps(old), json.dumps({**json.loads(new_json), **new}), now(), seq),
            )
            return True
        old = {key: current.get(key) for key in new}
        self._db.execute(
            "INSERT INTO history (action, paper_id, old, new, at) VALUES (?, ?, ?, ?, ?)",
            (action, paper_id, json.dumps(old), json.dumps(new), now()),
        )
        return True

    def restore_state(self, paper_id: str, state: ReadingState, action: int) -> bool:
        """Make a paper's reading state exactly ``state`` (inside a transaction), as one
        undoable change; returns False when it already was.
        """
        changes: dict[str, Any] = {
            "status": state.status.value,
            "starred": state.starred,
            "notes": state.notes,
            "tags": sorted(state.tags),
            "status_changed_at": _stamp(state.status_changed_at),
            "read_at": _stamp(state.read_at),
        }
        if state.added_at is not None:
            changes["added_at"] = _stamp(state.added_at)
        return self.change_state(paper_id, changes, action)

    def last_action(self) -> int | None:
        """The most recent action in history (None when there is none)."""
        row = self._db.execute("SELECT max(action) FROM history").fetchone()
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
        row = self._db.execute("SELECT coalesce(max(action), 0) + 1 FROM history").fetchone()
        return int(row[0])

    def delete(self, paper_id: str, action: int) -> bool:
        """Remove a paper with its reading state (inside a transaction), as one undoable change.

        The whole row and its tags are kept in ``history``, so ``undo`` brings the
        paper back as it was, id included. Returns False when there is no such paper.
        """
        columns = ", ".join(PAPER_COLUMNS)
        query = f"SELECT {columns}, rowid FROM papers WHERE id = ?"
        row = self._db.execute(query, (paper_id,)).fetchone()
        if row is None:
            return False
        old = dict(zip(PAPER_COLUMNS, row[:-1], strict=True))
        old["tags"] = self._tags(paper_id)
        old["rowid"] = row[-1]  # its place in the listing, given back by undo
        self._db.execute(
            "INSERT INTO history (action, paper_id, old, new, at, kind) "
            "VALUES (?, ?, ?, 'null', ?, 'delete')",
            (action, paper_id, json.dumps(old, ensure_ascii=False), now()),
        )
        self._db.execute("DELETE FROM papers WHERE id = ?", (paper_id,))
        # The index drops it when it syncs: the outbox names a paper the store lacks.
        self._db.execute(
            "INSERT OR REPLACE INTO index_queue (paper_id, rev) VALUES (?, ?)",
            (paper_id, old["rev"] + 1),
        )
        return True

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
        self._enqueue(paper_id)

    def undo(self) -> list[tuple[str, dict[str, Any]]]:
        """Revert the last recorded action (inside a transaction); what was restored, per paper.

        A deleted paper comes back whole; its values are ``{"deleted": True}``.
        """
        row = self._db.execute("SELECT max(action) FROM history").fetchone()
        if row[0] is None:
            return []
        action = row[0]
        restored: list[tuple[str, dict[str, Any]]] = []
        rows = self._db.execute(
            "SELECT seq, paper_id, old, kind FROM history WHERE action = ? ORDER BY seq DESC",
            (action,),
        ).fetchall()
        for _seq, paper_id, old, kind in rows:
            values = json.loads(old)
            if kind == "delete":
                if not self.id_exists(paper_id):
                    self._undelete(values)
                restored.append((paper_id, {"deleted": True}))
            elif self.id_exists(paper_id):
                self._write_state(paper_id, values)
                restored.append((paper_id, values))
        self._db.execute("DELETE FROM history WHERE action = ?", (action,))
        return restored

    def history_depth(self) -> int:
        return int(self._db.execute("SELECT count(DISTINCT action) FROM history").fetchone()[0])

    def _state_columns(self, paper_id: str, keys: Iterable[str]) -> dict[str, Any]:
        names = ("status", "starred", "notes", "status_changed_at", "read_at", "added_at")
        row = self._db.execute(
            f"SELECT {', '.join(names)} FROM papers WHERE id = ?", (paper_id,)
        ).fetchone()
        if row is None:
            return {}
        values: dict[str, Any] = dict(zip(names, row, strict=True))
        values["starred"] = bool(values["starred"])
        if "tags" in keys:
            values["tags"] = self._tags(paper_id)
        return values

    def _write_state(self, paper_id: str, values: Mapping[str, Any]) -> None:
        columns = {key: value for key, value in values.items() if key != "tags"}
        unknown = set(values) - STATE_COLUMNS
        if unknown:
            raise ValueError(f"not reading-state columns: {sorted(unknown)}")
        if columns:
            assignments = ", ".join(f"{key} = ?" for key in columns)
            params = [int(v) if isinstance(v, bool) else v for v in columns.values()]
            self._db.execute(f"UPDATE papers SET {assignments} WHERE id = ?", [*params, paper_id])
        if "notes" in values:
            self._db.execute("UPDATE papers SET rev = rev + 1 WHERE id = ?", (paper_id,))
            self._enqueue(paper_id)
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

    # -- summaries ---------------------------------------------------------------------

    def counts_by_status(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for status, count in self._db.execute(
            "SELECT status, count(*) FROM papers GROUP BY status"
        ):
            counts[Status(status)] = count
        return counts

    def tag_counts(self) -> dict[str, int]:
        rows = self._db.execute(
            "SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY count(*) DESC, tag"
        )
        return {tag: count for tag, count in rows}

    def starred_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM papers WHERE starred = 1").fetchone()[0])

    # -- the index outbox and integrity ---------------------------------------------------

    def _enqueue(self, paper_id: str) -> None:
        """Ask for ``paper_id`` to be (re)indexed at its current revision."""
        self._db.execute(
            "INSERT OR REPLACE INTO index_queue (paper_id, rev) "
            "SELECT id, rev FROM papers WHERE id = ?",
            (paper_id,),
        )

    def queue_all_for_index(self) -> None:
        """Ask for every paper to be (re)indexed (inside a transaction), before a rebuild."""
        self._db.execute(
            "INSERT OR REPLACE INTO index_queue (paper_id, rev) SELECT id, rev FROM papers"
        )

    def queued_for_index(self) -> dict[str, int]:
        """Papers waiting to be indexed, each with the revision it was queued at."""
        return {row[0]: row[1] for row in self._db.execute("SELECT paper_id, rev FROM index_queue")}

    def clear_index_queue(self, queued: Mapping[str, int] | None = None) -> None:
        """Forget queued papers once indexed; an entry queued again since then stays."""
        if queued is None:
            self._db.execute("DELETE FROM index_queue")
            return
        self._db.executemany(
            "DELETE FROM index_queue WHERE paper_id = ? AND rev <= ?", list(queued.items())
        )

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` and ``foreign_key_check`` report (empty when sound)."""
        rows = self._db.execute("PRAGMA integrity_check").fetchall()
        problems = [row[0] for row in rows if row[0] != "ok"]
        problems += [
            f"dangling tag row for {row[0]}" for row in self._db.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _one(self, condition: str, params: tuple[Any, ...]) -> Entry | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM papers WHERE {condition}", params
        ).fetchone()
        return None if row is None else _entry(row)

    def _taken(self, column: str, value: str, paper_id: str) -> bool:
        row = self._db.execute(
            f"SELECT 1 FROM papers WHERE {column} = ? AND id != ?", (value, paper_id)
        ).fetchone()
        return row is not None


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


def _compatible(stored: Paper, incoming: Paper) -> bool:
    """Same normalized title: the same paper unless year, arXiv id or DOI disagree."""
    if stored.year is not None and incoming.year is not None and stored.year != incoming.year:
        return False
    if stored.arxiv_id and incoming.arxiv_id and stored.arxiv_id != incoming.arxiv_id:
        return False
    return not (stored.doi and incoming.doi and stored.doi != incoming.doi)


def _where(state: StateFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if state.statuses:
        clauses.append(f"status IN ({','.join('?' * len(state.statuses))})")
        params += sorted(s.value for s in state.statuses)
    if state.excluded_statuses:
        clauses.append(f"status NOT IN ({','.join('?' * len(state.excluded_statuses))})")
        params += sorted(s.value for s in state.excluded_statuses)
    for tag in sorted(state.tags):
        clauses.append("EXISTS (SELECT 1 FROM tags WHERE paper_id = papers.id AND tag = ?)")
        params.append(tag)
    if state.excluded_tags:
        marks = ",".join("?" * len(state.excluded_tags))
        clauses.append(
            f"NOT EXISTS (SELECT 1 FROM tags WHERE paper_id = papers.id AND tag IN ({marks}))"
        )
        params += sorted(state.excluded_tags)
    if state.starred is not None:
        clauses.append("starred = ?")
        params.append(int(state.starred))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="microseconds") if value else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _entry(row: tuple[Any, ...]) -> Entry:
    (paper_id, title, authors, year, venue, abstract, url, arxiv_id, doi, status, starred,
     notes, added_at, status_changed_at, read_at, tags) = row  # fmt: skip
    paper = Paper(
        title=title,
        authors=tuple(json.loads(authors)),
        year=year,
        venue=venue,
        abstract=abstract,
        url=url,
        arxiv_id=arxiv_id,
        doi=doi,
    )
    state = ReadingState(
        status=Status(status),
        starred=bool(starred),
        tags=tuple(sorted(tags.split("\x1f"))) if tags else (),
        notes=notes,
        added_at=_time(added_at),
        status_changed_at=_time(status_changed_at),
        read_at=_time(read_at),
    )
    return Entry(id=paper_id, paper=paper, state=state)


def _index_doc(row: Any) -> dict[str, Any]:
    paper_id, rev, title, authors, year, venue, abstract, notes = row
    return {
        "id": paper_id,
        "rev": rev,
        "title": title,
        "authors": " ; ".join(json.loads(authors)),
        "year": year,
        "venue": venue,
        "abstract": abstract,
        "notes": notes,
    }
