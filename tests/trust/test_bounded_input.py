"""Hostile and odd input stays bounded: one line, a non-zero exit, nothing half-written.

Each of these was reproduced on the main of 2026-12-01 through the installed
command, and each test fails there:

- a 1 KB BibTeX file of doubling ``@string`` definitions grew to 24 GB;
- ``--note-file`` with Latin-1 bytes, or non-UTF-8 stdin, was a traceback;
- ``shelf import /dev/zero`` and ``--note-file /dev/zero`` were a MemoryError
  (the size cap trusted ``st_size``, which is 0 for a device);
- a FIFO given to ``import`` blocked for ever;
- a 10,000-term query ran past 60 s;
- ``shelf import SOURCES.md`` (a Markdown table) added three junk papers;
- a CSV with an unclosed quote silently swallowed every row after it.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest

from support.commands import run, shelf_path
from support.paths import FIXTURES, PAGE_COPY

#: Far below what the expansion bomb needed (24 GB), well above what shelf needs.
MEMORY_LIMIT = 1024 * 1024 * 1024


@pytest.fixture
def library(page_dir: Path) -> Path:
    return page_dir


def _first(library: Path) -> str:
    return run("list", "-n", "1", library=library).ok().out.split()[0]


def test_a_string_expansion_bomb_is_a_problem_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.bib"
    strings = "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 40))
    bomb.write_text(
        '@string{s0 = "0123456789abcdef"}\n' + strings + "@article{boom, title = s39}\n"
        "@article{fine, title = {A Fine Paper}}\n",
        encoding="utf-8",
    )
    assert bomb.stat().st_size < 2048

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    done = subprocess.run(
        [shelf_path(), "--library", str(tmp_path / "lib"), "import", str(bomb)],
        capture_output=True, text=True, timeout=120, preexec_fn=limited, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "expands to more than 1 MB" in done.stderr
    assert done.stdout.startswith("added 2,")  # the fine paper, and the bomb's own entry
    assert "A Fine Paper" in run("list", library=tmp_path / "lib").ok().out


def test_a_latin1_note_file_and_non_utf8_stdin_are_read(library: Path, tmp_path: Path) -> None:
    paper = _first(library)
    note = tmp_path / "note.md"
    note.write_bytes("Über die Methode: très bien.\n".encode("latin-1"))
    run("set", paper, "--note-file", str(note), library=library).ok()
    assert "Über die Methode: très bien." in run("show", paper, library=library).ok().out
    run("set", paper, "--note-file", "-", library=library, input=b"caf\xe9 au lait\n").ok()
    assert "café au lait" in run("show", paper, library=library).ok().out
    run("set", paper, "--note-file", "-", library=library, input="\ufeffwith a BOM\n").ok()
    assert run("show", paper, library=library).ok().out.rstrip().endswith("with a BOM")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(library: Path, device: str) -> None:
    line = run("import", device, library=library, timeout=20).error()
    assert device in line and "a device" in line
    note = run("set", _first(library), "--note-file", device, library=library, timeout=20).error()
    assert device in note and "a device" in note


def test_a_fifo_is_refused_at_once(library: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "papers.txt"
    os.mkfifo(fifo)
    assert "FIFO" in run("import", str(fifo), library=library, timeout=20).error()
    assert "FIFO" in run("set", _first(library), "--note-file", str(fifo), library=library,
                         timeout=20).error()  # fmt: skip
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(PAGE_COPY, folder / "page.txt")
    os.mkfifo(folder / "more.txt")
    imported = run("import", str(folder), library=tmp_path / "fresh", timeout=60).ok()
    assert "more.txt: not a regular file (ignored)" in imported.err


def test_a_huge_query_is_refused_with_one_line(library: Path) -> None:
    words = " ".join(f"word{n}" for n in range(10_000))
    line = run("search", words, library=library, timeout=60).error()
    assert "the query is too long" in line and "at most 64 words" in line
    assert "too long: 65 words" in run("search", *(["adapter"] * 65), library=library).error()
    run("search", *(["adapter"] * 64), library=library).ok()


def test_a_markdown_table_is_not_a_page_copy(library: Path) -> None:
    before = run("list", library=library).ok().out
    line = run("import", str(FIXTURES / "SOURCES.md"), library=library).error()
    assert "not a known kind of file" in line
    assert run("list", library=library).ok().out == before


@pytest.mark.parametrize(
    "text",
    [
        "# Reading notes\n\n- Adapters are small\n- Fusion combines them across many tasks\n",
        "Introduction\n=============\n\nThis is a paragraph of prose that goes on and on about "
        "nothing in particular, long enough to look like an abstract line in a page copy.\n",
        "Some thoughts on this week's reading group, in plain prose, which runs for more than "
        "a hundred and twenty characters on this line.\nAnd a second paragraph of the same "
        "kind, also long enough to pass for an abstract if one were not careful at all.\n"
        "A third paragraph follows, as prose does, with yet more words than a title has, "
        "and then some more words to be sure of the length.\n",
    ],
    ids=["markdown-list", "rst-heading", "prose"],
)
def test_prose_and_markup_in_a_txt_file_add_nothing(
    library: Path, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    assert "not a known kind of file" in run("import", str(path), library=library).error()


def test_a_two_line_page_copy_with_a_short_abstract_keeps_its_title(tmp_path: Path) -> None:
    page = tmp_path / "one.txt"
    page.write_text("Adapters for Everyone\nSmall modules, big gains in transfer.\n", "utf-8")
    run("import", str(page), library=tmp_path / "lib").ok()
    shown = run("list", library=tmp_path / "lib").ok().out
    assert "Adapters for Everyone" in shown and "Small modules" not in shown


def test_an_unclosed_csv_quote_is_reported_with_its_line(library: Path, tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    table.write_text('title,year\nFirst,2020\n"Second, unclosed,2021\nThird,2022\n', "utf-8")
    before = run("list", library=library).ok().out
    line = run("import", str(table), library=library).error()
    assert line == f"shelf: {table}:3: a quote opened in this row is never closed"
    assert run("list", library=library).ok().out == before
