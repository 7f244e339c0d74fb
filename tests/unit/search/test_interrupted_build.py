"""An interrupted parallel index build leaves no worker process running.

Ctrl-C can land while the build commits, with its two workers still reading
job files; the process then removes the build's temporary files on its way
out, and a worker left running printed a traceback for each file it could not
find (seen on CI). Here the commit is interrupted at the point it waits for the
workers, with jobs still queued.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from whoosh.multiproc import MpWriter

from shelf.domain import IndexedText
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
