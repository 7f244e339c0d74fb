"""A full disk, for real: a small tmpfs holds the library, and then there is room again.

Without the fix, a full disk during an import said "the search index is
damaged (OSError)", every later command repeated it, and the disk was never
named. Now every command says "the disk is full (N MB free at PATH)" and what
was kept; the commands that can work (``list``, ``show``) work meanwhile; and
once there is room (the tmpfs is remounted larger) the next command catches up.

Mounting needs root (or a user namespace); where that is refused the test
skips with the reason, since there is no disk of our own to fill.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.commands import run

FULL = re.compile(r"the disk is full \([\d.]+ MB free at [^)]+\)")


class Disk:
    def __init__(self, path: Path) -> None:
        self.path = path

    def resize(self, size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mountpoint)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.strip()}")
    try:
        yield Disk(mountpoint)
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("full") / "papers.json"
    records = [
        {"title": f"Paper {n} about wombats", "abstract": "Words about the topic. " * 15}
        for n in range(3000)
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_a_disk_too_full_for_the_database_changes_nothing(disk: Disk, papers: Path) -> None:
    library = disk.path / "library"
    line = run("import", str(papers), library=library).error()
    assert FULL.search(line) and line.endswith("; nothing was changed")
    assert str(library) in line
    assert run("list", library=library).ok().out == ""

    disk.resize("40m")
    assert run("import", str(papers), library=library).ok().out.startswith("added 3000,")
    assert "Paper 17 about wombats" in run("search", "wombats", "-n", "3000", library=library).out


def test_a_disk_full_while_indexing_keeps_the_papers_and_catches_up(
    disk: Disk, papers: Path
) -> None:
    disk.resize("3m")  # room for the database, not for its index too
    library = disk.path / "library"
    imported = run("import", str(papers), library=library)
    line = imported.error()
    assert FULL.search(line) and "the papers are saved" in line
    assert "index" in line

    # Meanwhile: the database answers, each command names the full disk, and a text
    # search says why it cannot answer instead of "no papers match".
    listed = run("list", "-n", "1", library=library).ok()
    assert listed.out.startswith(run("list", library=library).out.splitlines()[0])
    assert FULL.search(listed.err)
    searched = run("search", "wombats", library=library)
    assert searched.code == 1 and "3000 paper(s) are not indexed yet" in searched.err
    assert "the disk is full" in searched.err

    disk.resize("40m")
    found = run("search", "wombats", library=library).ok()
    assert "about wombats" in found.out
    assert found.err.splitlines() == [  # the catching up is said, then what is shown
        "shelf: indexing 3,000 papers…",
        "(showing 200 of 3000; use -n for more)",
    ]
    assert run("doctor", library=library).ok().lines[-1] == "library is healthy"
