"""What the hostile pass of 2026-12-01 found in the command line, each pinned by a test.

A helper session attacked the installed ``shelf`` with kills, full disks, odd
files and odd bytes. Each test here reproduces one finding through the real
command and fails without its fix (the finding's number is in the test's
first comment).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from shelf.search.whoosh_index import PARALLEL_FROM
from support.commands import run, shelf_path
from support.paths import README


def _first(library: Path) -> str:
    return run("list", "-n", "1", library=library).ok().out.split()[0]


def _show(library: Path, paper: str) -> dict[str, object]:
    shown: dict[str, object] = json.loads(run("show", "--json", paper, library=library).ok().out)
    return shown


def test_crlf_in_a_note_survives_a_toml_backup(page_dir: Path, tmp_path: Path) -> None:
    # Finding 4: the TOML backup turned CRLF into LF (a multi-line string cannot keep it).
    note = tmp_path / "crlf.md"
    note.write_bytes(b"line one\r\nline two\r\n\r\nlone\rcr\n")
    paper = _first(page_dir)
    run("set", paper, "--note-file", str(note), library=page_dir).ok()
    backup = tmp_path / "b.toml"
    run("export", "--format", "toml", "-o", str(backup), library=page_dir).ok()
    run("import", str(backup), library=tmp_path / "restored").ok()
    assert _show(tmp_path / "restored", paper)["notes"] == "line one\r\nline two\r\n\r\nlone\rcr\n"


def test_control_characters_in_notes_round_trip_exactly_through_json_and_are_spelled_out_in_csv(
    page_dir: Path, tmp_path: Path
) -> None:
    # Finding 3: CSV has no escapes, so it spells control characters out; the README
    # says so, and the JSON and TOML backups keep them exactly.
    paper = _first(page_dir)
    note = "a\x1b[31mred\r\ncrlf\u202e"
    run("set", paper, "--note", note, library=page_dir).ok()
    for kind in ("json", "toml"):
        backup = tmp_path / f"b.{kind}"
        run("export", "--format", kind, "-o", str(backup), library=page_dir).ok()
        run("import", str(backup), library=tmp_path / kind).ok()
        assert _show(tmp_path / kind, paper)["notes"] == note, kind
    table = tmp_path / "b.csv"
    run("export", "--format", "csv", "-o", str(table), library=page_dir).ok()
    assert b"\x1b" not in table.read_bytes()
    run("import", str(table), library=tmp_path / "csv").ok()
    assert _show(tmp_path / "csv", paper)["notes"] == "a\\x1b[31mred\\x0d\ncrlf\\u202e"
    readme = README.read_text(encoding="utf-8")
    assert "CSV spells control characters out" in readme


def test_a_directory_as_a_note_file_is_one_line(page_dir: Path, tmp_path: Path) -> None:
    # Finding 8: IsADirectoryError as a traceback.
    line = run("set", _first(page_dir), "--note-file", str(tmp_path), library=page_dir).error()
    assert line == f"shelf: {tmp_path}: is a directory, not a file"


def test_bytes_that_are_not_utf8_in_arguments_and_files_are_stored_not_a_traceback(
    page_dir: Path, tmp_path: Path
) -> None:
    # Finding 9: UnicodeEncodeError (surrogates not allowed) from the store.
    paper = _first(page_dir)
    command = [shelf_path(), "--library", str(page_dir), "set", paper]
    done = subprocess.run(
        [*command, "--note", b"bad \xff note", "--tag", b"t\xffg"], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    shown = _show(page_dir, paper)
    assert (shown["notes"], shown["tags"]) == ("bad \ufffd note", ["t\ufffdg"])
    missing = subprocess.run(
        [shelf_path(), "--library", str(page_dir), "show", b"\xff"],
        capture_output=True,
        check=False,
    )
    assert missing.returncode == 1 and b"Traceback" not in missing.stderr
    lone = tmp_path / "lone.json"
    lone.write_text('[{"title": "bad \\ud800 title"}]', encoding="utf-8")
    run("import", str(lone), library=page_dir).ok()
    assert "bad \ufffd title" in run("list", library=page_dir).ok().out


@pytest.mark.parametrize("kind", ["device", "fifo", "directory"])
def test_a_config_that_is_not_a_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    # Finding 10: --config /dev/zero grew to 24 GB; a FIFO hung for ever.
    config = {"device": Path("/dev/zero"), "fifo": tmp_path / "fifo", "directory": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(config)
    line = run("list", config=config, library=tmp_path / "lib", timeout=20).error(code=2)
    assert line == f"shelf: {config}: not a file (a config is a TOML file)"
    env_line = run("list", library=tmp_path / "lib", env={"SHELF_CONFIG": str(config)},
                   timeout=20).error(code=2)  # fmt: skip
    assert env_line == line


def test_ctrl_c_during_parallel_indexing_prints_no_worker_tracebacks(tmp_path: Path) -> None:
    # Finding 11: two "Process SubWriterTask ... KeyboardInterrupt" tracebacks.
    papers = tmp_path / "papers.json"
    records = [
        {"title": f"Paper {n}", "abstract": "words " * 60} for n in range(PARALLEL_FROM + 500)
    ]
    papers.write_text(json.dumps(records), encoding="utf-8")
    proc = subprocess.Popen(
        [shelf_path(), "--library", str(tmp_path / "lib"), "import", str(papers)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not _has_children(proc.pid):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    assert b"KeyboardInterrupt" not in err
    # Said in words, with the shell's status for Ctrl-C (click said only "Aborted!", 1).
    assert proc.returncode == 130
    assert err.decode().splitlines()[-1].startswith("shelf: interrupted; every change lands")


def _has_children(pid: int) -> bool:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    return True
            except OSError:
                continue
    return False


def test_check_only_with_papers_waiting_says_doctor_repairs_them(page_dir: Path) -> None:
    # Finding 13: "library has problems doctor cannot repair", though doctor does.
    with closing(sqlite3.connect(page_dir / "library.db")) as db:
        db.execute("INSERT INTO index_queue (paper_id, rev) SELECT id, rev FROM papers")
        db.commit()
    checked = run("doctor", "--check-only", library=page_dir)
    assert checked.code == 1
    assert checked.lines[-1] == "library has problems: `shelf doctor` repairs them"
    assert run("doctor", library=page_dir).ok().lines[-1] == "library is healthy"


def test_a_killed_check_only_leaves_no_copy_behind(page_dir: Path, tmp_path: Path) -> None:
    # Finding 14: kill -9 of doctor --check-only left a full copy of the database in /tmp.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    holder = subprocess.Popen(  # a process with the library open keeps its -wal non-empty
        [shelf_path(), "--library", str(page_dir), "set", _first(page_dir), "--note-file", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with closing(sqlite3.connect(page_dir / "library.db")) as db:
            db.execute("PRAGMA wal_autocheckpoint = 0")
            db.execute("UPDATE papers SET venue = 'x' WHERE rowid = 1")
            db.commit()
            assert (page_dir / "library.db-wal").stat().st_size > 0
            proc = subprocess.Popen(
                [shelf_path(), "--library", str(page_dir), "doctor", "--check-only"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "TMPDIR": str(scratch)},
            )  # fmt: skip
            while proc.poll() is None and not list(scratch.glob("shelf-read-*")):
                pass
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if not list(scratch.glob("shelf-read-*")):
                pytest.fail("the check finished before its copy could be caught")
            run("doctor", "--check-only", library=page_dir, env={"TMPDIR": str(scratch)})
    finally:
        holder.communicate(b"", timeout=30)
    assert list(scratch.iterdir()) == []


def test_list_does_not_wait_for_indexing_left_to_do(page_dir: Path) -> None:
    # Finding 15: after an interrupted import, list sat silently while it indexed.
    with closing(sqlite3.connect(page_dir / "library.db")) as db:
        db.execute("INSERT INTO index_queue (paper_id, rev) SELECT id, rev FROM papers")
        db.commit()
    assert len(run("list", library=page_dir).ok().lines) == 236
    run("stats", library=page_dir).ok()
    with closing(sqlite3.connect(page_dir / "library.db")) as db:
        assert db.execute("SELECT count(*) FROM index_queue").fetchone()[0] == 236  # untouched
    run("search", "adapters", library=page_dir).ok()  # a search catches up first
    with closing(sqlite3.connect(page_dir / "library.db")) as db:
        assert db.execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0


def test_messages_stay_one_line_of_visible_text(page_dir: Path, tmp_path: Path) -> None:
    # Finding 16: a newline in a path split the error in two; an ESC in it vanished.
    odd = tmp_path / "odd\nname\x1b[2J.json"
    odd.write_text("not json", encoding="utf-8")
    line = run("import", str(odd), library=page_dir).error()
    assert "odd name\\x1b[2J.json" in line
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 6_000_000)
    assert (
        "too large to read (5.7 MB; the limit is 5 MB)"
        in run("set", _first(page_dir), "--note-file", str(big), library=page_dir).error()
    )
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert run("set", _first(page_dir), "--note-file", str(binary), library=page_dir
               ).error().endswith("this is a binary file, not text")  # fmt: skip


def test_a_backup_cut_short_says_so(page_dir: Path, tmp_path: Path) -> None:
    # Finding 16: a half-truncated TOML backup imported silently.
    backup = tmp_path / "b.toml"
    run("export", "--format", "toml", "-o", str(backup), library=page_dir).ok()
    text = backup.read_text(encoding="utf-8")
    half = text[: text.index("[[paper]]", len(text) // 2)]
    (tmp_path / "half.toml").write_text(half, encoding="utf-8")
    imported = run("import", str(tmp_path / "half.toml"), library=tmp_path / "lib").ok()
    assert "the backup says it holds 236 papers but has" in imported.err
    assert "cut short" in imported.err


@pytest.mark.parametrize("args", [["list"], ["export", "--format", "toml"]])
def test_output_to_a_full_disk_is_one_line(page_dir: Path, args: list[str]) -> None:
    # Found by hand: `shelf list > /dev/full` was a traceback.
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [shelf_path(), "--library", str(page_dir), *args],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False, timeout=120,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == "shelf: cannot write the output: No space left on device\n"


def test_a_closed_pipe_stops_a_command_quietly(page_dir: Path) -> None:
    reader = subprocess.Popen(
        ["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    done = subprocess.run(
        [shelf_path(), "--library", str(page_dir), "export", "--format", "json"],
        stdout=reader.stdin, stderr=subprocess.PIPE, text=True, check=False, timeout=120,
    )  # fmt: skip
    reader.stdin.close()  # type: ignore[union-attr]
    reader.wait(30)
    assert done.returncode in (0, 1) and done.stderr == ""
