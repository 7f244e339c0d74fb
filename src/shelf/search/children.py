"""Index worker processes never outlive the process that started them.

Whoosh builds large indexes in forked worker processes. A worker holds the
index's write lock (an ``flock`` it inherited) and waits on a queue its parent
feeds; if the parent is killed, the worker would wait forever, lock held, and
every later write would find the index busy. So every process forked from
here is tied to its parent: on Linux the kernel kills it when the parent dies
(``PR_SET_PDEATHSIG``), elsewhere a watcher thread ends it once it is orphaned.

Ctrl-C must not land while a worker is being forked either: the parent would
not yet know the worker it must stop, and the worker would go on reading the
build's files after the parent deleted them (``ParallelWriter``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from whoosh.multiproc import MpWriter

_PR_SET_PDEATHSIG = 1
_parent = os.getpid()


def _remember_parent() -> None:
    global _parent
    _parent = os.getpid()


def _tie_to_parent() -> None:
    # Ctrl-C reaches the whole process group: the parent handles it (and ends its
    # workers); a worker of its own would only print a traceback of its queue wait.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
    """Whoosh's parallel writer, whose workers start with Ctrl-C held back.

    The interrupt is delivered once the worker is started and listed in
    ``tasks``, where a cancelled write finds it and ends it; the worker itself
    starts with it held back and then ignores it (``_tie_to_parent``).
    """

    def _new_task(self) -> Any:
        with _interrupts_held():
            return super()._new_task()


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork, no such window
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def give_back_memory() -> None:
    """Return freed memory to the system before forking workers, which would each count
    every page of it as their own (glibc's ``malloc_trim``; elsewhere, nothing)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has none)
            ctypes.CDLL(None).malloc_trim(0)


os.register_at_fork(before=_remember_parent, after_in_child=_tie_to_parent)
