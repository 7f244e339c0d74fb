"""kill -9 while the index is built in worker processes: no worker outlives its parent.

A library large enough (``PARALLEL_FROM`` papers) is indexed by forked worker
processes that inherit the index's write lock. These tests SIGKILL the real
``shelf`` process (import, reindex, and a doctor --repair that rebuilds a
deleted index) once its workers are running, then check that every worker
is gone within seconds, that the lock is free, and that the next ``shelf
search`` finds what was imported.

Without the fix the workers, blocked on a queue their dead parent fed, lived
on with parent 1 and held the lock for minutes; ``doctor`` said "busy" and a
search printed "no papers match".
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from shelf.library.indexing import FIRST_STEP
from shelf.search.whoosh_index import PARALLEL_FROM
from support.commands import run, shelf_path

PAPERS = FIRST_STEP + PARALLEL_FROM + 500  # a rebuild in steps: its second is parallel
PLANTED = "quokkazanzibar"


@pytest.fixture(scope="module")
def papers_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "papers.json"
    records = [
        {
            "title": f"Paper {number} on {'transfer' if number % 2 else 'adapters'}"
            + (f" {PLANTED}" if number == 4242 else ""),
            "abstract": f"An abstract about experiment {number}, with words to index. " * 6,
            "arxiv_id": f"2203.{number:05d}",
        }
        for number in range(PAPERS)
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def full_template(tmp_path_factory: pytest.TempPathFactory, papers_file: Path) -> Path:
    library = tmp_path_factory.mktemp("workers-full") / "library"
    run("import", str(papers_file), library=library).ok()
    return library


def children_of(pid: int) -> set[int]:
    """Every live process whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_once_workers_run(args: list[str], library: Path) -> set[int]:
    """Start ``shelf ARGS``, SIGKILL it once it has index workers; the workers it had."""
    proc = subprocess.Popen(
        [shelf_path(), "--library", str(library), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = children_of(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.02)
    assert len(workers) >= 2, "the command never started its index workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    proc.stderr.close()  # type: ignore[union-attr]
    return workers


def assert_workers_die(workers: set[int]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:  # never leave them behind for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert left == [], "index workers outlived shelf"


def test_a_killed_import_leaves_no_workers_and_the_next_search_finds_the_papers(
    tmp_path: Path, papers_file: Path
) -> None:
    library = tmp_path / "library"
    workers = kill_once_workers_run(["import", str(papers_file)], library)
    assert_workers_die(workers)
    found = run("search", PLANTED, library=library, timeout=300).ok()
    assert "Paper 4242" in found.out
    run("doctor", library=library, timeout=300).ok()


@pytest.mark.parametrize("how", ["reindex", "doctor-repair"])
def test_a_killed_rebuild_leaves_no_workers(full_template: Path, tmp_path: Path, how: str) -> None:
    library = tmp_path / "library"
    shutil.copytree(full_template, library)
    if how == "reindex":
        args = ["reindex"]
    else:  # the open that doctor does rebuilds a deleted index with its workers
        shutil.rmtree(library / "index")
        args = ["doctor", "--repair"]
    workers = kill_once_workers_run(args, library)
    assert_workers_die(workers)
    found = run("search", PLANTED, library=library, timeout=300).ok()
    assert "Paper 4242" in found.out
    assert "busy" not in found.err  # the lock was free: the open indexed what was left
    assert os.path.exists(library / "index")


def test_a_worker_killed_during_an_import_loses_no_paper_from_search(
    tmp_path: Path, papers_file: Path
) -> None:
    # Found by the hostile pass (the OOM killer, say): the import committed the index
    # without the dead worker's papers and cleared them from the queue; searches then
    # missed 1,800 of 20,000 papers with no word until `shelf doctor`.
    library = tmp_path / "library"
    proc = subprocess.Popen(
        [shelf_path(), "--library", str(library), "import", str(papers_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = children_of(proc.pid)
        time.sleep(0.02)
    assert len(workers) == 2, "the import never started its index workers"
    time.sleep(1)  # each worker has taken jobs by now: its share dies with it
    os.kill(min(workers), signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"added {PAPERS}" in out
    assert "Traceback" not in err  # the sync tried again at once, and indexed them all
    found = run("search", "--json", "-n", str(PAPERS), "experiment", library=library,
                timeout=300).ok()  # fmt: skip
    assert len(json.loads(found.out)) == PAPERS
    assert "missing" not in run("doctor", "--check-only", library=library, timeout=300).ok().out
