"""``shelf cite``: the copy menu's texts on the command line (issue 13, point 4), each the
text an export gives, through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

from support.commands import run
from support.paths import FIXTURES

TWINS = r"""
@article{a, title = {Deep learning [bold]\textbf{x}}, author = {LeCun, Yann}, year = {2015},
  url = {https://example.org/a}}
@article{b, title = {Deep networks}, author = {LeCun, Yann}, year = {2015}}
"""


def _library(tmp_path: Path) -> tuple[Path, list[str]]:
    source = tmp_path / "twins.bib"
    source.write_text(TWINS, encoding="utf-8")
    library = tmp_path / "library"
    run("import", str(source), library=library).ok()
    listed = json.loads(run("list", "--json", "--sort", "title", library=library).ok().out)
    return library, [paper["id"] for paper in listed]


def test_cite_prints_what_the_bibtex_export_writes_with_keys_told_apart(tmp_path: Path) -> None:
    library, (first, second) = _library(tmp_path)
    printed = run("cite", first, second, library=library).ok().out
    exported = run("export", "--format", "bibtex", library=library).ok().out
    entries = printed.split("\n\n")
    assert len(entries) == 2 and all(entry in exported for entry in entries)
    keys = run("cite", first, second, "--as", "key", library=library).ok().lines
    assert sorted(keys) == ["lecun2015deepa", "lecun2015deepb"]  # told apart, as in an export
    assert entries[0].splitlines()[0].endswith(f"{{{keys[0]},")


def test_cite_as_markdown_and_link(tmp_path: Path) -> None:
    library, (first, second) = _library(tmp_path)
    line = run("cite", first, "--as", "markdown", library=library).ok().out
    assert line == ("[Deep learning \\[bold\\]x](https://example.org/a) — Yann LeCun, 2015\n")
    assert run("cite", first, "--as", "link", library=library).ok().out == (
        "https://example.org/a\n"
    )
    refused = run("cite", first, second, "--as", "link", library=library).error()
    assert refused == f"shelf: {second} has no web link (shelf show {second} says what it has)"
    unknown = run("cite", first, "nope99", library=library).error()
    assert "no paper with id 'nope99'" in unknown


def test_cite_of_a_real_bibtex_library_reads_back(tmp_path: Path) -> None:
    library = tmp_path / "library"
    run("import", str(FIXTURES / "d2l.bib"), library=library).ok()
    first = run("list", "-n", "1", library=library).ok().out.split()[0]
    printed = run("cite", first, library=library).ok().out
    again = tmp_path / "again.bib"
    again.write_text(printed, encoding="utf-8")
    other = tmp_path / "other"
    assert "added 1," in run("import", str(again), library=other).ok().out
