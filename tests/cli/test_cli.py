"""The ``shelf`` command line, per subcommand, through click's test runner and as real processes.

Every invocation is checked for the same promise: no traceback, ever. Error
paths also check for exactly one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import Result

from shelf import __version__
from shelf.domain import Status
from shelf.library import Library
from shelf.paths import DB_NAME, INDEX_DIR
from support.cli_runner import invoke, ok, one_line_error
from support.papers import LONG_ABSTRACT
from support.paths import PAGE_COPY

FIRST_TITLE = "AdapterFusion: Non-Destructive Task Composition for Transfer Learning"
ENTRY_KEYS = {"id", "title", "authors", "year", "status", "starred", "tags", "notes"}


class Shelf:
    """``shelf --library <tmp library> ARGS``, in-process."""

    def __init__(self, library_dir: Path) -> None:
        self.library_dir = library_dir

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return invoke("--library", str(self.library_dir), *args, input=input)


@pytest.fixture
def shelf(library_dir: Path) -> Shelf:
    return Shelf(library_dir)


@pytest.fixture
def small_page(tmp_path: Path) -> Path:
    """A page copy of three papers."""
    page = tmp_path / "small.txt"
    titles = ("Axolotl regeneration", "Zebrafish fins", "Planarian heads")
    page.write_text("".join(f"{t}\n{LONG_ABSTRACT}\n" for t in titles), encoding="utf-8")
    return page


@pytest.fixture
def ids(page_dir: Path) -> list[str]:
    """The page-copy library's ids in listing order."""
    with Library.open(page_dir) as library:
        return [e.id for e in library.entries()]


def _listed_ids(output: str) -> list[str]:
    return [line.split()[0] for line in output.splitlines() if line.strip()]


def _state(library_dir: Path, paper_id: str) -> tuple[Status, bool, tuple[str, ...], str]:
    with Library.open(library_dir) as library:
        state = library.get(paper_id).state
    return state.status, state.starred, state.tags, state.notes


# -- import ----------------------------------------------------------------------------


def test_import_the_page_copy_then_again(shelf: Shelf, library_dir: Path) -> None:
    first = ok(shelf("import", str(PAGE_COPY)))
    assert first.stdout.strip() == "added 236, merged 0, unchanged 0, skipped 0"
    assert first.stderr == ""

    assert (library_dir / DB_NAME).is_file()
    assert (library_dir / INDEX_DIR).is_dir()

    again = ok(shelf("import", "--json", str(PAGE_COPY)))
    report = json.loads(again.stdout)
    assert report == {
        "added": 0,
        "merged": 0,
        "unchanged": 236,
        "skipped": 0,
        "restored": 0,
        "lists": 0,
        "problems": [],
    }
    assert again.stderr == ""


def test_import_reports_lines_it_could_not_read(shelf: Shelf, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        f"A real title\n{LONG_ABSTRACT}\nstray line\nAnother title\n{LONG_ABSTRACT}\n",
        encoding="utf-8",
    )

    text = ok(shelf("import", str(page)))
    assert text.stdout.strip() == "added 2, merged 0, unchanged 0, skipped 1"
    assert text.stderr == f"warning: {page}:3: not a title/abstract pair: 'stray line'\n"

    report = json.loads(ok(shelf("import", "--json", str(page))).stdout)
    assert (report["added"], report["unchanged"], report["skipped"]) == (0, 2, 1)
    assert len(report["problems"]) == 1
    assert str(page) in report["problems"][0]


def test_a_bad_file_among_several_imports_nothing(shelf: Shelf, tmp_path: Path) -> None:
    one_line_error(shelf("import", str(PAGE_COPY), str(tmp_path / "missing.txt")))

    assert json.loads(ok(shelf("stats", "--json")).stdout)["total"] == 0


# -- search ----------------------------------------------------------------------------


def test_search_prints_ids_and_titles_best_first(shelf: Shelf, page_dir: Path) -> None:
    with Library.open(page_dir) as library:
        expected = library.search("catastrophic forgetting").entries

    result = ok(shelf("search", "catastrophic", "forgetting"))

    lines = result.stdout.splitlines()
    assert len(lines) == len(expected) > 0
    for line, entry in zip(lines, expected, strict=True):
        assert line.split()[0] == entry.id
        assert "inbox" in line
        assert entry.paper.title in line


