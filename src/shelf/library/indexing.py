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

import itertools
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from shelf.domain import DiskFullError, IndexedText, LibraryError
from shelf.domain.errors import SyncStopped
from shelf.library.progress import Step, quiet_step
from shelf.search import IndexBusyError, IndexWorkerLostError, WhooshIndex
from shelf.search.whoosh_index import LOCK_TIMEOUT
from shelf.store import Store

#: Papers the first commit of a sync in steps holds: found by a search within a second.
FIRST_STEP = 1000
#: The second step, large enough to be indexed in parallel; each later one is twice the last.
NEXT_STEP = 8000
#: Papers read from the store at once while indexing (the guard is let go between).
_READ_AT_ONCE = 500

#: Held around each use of the store during a sync (the library's lock).
Guard = AbstractContextManager[object]
_UNGUARDED: Guard = nullcontext()


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
        self.stopping = threading.Event()
        """Set as the library closes: a sync under way stops at its next read of the store."""

    def prepare(self, rebuild_reason: str | None) -> tuple[str, str] | None:
        """Queue what opening found the index lacks: every paper, for a fresh index.

        Returns (what was wrong, what the catch-up does) when there is work to catch
        up, else None. The caller holds the library's lock.
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
            return rebuild_reason, f"rebuilt the search index ({papers} papers)"
        if waiting := len(store.queued_for_index()):
            return f"{waiting} paper(s) were left unindexed", f"indexed {waiting} paper(s)"
        return None

    def sync(
        self,
        progress: Step = quiet_step,
        guard: Guard = _UNGUARDED,
        in_steps: bool = False,
        step_done: Callable[[], object] = lambda: None,
    ) -> None:
        """Index what the outbox names, then empty it.

        ``in_steps`` commits a long catch-up in growing steps (``FIRST_STEP``, then
        ``NEXT_STEP`` doubling), so that a search made meanwhile soon finds what is
        done, and a kill part-way keeps it; otherwise all is one commit, the
        fastest. ``step_done`` is called as each commit becomes searchable.
        ``guard`` (the library's lock) is held around each use of the store and let
        go while Whoosh works, so other threads go on using the library. Whatever
        is queued meanwhile, by this process or another that found the index busy,
        is indexed before this returns.

        ``IndexBusyError`` when another process held the index past its lock
        timeout, ``DiskFullError`` when the disk is full: the change is safe in
        the store and stays in the outbox for a later sync. A step whose parallel
        build lost a worker is done again in this process alone.
        """
        done, step = 0, FIRST_STEP if in_steps else None
        while True:
            with guard:
                queued = self._store.queued_for_index()
                self.pending = len(queued)
                if not queued:
                    return
                # A remainder under half a step joins this one: alone it would be a
                # commit of its own, too small to be indexed in parallel.
                whole = step is None or len(queued) < step * 3 // 2
                batch = dict(queued) if whole else dict(itertools.islice(queued.items(), step))
                present = self._store.existing(batch)
            total, end = done + len(queued), done + len(batch)
            counting = _counting_on(progress, done, end, total)
            try:
                self._index(batch, present, guard, counting)
            except IndexWorkerLostError:
                # A worker of the parallel build died (the OOM killer, say): once more,
                # in this process alone. Its queue entries are still there.
                self._index(batch, present, guard, counting, parallel=False)
            with guard, self._store.transaction():
                self._store.clear_index_queue(batch)
            progress(end, total)  # done once committed, not once handed to the writer
            step_done()
            done = end
            step = step and max(2 * step, NEXT_STEP)

    def try_sync(
        self,
        progress: Step = quiet_step,
        lock_timeout: float | None = None,
        guard: Guard = _UNGUARDED,
        in_steps: bool = False,
        step_done: Callable[[], object] = lambda: None,
    ) -> LibraryError | None:
        """``sync``, returning instead of raising the error when the index cannot keep up.

        ``lock_timeout`` shortens how long another process's write is waited for.
        """
        if lock_timeout is not None:
            self.index.lock_timeout = lock_timeout
        try:
            self.sync(progress, guard, in_steps, step_done)
        except (IndexBusyError, DiskFullError, SyncStopped) as error:
            self.pending = len(self._store.queued_for_index())
            self.problem = error
            return error
        finally:
            self.index.lock_timeout = LOCK_TIMEOUT
        self.problem = None
        return None

    def _index(
        self,
        batch: Mapping[str, int],
        present: set[str],
        guard: Guard,
        progress: Callable[[int], None],
        parallel: bool | None = None,
    ) -> None:
        gone = [paper_id for paper_id in batch if paper_id not in present]
        new = [i for i in batch if i in present and not self.index.contains(i)]
        changed = [i for i in batch if i in present and self.index.contains(i)]
        if gone:
            self.index.delete(gone)
        if new:  # a bulk add (which checks again under the write lock)
            self.index.add_all(
                self._read(new, guard), progress, expected=len(new), parallel=parallel
            )
        if changed:
            self.index.upsert(self._read(changed, guard), lambda done: progress(len(new) + done))

    def _read(self, paper_ids: list[str], guard: Guard) -> Iterator[IndexedText]:
        """The indexed text of these papers, read a few hundred at a time under ``guard``."""
        for start in range(0, len(paper_ids), _READ_AT_ONCE):
            if self.stopping.is_set():
                raise SyncStopped  # the write is cancelled: this step stays queued
            with guard:
                docs = list(self._store.iter_index_docs(paper_ids[start : start + _READ_AT_ONCE]))
            yield from docs

    def rebuild(self, progress: Step = quiet_step) -> int:
        """A new index built from every paper in the store; returns how many were indexed."""
        # The fresh index is empty yet opens cleanly: queue every paper first, so a
        # rebuild killed part-way is finished by the next open instead of going unseen.
        with self._store.transaction():
            self._store.queue_all_for_index()
        self.index.close()
        self.index = WhooshIndex.create(self._directory)
        self.sync(progress, in_steps=True)
        return self.index.doc_count()


def _counting_on(progress: Step, done: int, end: int, total: int) -> Callable[[int], None]:
    """The progress of one step, reported as papers done of all there are to do. The
    step's last paper is reported only once it is committed: a parallel writer takes
    every paper long before its workers have indexed them."""
    return lambda n: progress(min(done + n, end - 1), total)
