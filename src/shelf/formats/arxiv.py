"""The Atom feed the arXiv API answers with: one entry per paper, or an error entry.

Both shapes the API has used are read: the current one (namespaces declared
once on ``<feed>``) and the older one (``arxiv:`` and ``opensearch:`` declared
on each element). Identifiers are taken from each entry's ``<id>`` URL, new
style (``2106.09685``) or old (``cond-mat/0412498``), without the version.

The API reports a bad request as a feed whose single entry has the id
``http://arxiv.org/api/errors#...`` and the title "Error"; that is an error,
never a paper called "Error". The standard library parser would expand
entities, and arXiv never sends a document type declaration, so one is
refused before parsing (no billion-laughs feed gets near the parser).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from shelf.domain import InputError, Paper, ParseResult, Problem
from shelf.domain.identity import normalize_doi, parse_arxiv_id
from shelf.domain.text import one_line

NAME = "arxiv"
EXTENSIONS = (".xml", ".atom")

_ATOM = "http://www.w3.org/2005/Atom"
_ARXIV = "http://arxiv.org/schemas/atom"
_OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ERROR_ID = re.compile(r"^https?://(?:[\w-]+\.)*arxiv\.org/api/errors", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})-")
# Where each <entry> opens, so a problem names its line (ElementTree keeps no positions).
_ENTRY_START = re.compile(r"<(?:[\w.-]+:)?entry[\s>]")
_POSITION = re.compile(r":\s*line \d+, column \d+\s*$")


def sniff(text: str) -> bool:
    """An XML document in the Atom namespace that mentions arxiv.org near its top."""
    head = text[:4096]
    return head.lstrip("\ufeff \t\r\n").startswith("<") and _ATOM in head and "arxiv.org" in head


def read(text: str, source: str, *, allow_empty: bool = False) -> ParseResult:
    """Papers from an arXiv API feed; entries that are not papers become problems.

    The API's error feed, a feed without entries (unless ``allow_empty``), a
    document type declaration and malformed XML raise ``InputError``.
    """
    root = _parse(text, source)
    if root.tag != f"{{{_ATOM}}}feed":
        raise InputError(source, "not an arXiv API feed (the root is not an Atom <feed>)")
    entries = root.findall(f"{{{_ATOM}}}entry")
    for entry in entries:
        if _ERROR_ID.match(_text(entry, _ATOM, "id")):
            message = _text(entry, _ATOM, "summary") or _text(entry, _ATOM, "title") or "error"
            message = one_line(message)[:300]  # the server's words, printed on a terminal
            raise InputError(source, f"the arXiv API answered with an error: {message}")
    if not entries and not allow_empty:
        total = _text(root, _OPENSEARCH, "totalResults")
        detail = " (it reports 0 results)" if total == "0" else ""
        raise InputError(source, f"no papers in this arXiv feed{detail}")

    papers: list[Paper] = []
    problems: list[Problem] = []
    starts = _entry_lines(text)
    for number, entry in enumerate(entries, start=1):
        raw_id = _text(entry, _ATOM, "id")
        line = starts[number - 1] if number <= len(starts) else None
        arxiv_id = parse_arxiv_id(raw_id) if raw_id else None
        if arxiv_id is None:
            what = f"{raw_id[:60]!r}" if raw_id else "no <id>"
            problems.append(Problem(source, line, f"entry {number}: not an arXiv id: {what}"))
            continue
        title = _text(entry, _ATOM, "title")
        if not title:
            problems.append(Problem(source, line, f"entry {number} ({arxiv_id}): no title"))
            continue
        papers.append(
            Paper(
                title=title,
                authors=tuple(
                    name
                    for author in entry.findall(f"{{{_ATOM}}}author")
                    if (name := _text(author, _ATOM, "name"))
                ),
                year=_year(_text(entry, _ATOM, "published") or _text(entry, _ATOM, "updated")),
                venue=_text(entry, _ARXIV, "journal_ref"),
                abstract=_text(entry, _ATOM, "summary"),
                url=f"https://arxiv.org/abs/{arxiv_id}",
                arxiv_id=arxiv_id,
                doi=normalize_doi(_text(entry, _ARXIV, "doi")),
            )
        )
    return ParseResult.of_papers(papers, problems)


def _parse(text: str, source: str) -> ET.Element:
    declaration = _DECLARATION.search(text)
    if declaration:
        line = text.count("\n", 0, declaration.start()) + 1
        raise InputError(
            source,
            "refusing an XML document type or entity declaration (arXiv feeds never have one)",
            line,
        )
    try:
        return ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as err:
        line = err.position[0] if err.position else None
        reason = _POSITION.sub("", str(err))
        raise InputError(source, f"malformed XML: {reason}", line) from None


def _text(element: ET.Element, namespace: str, tag: str) -> str:
    """The folded text of the first ``namespace:tag`` child ('' when there is none)."""
    child = element.find(f"{{{namespace}}}{tag}")
    if child is None:
        return ""
    return " ".join("".join(child.itertext()).split())


def _entry_lines(text: str) -> list[int]:
    """The line each ``<entry>`` opens on, in order."""
    lines, line, last = [], 1, 0
    for match in _ENTRY_START.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        lines.append(line)
    return lines


def _year(stamp: str) -> int | None:
    match = _YEAR.match(stamp)
    return int(match.group(1)) if match else None
