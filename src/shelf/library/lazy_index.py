"""The library's search index, opened on first use and kept in step after each change.

Opening the index loads Whoosh and may catch up work an interrupted import
left (indexing thousands of papers), so ``list``, ``show`` and a triage key
never open it: only a verb that needs full text does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from shelf.domain import DiskFullError, LibraryError
from shelf.library.progress import Step, quiet_step
from shelf.store import Store

#: How long opening waits for another process's index write before going on without it.
OPEN_LOCK_TIMEOUT = 1.0

if TYPE_CHECKING:
    from shelf.library.indexing import Indexing


class LazyIndex:
    """The index of one library, opened (and caught up) when first asked for.

    ``guard`` is the library's lock: every use of the store and of the index is made
    holding it, except the indexing of a catch-up started by ``ready``, which lets it
    go between steps. Other threads meanwhile search what is indexed so far.
    """

    def __init__(
        self,
        store: Store,
        directory: Path,
        progress: Step,
        guard: AbstractContextManager[object],
        step_indexed: Callable[[], object],
    ) -> None:
        self._store = store
        self._directory = directory
        self._progress = progress
        self._guard = guard
        self._step_indexed = step_indexed
        self._indexing: Indexing | None = None
        self._to_catch_up: tuple[str, str] | None = None
        """What opening found missing from the index, until a catch-up starts on it."""
        self._catching_up: threading.Thread | None = None
        """The thread indexing a catch-up (read and written only holding the guard)."""
        self._closing = False
        """Set by ``stop``: no catch-up starts any more."""
        self.repairs: list[tuple[str, str]] = []
        """(what was wrong, what was done) when the index was opened and caught up."""

    @property
    def is_open(self) -> bool:
        return self._indexing is not None

    def get(self) -> Indexing:
        """The index and its sync, opening it on first use (the guard is held)."""
        return self._open()[0]

    def ready(self) -> None:
        """Open the index and catch it up, holding the guard only while the store is used.

        Called without the guard. A thread that finds another catching up returns
        at once: its search then sees what is indexed so far.
        """
        with self._guard:
            indexing = self._open_index()
            if self._to_catch_up is None or self._catching_up is not None or self._closing:
                return
            self._catching_up = threading.current_thread()
        try:
            problem = self._catch_up(indexing, self._guard, in_steps=True)
        finally:
            with self._guard:
                self._catching_up = None
                indexing.stopping.clear()  # a stop is for the catch-up it found
        if problem is None:  # index what changes queued meanwhile, left for this thread
            with self._guard:
                indexing.try_sync(self._progress)

    def _open(self) -> tuple[Indexing, LibraryError | None]:
        """The index, and what kept opening it from catching up (None if nothing did).

        The guard is held. While another thread catches up, the index is as far as
        that thread has got.
        """
        indexing = self._open_index()
        if self._to_catch_up is None or self._catching_up is not None:
            return indexing, None
        return indexing, self._catch_up(indexing, nullcontext(), in_steps=False)

    def _open_index(self) -> Indexing:
        """The index, opened on first use, with what it lacks queued (the guard is held)."""
        if self._indexing is None:
            from shelf.library.indexing import Indexing  # whoosh: only when searching

            indexing, rebuild_reason = Indexing.open(self._store, self._directory)
            self._to_catch_up = indexing.prepare(rebuild_reason)
            self._indexing = indexing
        return self._indexing

    def _catch_up(
        self, indexing: Indexing, guard: AbstractContextManager[object], in_steps: bool
    ) -> LibraryError | None:
        """Index what opening queued: in steps for a search that answers meanwhile, else
        in one commit (the fastest: an import into a new index, ``doctor``)."""
        repair, self._to_catch_up = self._to_catch_up, None
        problem = indexing.try_sync(
            self._progress, OPEN_LOCK_TIMEOUT, guard, in_steps, step_done=self._step_indexed
        )
        if repair and not problem:
            self.repairs.append(repair)
        return problem

    def pending(self) -> int:
        """Papers waiting to be indexed (a text search cannot find them yet)."""
        if self._indexing is None:
            return len(self._store.queued_for_index())  # opening would index them first
        if self._indexing.pending:
            self._indexing.pending = len(self._store.queued_for_index())
        return self._indexing.pending

    def pending_reason(self) -> str:
        """Why papers are pending, when it is something the user can act on (a full disk)."""
        problem = self._indexing.problem if self._indexing else None
        return str(problem) if self.pending() and isinstance(problem, DiskFullError) else ""

    def sync(self, outcome: str, progress: Step = quiet_step) -> str | None:
        """Bring the index up to date after a change; the change itself is already saved.

        Another process holding the index leaves the work queued (any later
        command finishes it): the answer is a notice saying so. A full disk
        raises ``DiskFullError``, saying what was saved. ``outcome`` names it:
        "the notes are saved; the search index".
        """
        indexing, problem = self._open()  # a first open catches up this change too
        if self._catching_up is not None:
            return None  # that thread indexes this change too, before it stops
        if not isinstance(problem, DiskFullError):  # a change waits the full lock timeout
            problem = indexing.try_sync(progress)
        if isinstance(problem, DiskFullError):
            raise DiskFullError(
                problem.where,
                problem.free_bytes,
                f"{outcome} catches up at the next command once there is room",
            )
        if problem is not None:  # busy: another process holds the index
            return (
                f"{outcome} is not up to date yet: another shelf process is writing "
                "to it, and the next shelf command catches up"
            )
        return None

    def stop(self) -> None:
        """The library is closing: a catch-up under way in another thread stops soon, and
        none starts, leaving what is not indexed queued for the next command (searches
        meanwhile answer from what is indexed). Safe from any thread."""
        self._closing = True
        if self._indexing is not None and self._catching_up is not None:
            self._indexing.stopping.set()

    def close(self) -> None:
        if self._indexing is not None:
            self._indexing.index.close()
