"""RIS files (Scopus, ProQuest, EndNote, Zotero, Mendeley exports) read into papers.

``rispy`` maps each record's tags to values, including its rule for continuation
lines: a line without a tag belongs to the tag above it, joined with a space to a
single-valued tag (a wrapped title or abstract) or added as one more value of a
list tag (``AU``, ``KW``: one name per line). Around it this module does what
rispy leaves out, so a real file never loses a record:

- the record structure is found here, with line numbers for problems: a UTF-8
  BOM before the first ``TY`` (rispy would skip that record), a record whose
  ``ER`` is missing (rispy would merge it into the next one or drop the last),
  blank lines inside a record (rispy would add them as empty values), and
  ``TY - X`` written with one space;
- each record is parsed on its own, so a continuation line cannot attach to the
  previous record's last tag, and one odd record is one problem.

Fields: ``TI``/``T1`` title; ``AU`` then ``A1`` authors (``A2``-``A4`` are
editors, series editors and translators, not authors); the first four-digit
year in ``PY``, ``Y1`` or ``DA``; ``AB`` else ``N2`` abstract; ``DO`` DOI (else a
doi.org link in ``UR``/``L2``); the first web link in ``UR``, else ``L2``, as URL;
``JF``, ``T2``, ``JO``, ``JA``, ``J2`` venue. ``KW`` keywords are not imported:
tags are the user's own triage vocabulary and part of the reading state an
import never touches, and a database's index terms (a dozen per ProQuest
record) would bury them. ``N1`` notes are database metadata ("Date revised"),
not the user's notes, and are dropped too.
"""

from __future__ import annotations

import re
from typing import Any

import rispy

from shelf.domain import InputError, Paper, ParseResult, Problem
from shelf.domain.identity import normalize_doi
from shelf.domain.text import is_web_url

NAME = "ris"
EXTENSIONS = (".ris",)

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])  ?-(?: (.*)|\s*)")
_SNIFF = re.compile(r"^\ufeff?TY  ?-(?: |\s*$)", re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")

_TITLE_TAGS = ("TI", "T1")
_AUTHOR_TAGS = ("AU", "A1")
_YEAR_TAGS = ("PY", "Y1", "DA")
_ABSTRACT_TAGS = ("AB", "N2")
_VENUE_TAGS = ("JF", "T2", "JO", "JA", "J2")
_URL_TAGS = ("UR", "L2")
_LIST_TAGS = ("AU", "A1", "UR", "L2")
_USED = frozenset(
    (
        "TY",
        "DO",
        *_TITLE_TAGS,
        *_AUTHOR_TAGS,
        *_YEAR_TAGS,
        *_ABSTRACT_TAGS,
        *_VENUE_TAGS,
        *_URL_TAGS,
    )
)


def sniff(text: str) -> bool:
    """A ``TY  - `` line near the start."""
    return _SNIFF.search(text[:4096]) is not None


def read(text: str, source: str) -> ParseResult:
    """Papers from every ``TY`` ... ``ER`` record; a record without a title is a problem."""
    records = _split(text.removeprefix("\ufeff"))
    if not records:
        raise InputError(source, "not a RIS file: no record starts with a `TY  - ` line")
    papers: list[Paper] = []
    problems: list[Problem] = []
    for line, lines in records:
        try:
            fields = _fields(lines)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as err:
            # rispy is untyped and lenient; a record it chokes on is that record's problem.
            problems.append(Problem(source, line, f"record skipped: {type(err).__name__}"))
            continue
        title = _first(fields, _TITLE_TAGS)
        if not title:
            problems.append(Problem(source, line, "record skipped: no title (TI or T1)"))
            continue
        papers.append(_paper(title, fields))
    return ParseResult.of_papers(papers, problems)


def _split(text: str) -> list[tuple[int, list[str]]]:
    """Each record's ``TY`` line number and its lines in rispy's canonical form.

    Lines outside records (a "Provider: ..." preamble) are ignored; a ``TY`` inside
    a record, or the end of the file, ends a record whose ``ER`` is missing.
    """
    records: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        match = _TAG_LINE.fullmatch(raw.rstrip())
        tag = match.group(1) if match else None
        if tag == "TY":
            current = []
            records.append((number, current))
        if current is None:
            continue
        if tag == "ER":
            current = None
        elif match:
            current.append(f"{tag}  - {(match.group(2) or '').strip()}")
        elif raw.strip():
            # The leading space keeps rispy from taking the text itself for a tag line.
            current.append(f" {raw.strip()}")
    return records


def _fields(lines: list[str]) -> dict[str, Any]:
    parser = rispy.RisParser(
        mapping={tag: tag for tag in _USED},
        list_tags=list(_LIST_TAGS),
        delimiter_tags_mapping={"UR": ";"},
        skip_unknown_tags=True,
    )
    parsed = parser.parse_lines(iter([*lines, "ER  - "]))
    return dict(parsed[0]) if parsed else {}


def _paper(title: str, fields: dict[str, Any]) -> Paper:
    authors = list(
        dict.fromkeys(_first_last(name) for tag in _AUTHOR_TAGS for name in _values(fields, tag))
    )
    years = [_YEAR.search(value) for value in (_first(fields, (tag,)) for tag in _YEAR_TAGS)]
    links = [link for tag in _URL_TAGS for link in _values(fields, tag) if is_web_url(link)]
    doi = normalize_doi(_first(fields, ("DO",)))
    if doi is None:
        doi = next((normalize_doi(link) for link in links if "doi.org/" in link.lower()), None)
    return Paper(
        title=title,
        authors=tuple(authors),
        year=next((int(found.group(1)) for found in years if found), None),
        venue=_first(fields, _VENUE_TAGS),
        abstract=" ".join(_first(fields, _ABSTRACT_TAGS).split()),
        url=links[0] if links else "",
        doi=doi,
    )


def _values(fields: dict[str, Any], tag: str) -> list[str]:
    value = fields.get(tag)
    values = value if isinstance(value, list) else [value]
    return [item.strip() for item in values if isinstance(item, str) and item.strip()]


def _first(fields: dict[str, Any], tags: tuple[str, ...]) -> str:
    """The first non-empty value among ``tags``, in that order of preference."""
    return next((values[0] for tag in tags if (values := _values(fields, tag))), "")


def _first_last(name: str) -> str:
    """RIS writes ``Last, First``; shelf shows ``First Last`` as the other formats do."""
    last, comma, first = name.partition(",")
    if not comma or "," in first or not first.strip():
        return name.strip()
    return f"{first.strip()} {last.strip()}"
