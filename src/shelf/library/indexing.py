"""Keeping the search index in step with the store, through the store's outbox.

Every change to indexed text (a new or merged paper, notes, a deletion) puts
the paper's id in the outbox in the same transaction. A sync indexes what the
outbox names (a paper the store no longer holds is dropped from the index),
then clears those entries. A crash between the two leaves the entries queued,
and the next sync, in any process, finishes the work. While entries wait
(another process holds the index, the disk is full), ``pending`` says how many:
a text search cannot have found those papers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from shelf.domain import DiskFullError, LibraryError
from shelf.library.progress import Step, quiet_step
from shelf.search import IndexBusyError, WhooshIndex
from shelf.search.whoosh_index import LOCK_TIMEOUT
from shelf.store import Store

#: How long opening waits for another process's index write before going on without it.
OPEN_LOCK_TIMEOUT = 1.0


class Indexing:
    """The library's search index and the sync that feeds it from the store."""

    @classmethod
    def open(cls, store: Store, directory: Path) -> tuple[Indexing, str | None]:
        """The index in ``directory``, and why it had to be made anew (None if it did not)."""
        index, rebuild_reason = WhooshIndex.open(directory)
        return cls(store, index, directory), rebuild_reason

    def __init__(self, store: Store, index: WhooshIndex, directory: Path) -> None:
        self._store = store
        self.index = index
        self._directory = directory
        self.pending = 0
        """Outbox entries the last sync left (0 when the index has everything)."""
        self.problem: LibraryError | None = None
        """Why the last sync left them (another process's lock, a full disk)."""

    def catch_up(
        self, rebuild_reason: str | None, progress: Step = quiet_step
    ) -> tuple[tuple[str, str] | None, LibraryError | None]:
        """Index what was left unindexed (or everything, into a fresh index) on opening.

        Returns (what was wrong, what was done) if anything was, and what kept the
        index from catching up (another process's lock, a full disk), if anything did.
        """
        store = self._store
        papers = store.count()
        empty = papers > 0 and self.index.doc_count() == 0
        if not rebuild_reason and empty and not store.queued_for_index():
            # An empty index of a library with papers, none queued: another process
            # has just made it anew and not yet queued them for it. Fill it.
            rebuild_reason = "the search index was empty"
        if rebuild_reason and papers > 0:
            # Fill a fresh index through the outbox: recreating it (``rebuild``) would
            # delete it under another process that opened it since, and a kill part-way
            # leaves the rest queued for the next open.
            with store.transaction():
                store.queue_all_for_index()
            done = f"rebuilt the search index ({papers} papers)"
        else:
            rebuild_reason = None
            done = f"indexed {len(store.queued_for_index())} paper(s)"
        waiting = len(store.queued_for_index())
        problem = self.try_sync(progress, lock_timeout=OPEN_LOCK_TIMEOUT)
        if problem or not waiting:
            return None, problem
        return (rebuild_reason or f"{waiting} paper(s) were left unindexed", done), None

    def sync(self, progress: Step = quiet_step) -> None:
        """Index what the outbox names, then empty it.

        ``IndexBusyError`` when another process held the index past its lock
        timeout, ``DiskFullError`` when the disk is full: the change is safe in
        the store and stays in the outbox for a later sync. A process that held
        the lock long looks at the outbox once more, for what others queued
        meanwhile and gave up indexing.
        """
        for _ in range(2):
            started = time.monotonic()
            queued = self._store.queued_for_index()
            self.pending = len(queued)
            if not queued:
                return
            self._index(queued, progress)
            with self._store.transaction():
                self._store.clear_index_queue(queued)
            self.pending = len(self._store.queued_for_index())
            if time.monotonic() - started < LOCK_TIMEOUT / 2:
                return  # too short a hold for anyone to have given up waiting on it

    def try_sync(
        self, progress: Step = quiet_step, lock_timeout: float | None = None
    ) -> LibraryError | None:
        """``sync``, returning instead of raising the error when the index cannot keep up.

        ``lock_timeout`` shortens how long another process's write is waited for.
        """
        if lock_timeout is not None:
            self.index.lock_timeout = lock_timeout
        try:
            self.sync(progress)
        except (IndexBusyError, DiskFullError) as error:
            self.pending = len(self._store.queued_for_index())
            self.problem = error
            return error
        finally:
            self.index.lock_timeout = LOCK_TIMEOUT
        self.problem = None
        return None

    def _index(self, queued: Mapping[str, int], progress: Step) -> None:
        total = len(queued)
        present = self._store.existing(queued)
        gone = [paper_id for paper_id in queued if paper_id not in present]
        new = [i for i in queued if i in present and not self.index.contains(i)]
        changed = [i for i in queued if i in present and self.index.contains(i)]
        if gone:
            self.index.delete(gone)
        if new:  # a bulk add (which checks again under the write lock)
            self.index.add_all(
                self._store.iter_index_docs(new),
                lambda done: progress(done, total),
                expected=len(new),
            )
        if changed:
            self.index.upsert(
                self._store.iter_index_docs(changed),
                lambda done: progress(len(new) + done, total),
            )

    def rebuild(self, progress: Step = quiet_step) -> int:
        """A new index built from every paper in the store; returns how many were indexed."""
        # The fresh index is empty yet opens cleanly: queue every paper first, so a
        # rebuild killed part-way is finished by the next open instead of going unseen.
        with self._store.transaction():
            self._store.queue_all_for_index()
        queued = self._store.queued_for_index()
        self.index.close()
        self.index = WhooshIndex.create(self._directory)
        total = self._store.count()
        count = self.index.add_all(
            self._store.iter_index_docs(),
            lambda done: progress(done, total),
            expected=total,
        )
        with self._store.transaction():
            self._store.clear_index_queue(queued)
        self.pending = len(self._store.queued_for_index())
        return count
