"""``shelf doctor --check-only`` looks at everything and writes nothing, whatever it finds.

Without the fix it opened the library as every command does, which repaired
the index (and created files) before the check: "check only" changed the
library. Each case here records every file in the library directory (bytes,
size, modification time), runs the check, and compares.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from support.commands import run, shelf_path


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(directory)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    } | {
        str(path.relative_to(directory)): (b"dir", 0)
        for path in directory.rglob("*")
        if path.is_dir()
    }


@pytest.fixture
def library(page_dir: Path) -> Path:
    return page_dir


def check_only(library: Path) -> tuple[int, str]:
    before = snapshot(library)
    shown = run("doctor", "--check-only", library=library)
    assert snapshot(library) == before, "doctor --check-only changed the library"
    return shown.code, shown.out + shown.err


def test_a_healthy_library(library: Path) -> None:
    assert check_only(library) == (0, check_only(library)[1])
    assert "library is healthy" in check_only(library)[1]


def test_a_deleted_index_is_reported_not_rebuilt(library: Path) -> None:
    shutil.rmtree(library / "index")
    code, said = check_only(library)
    assert code == 1
    assert "the search index is missing" in said
    assert not (library / "index").exists()


def test_papers_waiting_to_be_indexed_are_reported_not_indexed(library: Path) -> None:
    with closing(sqlite3.connect(library / "library.db")) as db:  # as a killed import leaves it
        db.execute("INSERT INTO index_queue (paper_id, rev) SELECT id, rev FROM papers LIMIT 5")
        db.commit()
    code, said = check_only(library)
    assert code == 1 and "5 paper(s) wait to be indexed" in said


def test_a_paper_missing_from_the_index_is_reported(library: Path) -> None:
    paper = run("list", "-n", "1", library=library).ok().out.split()[0]
    with closing(sqlite3.connect(library / "library.db")) as db:  # a paper the index never saw
        db.execute("UPDATE papers SET rev = rev + 1 WHERE id = ?", (paper,))
        db.commit()
    code, said = check_only(library)
    assert code == 1 and "1 paper(s) out of date in the search index" in said


def test_a_library_left_by_a_killed_writer(library: Path, tmp_path: Path) -> None:
    # A write-ahead log a killed process left must be replayed to be read: into a copy.
    note = tmp_path / "note.md"
    note.write_text("word " * 200_000, encoding="utf-8")
    paper = run("list", "-n", "1", library=library).ok().out.split()[0]
    proc = subprocess.Popen(
        [shelf_path(), "--library", str(library), "set", paper, "--note-file", str(note)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wal = library / "library.db-wal"
    while proc.poll() is None and not (wal.exists() and wal.stat().st_size > 100_000):
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _, said = check_only(library)
    assert "checked: store integrity" in said
    assert "Traceback" not in said


def test_no_library_at_all(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    line = run("doctor", "--check-only", library=missing).error()
    assert "no library here" in line
    assert not missing.exists()
