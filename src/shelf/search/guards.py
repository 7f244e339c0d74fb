"""What keeps the index sound around Whoosh: one clear error for damage, and the locks.

Whoosh keeps no checksums, raises a dozen kinds of error on a damaged segment,
and leaves a parallel writer's worker processes running when a write is
cancelled. These guards turn each into something the library can act on.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from whoosh import index
from whoosh.util.filelock import FileLock

from shelf.domain import LibraryError, ShelfError
from shelf.paths import disk_full, is_out_of_space

#: Beside the index directory: held while the index is opened or created.
CREATION_LOCK = ".index-creation.lock"

F = TypeVar("F", bound=Callable[..., Any])


class IndexBusyError(LibraryError):
    """Another process held the index's write lock longer than its timeout."""


class IndexWorkerLostError(LibraryError):
    """A worker process of a parallel index build ended before its share was indexed."""


class _HasDirectory(Protocol):
    directory: Path


def damage_is_a_library_error(method: F) -> F:
    """Turn whatever a damaged segment makes Whoosh raise into one clear ``LibraryError``.

    A junk segment file is found only when a read reaches it, as an
    ``IndexError``, a ``struct.error``, a ``CorruptIndexError``... The index is
    derived data, so the way out is a rebuild. A full disk says so.
    """

    @functools.wraps(method)
    def checked(self: _HasDirectory, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (ShelfError, index.LockError, MemoryError, RecursionError):
            raise
        except OSError as err:
            if is_out_of_space(err):
                raise disk_full(self.directory, "the search index was not changed") from None
            raise LibraryError(
                f"{self.directory}: cannot use the search index ({err.strerror or err}); "
                "`shelf reindex` rebuilds it from the library database"
            ) from None
        except Exception as err:
            raise LibraryError(
                f"{self.directory}: the search index is damaged ({type(err).__name__}); "
                "`shelf reindex` rebuilds it from the library database"
            ) from None

    return cast(F, checked)


@contextmanager
def creating(directory: Path) -> Iterator[None]:
    """Held (across processes) while an index is looked at and, if need be, created.

    Two processes starting on a new library would otherwise both build an index in
    the same directory, one deleting the other's files under it.
    """
    path = directory.parent / CREATION_LOCK
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # private, like the rest
    lock = FileLock(str(path))
    lock.acquire(blocking=True)
    try:
        yield
    finally:
        lock.release()


def abandon(writer: Any) -> None:
    """Give up a write that failed or was interrupted, in its block or in its commit.

    Its worker processes end first: Whoosh's own cancel only flags them in this
    process, and they would go on reading job files the cancel then deletes,
    printing a traceback each. A writer its failed commit already closed holds
    nothing more.
    """
    _stop_workers(writer)
    if not writer.is_closed:
        with suppress(Exception):  # the failure being raised is the one to report
            writer.cancel()


def _stop_workers(writer: Any) -> None:
    for task in getattr(writer, "tasks", ()):
        with suppress(Exception):
            task.kill()  # not terminate(): a worker ignores TERM, the group's signal
            task.join(5)
    for name in ("jobqueue", "resultqueue"):  # nobody reads them now: exit must not wait
        queue = getattr(writer, name, None)
        if queue is not None:
            with suppress(Exception):
                queue.cancel_join_thread()


def check_committed(paper_ids: list[str], held: Container[str]) -> None:
    """Raise ``IndexWorkerLostError`` unless ``held`` (the ids a parallel write's commit
    left in the index) has all of ``paper_ids``: what a worker indexed reaches the commit
    only if it lives to hand it over, and Whoosh commits without the share of one that
    died."""
    lost = sum(paper_id not in held for paper_id in paper_ids)
    if lost:
        raise IndexWorkerLostError(
            f"{lost} of {len(paper_ids)} papers were not indexed (an index worker process "
            "ended before it handed them over); they stay queued for the next sync"
        )


def drop_unused_files(ix: Any) -> None:
    """Delete segment files no commit refers to (what a write that failed left).

    Only under the write lock: another process's write in progress has files
    no commit refers to yet either.
    """
    lock = ix.lock("WRITELOCK")
    with suppress(Exception):
        if not lock.acquire(blocking=False):
            return
        try:
            toc = index.TOC.read(ix.storage, ix.indexname)
            index.clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
        finally:
            lock.release()