def test_search_limit_says_how_many_more(shelf: Shelf, page_dir: Path) -> None:
    result = ok(shelf("search", "-n", "3", "forgetting"))

    assert len(result.stdout.splitlines()) == 3
    assert "showing 3 of 42" in result.stderr


def test_search_json(shelf: Shelf, page_dir: Path) -> None:
    hits = json.loads(ok(shelf("search", "--json", "title:adapter")).stdout)

    assert isinstance(hits, list) and hits
    for hit in hits:
        assert set(hit) >= ENTRY_KEYS
        assert "adapt" in hit["title"].lower()
        assert hit["status"] == "inbox"
        assert hit["starred"] is False
        assert hit["tags"] == []
        assert hit["authors"] == []
        assert hit["year"] is None


def test_an_exact_search_with_no_hits_suggests_on_stderr(shelf: Shelf, page_dir: Path) -> None:
    result = ok(shelf("search", "--exact", "catastrophik"))

    assert result.stdout == ""
    assert "did you mean: catastrophic" in result.stderr
    assert json.loads(ok(shelf("search", "--json", "--exact", "catastrophik")).stdout) == []


def test_search_with_state_filters(shelf: Shelf, ids: list[str]) -> None:
    ok(shelf("set", ids[0], "--status", "read", "--tag", "survey"))
    ok(shelf("set", ids[1], "--star"))

    assert _listed_ids(ok(shelf("search", "status:read")).stdout) == [ids[0]]
    assert _listed_ids(ok(shelf("search", "tag:survey")).stdout) == [ids[0]]
    assert _listed_ids(ok(shelf("search", "is:starred")).stdout) == [ids[1]]


# -- list ------------------------------------------------------------------------------


def test_list_everything_inbox_first(shelf: Shelf, ids: list[str]) -> None:
    ok(shelf("set", ids[0], "--status", "read"))

    result = ok(shelf("list"))

    listed = _listed_ids(result.stdout)
    assert len(listed) == 236
    assert listed[-1] == ids[0]
    assert any(FIRST_TITLE in line for line in result.stdout.splitlines())


def test_list_filters(shelf: Shelf, ids: list[str]) -> None:
    ok(shelf("set", ids[0], "--status", "read", "--tag", "survey", "--star"))
    ok(shelf("set", ids[1], "--status", "read"))
    ok(shelf("set", ids[2], "--tag", "survey"))
    ok(shelf("set", ids[3], "--status", "reading", "--star"))

    assert set(_listed_ids(ok(shelf("list", "--status", "read")).stdout)) == {ids[0], ids[1]}
    both = ok(shelf("list", "--status", "read", "--status", "reading")).stdout
    assert set(_listed_ids(both)) == {ids[0], ids[1], ids[3]}
    assert set(_listed_ids(ok(shelf("list", "--tag", "Survey")).stdout)) == {ids[0], ids[2]}
    assert set(_listed_ids(ok(shelf("list", "--starred")).stdout)) == {ids[0], ids[3]}
    assert len(_listed_ids(ok(shelf("list", "--unstarred")).stdout)) == 234
    combined = ok(shelf("list", "--status", "read", "--tag", "survey", "--starred")).stdout
    assert _listed_ids(combined) == [ids[0]]
    assert len(_listed_ids(ok(shelf("list", "-n", "5")).stdout)) == 5


def test_list_json(shelf: Shelf, ids: list[str]) -> None:
    ok(shelf("set", ids[0], "--status", "read", "--tag", "survey", "--note", "Good."))

    papers = json.loads(ok(shelf("list", "--json", "--status", "read")).stdout)

    assert len(papers) == 1
    paper = papers[0]
    assert set(paper) >= ENTRY_KEYS
    assert (paper["id"], paper["status"], paper["tags"], paper["notes"]) == (
        ids[0],
        "read",
        ["survey"],
        "Good.",
    )
    assert len(json.loads(ok(shelf("list", "--json")).stdout)) == 236


