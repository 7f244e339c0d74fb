"""Changing reading state: each user action is one transaction and one undoable action.

A change is read and written inside the same write transaction, so what
another process changed meanwhile (a tag it added) is built upon, never
overwritten. The facade syncs the index afterwards, when indexed text changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shelf.domain import (
    NotesChangedError,
    ReadingState,
    Status,
    UnknownPaperError,
    normalize_tag,
)
from shelf.domain.changes import Field, StateChange, edit
from shelf.store import Store, now


@dataclass(frozen=True, slots=True)
class Edit:
    """What a user asked to change in one paper's reading state (None: leave it)."""

    status: Status | None = None
    starred: bool | None = None
    add_tags: frozenset[str] = field(default_factory=frozenset)
    remove_tags: frozenset[str] = field(default_factory=frozenset)
    notes: str | None = None

    @classmethod
    def of(
        cls,
        status: Status | None = None,
        starred: bool | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        notes: str | None = None,
    ) -> Edit:
        """An edit with its tags normalized as stored."""
        adding = frozenset(normalize_tag(tag) for tag in add_tags)
        removing = frozenset(normalize_tag(tag) for tag in remove_tags)
        return cls(status, starred, adding, removing, notes)

    def of_state(self, current: ReadingState) -> StateChange:
        """The change this edit makes to ``current``, now."""
        return edit(current, when=now(), status=self.status, starred=self.starred,
                    add_tags=self.add_tags, remove_tags=self.remove_tags,
                    notes=self.notes)  # fmt: skip


def change(
    store: Store,
    paper_id: str,
    wanted: Edit,
    amend: int | None = None,
    expected_notes: str | None = None,
) -> tuple[frozenset[Field], int]:
    """Apply ``wanted`` to a paper; returns the fields that changed and the action number.

    ``amend`` (an action number) folds this change into that action when it is
    still the last one and touched only this paper's notes: a notes-editing
    session is then one undo. With ``expected_notes``, stored notes that differ
    (another process wrote them) raise ``NotesChangedError`` and nothing is written.
    """
    with store.transaction():
        current = store.get(paper_id)
        if current is None:
            raise UnknownPaperError(paper_id)
        if expected_notes is not None and current.state.notes != expected_notes:
            raise NotesChangedError(paper_id, current.state.notes)
        result = wanted.of_state(current.state)
        action = store.last_action()
        if amend is None or amend != action or not store.only_notes_of(action, paper_id):
            action = store.next_action()
        if result.fields:
            store.change_state(paper_id, result, action, amend=amend is not None)
    return result.fields, action


def change_many(store: Store, paper_ids: Sequence[str], wanted: Edit) -> list[str]:
    """Apply ``wanted`` to every paper of ``paper_ids`` as ONE action (one transaction, one
    undo); returns the ids of the papers that changed, in the order given.

    An id the store lacks raises ``UnknownPaperError`` and nothing is written.
    """
    changed: list[str] = []
    with store.transaction():
        action = store.next_action()
        for paper_id in dict.fromkeys(paper_ids):
            current = store.get(paper_id)
            if current is None:
                raise UnknownPaperError(paper_id)
            result = wanted.of_state(current.state)
            if result.fields and store.change_state(paper_id, result, action):
                changed.append(paper_id)
    return changed


def restore(store: Store, states: Iterable[tuple[str, ReadingState]]) -> int:
    """Set the whole reading state of many papers as one action; returns how many changed."""
    count = 0
    with store.transaction():
        action = store.next_action()
        for paper_id, state in states:
            if not store.id_exists(paper_id):
                raise UnknownPaperError(paper_id)
            count += store.restore_state(paper_id, state, action)
    return count


def delete(store: Store, paper_ids: Iterable[str]) -> None:
    """Remove papers with their reading state, as one action that undo reverts whole."""
    with store.transaction():
        action = store.next_action()
        for paper_id in paper_ids:
            store.delete(paper_id, action)
