"""Large imports are read as they go in: ``shelf import`` on files of several megabytes.

A file is read a megabyte at a time and its records go into the library as
they are read, inside one transaction. So a file that turns out broken
halfway must still leave the library as it was, and text split between two
megabytes (a character, a record) must come out whole.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from support.commands import in_terminal, run
from support.paths import PAGE_COPY

#: Long enough that a file of a few thousand papers spans several megabytes.
ABSTRACT = "We study transfer between tasks; the adapters are small. " * 20


def _papers(count: int, title: str = "Paper {n} on transfer") -> list[dict[str, object]]:
    return [
        {"title": title.format(n=n), "abstract": ABSTRACT, "authors": ["Ada Lovelace"],
         "year": 2000 + n % 25, "tags": ["bulk"]}
        for n in range(count)
    ]  # fmt: skip


def test_a_json_file_broken_halfway_names_the_line_and_leaves_the_library_as_it_was(
    tmp_path: Path,
) -> None:
    library = tmp_path / "library"
    run("import", str(PAGE_COPY), library=library).ok()
    papers = _papers(4000)
    text = json.dumps(papers, indent=1)
    cut = text.index('"Paper 3000 on transfer"')
    broken = tmp_path / "papers.json"
    broken.write_text(text[:cut] + "oops, " + text[cut:], encoding="utf-8")
    assert broken.stat().st_size > 4 * 1024 * 1024  # records of the first megabytes go in first

    line = run("import", str(broken), library=library).error()

    assert line.startswith(f"shelf: {broken}:{text[:cut].count(chr(10)) + 1}: not valid JSON")
    stats = json.loads(run("stats", "--json", library=library).ok().out)
    assert stats["total"] == 236
    assert run("search", "tag:bulk", library=library).out == ""


def test_characters_split_between_megabytes_come_out_whole(tmp_path: Path) -> None:
    # Three-byte and four-byte characters at every offset, so some straddle each
    # megabyte boundary the file is read at.
    papers = _papers(3000, title="Paper {n} — naïve 🙂 transfer")
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(papers, ensure_ascii=False, indent=1), encoding="utf-8")
    assert path.stat().st_size > 3 * 1024 * 1024

    report = json.loads(run("import", "--json", str(path), library=tmp_path / "l").ok().out)

    assert (report["added"], report["skipped"]) == (3000, 0)
    listed = json.loads(run("list", "--json", "-n", "5000", library=tmp_path / "l").ok().out)
    titles = {entry["title"] for entry in listed}
    assert titles == {str(paper["title"]) for paper in papers}


def test_a_page_copy_of_many_megabytes_is_read_line_by_line(tmp_path: Path) -> None:
    pairs = [f"Paper {n}: adapters for transfer\n{ABSTRACT}\n" for n in range(3000)]
    path = tmp_path / "page.txt"
    path.write_text("".join(pairs[:1500]) + "a stray line\n" + "".join(pairs[1500:]), "utf-8")
    assert path.stat().st_size > 3 * 1024 * 1024

    report = json.loads(run("import", "--json", str(path), library=tmp_path / "l").ok().out)

    assert (report["added"], report["skipped"]) == (3000, 1)
    assert report["problems"] == [f"{path}:3001: not a title/abstract pair: 'a stray line'"]


def test_a_number_split_at_a_megabyte_after_its_point_is_read_whole(tmp_path: Path) -> None:
    # An API's answer: the papers, then a number whose "." ends the first megabyte read
    # and whose digits start the second ("12." then "5"), read as 12 then a stray ".".
    head = json.dumps({"papers": _papers(50)})[:-1] + ', "pad": "'
    tail = '", "score": 12.5}'
    dot = tail.index(".") + 1
    pad = 1024 * 1024 - len(head) - dot
    path = tmp_path / "answer.json"
    path.write_text(head + "x" * pad + tail, encoding="utf-8")
    assert path.read_bytes()[1024 * 1024 - 3 : 1024 * 1024 + 1] == b"12.5"

    report = json.loads(run("import", "--json", str(path), library=tmp_path / "l").ok().out)

    assert (report["added"], report["skipped"]) == (50, 0)


def test_on_a_terminal_the_import_counts_the_papers_read_so_far(tmp_path: Path) -> None:
    # A file read as it goes in has no total until its end: the bar says how many are in
    # ("12,000 papers"), not "12000/?"; the index that follows counts against its total.
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(_papers(6000)), encoding="utf-8")
    terminal = in_terminal(["--library", str(tmp_path / "l"), "import", str(path)])
    try:
        terminal.wait_for(" papers", timeout=120)
        assert terminal.wait() == 0
    finally:
        terminal.kill()
    screen = terminal.seen.decode("utf-8", errors="replace")
    assert re.search(r"importing .*\d,\d{3} papers", screen), screen[-2000:]
    assert "/?" not in screen
    assert re.search(r"indexing .*\d,\d{3} of 6,000", screen), screen[-2000:]
