"""RSS (0.9x, 1.0, 2.0) and Atom feeds, read with feedparser into papers.

Not an import format (``shelf import`` never guesses a web page is a feed):
``shelf fetch`` hands a feed's bytes here, as its server sent them, so that
feedparser reads the encoding the feed declares. The bytes are given as a
stream: feedparser would take a string that looks like a URL or a file name
for one and open it. A document declaring entities is refused before parsing,
and whatever feedparser itself trips on is an ``InputError`` like any broken feed.

Each entry becomes a paper: its title; its authors (a journal's single
``dc:creator`` of "A. One, B. Two" is split at the commas); its summary as the
abstract, without markup; its link; the DOI from ``prism:doi`` or a
``dc:identifier`` that holds one; the arXiv id of an arxiv.org link; the year
it was published; and the journal from ``prism:publicationName``.
"""

from __future__ import annotations

import html
import io
import re
import xml.sax
from typing import Any

import feedparser

from shelf.domain import InputError, Paper, ParseResult, Problem
from shelf.domain.feeds import BROKEN
from shelf.domain.identity import normalize_doi, parse_arxiv_id
from shelf.domain.text import is_web_url, one_line

_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def read(data: bytes, source: str) -> ParseResult:
    """The papers in a feed; an entry without a title is a problem, not a paper.

    Bytes that are no feed at all (an HTML page, broken XML with no entries)
    raise ``InputError``.
    """
    if _DECLARATION.search(data[:65536]):
        raise InputError(source, "refusing an XML entity declaration (feeds do not need one)")
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as error:  # feedparser trips on some broken XML (a ValueError in its
        # namespace handling): a broken answer is the feed's fault, said in one line
        reason = one_line(f"{type(error).__name__}: {error}")[:120]
        raise InputError(source, f"not an RSS or Atom feed: unreadable ({reason})") from None
    entries: list[Any] = list(parsed.get("entries") or [])
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        reason = f"malformed XML ({one_line(str(problem))[:120]})" if problem else "no entries"
        raise InputError(source, f"not an RSS or Atom feed: {reason}")
    papers: list[Paper] = []
    problems: list[Problem] = []
    if isinstance(parsed.get("bozo_exception"), xml.sax.SAXParseException):
        reason = one_line(str(parsed.get("bozo_exception")))[:120]
        problems.append(Problem(source, None, f"{BROKEN}: read as far as it goes ({reason})"))
    for number, entry in enumerate(entries, start=1):
        paper = _paper(entry)
        if paper is None:
            problems.append(Problem(source, None, f"entry {number}: no title (left out)"))
        else:
            papers.append(paper)
    return ParseResult.of_papers(papers, problems)


def _paper(entry: Any) -> Paper | None:
    title = _plain(entry.get("title"))
    if not title:
        return None
    link = entry.get("link") if isinstance(entry.get("link"), str) else ""
    doi = normalize_doi(_text(entry.get("prism_doi"))) or normalize_doi(
        _text(entry.get("dc_identifier"))
    )
    arxiv_id = parse_arxiv_id(link) if "arxiv.org/" in link.lower() else None
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return Paper(
        title=title,
        authors=tuple(_authors(entry)),
        year=stamp.tm_year if stamp else None,
        venue=_plain(entry.get("prism_publicationname")),
        abstract=_plain(entry.get("summary")),
        url=link if is_web_url(link) else "",
        arxiv_id=arxiv_id,
        doi=doi,
    )


def _authors(entry: Any) -> list[str]:
    names = [_plain(author.get("name")) for author in entry.get("authors") or []
             if isinstance(author, dict)]  # fmt: skip
    names = [name for name in names if name]
    if len(names) == 1 and names[0].count(",") >= 1:
        parts = [part.strip() for part in names[0].split(",")]
        if all(" " in part for part in parts):  # "A. One, B. Two", not "One, A."
            return parts
    return names


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _plain(value: Any) -> str:
    """Text without markup or entities, its white space folded."""
    return " ".join(html.unescape(_TAG.sub(" ", _text(value))).split())
