"""The library's search index, opened on first use and kept in step after each change.

Opening the index loads Whoosh and may catch up work an interrupted import
left (indexing thousands of papers), so ``list``, ``show`` and a triage key
never open it: only a verb that needs full text does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shelf.domain import DiskFullError, LibraryError
from shelf.library.progress import Step, quiet_step
from shelf.store import Store

if TYPE_CHECKING:
    from shelf.library.indexing import Indexing


class LazyIndex:
    """The index of one library, opened (and caught up) when first asked for."""

    def __init__(self, store: Store, directory: Path, progress: Step) -> None:
        self._store = store
        self._directory = directory
        self._progress = progress
        self._indexing: Indexing | None = None
        self.repairs: list[tuple[str, str]] = []
        """(what was wrong, what was done) when the index was opened and caught up."""

    @property
    def is_open(self) -> bool:
        return self._indexing is not None

    def get(self) -> Indexing:
        """The index and its sync, opening it on first use."""
        return self._open()[0]

    def _open(self) -> tuple[Indexing, LibraryError | None]:
        """The index, and what kept opening it from catching up (None if nothing did)."""
        if self._indexing is not None:
            return self._indexing, None
        from shelf.library.indexing import Indexing  # whoosh: only when searching

        self._indexing, rebuild_reason = Indexing.open(self._store, self._directory)
        repair, problem = self._indexing.catch_up(rebuild_reason, self._progress)
        if repair:
            self.repairs.append(repair)
        return self._indexing, problem

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

    def close(self) -> None:
        if self._indexing is not None:
            self._indexing.index.close()
