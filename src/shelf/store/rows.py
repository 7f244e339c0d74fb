"""Rows to domain objects and back: the one place that knows how a paper sits in SQLite.

The columns come from ``schema.PAPER_COLUMNS``; the reading-state fields map
to columns here (``STATE_COLUMNS``), so the store takes and gives typed values.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from shelf.domain import (
    Entry,
    Field,
    IndexedText,
    Paper,
    ReadingState,
    Sort,
    StateFilter,
    Status,
)
from shelf.domain.identity import normalize_title
from shelf.domain.reading_list import list_key
from shelf.store.schema import PAPER_COLUMNS

#: What an entry is read from: every paper column but the derived ones, then its tags.
ENTRY_COLUMNS = tuple(name for name in PAPER_COLUMNS if name not in ("title_key", "rev"))
SELECT_ENTRY = ", ".join(ENTRY_COLUMNS) + (
    ", (SELECT group_concat(tag, char(31)) FROM tags WHERE tags.paper_id = papers.id)"
)
INDEXED_COLUMNS = ("id", "rev", "title", "authors", "year", "venue", "abstract", "notes")
#: Inbox first (then reading, to read, read, skipped), newest first; the order of
#: migration 3's expression index, so the first screen needs no sort.
LISTING_ORDER = (
    "CASE status WHEN 'inbox' THEN 0 WHEN 'reading' THEN 1 WHEN 'to-read' THEN 2 "
    "WHEN 'read' THEN 3 ELSE 4 END, added_at DESC, rowid"
)
#: ORDER BY of each sort order; rowid last, so equal keys keep one order every time.
ORDERS: dict[Sort, str] = {
    Sort.RELEVANCE: LISTING_ORDER,
    Sort.ADDED: "added_at DESC, rowid",
    Sort.YEAR: "year IS NULL, year DESC, added_at DESC, rowid",
    Sort.TITLE: "title_key, title, rowid",
    Sort.STATUS_CHANGED: "status_changed_at IS NULL, status_changed_at DESC, added_at DESC, rowid",
    # Likeness is the index's to score (library/for_you.py); the store lists the inbox
    # newest first, which is the order when there is nothing to be like.
    Sort.FOR_YOU: LISTING_ORDER,
}
#: The column that keeps each reading-state field (tags have a table of their own).
STATE_COLUMNS: dict[Field, str] = {field: field.value for field in Field}


def stamp(value: datetime | None) -> str | None:
    """A time as stored: ISO 8601 in UTC with microseconds, so that times sort as text (an
    imported file's time may have any offset, or none: then it is taken as UTC)."""
    if value is None:
        return None
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return utc.isoformat(timespec="microseconds")


def time_of(value: str | None) -> datetime | None:
    """A stored time, always with its zone (one stored before ``stamp`` made them UTC may
    have none: it was taken as UTC)."""
    if not value:
        return None
    when = datetime.fromisoformat(value)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def entry(row: tuple[Any, ...]) -> Entry:
    """The entry a ``SELECT_ENTRY`` row holds."""
    values = dict(zip((*ENTRY_COLUMNS, "tags"), row, strict=True))
    paper = Paper(
        title=values["title"],
        authors=tuple(json.loads(values["authors"])),
        year=values["year"],
        venue=values["venue"],
        abstract=values["abstract"],
        url=values["url"],
        arxiv_id=values["arxiv_id"],
        doi=values["doi"],
        pdf=values["pdf"] or "",
    )
    tags = values["tags"]
    state = ReadingState(
        status=Status(values["status"]),
        starred=bool(values["starred"]),
        tags=tuple(sorted(tags.split("\x1f"))) if tags else (),
        notes=values["notes"],
        added_at=time_of(values["added_at"]),
        status_changed_at=time_of(values["status_changed_at"]),
        read_at=time_of(values["read_at"]),
    )
    return Entry(id=values["id"], paper=paper, state=state, attached=values["attached"] or "")


def indexed_text(row: tuple[Any, ...]) -> IndexedText:
    """The indexed text an ``INDEXED_COLUMNS`` row holds."""
    paper_id, rev, title, authors, year, venue, abstract, notes = row
    return IndexedText(paper_id, rev, title, tuple(json.loads(authors)), year, venue, abstract,
                       notes)  # fmt: skip


def paper_values(paper: Paper) -> dict[str, Any]:
    """A paper's metadata columns."""
    return {
        "title": paper.title,
        "title_key": normalize_title(paper.title),
        "authors": json.dumps(list(paper.authors), ensure_ascii=False),
        "year": paper.year,
        "venue": paper.venue,
        "abstract": paper.abstract,
        "url": paper.url,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "pdf": paper.pdf,
    }


def state_values(state: ReadingState, fields: frozenset[Field]) -> dict[str, Any]:
    """The columns (and ``tags``) that hold ``fields`` of ``state``, as stored."""
    values: dict[str, Any] = {
        Field.STATUS: state.status.value,
        Field.STARRED: state.starred,
        Field.TAGS: sorted(state.tags),
        Field.NOTES: state.notes,
        Field.ADDED_AT: stamp(state.added_at),
        Field.STATUS_CHANGED_AT: stamp(state.status_changed_at),
        Field.READ_AT: stamp(state.read_at),
    }
    return {STATE_COLUMNS[field]: values[field] for field in fields}


def fields_of(columns: dict[str, Any]) -> frozenset[Field]:
    """The reading-state fields that stored ``columns`` (keyed by column) hold."""
    return frozenset(Field(name) for name in columns)


#: Where ``Library.begin_visit`` keeps the time papers are new after (``is:new``).
NEW_SINCE_KEY = "new_since"
#: The row's paper is new (none is before the app has been opened twice).
_NEW = f"added_at > coalesce((SELECT value FROM meta WHERE key = '{NEW_SINCE_KEY}'), added_at)"
#: The reading lists holding the paper of the row at hand (by ``list_key``, case aside).
_IN_LIST = (
    "SELECT 1 FROM list_items JOIN lists ON lists.id = list_items.list_id "
    "WHERE list_items.paper_id = papers.id"
)


def where(state: StateFilter) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (and its parameters) of a reading-state filter."""
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
    if state.new is not None:  # added since the visit before the app's last start
        clauses.append(("" if state.new else "NOT ") + _NEW)
    for name in sorted(state.lists):
        clauses.append(f"EXISTS ({_IN_LIST} AND lists.key = ?)")
        params.append(list_key(name))
    if state.excluded_lists:
        marks = ",".join("?" * len(state.excluded_lists))
        clauses.append(f"NOT EXISTS ({_IN_LIST} AND lists.key IN ({marks}))")
        params += sorted(list_key(name) for name in state.excluded_lists)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
