"""SIGKILL at random moments of real ``shelf`` processes: the library always reopens whole.

Each test runs the real command line in a subprocess and kills it (``proc.kill()``)
after a delay drawn from a seeded generator, spread over how long the command
takes uninterrupted (measured first, so the choices are deterministic while the
absolute delays follow the machine's speed). After every kill the library is
opened the way the next ``shelf`` command would open it, which must repair the
search index by itself, and then checked: SQLite's own integrity check, ``doctor``
finding nothing that the open did not already repair, and each transaction either
wholly there or wholly absent.

These tests can fail. Without the outbox (papers to index written to
``index_queue`` in the same transaction as the papers), a kill after the store's
commit and before the index's would leave papers that no search finds and that
no open repairs: ``doctor`` would report them missing. That is what a killed
``shelf reindex`` did (an empty index that opened cleanly, every paper missing)
until a rebuild queued every paper first. Without the atomic export a kill
mid-write would leave a truncated file under the user's name.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from shelf.library import Library
from shelf.paths import DB_NAME
from shelf.store.recovery import reading

#: A few thousand papers; the index phase, and the repair after each kill in it,
#: grow with this, and they are most of the test's time.
PAPERS = 2000
#: Kills wanted; a drawn moment can fall after the command already finished (it runs
#: at the machine's pace of the moment), so moments are drawn until this many landed.
KILLS = 20
KILL_DRAWS = 40
ABSTRACT_WORDS = 40
#: A word in exactly one title, to check that search finds that paper once.
PLANTED = "zanzibarquux"
PLANTED_AT = 1234
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pra", "stel", "gor", "min",
             "tal", "ver", "qua", "dex", "lin", "mor", "phi", "bra", "cu", "del", "fen", "hob",
             "jus", "nix", "oum", "pel", "riv")  # fmt: skip


def synthetic_papers(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` papers of made-up words, their abstracts drawn from a wide vocabulary."""
    rng = random.Random(seed)
    vocabulary = sorted(
        {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
    )

    def words(n: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(n))

    papers = []
    for number in range(count):
        title = words(7).capitalize() + (f" {PLANTED}" if number == PLANTED_AT else "")
        papers.append(
            {
                "title": title,
                "abstract": words(ABSTRACT_WORDS) + ".",
                "authors": [words(2).title() for _ in range(3)],
                "year": 2010 + number % 15,
                "arxiv_id": f"2101.{number:05d}",
            }
        )
    return papers


ARXIV_IDS = {f"2101.{number:05d}" for number in range(PAPERS)}


@pytest.fixture(scope="module")
def import_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash-data") / "papers.json"
    path.write_text(json.dumps(synthetic_papers(PAPERS)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def full_template(tmp_path_factory: pytest.TempPathFactory, import_file: Path) -> Path:
    """A library holding the synthetic papers, built once per module (in-process)."""
    directory = tmp_path_factory.mktemp("crash-template") / "library"
    with Library.open(directory) as library:
        library.import_paths([import_file])
    return directory


@pytest.fixture
def full_library(full_template: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "full"
    shutil.copytree(full_template, directory)
    return directory


def shelf_command(library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "shelf", "--library", str(library), *args]


def run_to_completion(command: list[str]) -> tuple[str, float]:
    """Run ``command`` uninterrupted; its stdout and how long it took."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout, elapsed


def run_and_kill(command: list[str], delay: float) -> bool:
    """Start ``command`` and SIGKILL it after ``delay`` seconds; False if it finished first."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        proc.wait(timeout=delay)  # the kill moment: waiting is the point here
    except subprocess.TimeoutExpired:
        proc.kill()
    _, stderr = proc.communicate()
    if proc.returncode == 0:
        assert "Traceback" not in stderr
        return False
    assert proc.returncode == -9, stderr
    return True


def kill_delays(seed: int, count: int, duration: float) -> Iterator[float]:
    """Delays uniform over ``duration``, seeded: rounds of ``count``, one per ``count``-th
    of the duration (spread over the whole run), in shuffled order.
    """
    rng = random.Random(seed)
    while True:
        delays = [(stratum + rng.random()) * duration / count for stratum in range(count)]
        rng.shuffle(delays)
        yield from delays


@dataclass(frozen=True)
class Left:
    """What a killed process left in the store, read before anything repairs it."""

    papers: int
    queued: int
    wal: int
    """Bytes in the write-ahead log (megabytes: the import's transaction was under way)."""


def peek(library: Path) -> Left | None:
    """Read the store read-only, as the killed process left it; None if it has no store."""
    db = library / DB_NAME
    if not db.exists():
        return None
    with reading(db) as connection:  # never replays a killed writer's log in place
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "papers" not in tables:
            return Left(0, 0, 0)
        papers = connection.execute("SELECT count(*) FROM papers").fetchone()[0]
        queued = connection.execute("SELECT count(*) FROM index_queue").fetchone()[0]
    wal = db.with_name(f"{DB_NAME}-wal")
    return Left(papers, queued, wal.stat().st_size if wal.exists() else 0)


def integrity(library: Path) -> list[tuple[str]]:
    with reading(library / DB_NAME) as connection:
        result: list[tuple[str]] = connection.execute("PRAGMA integrity_check").fetchall()
        return result


def assert_whole(library: Library) -> list[str]:
    """The checks every reopened library passes; returns what the open repaired."""
    assert integrity(library.directory) == [("ok",)]
    repaired_on_open = [problem for problem, _ in library.repairs_on_open]
    report = library.doctor(repair=False)
    assert report.problems[: len(repaired_on_open)] == repaired_on_open
    assert report.problems[len(repaired_on_open) :] == [], report.problems
    return repaired_on_open


def assert_all_or_nothing(library: Library) -> int:
    """The import is one transaction: none of its papers, or all of them, each once."""
    entries = library.entries()
    arxiv_ids = Counter(entry.paper.arxiv_id for entry in entries)
    assert [arxiv for arxiv, times in arxiv_ids.items() if times > 1] == []
    assert len(entries) in (0, PAPERS)
    if entries:
        assert set(arxiv_ids) == ARXIV_IDS
        found = library.search(PLANTED)
        assert [entry.paper.arxiv_id for entry in found.entries] == [f"2101.{PLANTED_AT:05d}"]
        assert found.total == 1
    return len(entries)


def check_killed_import(library_dir: Path, killed: bool) -> tuple[str, str]:
    """Reopen a library whose import was killed, check it whole; its phase and repairs."""
    left = peek(library_dir)
    with Library.open(library_dir) as library:
        repaired = assert_whole(library)
        count = assert_all_or_nothing(library)
    if not killed:
        phase = "finished before the kill"
    elif left is None:
        phase = "before the library was created"
    elif left.papers == 0:
        phase = f"before the store commit ({left.wal} bytes in the WAL)"
    elif left.queued:
        phase = "index phase (store committed, outbox not cleared)"
        assert repaired, "the open indexed nothing, yet papers were queued"
    else:
        phase = "after the outbox was cleared"
    assert count == (left.papers if left else 0)
    with Library.open(library_dir) as library:
        assert library.repairs_on_open == []  # the open's repair itself lasted
    return phase, f"open repaired {repaired}"


def test_import_killed_at_random_moments_leaves_a_whole_library(
    tmp_path: Path, import_file: Path
) -> None:
    _, duration = run_to_completion(shelf_command(tmp_path / "measure", "import", str(import_file)))
    outcomes: dict[Path, tuple[str, str]] = {}
    delays: dict[Path, float] = {}
    kills = 0
    # Each kill gets a fresh library; the previous one is checked (its index repaired)
    # in a thread while the next import runs, so the two use both cores.
    with ThreadPoolExecutor(max_workers=1) as checker:
        checking: Future[tuple[str, str]] | None = None
        previous = tmp_path
        for attempt, delay in enumerate(kill_delays(2024, KILLS, duration)):
            if kills == KILLS or attempt == KILL_DRAWS:
                break
            library_dir = tmp_path / f"lib-{attempt}"
            killed = run_and_kill(shelf_command(library_dir, "import", str(import_file)), delay)
            kills += killed
            if checking is not None:
                outcomes[previous] = checking.result()
            checking = checker.submit(check_killed_import, library_dir, killed)
            previous, delays[library_dir] = library_dir, delay
        assert checking is not None
        outcomes[previous] = checking.result()
    print(
        "\n".join(
            f"{delays[d]:5.2f}s of {duration:.2f}s: {', '.join(o)}" for d, o in outcomes.items()
        )
    )
    assert kills == KILLS

    # Running the import again, after a kill in each phase, converges to the whole library.
    for library_dir in {phase: d for d, (phase, _) in outcomes.items()}.values():
        stdout, _ = run_to_completion(shelf_command(library_dir, "import", str(import_file)))
        assert stdout.split(",")[0] in (f"added {PAPERS}", "added 0")
        with Library.open(library_dir) as library:
            assert library.repairs_on_open == []
            assert_whole(library)
            assert assert_all_or_nothing(library) == PAPERS


def test_note_save_killed_keeps_the_old_note_or_the_new(full_library: Path, tmp_path: Path) -> None:
    # A long note makes the save (its index update above all) long enough to land kills in.
    rng = random.Random(5)
    paper = "2101.00042"

    def note(word: str) -> Path:
        path = tmp_path / f"{word}.txt"
        body = " ".join(f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}" for _ in range(30000))
        path.write_text(f"{word} {body}", encoding="utf-8")
        return path

    def save(word: str) -> list[str]:
        return shelf_command(full_library, "set", paper, "--note-file", str(note(word)))

    _, duration = run_to_completion(save("notefirst"))
    current = "notefirst"
    outcomes = []
    for attempt, delay in enumerate(islice(kill_delays(77, 8, duration), 8)):
        word = f"notekill{attempt}"
        killed = run_and_kill(save(word), delay)
        left = peek(full_library)
        with Library.open(full_library) as library:
            repaired = assert_whole(library)
            saved = library.get(paper).state.notes.split(" ", 1)[0]
            assert saved in (current, word)
            for candidate in (current, word):
                hits = [e.paper.arxiv_id for e in library.search(f"notes:{candidate}").entries]
                assert hits == ([paper] if candidate == saved else [])
        landed = "saved" if saved == word else "not saved"
        index_phase = " (index phase)" if left and left.queued else ""
        outcomes.append(f"{delay:.2f}s/{duration:.2f}s killed={killed} {landed}{index_phase}")
        assert bool(index_phase) == bool(repaired)
        current = saved
    print("\n".join(outcomes))


def test_export_killed_leaves_the_old_file_or_the_new(full_library: Path) -> None:
    # The kill lands mostly while the library is read and rendered; the write itself is
    # milliseconds of the run. Whatever it interrupts, the file under the user's name is
    # absent (first export), the old export or the new one: never a truncated file.
    target = full_library.parent / "export.json"
    export = shelf_command(full_library, "export", "--format", "json", "-o", str(target))
    run_to_completion(export)
    old = target.read_bytes()
    run_to_completion(shelf_command(full_library, "set", "2101.00007", "--note", "changed"))
    _, duration = run_to_completion(export)
    new = target.read_bytes()
    assert new != old and len(json.loads(new)) == PAPERS

    outcomes: Counter[str] = Counter()
    for attempt, delay in enumerate(islice(kill_delays(99, 12, duration), 12)):
        before = old if attempt % 2 else None
        if before is None:
            target.unlink()
        else:
            target.write_bytes(before)
        killed = run_and_kill(export, delay)
        after = target.read_bytes() if target.exists() else None
        assert after in (before, new), f"a kill after {delay:.2f}s left {len(after or '')} bytes"
        start = "old" if before else "absent"
        outcomes[f"{start} -> {'unchanged' if after == before else 'new'}, killed={killed}"] += 1
    # A kill between creating the temporary file and renaming it leaves that file behind,
    # hidden beside the target; never anything under the target's own name.
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".export.json.")]
    assert all(name.endswith(".tmp") for name in leftovers)
    print(dict(outcomes), f"{len(leftovers)} temporary file(s) left")


def test_reindex_killed_is_finished_by_the_next_open(full_library: Path) -> None:
    _, duration = run_to_completion(shelf_command(full_library, "reindex"))
    outcomes = []
    for delay in islice(kill_delays(11, 3, duration), 3):
        killed = run_and_kill(shelf_command(full_library, "reindex"), delay)
        with Library.open(full_library) as library:
            repaired = assert_whole(library)
            assert assert_all_or_nothing(library) == PAPERS
        outcomes.append(f"{delay:.2f}s/{duration:.2f}s killed={killed}; open repaired {repaired}")
    print("\n".join(outcomes))
