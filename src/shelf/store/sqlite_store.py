"""The SQLite store: the source of truth for papers and the user's reading state.

Every user action is one ``BEGIN IMMEDIATE`` transaction. Reading-state changes
and their undo history are ``history.History``'s half of the class; changes to
indexed text queue the paper in the index outbox (``outbox``) in the same
transaction, so a crash between the store's write and the index's is repaired
by the next sync. Rows become domain objects in ``rows``.
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

from shelf.domain import (
    Entry,
    IndexedText,
    LibraryError,
    Paper,
    Sort,
    StateFilter,
    Status,
)
from shelf.domain.identity import normalize_doi, normalize_title, parse_arxiv_id
from shelf.store import outbox
from shelf.store.attachments import Attachments
from shelf.store.errors import explain, translate_errors
from shelf.store.feeds import FeedStore
from shelf.store.history import History, now
from shelf.store.lists import Lists
from shelf.store.paper_history import PaperHistory
from shelf.store.recovery import finish_interrupted_repair, reading
from shelf.store.rows import (
    INDEXED_COLUMNS,
    ORDERS,
    SELECT_ENTRY,
    entry,
    indexed_text,
    paper_values,
    stamp,
    where,
)
from shelf.store.schema import SCHEMA_VERSION, migrate
from shelf.store.summaries import Summaries

_CHUNK = 500
#: How long an open or a write waits for another process's write to finish.
BUSY_SECONDS = 10.0

__all__ = ["BUSY_SECONDS", "Store", "now"]


@translate_errors
class Store(History, PaperHistory, Summaries, Lists, Attachments, FeedStore):
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
        try:
            migrate(self._db, self.transaction)
        except sqlite3.DatabaseError as err:
            raise LibraryError(f"{self.path}: {err}") from None

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
            f"SELECT {SELECT_ENTRY} FROM papers WHERE title_key = ? ORDER BY rowid",
            (normalize_title(paper.title),),
        ).fetchall()
        for row in rows:
            candidate = entry(row)
            if _compatible(candidate.paper, paper):
                return candidate
        return None

    def insert(self, paper_id: str, paper: Paper, added_at: datetime) -> None:
        """Add a new paper in the inbox (inside a transaction)."""
        values = {"id": paper_id, **paper_values(paper), "added_at": stamp(added_at)}
        marks = ", ".join("?" * len(values))
        self._db.execute(
            f"INSERT INTO papers ({', '.join(values)}) VALUES ({marks})", list(values.values())
        )
        outbox.enqueue(self._db, paper_id)

    def update_paper(self, paper_id: str, paper: Paper) -> None:
        """Replace a paper's metadata (inside a transaction); reading state is untouched.

        An arXiv id or DOI another paper already has is left as it was.
        """
        values = paper_values(paper)
        for unique in ("arxiv_id", "doi"):
            if values[unique] and self._taken(unique, values[unique], paper_id):
                values[unique] = None
        assignments = ", ".join(
            f"{name} = coalesce(?, {name})" if name in ("arxiv_id", "doi") else f"{name} = ?"
            for name in values
        )
        self._db.execute(
            f"UPDATE papers SET {assignments}, rev = rev + 1 WHERE id = ?",
            [*values.values(), paper_id],
        )
        outbox.enqueue(self._db, paper_id)

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
        return self._exists(paper_id)

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
                f"SELECT {SELECT_ENTRY} FROM papers WHERE id IN ({marks})", chunk
            ):
                found_entry = entry(row)
                found[found_entry.id] = found_entry
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

    def list_entries(
        self, state: StateFilter, limit: int | None = None, sort: Sort = Sort.RELEVANCE
    ) -> list[Entry]:
        """Entries passing ``state``, in ``sort`` order (by default inbox first, newest first)."""
        condition, params = where(state)
        sql = f"SELECT {SELECT_ENTRY} FROM papers {condition} ORDER BY {ORDERS[sort]}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [entry(row) for row in self._db.execute(sql, params)]

    def sorted_entries(self, paper_ids: Iterable[str], sort: Sort, limit: int) -> list[Entry]:
        """The first ``limit`` entries of ``paper_ids`` in ``sort`` order (the ids are handed
        over as one JSON array: a search may match the whole library)."""
        sql = (
            f"SELECT {SELECT_ENTRY} FROM papers WHERE id IN (SELECT value FROM json_each(?)) "
            f"ORDER BY {ORDERS[sort]} LIMIT ?"
        )
        return [entry(row) for row in self._db.execute(sql, (json.dumps(list(paper_ids)), limit))]

    def count(self, state: StateFilter | None = None) -> int:
        condition, params = where(state or StateFilter())
        query = f"SELECT count(*) FROM papers {condition}"
        return int(self._db.execute(query, params).fetchone()[0])

    def ids_matching(self, state: StateFilter, invert: bool = False) -> set[str]:
        """Ids of papers passing ``state`` (or, with ``invert``, of those it stops)."""
        condition, params = where(state)
        if invert and condition:
            condition = f"WHERE NOT ({condition.removeprefix('WHERE ')})"
        return {row[0] for row in self._db.execute(f"SELECT id FROM papers {condition}", params)}

    def listed(self, state: StateFilter) -> list[tuple[str, Status]]:
        """(id, status) of the papers passing ``state``, inbox first, newest first."""
        condition, params = where(state)
        sql = f"SELECT id, status FROM papers {condition} ORDER BY {ORDERS[Sort.RELEVANCE]}"
        return [(row[0], Status(row[1])) for row in self._db.execute(sql, params)]

    def statuses(self, paper_ids: Iterable[str]) -> dict[str, Status]:
        """The status of each of these papers (an id the store lacks is left out)."""
        sql = "SELECT id, status FROM papers WHERE id IN (SELECT value FROM json_each(?))"
        rows = self._db.execute(sql, (json.dumps(list(paper_ids)),))
        return {row[0]: Status(row[1]) for row in rows}

    def revisions(self) -> dict[str, int]:
        """Every paper id with the revision of its indexed text."""
        return {row[0]: row[1] for row in self._db.execute("SELECT id, rev FROM papers")}

    def iter_index_docs(self, paper_ids: Iterable[str] | None = None) -> Iterator[IndexedText]:
        """What the search index holds of some papers, or (``None``) of all of them."""
        sql = f"SELECT {', '.join(INDEXED_COLUMNS)} FROM papers"
        if paper_ids is None:
            yield from (indexed_text(row) for row in self._db.execute(sql))
            return
        ids = list(paper_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"{sql} WHERE id IN ({marks})", chunk):
                yield indexed_text(row)

    # -- the index outbox and integrity ---------------------------------------------------

    def queue_all_for_index(self) -> None:
        """Ask for every paper to be (re)indexed (inside a transaction), before a rebuild."""
        outbox.enqueue_all(self._db)

    def queued_for_index(self) -> dict[str, int]:
        """Papers waiting to be indexed, each with the revision it was queued at."""
        return outbox.queued(self._db)

    def clear_index_queue(self, queued: Mapping[str, int] | None = None) -> None:
        """Forget queued papers once indexed; an entry queued again since then stays."""
        outbox.clear(self._db, queued)

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` and ``foreign_key_check`` report (empty when sound)."""
        rows = self._db.execute("PRAGMA integrity_check").fetchall()
        problems = [row[0] for row in rows if row[0] != "ok"]
        problems += [
            f"dangling tag row for {row[0]}" for row in self._db.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def get_meta(self, key: str) -> str | None:
        """The value kept under ``key``; bytes that are not UTF-8 (a hand-edited database)
        are replaced rather than failing every read."""
        sql = "SELECT CAST(value AS BLOB) FROM meta WHERE key = ?"
        row = self._db.execute(sql, (key,)).fetchone()
        return None if row is None else bytes(row[0]).decode("utf-8", errors="replace")

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _one(self, condition: str, params: tuple[Any, ...]) -> Entry | None:
        row = self._db.execute(
            f"SELECT {SELECT_ENTRY} FROM papers WHERE {condition}", params
        ).fetchone()
        return None if row is None else entry(row)


def _compatible(stored: Paper, incoming: Paper) -> bool:
    """Same normalized title: the same paper unless year, arXiv id or DOI disagree."""
    if stored.year is not None and incoming.year is not None and stored.year != incoming.year:
        return False
    if stored.arxiv_id and incoming.arxiv_id and stored.arxiv_id != incoming.arxiv_id:
        return False
    return not (stored.doi and incoming.doi and stored.doi != incoming.doi)
