"""Feeds in the store: the subscriptions, and the paper identities each has delivered.

A feed's row keeps when its last fetch succeeded and, as JSON, what the next
fetch asks with (an RSS feed's ETag and Last-Modified). ``feed_seen`` keeps
every identity (``arxiv:…``, ``doi:…``, ``title:…``) a feed delivered, so a
paper comes in as new once: the user's skipping, reading or deleting it stands.
What a fetch brings and what it remembers are written in the one transaction
the caller holds, so they land together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from shelf.domain.feeds import Feed, FeedKind
from shelf.store.errors import translate_errors

_CHUNK = 400  # identities per query: well under SQLite's limit of bound parameters


@translate_errors
class FeedStore:
    """The feeds half of the store (mixed into ``Store``)."""

    _db: sqlite3.Connection

    def feeds(self) -> list[Feed]:
        """Every feed, by name (case aside)."""
        rows = self._db.execute(
            "SELECT name, kind, source, added_at, fetched_at, delivered "
            "FROM feeds ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [Feed(name, FeedKind(kind), source, added, fetched, delivered)
                for name, kind, source, added, fetched, delivered in rows]  # fmt: skip

    def add_feed(self, feed: Feed) -> None:
        """Keep a new feed (inside a transaction; its name is known to be free)."""
        self._db.execute(
            "INSERT INTO feeds (name, kind, source, added_at) VALUES (?, ?, ?, ?)",
            (feed.name, feed.kind.value, feed.source, feed.added_at),
        )

    def remove_feed(self, name: str) -> None:
        """Forget a feed (its papers stay in the library). What it delivered is still
        remembered: a paper deleted since stays deleted when another feed lists it, and
        the feed added again brings nothing it brought before as new."""
        self._db.execute("DELETE FROM feeds WHERE name = ?", (name,))

    def feed_memory(self, name: str) -> dict[str, Any]:
        """What the feed's last fetch left for the next one (empty when unreadable)."""
        row = self._db.execute("SELECT memory FROM feeds WHERE name = ?", (name,)).fetchone()
        try:
            memory = json.loads(row[0]) if row else {}
        except ValueError:
            return {}  # a hand-edited database: the next fetch asks for everything
        return memory if isinstance(memory, dict) else {}

    def seen_identities(self, identities: Iterable[str], feed: str | None = None) -> set[str]:
        """Which of ``identities`` the feed ``feed`` (or any feed, when None) delivered."""
        wanted = list(dict.fromkeys(identities))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT identity FROM feed_seen WHERE identity IN ({marks})"
            params: list[str] = list(chunk)
            if feed is not None:
                sql += " AND feed = ?"
                params.append(feed)
            found.update(row[0] for row in self._db.execute(sql, params))
        return found

    def remember_feed(
        self, name: str, identities: Sequence[str], papers: int, fetched_at: str,
        memory: dict[str, Any],
    ) -> None:  # fmt: skip
        """Record what a fetch delivered (``papers`` papers, known by ``identities``) and
        when it succeeded (inside its transaction)."""
        self._db.executemany(
            "INSERT OR IGNORE INTO feed_seen (feed, identity) VALUES (?, ?)",
            [(name, identity) for identity in dict.fromkeys(identities)],
        )
        self._db.execute(
            "UPDATE feeds SET fetched_at = ?, delivered = delivered + ?, memory = ? WHERE name = ?",
            (fetched_at, papers, json.dumps(memory, sort_keys=True), name),
        )
