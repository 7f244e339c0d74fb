"""Damaged files: each gives one clear message and a way out, and never costs the user's data.

Faults injected: a library database cut to half its size, one of random bytes,
one with its last pages cut off or a few of its pages overwritten; a deleted
index, a segment file overwritten with junk, junk inside a segment; a config
file that is a directory or not UTF-8; a full disk (SQLite's
``max_page_count`` on the open connection, and ``ENOSPC`` from the export
write). Each test says in a comment what would fail without the protection.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from shelf.cli import cli
from shelf.domain import DiskFullError, LibraryError
from shelf.formats import hf_text
from shelf.library import Library
from shelf.paths import DB_NAME, INDEX_DIR
from shelf.store import Store
from shelf.tui.app import ShelfApp
from shelf.tui.widgets.personal import NotesEditor
from shelf.tui.widgets.preview import RELATED_DELAY
from support.papers import add_papers
from support.paths import FIXTURES, PAGE_COPY
from support.tui import settle

PAPERS = 236
NOTE = "Re-read section 4: the quokka ablation is the part that matters."
TAG = "to-cite"
PAGE = 4096


def invoke(*args: str) -> Result:
    """``shelf ARGS`` in-process; a traceback or an unexpected exception fails the test."""
    result = CliRunner().invoke(cli, list(args), prog_name="shelf")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"shelf {' '.join(args)} raised") from result.exception
    assert "Traceback" not in result.output + result.stderr
    return result


def one_line_error(result: Result, code: int = 1) -> str:
    """The single ``shelf:`` line of a failed command (asserting there is exactly one)."""
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("shelf: ")
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, page_template: Path) -> tuple[Path, str]:
    """The page library with one note and one tag; returns it and the noted paper's id."""
    directory = tmp_path_factory.mktemp("damage-template") / "library"
    shutil.copytree(page_template, directory)
    with Library.open(directory) as library:
        noted = library.entries()[7].id
        library.update(noted, notes=NOTE, add_tags=[TAG])
    return directory, noted


