"""Backups restore through ``shelf import``, the only way a user restores: exactly, every time.

Without the fix (main of 2026-12-01) ``shelf import`` of a TOML backup
reported ``unchanged 218`` and restored no status, star, tag or note, and a
JSON export with 971 starred papers came back with none: the command rebuilt
the parse result from papers and problems only, and only the library-level
test passed.

Each format is exported from a library with varied state, then imported into
an empty library and into one that already holds the same papers (with other
states); the state, ``added_at`` included, must come back, the report must
count it, and exporting again must give the same bytes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support.commands import run
from support.paths import PAGE_COPY

STATUSES = ("inbox", "to-read", "reading", "read", "skipped")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, page_template: Path) -> Path:
    """The page library with a status, star, tags or notes on many papers."""
    library = tmp_path_factory.mktemp("restore") / "library"
    shutil.copytree(page_template, library)
    ids = [line.split()[0] for line in run("list", library=library).ok().lines]
    for number, paper in enumerate(ids[:60]):
        args = ["set", paper, "--status", STATUSES[number % 5]]
        if number % 3 == 0:
            args.append("--star")
        if number % 4 == 0:
            args += ["--tag", f"tag{number % 7}", "--tag", "shared"]
        if number % 5 == 0:
            args += ["--note", f'Note {number}:\n- a point\n- "quoted" and ; semicolons']
        run(*args, library=library).ok()
    return library


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same papers imported afresh elsewhere: every paper in the inbox, no state.

    Not a copy of the page library: imported on its own, its papers were added at other
    times than ``source``'s, so a restore that left ``added_at`` alone would fail.
    """
    library = tmp_path_factory.mktemp("plain") / "library"
    run("import", str(PAGE_COPY), library=library).ok()
    return library


def state_of(library: Path) -> dict[str, dict[str, object]]:
    exported = json.loads(run("export", "--format", "json", library=library).ok().out)
    keep = ("status", "starred", "tags", "notes", "added_at", "status_changed_at", "read_at")
    return {paper["id"]: {key: paper[key] for key in keep} for paper in exported}


@pytest.mark.parametrize("kind", ["toml", "json", "csv"])
@pytest.mark.parametrize("into", ["an empty library", "a library that has the papers"])
def test_a_backup_restores_every_state_through_the_command_line(
    source: Path, plain: Path, tmp_path: Path, kind: str, into: str
) -> None:
    backup = tmp_path / f"backup.{kind}"
    run("export", "--format", kind, "-o", str(backup), library=source).ok()
    target = tmp_path / "target"
    if into != "an empty library":
        shutil.copytree(plain, target)
        first = next(iter(state_of(plain)))
        run("set", first, "--status", "skipped", "--note", "a newer note", library=target).ok()

    report = json.loads(run("import", "--json", str(backup), library=target).ok().out)

    expected = state_of(source)
    assert state_of(target) == expected
    changed = sum(1 for s in expected.values() if s["status"] != "inbox" or s["tags"])
    assert report["restored"] >= changed > 50
    if into == "an empty library":
        assert (report["added"], report["restored"]) == (236, 236)
    again = tmp_path / f"again.{kind}"
    run("export", "--format", kind, "-o", str(again), library=target).ok()
    assert again.read_bytes() == backup.read_bytes()
    starred = json.loads(run("stats", "--json", library=target).ok().out)["starred"]
    assert starred == json.loads(run("stats", "--json", library=source).ok().out)["starred"] > 0


def test_a_restore_is_one_change_for_undo(source: Path, plain: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.toml"
    run("export", "--format", "toml", "-o", str(backup), library=source).ok()
    target = tmp_path / "target"
    shutil.copytree(plain, target)
    before = state_of(target)
    run("import", str(backup), library=target).ok()
    assert state_of(target) == state_of(source)
    run("undo", library=target).ok()
    assert state_of(target) == before
