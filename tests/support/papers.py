"""Helpers shared by tests: putting papers into a library the way users do, through a file.

Every import in the tests goes through ``Library.import_paths``, the one pipeline
the CLI and the app use; papers built in a test are written to a JSON paper
list first.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path

from shelf.domain import ImportReport, Paper
from shelf.library import Library

_numbers = itertools.count(1)

#: An abstract long enough for a reader to take it for one.
LONG_ABSTRACT = (
    "An abstract long enough to be recognized as one: it describes transferring knowledge "
    "between tasks, the experiments that were run, and what the results say about it."
)


def paper_record(paper: Paper) -> dict[str, object]:
    """A paper as a record of a JSON paper list."""
    return {
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "abstract": paper.abstract,
        "url": paper.url,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
    }


def papers_file(directory: Path, papers: Iterable[Paper], name: str | None = None) -> Path:
    """A JSON paper list of ``papers`` in ``directory``."""
    path = directory / (name or f"papers-{next(_numbers)}.json")
    records = [paper_record(paper) for paper in papers]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def add_papers(library: Library, papers: Iterable[Paper]) -> ImportReport:
    """Import ``papers`` into ``library`` through a JSON file written beside it."""
    return library.import_paths([papers_file(library.directory.parent, papers)])


def import_text(library: Library, text: str, name: str, fmt: str | None = None) -> ImportReport:
    """Import ``text`` as if it were a file called ``name`` (written beside the library)."""
    folder = library.directory.parent / f"import-{next(_numbers)}"
    folder.mkdir()
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return library.import_paths([path], fmt)
