"""Every real fixture into one library: the journey the formats issue is done by.

A Zotero-style BibTeX file, a BibLaTeX file, a ProQuest RIS export, an arXiv API
response, a Hugging Face daily-papers dump and the page copy go into one
library without duplicates; the BibTeX export parses back to the same papers;
the TOML backup restores the reading state on "another machine".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from shelf.domain import ImportReport, Paper, ParseResult, Status
from shelf.domain.identity import normalize_title
from shelf.formats import bibtex
from shelf.library import Library
from shelf.library.import_files import read_file
from support.papers import import_text
from support.paths import FIXTURES, PAGE_COPY

REAL = [
    PAGE_COPY,
    FIXTURES / "d2l.bib",
    FIXTURES / "typst-libra.bib",
    FIXTURES / "asreview-proquest.ris",
    FIXTURES / "arxiv-idlist-astro-ph-0601001.xml",
    FIXTURES / "hf-daily-papers-2025-12-04.json",
]


@pytest.fixture
def everything(tmp_path: Path) -> Iterator[tuple[Library, dict[str, ImportReport]]]:
    with Library.open(tmp_path / "lib") as library:
        reports = {path.name: library.import_paths([path]) for path in REAL}
        yield library, reports


def _identity(paper: Paper) -> tuple[str, int | None]:
    return normalize_title(paper.title), paper.year


def test_every_real_file_imports_into_one_library_without_duplicates(
    everything: tuple[Library, dict[str, ImportReport]],
) -> None:
    library, reports = everything
    entries = library.select()
    assert len(entries) == sum(r.added for r in reports.values())
    for key in ("arxiv_id", "doi"):
        values = Counter(getattr(e.paper, key) for e in entries if getattr(e.paper, key))
        assert [v for v, n in values.items() if n > 1] == []
    titles = Counter(_identity(e.paper) for e in entries)
    assert [t for t, n in titles.items() if n > 1] == []
    for name, report in reports.items():
        assert report.added + report.merged + report.unchanged > 0, name


def test_importing_everything_again_changes_nothing(
    everything: tuple[Library, dict[str, ImportReport]],
) -> None:
    library, _ = everything
    before = list(library.select())
    for path in REAL:
        report = library.import_paths([path])
        assert (report.added, report.merged) == (0, 0), path.name
    assert list(library.select()) == before


def test_a_bibtex_copy_of_a_page_paper_fills_its_metadata_and_keeps_state(
    page_library: Library,
) -> None:
    paper_id = page_library.search('title:"AdapterFusion"').entries[0].id
    page_library.update(paper_id, status=Status.READING, add_tags=["adapters"], notes="mine")
    entry = (
        "@inproceedings{pfeiffer2021adapterfusion,\n"
        "  title = {{AdapterFusion}: Non-Destructive Task Composition for Transfer Learning},\n"
        "  author = {Pfeiffer, Jonas and Kamath, Aishwarya and R{\\\"u}ckl{\\'e}, Andreas},\n"
        "  booktitle = {Proceedings of EACL},\n  year = {2021},\n"
        "  doi = {10.18653/v1/2021.eacl-main.39}\n}\n"
    )
    report = import_text(page_library, entry, "refs.bib")
    assert (report.added, report.merged) == (0, 1)
    merged = page_library.get(paper_id)
    assert merged.paper.authors[2] == "Andreas Rücklé"
    assert (merged.paper.year, merged.paper.doi) == (2021, "10.18653/v1/2021.eacl-main.39")
    assert merged.paper.venue == "Proceedings of EACL"
    state = merged.state
    assert (state.status, state.tags, state.notes) == (Status.READING, ("adapters",), "mine")


def test_the_bibtex_export_reads_back_as_the_same_papers(
    everything: tuple[Library, dict[str, ImportReport]], tmp_path: Path
) -> None:
    library, _ = everything
    exported = tmp_path / "library.bib"
    library.export("bibtex", library.select(), exported)
    parsed = bibtex.read(exported.read_text(encoding="utf-8"), str(exported))
    assert parsed.problems == ()
    key = lambda p: (normalize_title(p.title), p.year)  # noqa: E731
    original = sorted((e.paper for e in library.select()), key=key)
    assert sorted(parsed.papers, key=key) == original


def test_the_toml_backup_restores_state_on_another_machine(
    everything: tuple[Library, dict[str, ImportReport]], tmp_path: Path
) -> None:
    library, _ = everything
    for entry in library.entries(limit=5):
        library.update(entry.id, status=Status.TO_READ, starred=True, notes=f"note {entry.id}")
    backup = tmp_path / "backup.toml"
    library.export("toml", library.select(), backup)
    with Library.open(tmp_path / "other-machine") as other:
        report = other.import_paths([backup])
        assert report.skipped == 0
        by_id = lambda e: e.id  # noqa: E731
        assert sorted(other.select(), key=by_id) == sorted(library.select(), key=by_id)


def test_parse_results_are_well_formed_for_every_real_file() -> None:
    for path in REAL:
        parsed: ParseResult = read_file(path).collected()
        assert parsed.papers, path.name
        assert all(p.title.strip() for p in parsed.papers)
        assert all("\\" not in p.title and "{" not in p.title for p in parsed.papers), path.name