# -- show ------------------------------------------------------------------------------


def test_show_text(shelf: Shelf, page_dir: Path, ids: list[str]) -> None:
    with Library.open(page_dir) as library:
        entry = library.get(ids[0])
    ok(shelf("set", ids[0], "--note", "First line of my note.", "--tag", "survey"))

    out = ok(shelf("show", ids[0])).stdout

    lines = out.splitlines()
    assert lines[0] == entry.paper.title
    assert f"id:      {ids[0]}" in out
    assert "status:  inbox" in out
    assert "tags:    survey" in out
    assert "Abstract" in lines
    assert "Notes" in lines
    assert "  First line of my note." in lines
    # The abstract is all there, wrapped to the terminal.
    body = "".join(lines[lines.index("Abstract") + 1 : lines.index("Notes")])
    assert "".join(body.split()) == "".join(entry.paper.abstract.split())
    assert max(len(line) for line in lines[1:]) <= 80


def test_show_json(shelf: Shelf, page_dir: Path, ids: list[str]) -> None:
    with Library.open(page_dir) as library:
        entry = library.get(ids[0])

    paper = json.loads(ok(shelf("show", "--json", ids[0].upper())).stdout)

    assert ENTRY_KEYS | {"abstract", "url"} <= set(paper)
    assert paper["id"] == ids[0]
    assert paper["title"] == entry.paper.title
    assert paper["abstract"] == entry.paper.abstract
    assert paper["url"] == ""


# -- set and undo ------------------------------------------------------------------------


def test_set_status_star_tags_and_note(shelf: Shelf, library_dir: Path, ids: list[str]) -> None:
    paper = ids[5]

    result = ok(shelf("set", paper, "--status", "to-read", "--star", "--tag", "A", "--tag", "b"))
    assert result.stdout.split()[:3] == [paper, "to-read", "★"]
    assert _state(library_dir, paper) == (Status.TO_READ, True, ("a", "b"), "")

    ok(shelf("set", paper, "--status", "reading", "--unstar", "--untag", "a", "--note", "Hm."))
    assert _state(library_dir, paper) == (Status.READING, False, ("b",), "Hm.")

    for status in ("read", "skipped", "inbox"):
        ok(shelf("set", paper, "--status", status))
        assert _state(library_dir, paper)[0] is Status(status)


def test_set_note_from_a_file_and_from_stdin(
    shelf: Shelf, library_dir: Path, tmp_path: Path, ids: list[str]
) -> None:
    note_file = tmp_path / "note.md"
    note_file.write_text("# Thoughts\n\n- uses *adapters*\n", encoding="utf-8")

    ok(shelf("set", ids[0], "--note-file", str(note_file)))
    assert _state(library_dir, ids[0])[3] == "# Thoughts\n\n- uses *adapters*\n"

    ok(shelf("set", ids[0], "--note-file", "-", input="from stdin\nsecond line\n"))
    assert _state(library_dir, ids[0])[3] == "from stdin\nsecond line\n"

    assert _listed_ids(ok(shelf("search", "notes:stdin")).stdout) == [ids[0]]


def test_set_needs_something_to_change(shelf: Shelf, ids: list[str]) -> None:
    assert "nothing to change" in one_line_error(shelf("set", ids[0]))
    one_line_error(shelf("set", ids[0], "--note", "a", "--note-file", "-", input="b"))


def test_undo(shelf: Shelf, library_dir: Path, ids: list[str]) -> None:
    assert ok(shelf("undo")).stdout.strip() == "nothing to undo"
    ok(shelf("set", ids[0], "--status", "read"))
    ok(shelf("set", ids[0], "--star", "--note", "n"))

    result = ok(shelf("undo"))

    assert result.stdout.startswith("undid ")
    assert ids[0] in result.stdout
    assert _state(library_dir, ids[0]) == (Status.READ, False, (), "")
    ok(shelf("undo"))
    assert _state(library_dir, ids[0]) == (Status.INBOX, False, (), "")
    assert ok(shelf("undo")).stdout.strip() == "nothing to undo"


# -- stats, export, reindex, doctor ------------------------------------------------------


