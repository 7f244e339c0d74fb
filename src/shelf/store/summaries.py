"""Counts over the whole library, for ``shelf stats`` and the app's stats screen."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from shelf.domain import Stats, Status
from shelf.domain.results import WEEKS
from shelf.store.history import now
from shelf.store.rows import time_of


class Summaries:
    """The counting half of the store (mixed into ``Store``)."""

    _db: sqlite3.Connection

    def stats(self) -> Stats:
        """Counts over the whole library."""
        added, read = (self._weekly(column, now()) for column in ("added_at", "read_at"))
        counts = self.counts_by_status()
        return Stats(
            sum(counts.values()), counts, self.starred_count(), self.tag_counts(), added, read
        )

    def _weekly(self, column: str, today: datetime) -> tuple[int, ...]:
        """How many papers have ``column`` in each of the last ``WEEKS`` weeks of seven days
        (the last ending now), oldest first."""
        start = today - timedelta(days=7 * WEEKS)
        counts = [0] * WEEKS
        # The column holds ISO times in UTC, which sort as text. A time after now (an
        # imported file's, or a clock set wrong) is in none of these weeks.
        rows = self._db.execute(f"SELECT {column} FROM papers WHERE {column} > ? AND {column} <= ?",
                                (start.isoformat(), today.isoformat()))  # fmt: skip
        for (when,) in rows:
            week = (time_of(when) - start).days // 7  # type: ignore[operator]  # not None
            counts[min(max(week, 0), WEEKS - 1)] += 1
        return tuple(counts)

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
