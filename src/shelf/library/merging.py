"""Merging two copies of one paper, and finding the copies: the ``merge`` and
``duplicates`` verbs (mixed into ``Library``).

A merge is one transaction and one undoable action, its history rows in this
order: the second copy deleted (whole row and tags kept, its arXiv id and DOI
freed), the survivor's metadata changed (kind ``'paper'``), the survivor's
reading state changed. Undo goes back newest first, so the survivor gives back
the arXiv id or DOI before the second copy returns with it; redo goes forward.
The rules of what is kept are ``domain.merging``'s.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from shelf.domain import Entry, StateChange, UnknownPaperError
from shelf.domain.changes import Field
from shelf.domain.duplicates import find_duplicates
from shelf.domain.errors import MergeError
from shelf.domain.merging import MergeReport, merge_entries
from shelf.store import Store

if TYPE_CHECKING:
    from shelf.domain.merging import Merged


def merge(store: Store, keep_id: str, other_id: str) -> MergeReport:
    """Merge paper ``other_id`` into ``keep_id`` as one undoable action; ``other_id`` goes."""
    if keep_id == other_id:
        raise MergeError(f"cannot merge {keep_id} into itself: both ids name the same paper")
    with store.transaction():
        keep, other = store.get(keep_id), store.get(other_id)
        if keep is None or other is None:  # deleted by another shelf since it was named
            raise UnknownPaperError(keep_id if keep is None else other_id)
        merged = merge_entries(keep, other)
        action = store.next_action()
        carry_over(store, keep, other, merged, action)
        store.delete(other.id, action)  # first: its arXiv id and DOI are free for the survivor
        store.change_paper(keep.id, merged.paper, action)
        store.change_state(keep.id, StateChange(merged.state, frozenset(Field)), action)
        survivor = store.get(keep.id)
    assert survivor is not None
    return MergeReport(survivor, other, merged.from_other)


def carry_over(store: Store, keep: Entry, other: Entry, merged: Merged, action: int) -> None:
    """What else ``other`` has that the survivor takes over, recorded as part of ``action``,
    before ``other`` is removed.

    The place for what belongs to a paper outside its own row and tags: reading
    lists move ``other``'s memberships to ``keep`` here (a list holding both keeps
    ``keep`` where it was), with history rows that undo and redo know.
    """
    for name in store.lists_of(other.id):
        papers = store.list_paper_ids(name)
        if keep.id in papers:
            continue  # the list keeps the survivor where it is; the copy goes with its deletion
        papers[papers.index(other.id)] = keep.id
        store.change_list(name, action, papers=papers)


class Merging:
    """The merging verbs of the ``Library`` (see ``Library``)."""

    _store: Store
    _lock: threading.RLock

    if TYPE_CHECKING:

        def get(self, ref: str) -> Entry: ...

        def _sync(self, outcome: str) -> None: ...

    def merge(self, keep_ref: str, other_ref: str) -> MergeReport:
        """Merge the paper ``other_ref`` names into the one ``keep_ref`` names, as one action
        ``undo`` reverts whole: the better metadata of both, the status further along,
        starred if either is, both copies' tags and notes. ``keep_ref``'s id stays.

        Both are resolved first (id, arXiv id or DOI): an unknown one, or both naming
        the same paper, changes nothing.
        """
        with self._lock:
            keep, other = self.get(keep_ref), self.get(other_ref)
            report = merge(self._store, keep.id, other.id)
            self._sync("the papers are merged; the search index")
            return report

    def duplicates(self) -> list[list[Entry]]:
        """Groups of probable duplicates, oldest paper first in each: the same normalized
        title, or a very similar title and the same first author (``domain.duplicates``)."""
        with self._lock:
            groups = find_duplicates(self._store.duplicate_candidates())
            found = self._store.get_many(paper_id for group in groups for paper_id in group)
        return [[found[paper_id] for paper_id in group] for group in groups]
