"""An interrupted parallel index build leaves no worker process running, and a build
whose worker died fails instead of committing without that worker's papers.

Ctrl-C can land while the build commits, with its two workers still reading
job files; the process then removes the build's temporary files on its way
out, and a worker left running printed a traceback for each file it could not
find (seen on CI). Here the commit is interrupted at the point it waits for the
workers, with jobs still queued.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from whoosh.multiproc import MpWriter

from shelf.domain import IndexedText
from shelf.search import IndexWorkerLostError
from shelf.search.whoosh_index import PARALLEL_FROM, WhooshIndex


def test_ctrl_c_during_a_parallel_commit_stops_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: object, **__: object) -> list[object]:
        raise KeyboardInterrupt

    monkeypatch.setattr(MpWriter, "_merge_segments", interrupted)
    search_index, _ = WhooshIndex.open(tmp_path / "index")
    docs = [
        IndexedText(id=f"p{n}", rev=1, title=f"Paper {n}", abstract="words to index " * 40)
        for n in range(PARALLEL_FROM + 500)
    ]
    with pytest.raises(KeyboardInterrupt):
        search_index.add_all(docs, progress=lambda _: None, expected=len(docs))
    assert multiprocessing.active_children() == []
    search_index.close()


def _docs_killing_workers(count: int, kill_after: int, how_many: int) -> Iterator[IndexedText]:
    """``count`` documents; once ``kill_after`` are handed over (and the workers have had
    a moment with them), ``how_many`` of the build's workers are killed."""
    for n in range(count):
        if n == kill_after:
            time.sleep(1)  # each worker has taken jobs by now: its share is lost with it
            for worker in multiprocessing.active_children()[:how_many]:
                os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]
        yield IndexedText(id=f"p{n}", rev=1, title=f"Paper {n}", abstract="words to index " * 40)


def test_a_worker_killed_mid_build_fails_the_write_and_its_papers_are_not_lost(
    tmp_path: Path,
) -> None:
    # Found by the hostile pass: the commit went through without the dead worker's
    # papers (1,800 of 20,000), and the sync then cleared them from its queue.
    count = PARALLEL_FROM + 3000
    search_index, _ = WhooshIndex.open(tmp_path / "index")
    docs = _docs_killing_workers(count, kill_after=2000, how_many=1)
    with pytest.raises(IndexWorkerLostError):
        search_index.add_all(docs, progress=lambda _: None, expected=count)
    assert multiprocessing.active_children() == []
    search_index.close()


def test_when_every_worker_dies_the_write_fails_instead_of_waiting_for_ever(
    tmp_path: Path,
) -> None:
    # Found by the hostile pass: with both workers gone (a closed terminal's HUP), the
    # build waited for room in their queue for ever, and the app never exited.
    count = PARALLEL_FROM + 3000
    search_index, _ = WhooshIndex.open(tmp_path / "index")
    docs = _docs_killing_workers(count, kill_after=2000, how_many=2)
    raised: list[BaseException] = []

    def build() -> None:
        try:
            search_index.add_all(docs, progress=lambda _: None, expected=count)
        except BaseException as error:
            raised.append(error)

    builder = threading.Thread(target=build, daemon=True)
    builder.start()
    builder.join(60)
    assert not builder.is_alive(), "the build waited for its dead workers"
    assert [type(error) for error in raised] == [IndexWorkerLostError]
    search_index.close()


def test_a_build_started_from_a_thread_pool_keeps_every_paper(tmp_path: Path) -> None:
    # Found by the second hostile pass: the app searches in a thread pool's thread, and a
    # worker forked from it exits 1 once its work is done (concurrent.futures joins the
    # pool's threads at exit, itself among them). Taken for a dead worker, every
    # parallel step of the app's catch-up failed, and the index stopped at 5,000 papers.
    count = PARALLEL_FROM + 500
    search_index, _ = WhooshIndex.open(tmp_path / "index")
    docs = [
        IndexedText(id=f"p{n}", rev=1, title=f"Paper {n}", abstract="words to index " * 40)
        for n in range(count)
    ]
    with ThreadPoolExecutor(max_workers=1) as pool:
        added = pool.submit(search_index.add_all, docs, lambda _: None, count).result()
    assert added == count and search_index.doc_count() == count
    search_index.close()
