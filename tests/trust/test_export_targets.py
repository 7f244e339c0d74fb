"""``shelf export -o``: only a regular file or a new path, with the user's umask, nothing left over.

Without the fixes: ``-o /dev/full`` (any device node or FIFO) replaced the node
with a regular file, and as root ``-o /dev/null`` would have destroyed
``/dev/null``; every export was created 0600 whatever the umask; and an export
killed part-way left its ``.*.tmp`` file behind for good.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
from pathlib import Path

import pytest

from support.commands import run, shelf_path


@pytest.fixture
def library(page_dir: Path) -> Path:
    return page_dir


def test_a_fifo_is_refused_at_once_and_stays_a_fifo(library: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    line = run("export", "-o", str(fifo), library=library, timeout=20).error()
    assert str(fifo) in line and "not a file" in line
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_node_is_refused_and_left_alone(library: Path, tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:  # the same device as /dev/null, made here: if the export replaced it, no harm
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        node = Path("/dev/full")  # read-only checks below never touch it when refused
    line = run("export", "-o", str(node), library=library).error()
    assert "not a file" in line
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_directory_is_refused(library: Path, tmp_path: Path) -> None:
    line = run("export", "-o", str(tmp_path), library=library).error()
    assert "is a directory" in line


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_new_export_gets_the_users_umask(library: Path, tmp_path: Path, umask: int) -> None:
    target = tmp_path / "reading.md"
    previous = os.umask(umask)  # inherited by the shelf process
    try:
        run("export", "-o", str(target), library=library).ok()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE((library / "library.db").stat().st_mode) == 0o600  # the library stays


def test_replacing_an_export_keeps_its_mode(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "shared.bib"
    target.write_text("% old\n", encoding="utf-8")
    target.chmod(0o644)
    run("export", "--format", "bibtex", "-o", str(target), library=library).ok()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8").startswith("% Encoding: UTF-8")


def test_a_killed_export_leaves_its_temp_file_only_until_the_next_command(
    library: Path, tmp_path: Path
) -> None:
    # A big export, to catch in the act: killed once its temp file exists.
    big = tmp_path / "big.json"
    records = [{"title": f"Paper {n}", "abstract": f"word{n} " * 500} for n in range(3000)]
    big.write_text(json.dumps(records), encoding="utf-8")
    run("import", str(big), library=library).ok()
    folder = tmp_path / "out"
    folder.mkdir()
    for _ in range(5):
        proc = subprocess.Popen(
            [shelf_path(), "--library", str(library), "export", "--format", "json",
             "-o", str(folder / "all.json")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        temporary: list[Path] = []
        while not temporary and proc.poll() is None:
            temporary = list(folder.glob(".all.json.shelf-*.tmp"))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if temporary and temporary[0].exists():
            break
        for path in folder.iterdir():  # it finished first: try again
            path.unlink()
    else:
        pytest.fail("the export always finished before it could be killed")

    run("list", "-n", "1", library=library).ok()  # the next command cleans up

    assert list(folder.iterdir()) == []
    assert list((library / "exports-in-progress").iterdir()) == []
