"""Typed changes to reading state: which fields of a paper's state a change sets, and to what.

A user action names the fields it changes (``StateChange``); undo answers with
the fields it put back (``Reverted``). Nothing outside the store knows how the
fields are kept in SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from shelf.domain.paper import ReadingState
from shelf.domain.status import Status


class Field(StrEnum):
    """One field of a paper's reading state."""

    STATUS = "status"
    STARRED = "starred"
    TAGS = "tags"
    NOTES = "notes"
    ADDED_AT = "added_at"
    STATUS_CHANGED_AT = "status_changed_at"
    READ_AT = "read_at"

    @property
    def is_timestamp(self) -> bool:
        """A time kept beside a field the user changed (not shown as a change of its own)."""
        return self.value.endswith("_at")


#: Every field a whole-state restore sets (``added_at`` only where the backup has one).
WHOLE_STATE = frozenset(Field) - {Field.ADDED_AT}


@dataclass(frozen=True, slots=True)
class StateChange:
    """Set ``fields`` of a paper's reading state to the values ``state`` holds."""

    state: ReadingState
    fields: frozenset[Field]

    @classmethod
    def whole(cls, state: ReadingState) -> StateChange:
        """Every field of ``state``, as a backup restores it."""
        fields = WHOLE_STATE | ({Field.ADDED_AT} if state.added_at is not None else set())
        return cls(state, frozenset(fields))


@dataclass(frozen=True, slots=True)
class Reverted:
    """What ``undo`` put back for one paper: some fields, or (``came_back``) the paper."""

    paper_id: str
    fields: frozenset[Field] = frozenset()
    came_back: bool = False
    """The paper had been deleted, and undo brought it back whole."""
    gone: bool = False
    """Redo deleted the paper again."""
    metadata: bool = False
    """The paper's metadata (title, authors, abstract, links) was put back, or set again."""


def edit(
    current: ReadingState,
    *,
    when: datetime,
    status: Status | None = None,
    starred: bool | None = None,
    add_tags: frozenset[str] = frozenset(),
    remove_tags: frozenset[str] = frozenset(),
    notes: str | None = None,
) -> StateChange:
    """The change a user's edit of ``current`` makes, at ``when``.

    A new status also stamps ``status_changed_at`` (and ``read_at`` for read);
    the same status again is no change. Tags are added and removed as sets.
    """
    state, fields = current, set[Field]()
    if status is not None and status is not current.status:
        read_at = when if status is Status.READ else current.read_at
        state = replace(state, status=status, status_changed_at=when, read_at=read_at)
        fields |= {Field.STATUS, Field.STATUS_CHANGED_AT}
        if status is Status.READ:
            fields.add(Field.READ_AT)
    if starred is not None:
        state, fields = replace(state, starred=starred), fields | {Field.STARRED}
    if add_tags or remove_tags:
        tags = tuple(sorted((set(current.tags) | add_tags) - remove_tags))
        state, fields = replace(state, tags=tags), fields | {Field.TAGS}
    if notes is not None:
        state, fields = replace(state, notes=notes), fields | {Field.NOTES}
    return StateChange(state, frozenset(fields))