@pytest.fixture
def library_copy(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    source, noted = template
    directory = tmp_path / "library"
    shutil.copytree(source, directory)
    return directory, noted


# -- a damaged library database ------------------------------------------------------------


def _cut_in_half(db: Path) -> None:
    os.truncate(db, db.stat().st_size // 2)


def _garbage(db: Path) -> None:
    db.write_bytes(random.Random(6).randbytes(db.stat().st_size))


COMMANDS = [
    ["list"],
    ["show", "{id}"],
    ["search", "transfer"],
    ["stats"],
    ["export"],
    ["set", "{id}", "--star"],
    ["import", str(PAGE_COPY)],
    ["reindex"],
    ["doctor"],
]


@pytest.mark.parametrize("damage", [_cut_in_half, _garbage], ids=["cut-in-half", "garbage"])
def test_every_command_on_a_damaged_database_is_one_line_and_leaves_it_alone(
    library_copy: tuple[Path, str], damage: Any
) -> None:
    # Without the protection: an open that treated the unreadable file as new would
    # replace it with an empty library (the bytes would change), and a raw sqlite3
    # error would end in a traceback.
    directory, noted = library_copy
    db = directory / DB_NAME
    damage(db)
    before = digest(db)

    for command in COMMANDS:
        args = [arg.replace("{id}", noted) for arg in command]
        line = one_line_error(invoke("--library", str(directory), *args))
        assert str(db) in line, line
        assert "damaged" in line
        assert "`shelf doctor --repair`" in line
        assert digest(db) == before, f"shelf {command[0]} changed the damaged file"
    assert not list(directory.glob(f"{DB_NAME}.damaged-*"))  # only --repair moves it


def _cut_the_tail(db: Path) -> None:
    """Cut off the last fifth of the pages (never the page holding the note)."""
    data = db.read_bytes()
    note_page = data.find(NOTE.encode()) // PAGE
    keep = max(note_page + 1, len(data) // PAGE * 4 // 5)
    os.truncate(db, keep * PAGE)


def _junk_some_pages(db: Path) -> None:
    """Overwrite four of the papers table's leaf pages (not the note's) with random bytes."""
    note_page = db.read_bytes().find(NOTE.encode()) // PAGE + 1  # dbstat counts from 1
    connection = sqlite3.connect(db)
    try:
        leaves = [
            row[0]
            for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = 'papers' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    finally:
        connection.close()
    chosen = [page for page in leaves if page != note_page][2 :: len(leaves) // 4][:4]
    rng = random.Random(3)
    with db.open("r+b") as handle:
        for page in chosen:
            handle.seek((page - 1) * PAGE)
            handle.write(rng.randbytes(PAGE))


@pytest.mark.parametrize(
    ("damage", "at_least"),
    [(_cut_the_tail, 0.6), (_junk_some_pages, 0.9), (_cut_in_half, 0.3)],
    ids=["tail-cut", "junk-pages", "cut-in-half"],
)
def test_doctor_repair_keeps_the_damaged_file_and_recovers_what_reads(
    library_copy: tuple[Path, str], damage: Any, at_least: float
) -> None:
    # Without the protection (before this fix): a file shorter than its header says
    # gave no rows at all (SQLite refuses it unless the schema is writable), and the
    # report ran to thousands of "could not read" lines, one per guessed rowid range.
    directory, noted = library_copy
    db = directory / DB_NAME
    damage(db)
    damaged_bytes = db.read_bytes()

    result = invoke("--library", str(directory), "doctor", "--repair")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) < 15, result.stdout
    kept = list(directory.glob(f"{DB_NAME}.damaged-*"))
    kept_db = [path for path in kept if not path.name.endswith(("-wal", "-shm"))]
    assert len(kept_db) == 1
    assert kept_db[0].read_bytes() == damaged_bytes  # kept aside exactly as it was
    assert f"kept the damaged database as {kept_db[0]}" in result.stdout
    assert lines[-1] == "library is healthy"
    assert (db.stat().st_mode & 0o777) == 0o600

    with Library.open(directory) as library:
        recovered = library.count()
        assert recovered >= at_least * PAPERS, result.stdout
        assert f"recovered {recovered} papers rows" in result.stdout
        if recovered < PAPERS:
            assert f"could not read: {PAPERS - recovered} of {PAPERS} papers rows" in result.stdout
        entry = library.get(noted)
        assert entry.state.notes == NOTE
        assert entry.state.tags == (TAG,)
        assert library.search("quokka").entries[0].id == noted  # re-indexed

    check = invoke("--library", str(directory), "doctor")
    assert check.exit_code == 0
    assert check.stdout.splitlines()[-1] == "library is healthy"
    assert "found:" not in check.stdout
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


def test_doctor_repair_of_a_garbage_file_keeps_it_and_starts_afresh(
    library_copy: tuple[Path, str],
) -> None:
    # Without the protection: the garbage would be deleted or overwritten in place.
    directory, _ = library_copy
    db = directory / DB_NAME
    _garbage(db)
    garbage = db.read_bytes()

    result = invoke("--library", str(directory), "doctor", "--repair")

    assert result.exit_code == 0, result.output
    assert "could not read: the whole file (file is not a database)" in result.stdout
    assert len(result.stdout.splitlines()) < 15
    (kept,) = [
        p for p in directory.glob(f"{DB_NAME}.damaged-*") if not p.name.endswith(("-wal", "-shm"))
    ]
    assert kept.read_bytes() == garbage
    listed = invoke("--library", str(directory), "list")
    assert listed.exit_code == 0
    assert listed.stdout == ""
    assert invoke("--library", str(directory), "import", str(PAGE_COPY)).exit_code == 0


def test_repair_on_a_sound_database_changes_nothing(library_copy: tuple[Path, str]) -> None:
    # Without the protection: a repair that always rebuilt would drop the undo history.
    directory, _ = library_copy
    before = digest(directory / DB_NAME)

    result = invoke("--library", str(directory), "doctor", "--repair")

    assert result.exit_code == 0
    assert "repaired: moved" not in result.stdout
    assert not list(directory.glob(f"{DB_NAME}.damaged-*"))
    assert digest(directory / DB_NAME) == before


# -- a damaged search index ------------------------------------------------------------------


def test_a_deleted_index_is_rebuilt_and_doctor_says_so(library_copy: tuple[Path, str]) -> None:
    # Without the protection: the search would find nothing (or fail) until a reindex.
    directory, noted = library_copy
    shutil.rmtree(directory / INDEX_DIR)

    result = invoke("--library", str(directory), "doctor")

    assert result.exit_code == 0, result.output
    assert "found:   the search index was missing" in result.stdout
    assert f"repaired: rebuilt the search index ({PAPERS} papers)" in result.stdout
    assert result.stdout.splitlines()[-1] == "library is healthy"
    found = invoke("--library", str(directory), "search", "quokka")
    assert found.stdout.split()[0] == noted


# whoosh leaves the damaged segment file open when it fails to read it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_junk_segment_is_rebuilt_and_doctor_says_so(library_copy: tuple[Path, str]) -> None:
    # Without the protection: opening the library would raise whoosh's own error.
    directory, noted = library_copy
    segment = max((directory / INDEX_DIR).glob("*.seg"), key=lambda p: p.stat().st_size)
    segment.write_bytes(random.Random(1).randbytes(segment.stat().st_size))

    result = invoke("--library", str(directory), "doctor")

    assert result.exit_code == 0, result.output
    assert "found:   the search index was unreadable" in result.stdout
    assert f"repaired: rebuilt the search index ({PAPERS} papers)" in result.stdout
    assert result.stdout.splitlines()[-1] == "library is healthy"
    found = invoke("--library", str(directory), "search", "quokka")
    assert found.stdout.split()[0] == noted


@pytest.fixture
def small_library(tmp_path: Path) -> Path:
    """Forty papers of the page copy and a note: two small segments to damage."""
    directory = tmp_path / "small"
    papers = hf_text.read(PAGE_COPY.read_text(encoding="utf-8"), str(PAGE_COPY)).papers[:40]
    with Library.open(directory) as library:
        add_papers(library, papers)
        library.update(library.entries()[3].id, notes="a note about adapters")
    return directory


QUERIES = [["search", "transfer"], ["search", "adapt*"], ["search", "domain~"], ["search", "zzyzx"]]


# whoosh leaves a segment's file open when reading it fails part-way.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_junk_inside_a_segment_is_one_clear_line_and_reindex_cures_it(
    small_library: Path, tmp_path: Path
) -> None:
    # Whoosh keeps no checksums, so junk inside a segment shows only when a search
    # reads it. Without the protection: IndexError, struct.error or CorruptIndexError
    # tracebacks from `shelf search`.
    damaged_copies = []
    for segment in sorted((small_library / INDEX_DIR).glob("*.seg")):
        size = segment.stat().st_size
        for offset in range(0, size - 2048, max(1024, size // 10)):
            copy = tmp_path / f"copy-{segment.stem}-{offset}"
            shutil.copytree(small_library, copy)
            with (copy / INDEX_DIR / segment.name).open("r+b") as handle:
                handle.seek(offset)
                handle.write(bytes(range(256)) * 8)
            for query in QUERIES:
                result = invoke("--library", str(copy), *query)
                if result.exit_code == 0:
                    continue
                line = one_line_error(result)
                assert f"{copy / INDEX_DIR}: the search index is damaged" in line
                assert "`shelf reindex` rebuilds it" in line
                damaged_copies.append((copy, query))

    assert damaged_copies, "no offset reached data a search reads: damage elsewhere"
    for copy, query in damaged_copies[:3]:
        assert invoke("--library", str(copy), "reindex").stdout == "indexed 40 papers\n"
        assert invoke("--library", str(copy), *query).exit_code == 0


# -- an unreadable config ---------------------------------------------------------------------


def _a_directory(path: Path) -> None:
    path.mkdir()


def _not_utf8(path: Path) -> None:
    path.write_bytes(b'[ui]\ntheme = "caf\xe9 \xff"\n')


@pytest.mark.parametrize("make", [_a_directory, _not_utf8], ids=["directory", "not-utf8"])
@pytest.mark.parametrize("how", ["--config", "SHELF_CONFIG"])
def test_an_unreadable_config_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Any, how: str
) -> None:
    # We run as root, so chmod 000 would not stop a read: a directory and bytes that
    # are not UTF-8 stand in. Without the protection: IsADirectoryError or
    # UnicodeDecodeError tracebacks.
    config = tmp_path / "config.toml"
    make(config)
    library = tmp_path / "library"
    options = ["--library", str(library)]
    if how == "--config":
        options += ["--config", str(config)]
    else:
        monkeypatch.setenv("SHELF_CONFIG", str(config))

    line = one_line_error(invoke(*options, "list"), code=2)

    said = (
        "not a file (a config is a TOML file)" if make is _a_directory else "cannot read config: "
    )
    assert line.startswith(f"shelf: {config}: {said}")
    assert not library.exists()  # nothing was done with a config we could not read


# -- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def library(library_copy: tuple[Path, str]) -> Iterator[Library]:
    with Library.open(library_copy[0]) as opened:
        yield opened


def _fill(connection: sqlite3.Connection) -> None:
    """Make the database "full": it may not grow by a single page."""
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")


def _snapshot(library: Library) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(e.id, e.paper.title, e.state.notes, e.state.tags) for e in library.entries()]


def test_a_full_disk_during_an_import_changes_nothing(library: Library) -> None:
    # Without the protection: sqlite3.OperationalError "database or disk is full"
    # as a traceback, or papers half imported.
    before = _snapshot(library)
    _fill(library._store._db)

    with pytest.raises(LibraryError) as raised:
        library.import_paths([FIXTURES / "d2l.bib"])

    message = str(raised.value)
    assert "\n" not in message
    assert re.fullmatch(
        rf"the disk is full \([\d.]+ MB free at {re.escape(str(library.directory))}\); "
        "nothing was changed",
        message,
    ), message
    assert _snapshot(library) == before
    assert library.search("dive into deep learning").total == 0  # nothing reached the index
    with pytest.raises(LibraryError, match="the disk is full"):
        library.update(before[0][0], notes="x" * 200_000)
    assert _snapshot(library) == before
    assert library.doctor().problems == []


def test_a_full_disk_from_the_command_line(
    library_copy: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the protection: a traceback instead of one line.
    directory, noted = library_copy
    opened = Store.open

    def full_store(path: Path) -> Store:
        store = opened(path)
        _fill(store._db)
        return store

    listed = invoke("--library", str(directory), "list").stdout
    monkeypatch.setattr(Store, "open", staticmethod(full_store))

    for args in (["import", str(FIXTURES / "d2l.bib")], ["set", noted, "--note", "y" * 100_000]):
        line = one_line_error(invoke("--library", str(directory), *args))
        where = re.escape(str(directory))
        assert re.fullmatch(
            rf"shelf: the disk is full \([\d.]+ MB free at {where}\); nothing was changed", line
        ), line

    monkeypatch.setattr(Store, "open", opened)
    assert invoke("--library", str(directory), "list").stdout == listed
    assert invoke("--library", str(directory), "show", noted).stdout.count(NOTE) == 1


class _FullDiskFile:
    """A file handle whose writes fail as on a full disk."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def __enter__(self) -> _FullDiskFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def _failing_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)


def _failing_write(monkeypatch: pytest.MonkeyPatch) -> None:
    fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FullDiskFile(fdopen(fd, *a, **k)))


@pytest.mark.parametrize("fail", [_failing_fsync, _failing_write], ids=["fsync", "write"])
def test_a_full_disk_during_an_export_keeps_the_old_file(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: Any
) -> None:
    # Without the protection: an export written in place would leave the old file
    # truncated, a temp file would be left behind, or OSError would be a traceback.
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "reading-list.md"
    target.write_text("last week's export\n", encoding="utf-8")
    fail(monkeypatch)

    with pytest.raises(DiskFullError) as raised:
        library.export("markdown", library.select(), target)

    where = re.escape(str(folder))
    assert re.fullmatch(
        rf"the disk is full \([\d.]+ MB free at {where}\); nothing was changed", str(raised.value)
    )
    assert target.read_text(encoding="utf-8") == "last week's export\n"
    assert os.listdir(folder) == [target.name]


def test_a_full_disk_during_an_export_from_the_command_line(
    library_copy: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory, _ = library_copy
    target = tmp_path / "out.bib"
    target.write_text("% the old export\n", encoding="utf-8")
    _failing_fsync(monkeypatch)

    line = one_line_error(
        invoke("--library", str(directory), "export", "--format", "bibtex", "-o", str(target))
    )

    where = re.escape(str(tmp_path))
    assert re.fullmatch(
        rf"shelf: the disk is full \([\d.]+ MB free at {where}\); nothing was changed", line
    ), line
    assert target.read_text(encoding="utf-8") == "% the old export\n"
    assert sorted(os.listdir(tmp_path)) == sorted(["home", "library", "out.bib"])


# -- the same faults in the app ---------------------------------------------------------------


async def test_a_full_disk_in_the_app_is_a_notification_and_the_notes_stay_typed(
    library: Library,
) -> None:
    # Without the protection: the LibraryError from saving the notes ended the app
    # with a traceback, and the notes just typed were gone with it.
    typed = "A long thought about this paper. " * 3_000

    app = ShelfApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entry = app.main.results.highlighted
        assert entry is not None
        _fill(library._store._db)
        await pilot.press("n")
        app.main.personal.editor.insert(typed)
        await pilot.press("escape")
        await settle(pilot)

        assert app.is_running
        (message, *_) = [n.message for n in app._notifications]
        assert message.startswith(
            "Notes not saved (they stay in the editor; retrying): the disk is full ("
        )
        assert library.get(entry.id).state.notes == entry.state.notes
        assert app.main.personal.editor.text == entry.state.notes + typed

        assert isinstance(app.focused, NotesEditor)  # escape did not leave the editor

        library._store._db.execute("PRAGMA max_page_count = 1073741823")  # space freed
        await pilot.press("escape")  # tries again, and now leaves
        await settle(pilot)
        assert library.get(entry.id).state.notes == entry.state.notes + typed
        assert not isinstance(app.focused, NotesEditor)


async def test_a_library_error_while_finding_related_papers_leaves_the_app_running(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the protection: the error ended the related-papers worker and, with it,
    # the app (a damaged index that opened cleanly fails here first).
    def related(ref: str, limit: int = 5) -> list[object]:
        raise LibraryError(f"{library.directory / INDEX_DIR}: the search index is damaged")

    monkeypatch.setattr(library, "related", related)

    app = ShelfApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await pilot.pause(RELATED_DELAY + 0.2)
        await settle(pilot)
        assert app.is_running
        assert app.main.results.cursor == 1
        await pilot.press("s")  # still answering keys
        assert library.get(app.main.results.entries[1].id).state.starred
