"""Index worker processes never outlive the process that started them.

Whoosh builds large indexes in forked worker processes. A worker holds the
index's write lock (an ``flock`` it inherited) and waits on a queue its parent
feeds; if the parent is killed, the worker would wait forever, lock held, and
every later write would find the index busy. So every process forked from
here is tied to its parent: on Linux the kernel kills it when the parent dies
(``PR_SET_PDEATHSIG``), elsewhere a watcher thread ends it once it is orphaned.

The signals a terminal sends the whole process group (Ctrl-C, a closed
terminal, a group's TERM) are the parent's to handle: a worker ignores them,
and they are held back while a worker is forked, when the parent would not yet
know the worker it must stop. A worker that dies all the same (the OOM killer,
a kill aimed at it) fails the write, which leaves its papers queued for the
next sync, instead of a commit without its share (``ParallelWriter``, and the
check in ``WhooshIndex.add_all``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from queue import Full
from typing import Any

from whoosh.multiproc import MpWriter

from shelf.search.guards import IndexWorkerLostError

_PR_SET_PDEATHSIG = 1
_parent = os.getpid()


def _remember_parent() -> None:
    global _parent
    _parent = os.getpid()


#: What a terminal sends a whole process group: the parent's to handle (it ends its workers).
_GROUP_SIGNALS = {signal.SIGINT, signal.SIGHUP, signal.SIGTERM}


def _tie_to_parent() -> None:
    for group_signal in _GROUP_SIGNALS:
        signal.signal(group_signal, signal.SIG_IGN)
    # A worker's failure reaches the parent as its exit code, and the user as one line
    # (``IndexWorkerLostError``); its traceback on the terminal would only be noise,
    # such as that of a worker a Ctrl-C caught mid-fork, finding its files deleted.
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115  # for its life
    if not _kernel_ties(signal.SIGKILL):
        threading.Thread(target=_watch, args=(_parent,), daemon=True).start()
    if os.getppid() != _parent:  # the parent died before the tie took effect
        os._exit(1)


def _kernel_ties(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


class ParallelWriter(MpWriter):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's parallel writer, whose workers are watched.

    A worker starts with the group's signals held back: they are delivered once
    it is listed in ``tasks``, where a cancelled write finds it and ends it (the
    worker itself ignores them, ``_tie_to_parent``). A worker that dies while
    its queue is full fails the write with ``IndexWorkerLostError``, where
    Whoosh would wait for ever; one that dies later leaves its share out of the
    commit, which ``WhooshIndex.add_all`` checks. (Its exit code says nothing: a
    worker forked from a thread pool's thread exits 1 after its work is done.)
    """

    jobqueue: Any
    tasks: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Forked, whatever the platform's default: a spawned worker is pickled, and
        # Whoosh's is not picklable (macOS spawns by default, Python 3.14 on Linux
        # starts a fork server); the ties to the parent above are made at a fork too.
        super().__init__(*args, start_method="fork", **kwargs)
        self.jobqueue = _WatchedQueue(self.jobqueue, self.tasks)

    def _new_task(self) -> Any:
        with _group_signals_held():
            return super()._new_task()


class _WatchedQueue:
    """The workers' job queue, whose ``put`` gives up once a worker has ended (Whoosh's
    waits for room for ever, and a dead worker makes none)."""

    def __init__(self, queue: Any, tasks: list[Any]) -> None:
        self._queue = queue
        self._tasks = tasks

    def put(self, item: object) -> None:
        while True:
            try:
                self._queue.put(item, timeout=0.5)
                return
            except Full:
                ended = [task.exitcode for task in self._tasks if task.exitcode is not None]
                if ended:  # a worker ends only once told to: this one died
                    raise IndexWorkerLostError(
                        f"an index worker process ended before its share was indexed (exit "
                        f"code {ended[0]}); those papers stay queued for the next sync"
                    ) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)


@contextlib.contextmanager
def _group_signals_held() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork, no such window
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _GROUP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


#: Whether workers can be forked here (not on Windows): else an index is built in one process.
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def give_back_memory() -> None:
    """Return freed memory to the system before forking workers, which would each count
    every page of it as their own (glibc's ``malloc_trim``; elsewhere, nothing)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has none)
            ctypes.CDLL(None).malloc_trim(0)


os.register_at_fork(before=_remember_parent, after_in_child=_tie_to_parent)