def test_stats(shelf: Shelf, ids: list[str]) -> None:
    ok(shelf("set", ids[0], "--status", "read", "--star", "--tag", "survey"))
    ok(shelf("set", ids[1], "--status", "reading", "--tag", "survey"))

    text = ok(shelf("stats")).stdout
    assert text.splitlines()[0] == "236 papers, 1 starred"
    assert "survey (2)" in text

    stats = json.loads(ok(shelf("stats", "--json")).stdout)
    assert stats["total"] == 236
    assert stats["by_status"] == {
        "inbox": 234,
        "to-read": 0,
        "reading": 1,
        "read": 1,
        "skipped": 0,
    }
    assert stats["starred"] == 1
    assert stats["tags"] == {"survey": 2}


def test_export_to_a_file_grouped_by_status(
    shelf: Shelf, page_dir: Path, tmp_path: Path, ids: list[str]
) -> None:
    ok(shelf("set", ids[0], "--status", "read", "--note", "Worth it."))
    ok(shelf("set", ids[1], "--status", "reading", "--star"))
    ok(shelf("set", ids[2], "--status", "skipped"))
    target = tmp_path / "list.md"

    result = ok(shelf("export", "-o", str(target)))

    assert result.stderr.strip() == f"wrote 235 papers to {target}"  # not the skipped one
    text = target.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Reading (1)", "## Read (1)", "## Inbox (233)"]
    with Library.open(page_dir) as library:
        read_title = library.get(ids[0]).paper.title
    read_lines = [line for line in text.splitlines() if line.startswith("- [x]")]
    assert len(read_lines) == 1
    assert read_title.split(":")[0] in read_lines[0]
    assert "  > Worth it." in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".list.md")] == []


def test_export_filters_and_stdout(shelf: Shelf, page_dir: Path, ids: list[str]) -> None:
    ok(shelf("set", ids[0], "--status", "read"))
    ok(shelf("set", ids[1], "--status", "read"))

    only_read = ok(shelf("export", "--status", "read")).stdout
    assert only_read.startswith("# Reading list")
    assert "2 papers" in only_read
    assert [line for line in only_read.splitlines() if line.startswith("## ")] == ["## Read (2)"]

    with Library.open(page_dir) as library:
        matching = library.search("title:adapter").total
    queried = ok(shelf("export", "--query", "title:adapter")).stdout
    items = [line for line in queried.splitlines() if line.startswith("- [")]
    assert len(items) == matching > 0
    for item in items:
        assert "adapt" in item.lower()


