"""CSV and TSV paper tables: spreadsheets and scripts in, shelf's full export out.

The columns read (``ALIASES`` below) and what is restored are in
``docs/formats.md``, checked against this reader by a test. As with JSON,
reading state and id are restored only from rows with a ``status``.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or CR
as a formula, and titles and notes come from files other people wrote. So the
writer puts an apostrophe in front of such a cell (``'=HYPERLINK(...)``), which
spreadsheets show as text, and the reader takes exactly that apostrophe off
again. A cell that starts with an apostrophe followed by one of those
characters or by another apostrophe gets one more, so every text round-trips.
CSV has no escapes: control characters and direction overrides are spelled
out (``\\x1b``), so the file stays inert in a terminal; the JSON export is the
one that keeps them exactly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from shelf.domain import (
    Entry,
    InputError,
    Paper,
    ParseResult,
    Problem,
    ReadingState,
    Record,
    ShelfError,
    Status,
)
from shelf.domain.identity import normalize_doi, parse_arxiv_id
from shelf.domain.selection import Selection
from shelf.domain.text import inert
from shelf.formats.records import (
    STAMPS,
    fields,
    join_list,
    normalize_tags,
    parse_bool,
    parse_stamp,
    parse_year,
    split_authors,
    split_list,
)

if TYPE_CHECKING:
    from _csv import Reader

NAME = "csv"
EXTENSIONS = (".csv", ".tsv")
EXTENSION = ".csv"

COLUMNS = (
    "id",
    "title",
    "authors",
    "year",
    "venue",
    "abstract",
    "url",
    "arxiv_id",
    "doi",
    "status",
    "starred",
    "tags",
    "notes",
    *STAMPS,
)
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "paper title", "article title", "document title"),
    "authors": ("authors", "author", "author s"),
    "year": ("year", "publication year", "pub year", "date", "publication date"),
    "venue": (
        "venue",
        "journal",
        "publication title",
        "source title",
        "journal title",
        "booktitle",
        "book title",
    ),
    "abstract": ("abstract", "abstract note", "summary"),
    "url": ("url", "link"),
    "arxiv_id": ("arxiv id", "arxiv", "eprint"),
    "doi": ("doi",),
    "id": ("id",),
    "status": ("status",),
    "starred": ("starred",),
    "tags": ("tags",),
    "notes": ("notes",),
    "added_at": ("added at",),
    "status_changed_at": ("status changed at",),
    "read_at": ("read at",),
}

_FORMULA = frozenset("=+-@\t\r")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_EXCEL_SEP = re.compile(r"sep=([,;\t|])")


def sniff(text: str) -> bool:
    """A first row that names a title column."""
    first = _LINE_BREAK.split(text.removeprefix("\ufeff")[:4096], maxsplit=1)[0]
    delimiter = _delimiter(first, "")
    row = next(csv.reader([first], delimiter=delimiter), [])
    return delimiter in first and "title" in _columns(row)


# -- reading ---------------------------------------------------------------------------


def read(text: str, source: str) -> ParseResult:
    """Papers from every row with a title, and reading state from rows with a status."""
    text = text.removeprefix("\ufeff")
    parts = _LINE_BREAK.split(text, maxsplit=1)
    declared = _EXCEL_SEP.fullmatch(parts[0])
    offset = 0
    if declared:  # Excel's "sep=;" line: the delimiter, then the header on the next line
        delimiter, offset = declared.group(1), 1
        text = parts[1] if len(parts) > 1 else ""
    else:
        delimiter = _delimiter(parts[0], source)
    # The csv module refuses a cell over 128 KiB, and shelf's own export writes whole
    # abstracts and notes: a cell can be as long as the file (whose size import caps).
    if csv.field_size_limit() < len(text):
        csv.field_size_limit(len(text))
    # Strict first: only it notices a quote that is never closed (the lenient reader
    # would make the rest of the file one cell). Other quoting slips (``"a"b``) are
    # read leniently, as spreadsheets write them.
    for strict in (True, False):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
        starts: list[int] = []
        try:
            return _rows(reader, source, offset, starts)
        except csv.Error as err:
            line = (starts[-1] if starts else 1) + offset
            if "unexpected end of data" in str(err):
                raise InputError(
                    source, "a quote opened in this row is never closed", line
                ) from None
            if not strict:
                raise InputError(source, f"not a readable table: {err}", line) from None
    raise AssertionError("unreachable")


def _rows(reader: Reader, source: str, offset: int, starts: list[int]) -> ParseResult:
    """The records of the table; ``starts`` gets the line each row starts on, as read."""
    header: list[str] | None = None
    columns: dict[str, list[int]] = {}
    records: list[Record] = []
    problems: list[Problem] = []
    rows = iter(reader)
    while True:
        starts.append(reader.line_num + 1)
        try:
            row = next(rows)
        except StopIteration:
            break
        line = starts[-1] + offset
        cells = [unguard(cell) for cell in row]
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = cells
            columns = _columns(header)
            if "title" not in columns:
                names = ", ".join(ALIASES["title"])
                raise InputError(source, f"no title column in the header row ({names})", line)
            continue
        try:
            records.append(_record(cells, columns))
        except (ShelfError, ValueError) as err:
            problems.append(Problem(source, line, f"row skipped: {err}"))
    if header is None:
        raise InputError(source, "no header row naming the columns")
    return ParseResult(tuple(records), tuple(problems))


def _columns(header: list[str]) -> dict[str, list[int]]:
    """For each field, the indexes of the columns that hold it, best name first."""
    names = [re.sub(r"[^0-9a-z]+", " ", cell.casefold()).strip() for cell in header]
    found: dict[str, list[int]] = {}
    for field, aliases in ALIASES.items():
        indexes = [index for alias in aliases for index, name in enumerate(names) if name == alias]
        if indexes:
            found[field] = indexes
    return found


def _record(cells: list[str], columns: dict[str, list[int]]) -> Record:
    def value(field: str) -> str:
        for index in columns.get(field, []):
            if index < len(cells) and cells[index] != "":
                return cells[index]
        return ""

    title = value("title")
    if not title.strip():
        raise ValueError("no title")
    status = value("status").strip()
    arxiv, doi = value("arxiv_id"), value("doi")
    paper = Paper(
        title=title,
        # In shelf's own export names are only ever joined with ";".
        authors=tuple(split_authors(value("authors"), and_too=not status)),
        year=parse_year(value("year")),
        venue=value("venue"),
        abstract=value("abstract"),
        url=value("url"),
        arxiv_id=parse_arxiv_id(arxiv) if arxiv else None,
        doi=normalize_doi(doi) if doi else None,
    )
    if not status:  # a plain list: its tags are added, nothing else is restored
        return Record(paper, tags=normalize_tags(split_list(value("tags"))))
    state = ReadingState(
        status=Status.parse(status),
        starred=parse_bool(value("starred")),
        tags=normalize_tags(split_list(value("tags"))),
        notes=value("notes"),
        **{name: parse_stamp(value(name), name) for name in STAMPS},
    )
    return Record(paper, state, value("id").strip() or None)


def _delimiter(first_line: str, source: str) -> str:
    if PurePath(source).suffix.lower() == ".tsv":
        return "\t"
    counts = {candidate: first_line.count(candidate) for candidate in (",", "\t", ";")}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


# -- writing ---------------------------------------------------------------------------


def write(entries: Iterable[Entry] | Selection, about: str = "") -> str:
    """A header and one row per entry (see ``chunks``)."""
    return "".join(chunks(Selection.of(entries), about))


def chunks(selection: Selection, about: str = "") -> Iterator[str]:
    """A header and one row per entry, ordered by id, piece by piece; formula-like cells
    made inert (a table has no room to say which papers they are: ``about`` is not
    written)."""
    buffer = io.StringIO()
    # "\r\n" as RFC 4180 has it; it also makes the writer quote a cell holding a lone CR.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in selection.by_id():
        row = fields(entry)
        writer.writerow(guard(_cell(row[column])) for column in COLUMNS)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _cell(value: Any) -> str:
    """A cell's text. CSV has no escapes, so control and direction-override characters
    are spelled out (``\\x1b``): the file stays inert in a terminal and valid to re-import.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return inert(join_list(value))
    return inert(str(value))


def guard(cell: str) -> str:
    """``cell`` with an apostrophe in front if a spreadsheet would run it as a formula."""
    return f"'{cell}" if cell[:1] in _FORMULA or _guarded(cell) else cell


def unguard(cell: str) -> str:
    """``cell`` without the apostrophe ``guard`` put in front of it."""
    return cell[1:] if _guarded(cell) else cell


def _guarded(cell: str) -> bool:
    return cell[:1] == "'" and (cell[1:2] in _FORMULA or cell[1:2] == "'")
