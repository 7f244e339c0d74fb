"""``shelf doctor --repair``: killed at any moment, on any path, the library is never lost.

The repair builds the new database beside the damaged one and swaps them in
one rename; the damaged file is kept as ``library.db.damaged-*``, and every
command mentions it until the user deletes it.

Without the fixes: a repair killed part-way left an empty ``library.db`` that
a second repair called healthy (the papers only in the ``.damaged-*`` copy,
and nothing said so); and on a healthy library whose path holds ``%20`` or
``#``, the SQLite URI built from the raw path made the check fail, so the
healthy database was moved aside and nothing was recovered.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from support.commands import run, shelf_path
from support.paths import PAGE_COPY

PAPERS = 3000


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of a few thousand papers (so a repair takes long enough to kill)."""
    folder = tmp_path_factory.mktemp("repair")
    papers = folder / "papers.json"
    records = [
        {"title": f"Study {n} of repair", "abstract": f"Findings number {n}. " * 20}
        for n in range(PAPERS)
    ]
    papers.write_text(json.dumps(records), encoding="utf-8")
    library = folder / "library"
    run("import", str(papers), library=library).ok()
    run("set", _first_id(library), "--note", "precious", library=library).ok()
    return library


def _first_id(library: Path) -> str:
    return run("list", "-n", "1", library=library).ok().out.split()[0]


def _damage(library: Path) -> None:
    """Cut the database's last fifth off, as a failing disk or a bad copy would."""
    database = library / "library.db"
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 4096 * 4096 * 4 // 5])


def _papers(library: Path) -> int | None:
    """How many papers ``shelf list`` sees, or None when it says the library is damaged."""
    listed = run("list", library=library)
    if listed.code != 0:
        assert "damaged" in listed.err, listed.err
        return None
    return len(listed.lines)


def test_a_repair_killed_at_any_moment_leaves_the_old_or_the_new_library(
    template: Path, tmp_path: Path
) -> None:
    measure = tmp_path / "measure"
    shutil.copytree(template, measure)
    _damage(measure)
    started = time.monotonic()
    run("doctor", "--repair", library=measure).ok()
    duration = time.monotonic() - started
    recovered = _papers(measure)
    assert recovered is not None and recovered > PAPERS // 2

    rng = random.Random(9)
    outcomes = []
    for attempt in range(8):
        library = tmp_path / f"kill-{attempt}"
        shutil.copytree(template, library)
        _damage(library)
        damaged = (library / "library.db").read_bytes()
        proc = subprocess.Popen(
            [shelf_path(), "--library", str(library), "doctor", "--repair"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=rng.uniform(0.05, duration))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Whatever the moment: the damaged library as it was, or the repaired one.
        seen = _papers(library)
        if seen is None:
            assert (library / "library.db").read_bytes() == damaged
            outcomes.append("old")
            run("doctor", "--repair", library=library).ok()  # a second repair finishes
            seen = _papers(library)
        else:
            outcomes.append("new")
        assert seen == recovered
        kept = [
            p for p in library.glob("library.db.damaged-*") if p.name[-4:] not in ("-wal", "-shm")
        ]
        assert len(kept) == 1 and kept[0].read_bytes() == damaged
        assert run("doctor", library=library).ok().lines[-1] == "library is healthy"
        assert list(library.glob("library.db.repair*")) == []
    print(outcomes)


def test_every_command_mentions_the_kept_copy_until_it_is_deleted(
    template: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    shutil.copytree(template, library)
    _damage(library)
    run("doctor", "--repair", library=library).ok()
    (kept,) = [
        p for p in library.glob("library.db.damaged-*") if p.name[-4:] not in ("-wal", "-shm")
    ]
    for args in (["list", "-n", "1"], ["search", "study"], ["stats"], ["doctor", "--check-only"]):
        shown = run(*args, library=library)
        assert str(kept) in shown.out + shown.err, args
    for path in library.glob("library.db.damaged-*"):
        path.unlink()
    for args in (["list", "-n", "1"], ["stats"]):
        assert "damaged" not in run(*args, library=library).ok().err


@pytest.mark.parametrize("name", ["lib%20rary", "lib#rary", "odd dir?x=1&y", "l%2Fb #%"])
def test_doctor_repair_on_a_healthy_library_with_odd_characters_changes_nothing(
    tmp_path: Path, name: str
) -> None:
    library = tmp_path / name / "library"
    run("import", str(PAGE_COPY), library=library).ok()
    run("set", _first_id(library), "--note", "keep me", library=library).ok()
    database = library / "library.db"
    digest = hashlib.sha256(database.read_bytes()).hexdigest()
    before = sorted(p.name for p in (tmp_path / name).rglob("*"))

    repaired = run("doctor", "--repair", library=library).ok()

    assert "repaired: kept" not in repaired.out
    assert repaired.lines[-1] == "library is healthy"
    assert list(library.glob("library.db.damaged-*")) == []
    assert hashlib.sha256(database.read_bytes()).hexdigest() == digest
    after = sorted(p.name for p in (tmp_path / name).rglob("*"))
    assert [p for p in after if p not in before and not p.startswith("library.db-")] == []
    assert set(tmp_path.iterdir()) == {tmp_path / name, tmp_path / "home"}
    assert "keep me" in run("show", _first_id(library), library=library).ok().out
