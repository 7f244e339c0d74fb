"""Importing files and directories: what is refused as a whole, and that nothing is half-done."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from shelf.cli import cli
from shelf.domain import InputError, Status
from shelf.library import Library
from shelf.library.import_files import MAX_IMPORT_BYTES, read_file
from support.paths import PAGE_COPY

ABSTRACT = "An abstract long enough to be taken for one, " * 4


def _run(library_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--library", str(library_dir), *args])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_a_directory_imports_every_known_file_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    (folder / "more").mkdir(parents=True)
    shutil.copy(PAGE_COPY, folder / "page.txt")
    (folder / "more" / "extra.txt").write_text(f"A Paper Only Here\n{ABSTRACT}\n")
    (folder / "README.docx").write_bytes(b"not a paper list")
    (folder / ".hidden.txt").write_text(f"Hidden Paper\n{ABSTRACT}\n")

    code, out, err = _run(tmp_path / "lib", "import", str(folder))
    assert code == 0
    assert out.strip() == "added 237, merged 0, unchanged 0, skipped 1"
    assert "README.docx: not a known kind of file (ignored)" in err
    with Library.open(tmp_path / "lib") as library:
        assert library.count() == 237
        assert library.search('title:"Hidden Paper"').total == 0


def test_a_directory_with_no_known_files_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"x")
    code, _, err = _run(tmp_path / "lib", "import", str(folder))
    assert code == 1
    assert err.strip() == f"shelf: {folder}: no files of a known kind in this directory"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n\n", "the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("mystery.dat", b"just some words\nnothing like papers\n", "not a known kind of file"),
    ],
)
def test_files_that_are_not_paper_lists_leave_the_library_as_it_was(
    page_dir: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    # The good file comes first on the command line: still nothing may be imported.
    other = tmp_path / "other.txt"
    other.write_text(f"A Paper That Must Not Land\n{ABSTRACT}\n")
    code, out, err = _run(page_dir, "import", str(other), str(bad))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and message in err and name in err
    with Library.open(page_dir) as library:
        assert library.count() == 236


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bib"
    with huge.open("wb") as handle:  # sparse: 500 MB on paper, nothing on disk
        handle.truncate(500 * 1024 * 1024)
    assert huge.stat().st_size > MAX_IMPORT_BYTES
    code, _, err = _run(tmp_path / "lib", "import", str(huge))
    assert code == 1
    assert "too large to read (500 MB; the limit is 200 MB)" in err
    assert not (tmp_path / "lib" / "library.db").exists() or _count(tmp_path / "lib") == 0


def _count(library_dir: Path) -> int:
    with Library.open(library_dir) as library:
        return library.count()


def test_import_json_report_lists_problems_with_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"Title One\n{ABSTRACT}\nstray line\nTitle Two\n{ABSTRACT}\n")
    code, out, _ = _run(tmp_path / "lib", "import", "--json", str(page))
    assert code == 0
    assert '"added": 2' in out
    assert f"{page}:3: not a title/abstract pair" in out


def test_tags_of_a_plain_list_are_added_to_the_papers_own(tmp_path: Path) -> None:
    library_dir = tmp_path / "lib"
    table = tmp_path / "list.csv"
    table.write_text("Title,Tags\nA Shared Paper,survey; to cite\nAnother Paper,\n")
    listing = tmp_path / "list.json"
    listing.write_text('[{"title": "A Shared Paper", "tags": ["vision"], "notes": "ignored"}]')
    with Library.open(library_dir) as library:
        library.import_paths([table])
        paper_id = library.search('title:"A Shared Paper"').entries[0].id
        library.update(paper_id, status=Status.READING, add_tags=["mine"], notes="keep me")
        report = library.import_paths([listing])
        assert (report.added, report.restored) == (0, 0)
        state = library.get(paper_id).state
        assert state.tags == ("mine", "survey", "to cite", "vision")
        assert (state.status, state.notes) == (Status.READING, "keep me")
        library.undo()  # the import's tags are one undoable change
        assert library.get(paper_id).state.tags == ("mine", "survey", "to cite")


def test_a_file_changed_between_its_look_and_its_reading_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "papers.json"
    path.write_text('[{"title": "A"}]', encoding="utf-8")
    found = read_file(path)  # looked at: its encoding and format are known
    path.write_text('[{"title": "A"}, {"title": "B, written meanwhile"}]', encoding="utf-8")

    with pytest.raises(InputError, match="changed while it was being imported"):
        list(found.records)


def _large_list(path: Path) -> None:
    """A JSON list of 3,000 papers: more than two megabytes, the pieces it is read in."""
    papers = ", ".join(f'{{"title": "Paper {n}", "abstract": "{"x" * 1000}"}}' for n in range(3000))
    path.write_text(f"[{papers}]", encoding="utf-8")


@pytest.mark.parametrize(
    "written",
    [
        b"\xff\xfe not UTF-8",  # bytes that no longer decode: was a UnicodeDecodeError
        b', {"title": "C, appended meanwhile"}]',  # JSON after the end: was "Extra data"
    ],
)
def test_a_file_written_to_while_it_is_read_is_refused(tmp_path: Path, written: bytes) -> None:
    path = tmp_path / "papers.json"
    _large_list(path)
    records = read_file(path).records
    assert next(records).paper.title == "Paper 0"  # its first megabytes are read
    with path.open("ab") as handle:
        handle.write(written)

    with pytest.raises(InputError, match="changed while it was being imported"):
        list(records)


def test_a_file_cut_short_while_it_is_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "papers.json"
    _large_list(path)
    records = read_file(path).records
    assert next(records).paper.title == "Paper 0"  # its first megabytes are read
    with path.open("r+b") as handle:
        handle.truncate(2 * 1024 * 1024 + 10)

    with pytest.raises(InputError, match="changed while it was being imported"):
        list(records)
