"""The reading-list half of the ``Library`` facade: named, ordered lists of papers.

Mixed into ``Library``. Each verb is one undoable action; papers are named by
any ref ``get`` takes (short id, arXiv id, DOI), lists by name, case aside.
Lists live in SQLite alone: ``list:NAME`` in a query is a reading-state filter.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from shelf.domain import Entry, ShelfError
from shelf.domain.reading_list import ReadingList, list_name
from shelf.store import Store, now


class ReadingLists:
    """The verbs of reading lists (see ``Library``)."""

    _store: Store
    _lock: threading.RLock

    if TYPE_CHECKING:

        def get(self, ref: str) -> Entry: ...  # ``Reading.get``

    def reading_lists(self) -> list[ReadingList]:
        """Every list with its count, by name."""
        with self._lock:
            return self._store.reading_lists()

    def reading_list(self, name: str) -> ReadingList:
        """The list called ``name``; ``UnknownListError`` when there is none."""
        with self._lock:
            return self._store.reading_list(name)

    def list_entries(self, name: str) -> list[Entry]:
        """The papers of list ``name``, in its order."""
        with self._lock:
            ids = self._store.list_paper_ids(name)
            found = self._store.get_many(ids)
            return [found[paper_id] for paper_id in ids if paper_id in found]

    def lists_of(self, ref: str) -> list[str]:
        """The names of the lists that hold the paper ``ref``."""
        with self._lock:
            return self._store.lists_of(self.get(ref).id)

    def create_list(self, name: str, description: str = "") -> ReadingList:
        """Make an empty list (``ListExistsError`` when the name is taken)."""
        name = list_name(name)
        with self._lock, self._store.transaction():
            action = self._store.next_action()
            created = now().isoformat(timespec="seconds")
            self._store.change_list(name, action, create=True, created_at=created)
            if description:
                self._store.change_list(name, action, description=description)
            return self._store.reading_list(name)

    def add_to_list(
        self, name: str, refs: Sequence[str], *, create: bool = False
    ) -> tuple[ReadingList, int, int]:
        """Append the papers ``refs`` to list ``name`` in the order given (those already
        in it stay where they are); with ``create``, a new name makes the list.
        Returns the list, how many papers were added, and how many were already in it."""
        name = list_name(name)
        with self._lock:
            ids = list(dict.fromkeys(self.get(ref).id for ref in refs))
            with self._store.transaction():
                action = self._store.next_action()
                if create and not self._store.has_list(name):
                    created = now().isoformat(timespec="seconds")
                    self._store.change_list(name, action, create=True, created_at=created)
                papers = self._store.list_paper_ids(name)
                new = [paper_id for paper_id in ids if paper_id not in papers]
                self._store.change_list(name, action, papers=papers + new)
                return self._store.reading_list(name), len(new), len(ids) - len(new)

    def remove_from_list(self, name: str, refs: Sequence[str]) -> tuple[ReadingList, int]:
        """Take the papers ``refs`` out of list ``name``; one not in it is an error.
        Returns the list and how many papers left it."""
        with self._lock:
            ids = [self.get(ref).id for ref in refs]
            with self._store.transaction():
                papers = self._store.list_paper_ids(name)
                missing = [ref for ref, paper_id in zip(refs, ids, strict=True)
                           if paper_id not in papers]  # fmt: skip
                if missing:
                    raise ShelfError(f"{missing[0]} is not in the reading list {name!r}")
                action = self._store.next_action()
                kept = [paper_id for paper_id in papers if paper_id not in ids]
                self._store.change_list(name, action, papers=kept)
                return self._store.reading_list(name), len(papers) - len(kept)

    def move_in_list(self, name: str, ref: str, position: int) -> int:
        """Move paper ``ref`` to ``position`` (from 1; past the end is the end) in list
        ``name``; returns the position it took."""
        if position < 1:
            raise ShelfError(f"a position in a list counts from 1 ({position} given)")
        with self._lock:
            paper_id = self.get(ref).id
            with self._store.transaction():
                papers = self._store.list_paper_ids(name)
                if paper_id not in papers:
                    raise ShelfError(f"{ref} is not in the reading list {name!r}")
                papers.remove(paper_id)
                papers.insert(min(position, len(papers) + 1) - 1, paper_id)
                self._store.change_list(name, self._store.next_action(), papers=papers)
                return papers.index(paper_id) + 1

    def rename_list(self, old: str, new: str) -> ReadingList:
        """Give list ``old`` the name ``new`` (which no other list may have)."""
        new = list_name(new)
        with self._lock, self._store.transaction():
            self._store.reading_list(old)  # an unknown list before a taken name
            self._store.change_list(old, self._store.next_action(), name=new)
            return self._store.reading_list(new)

    def describe_list(self, name: str, description: str) -> ReadingList:
        """Set the description of list ``name``."""
        with self._lock, self._store.transaction():
            self._store.reading_list(name)
            self._store.change_list(name, self._store.next_action(), description=description)
            return self._store.reading_list(name)

    def delete_list(self, name: str) -> ReadingList:
        """Delete list ``name`` (its papers stay in the library); undo brings it back."""
        with self._lock, self._store.transaction():
            gone = self._store.reading_list(name)
            self._store.delete_list(name, self._store.next_action())
            return gone
