"""Hugging Face daily-papers JSON: the lists scrapers and the papers API write, read into papers.

Two shapes are read, as a JSON array or under a ``papers`` key:

- the scraper dump (one file per day): ``{title, paper_url, authors, stars,
  details: {abstract, arxiv_page_url, pdf_url, ...}, scraped_date}``;
- the ``/api/daily_papers`` response: ``{paper: {id, title, summary,
  authors: [{name}]}, ...}``.

Title, abstract, authors and the Hugging Face paper page as URL are kept, and
the arXiv id is taken from the paper URL, the arXiv page or PDF link, or the
API's id. The arXiv id is what makes the same paper listed on several days (in
several files, or twice in one) one paper in the library. No year is taken:
the listing date is not the publication year, and a year that disagrees with
a later BibTeX entry's would keep the two from being matched by title.

An abstract that only repeats the title (the scraper writes that when a page
has none) is dropped, so a later import with the real abstract can fill it in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from shelf.domain import Paper, ParseResult, Problem, Record, RecordStream
from shelf.domain.identity import parse_arxiv_id
from shelf.domain.text import is_web_url
from shelf.formats.json_stream import first_records, json_records

NAME = "hf-json"
EXTENSIONS = (".json",)

_PAGE = "https://huggingface.co/papers/"


def sniff(text: str) -> bool:
    """JSON records with ``paper_url`` or ``details`` (scraper) or a ``paper`` object (API)
    (``text``: the file, or its start)."""
    return any(_is_hf(record) for record in first_records(text) or ())


def _is_hf(record: Any) -> bool:
    if not isinstance(record, dict):
        return False
    return "paper_url" in record or isinstance(record.get("details"), dict) or _inner(record) != {}


def read(text: str, source: str) -> ParseResult:
    """A paper per record, duplicates included (the library merges them by arXiv id)."""
    return stream([text], source).collected()


def stream(pieces: Iterable[str], source: str) -> RecordStream:
    """``read``, of text that comes in pieces, record by record as they are taken."""
    return RecordStream.of(lambda found: _records(pieces, source, found))


def _records(pieces: Iterable[str], source: str, found: RecordStream) -> Iterator[Record]:
    for line, record in json_records(pieces, source):
        paper = _paper(record) if isinstance(record, dict) else None
        if paper is None:
            found.problems.append(Problem(source, line, "record skipped: no title"))
        else:
            yield Record(paper)


def _paper(record: dict[str, Any]) -> Paper | None:
    details = record.get("details")
    details = details if isinstance(details, dict) else {}
    inner = _inner(record)
    title = " ".join(_text(record.get("title"), details.get("title"), inner.get("title")).split())
    if not title:
        return None
    abstract = _text(
        details.get("abstract"), record.get("abstract"), inner.get("summary"), record.get("summary")
    ).strip()
    abstract = " ".join(abstract.split())  # scraped text: runs of spaces mean nothing
    if abstract == title:
        abstract = ""
    inner_id = _text(inner.get("id"))
    links = (record.get("paper_url"), details.get("arxiv_page_url"), details.get("pdf_url"))
    arxiv_id = next(
        (found for link in (*links, inner_id) if (found := _arxiv(link))),
        None,
    )
    url = _text(record.get("paper_url"), details.get("page_url"))
    if not url and arxiv_id and arxiv_id == parse_arxiv_id(inner_id):
        url = _PAGE + arxiv_id  # only an arXiv id makes a page address ("../../x" none)
    return Paper(
        title=title,
        authors=tuple(_authors(record.get("authors")) or _authors(inner.get("authors"))),
        abstract=abstract,
        url=url if is_web_url(url) else "",
        arxiv_id=arxiv_id,
    )


def _inner(record: dict[str, Any]) -> dict[str, Any]:
    inner = record.get("paper")
    return inner if isinstance(inner, dict) else {}


def _text(*values: Any) -> str:
    """The first value that is non-empty text."""
    return next((value for value in values if isinstance(value, str) and value.strip()), "")


def _arxiv(value: Any) -> str | None:
    return parse_arxiv_id(value) if isinstance(value, str) else None


def _authors(value: Any) -> list[str]:
    """Names from a list of strings, a list of ``{name}`` objects, or one string."""
    if isinstance(value, str):
        value = re.split(r"\s*[;,]\s*|\s+and\s+", value)
    if not isinstance(value, list):
        return []
    names = [item.get("name") if isinstance(item, dict) else item for item in value]
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]
