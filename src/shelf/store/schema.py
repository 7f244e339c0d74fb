"""The SQLite schema: ordered forward migrations keyed by ``PRAGMA user_version``, the one
runner that applies them (for the store and for recovery), and every table's columns.

Migration ``n`` (1-based) takes a database at version ``n - 1`` to version ``n``.
Never edit a released migration; append a new one, and its columns below.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

MIGRATIONS: tuple[str, ...] = (
    # 1: papers with their reading state, tags, undo history, the index outbox.
    """
    CREATE TABLE papers (
        id                TEXT PRIMARY KEY,
        title             TEXT NOT NULL,
        title_key         TEXT NOT NULL,
        authors           TEXT NOT NULL DEFAULT '[]',
        year              INTEGER,
        venue             TEXT NOT NULL DEFAULT '',
        abstract          TEXT NOT NULL DEFAULT '',
        url               TEXT NOT NULL DEFAULT '',
        arxiv_id          TEXT UNIQUE,
        doi               TEXT UNIQUE,
        status            TEXT NOT NULL DEFAULT 'inbox'
                          CHECK (status IN ('inbox', 'to-read', 'reading', 'read', 'skipped')),
        starred           INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
        notes             TEXT NOT NULL DEFAULT '',
        added_at          TEXT NOT NULL,
        status_changed_at TEXT,
        read_at           TEXT,
        rev               INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX papers_title_key ON papers (title_key);
    CREATE INDEX papers_listing ON papers (status, added_at);
    CREATE TABLE tags (
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        tag      TEXT NOT NULL,
        PRIMARY KEY (paper_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX tags_by_tag ON tags (tag);
    CREATE TABLE history (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        action   INTEGER NOT NULL,
        paper_id TEXT NOT NULL,
        old      TEXT NOT NULL,
        new      TEXT NOT NULL,
        at       TEXT NOT NULL
    );
    CREATE INDEX history_by_action ON history (action);
    CREATE TABLE index_queue (paper_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    """,
    # 2: the outbox remembers which revision it asked for, so a process that indexed
    # revision 3 does not clear the entry another process queued for revision 4.
    """
    ALTER TABLE index_queue ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: the default listing (inbox first, newest first) read in order from an index,
    # so the first screen of a 100,000-paper library needs no sort.
    """
    CREATE INDEX papers_listing_order ON papers (
        CASE status WHEN 'inbox' THEN 0 WHEN 'reading' THEN 1 WHEN 'to-read' THEN 2
        WHEN 'read' THEN 3 ELSE 4 END,
        added_at DESC
    );
    """,
    # 4: history says what kind of change a row records: a reading-state change, or a
    # deleted paper (its whole row is kept in ``old``, so undo brings it back).
    """
    ALTER TABLE history ADD COLUMN kind TEXT NOT NULL DEFAULT 'state';
    """,
    # 5: undo marks an action undone instead of forgetting it, so redo can make it
    # again; the next new action forgets what was undone.
    """
    ALTER TABLE history ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: reading lists: named, ordered, with a description; ``key`` is the name case-folded
    # (``list_key``: SQLite's NOCASE folds ASCII only). A list's history rows (kind
    # 'list') keep the whole list before and after, so undo puts it back as it was.
    """
    CREATE TABLE lists (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        key         TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    CREATE TABLE list_items (
        list_id  INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (list_id, paper_id)
    ) WITHOUT ROWID;
    CREATE INDEX list_items_by_paper ON list_items (paper_id);
    """,
    # 7: a paper's PDF: the one its imported entry names (metadata), and the file the user
    # attached. Nullable, so a paper deleted before this (kept in history) comes back.
    """
    ALTER TABLE papers ADD COLUMN pdf TEXT;
    ALTER TABLE papers ADD COLUMN attached TEXT;
    """,
    # 8: feeds (``shelf feed add``) and what each has delivered: a paper's identities
    # (``arxiv:…``, ``doi:…``, ``title:…``), so a paper is new once, even after it is
    # deleted. ``memory`` is what the next fetch asks with (an ETag, say), as JSON.
    """
    CREATE TABLE feeds (
        name       TEXT PRIMARY KEY COLLATE NOCASE,
        kind       TEXT NOT NULL CHECK (kind IN ('arxiv', 'hf', 'rss')),
        source     TEXT NOT NULL,
        added_at   TEXT NOT NULL,
        fetched_at TEXT,
        delivered  INTEGER NOT NULL DEFAULT 0,
        memory     TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE feed_seen (
        feed     TEXT NOT NULL COLLATE NOCASE,
        identity TEXT NOT NULL,
        PRIMARY KEY (feed, identity)
    ) WITHOUT ROWID;
    CREATE INDEX feed_seen_by_identity ON feed_seen (identity);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

#: Every table's columns as of the current schema, in dependency order: what recovery
#: copies and what a deleted paper's history row keeps.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "papers": (
        "id", "title", "title_key", "authors", "year", "venue", "abstract", "url", "arxiv_id",
        "doi", "status", "starred", "notes", "added_at", "status_changed_at", "read_at", "rev",
        "pdf", "attached",
    ),
    "tags": ("paper_id", "tag"),
    "history": ("seq", "action", "paper_id", "old", "new", "at", "kind", "undone"),
    "meta": ("key", "value"),
    "lists": ("id", "name", "key", "description", "created_at"),
    "list_items": ("list_id", "paper_id", "position"),
    "feeds": ("name", "kind", "source", "added_at", "fetched_at", "delivered", "memory"),
    "feed_seen": ("feed", "identity"),
}  # fmt: skip
PAPER_COLUMNS = TABLE_COLUMNS["papers"]


def statements(script: str) -> list[str]:
    """The SQL statements of a migration script."""
    return [part.strip() for part in script.split(";") if part.strip()]


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


class MigrationFailed(sqlite3.DatabaseError):
    """Migration ``number`` failed with ``cause`` (nothing of it was applied)."""

    def __init__(self, number: int, cause: sqlite3.DatabaseError) -> None:
        super().__init__(f"cannot migrate to schema {number}: {cause}")
        self.number = number
        self.cause = cause


def migrate(db: sqlite3.Connection, step: Callable[[], AbstractContextManager[object]]) -> None:
    """Bring the database to ``SCHEMA_VERSION``: each missing migration, in order.

    ``step()`` is the transaction each migration runs in (the store's write
    transaction; recovery, already inside one, passes a context that does nothing).
    The version is read again inside it: another process opening the library at
    the same moment may have migrated it since.
    """
    for number in range(user_version(db) + 1, SCHEMA_VERSION + 1):
        try:
            with step():
                if user_version(db) >= number:
                    continue
                for statement in statements(MIGRATIONS[number - 1]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
        except sqlite3.DatabaseError as err:
            raise MigrationFailed(number, err) from None