def test_export_to_a_missing_directory_fails_cleanly(
    shelf: Shelf, page_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "nowhere" / "list.md"

    one_line_error(shelf("export", "-o", str(target)))

    assert not target.parent.exists()


def test_reindex(shelf: Shelf, page_dir: Path) -> None:
    assert ok(shelf("reindex")).stdout.strip() == "indexed 236 papers"
    assert len(ok(shelf("search", "catastrophic", "forgetting")).stdout.splitlines()) > 0


def test_a_deleted_index_is_rebuilt_by_any_command(shelf: Shelf, small_page: Path) -> None:
    ok(shelf("import", str(small_page)))
    paper_id = ok(shelf("search", "axolotl")).stdout.split()[0]
    shutil.rmtree(shelf.library_dir / INDEX_DIR)

    assert _listed_ids(ok(shelf("search", "axolotl")).stdout) == [paper_id]
    assert (shelf.library_dir / INDEX_DIR).is_dir()


def test_doctor_after_deleting_the_index(shelf: Shelf, page_dir: Path) -> None:
    shutil.rmtree(page_dir / INDEX_DIR)

    result = ok(shelf("doctor"))

    assert "found:   the search index was missing" in result.stdout
    assert "repaired: rebuilt the search index (236 papers)" in result.stdout
    assert result.stdout.splitlines()[-1] == "library is healthy"
    assert ok(shelf("search", "forgetting")).stdout


def test_doctor_on_a_healthy_library(shelf: Shelf, page_dir: Path) -> None:
    result = ok(shelf("doctor"))

    assert "found:" not in result.stdout
    assert "checked: store integrity" in result.stdout
    assert result.stdout.splitlines()[-1] == "library is healthy"


def test_doctor_check_only_exits_1_when_something_is_wrong(shelf: Shelf, page_dir: Path) -> None:
    with Library.open(page_dir) as library:
        library._search_index().delete([library.entries()[0].id])

    checked = invoke("--library", str(page_dir), "doctor", "--check-only")
    assert checked.exit_code == 1
    assert "1 paper(s) missing from the search index" in checked.stdout

    assert "re-indexed 1 paper(s)" in ok(shelf("doctor")).stdout
    assert "found:" not in ok(shelf("doctor")).stdout


# -- where the library and the config live ------------------------------------------------


def test_demo_works_on_a_throwaway_library(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    listed = ok(invoke("--demo", "list"))
    assert len(listed.stdout.splitlines()) == 236
    assert FIRST_TITLE in listed.stdout

    some_id = listed.stdout.split()[0]
    ok(invoke("--demo", "set", some_id, "--status", "read"))

    assert not (isolated_home / "data").exists()
    assert list(scratch.iterdir()) == []


def test_shelf_home_is_respected(
    tmp_path: Path, small_page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "shelf-home"
    monkeypatch.setenv("SHELF_HOME", str(home))

    ok(invoke("import", str(small_page)))

    assert (home / DB_NAME).is_file()
    assert len(ok(invoke("list")).stdout.splitlines()) == 3
    # --library wins over SHELF_HOME.
    assert ok(invoke("--library", str(tmp_path / "other"), "list")).stdout == ""


def test_the_default_library_is_in_the_data_dir(isolated_home: Path, small_page: Path) -> None:
    ok(invoke("import", str(small_page)))

    assert (isolated_home / "data" / "shelf" / DB_NAME).is_file()


def test_a_config_setting_takes_effect(shelf: Shelf, page_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[search]\nlimit = 3\n", encoding="utf-8")

    result = ok(invoke("--library", str(page_dir), "--config", str(config), "search", "forgetting"))

    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize("via", ["option", "env", "default"])
def test_a_config_with_an_unknown_key_exits_2(
    via: str, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    if via == "default":
        config = isolated_home / "config" / "shelf" / "config.toml"
        config.parent.mkdir(parents=True)
    config.write_text('[library]\npath = ""\n\n[search]\nlimt = 3\n', encoding="utf-8")
    args = ["list"]
    if via == "option":
        args = ["--config", str(config), "list"]
    elif via == "env":
        monkeypatch.setenv("SHELF_CONFIG", str(config))

    line = one_line_error(invoke(*args), code=2)

    assert f"{config}:5" in line
    assert "search.limt" in line


def test_a_config_with_a_wrong_type_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[search]\nlimit = "many"\n', encoding="utf-8")

    line = one_line_error(invoke("--config", str(config), "list"), code=2)

    assert f"{config}:2" in line
    assert "search.limit" in line


def test_a_missing_config_file_exits_2(tmp_path: Path) -> None:
    line = one_line_error(invoke("--config", str(tmp_path / "nope.toml"), "list"), code=2)

    assert "nope.toml" in line


# -- error paths: one line, non-zero exit, no traceback -------------------------------------


def test_unknown_id(shelf: Shelf, page_dir: Path) -> None:
    assert "zzzzzz" in one_line_error(shelf("show", "zzzzzz"), code=1)
    one_line_error(shelf("set", "zzzzzz", "--status", "read"), code=1)


def test_missing_import_file(shelf: Shelf, tmp_path: Path) -> None:
    line = one_line_error(shelf("import", str(tmp_path / "missing.txt")))

    assert "missing.txt" in line and "no such file" in line


def test_empty_import_file(shelf: Shelf, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")

    assert "empty" in one_line_error(shelf("import", str(empty)))


def test_binary_import_file(shelf: Shelf, tmp_path: Path) -> None:
    binary = tmp_path / "paper.txt"
    binary.write_bytes(b"%PDF-1.7\x00\x00\x01\x02binary\xff\xfe\x00 stuff")

    assert "binary" in one_line_error(shelf("import", str(binary)))


def test_a_directory_given_to_import(shelf: Shelf, tmp_path: Path) -> None:
    assert "directory" in one_line_error(shelf("import", str(tmp_path)))


def test_unknown_status(shelf: Shelf, ids: list[str]) -> None:
    line = one_line_error(shelf("set", ids[0], "--status", "done-ish"), code=2)

    assert "done-ish" in line
    assert "to-read" in line
    one_line_error(shelf("list", "--status", "finished"), code=2)


@pytest.mark.parametrize(
    "args",
    [["bogus-command"], ["--bogus-option", "list"], ["show"], ["search", "-n", "0", "x"]],
)
def test_other_usage_mistakes_are_one_line(shelf: Shelf, args: list[str]) -> None:
    one_line_error(shelf(*args), code=2)


@pytest.mark.parametrize("query", ["year:abc", "status:bogus", "is:read", "tag:"])
def test_bad_query_syntax(shelf: Shelf, page_dir: Path, query: str) -> None:
    line = one_line_error(shelf("search", query))

    assert query.split(":")[0] in line


def test_library_path_that_is_a_file(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "library"
    not_a_dir.write_text("I am a file", encoding="utf-8")

    one_line_error(invoke("--library", str(not_a_dir), "list"))

    assert not_a_dir.read_text(encoding="utf-8") == "I am a file"


def test_a_garbage_library_database(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    garbage = b"this is not SQLite at all, just some text pretending " * 40
    (library / DB_NAME).write_bytes(garbage)

    line = one_line_error(invoke("--library", str(library), "list"))

    assert DB_NAME in line
    assert (library / DB_NAME).read_bytes() == garbage


# -- hostile text ----------------------------------------------------------------------


HOSTILE_TITLE = "Clear \x1b[2J screen [bold red]x[/] and \u202eevil reversed"


def test_hostile_titles_are_shown_literally(shelf: Shelf, tmp_path: Path) -> None:
    page = tmp_path / "hostile.txt"
    page.write_text(
        f"{HOSTILE_TITLE}\n{LONG_ABSTRACT} \x1b]0;pwned\x07 [link=x]y[/link]\n", encoding="utf-8"
    )
    assert ok(shelf("import", str(page))).stdout.startswith("added 1,")

    listed = ok(shelf("list")).stdout
    paper_id = listed.split()[0]
    shown = ok(shelf("show", paper_id)).stdout
    found = ok(shelf("search", "screen")).stdout
    exported = ok(shelf("export")).stdout

    for out in (listed, shown, found):
        assert "\x1b" not in out
        assert "\u202e" not in out
        assert "\x07" not in out
        assert "[bold red]x[/]" in out
        assert "\\x1b[2J" in out
    assert "[link=x]y[/link]" in shown
    assert "\x1b" not in exported and "\u202e" not in exported
    # JSON carries the exact text, escaped the JSON way.
    data = json.loads(ok(shelf("show", "--json", paper_id)).stdout)
    assert data["title"] == HOSTILE_TITLE


# -- the installed entry points, as real processes -----------------------------------------


def _shelf_process(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHELF_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "shelf", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_python_dash_m_version(tmp_path: Path) -> None:
    done = _shelf_process("--version", home=tmp_path / "lib")

    assert done.returncode == 0
    assert done.stdout.strip() == f"shelf, version {__version__}"


def test_import_then_search_as_processes(tmp_path: Path) -> None:
    home = tmp_path / "lib"

    imported = _shelf_process("import", str(PAGE_COPY), home=home)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "added 236, merged 0, unchanged 0, skipped 0"
    assert imported.stderr == ""  # no progress bar when stdout is not a terminal

    found = _shelf_process("search", "catastrophic forgetting", home=home)
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines
    assert all(len(line.split()[0]) >= 6 for line in lines)
    assert any("Forgetting" in line for line in lines[:3])


def test_errors_in_a_process_print_no_traceback(tmp_path: Path) -> None:
    home = tmp_path / "lib"

    for args in (["show", "zzzzzz"], ["import", str(tmp_path / "missing.txt")], ["set", "x"]):
        done = _shelf_process(*args, home=home)
        assert done.returncode != 0
        assert "Traceback" not in done.stderr + done.stdout
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stderr.startswith("shelf: ")
