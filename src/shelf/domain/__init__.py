"""Plain data and rules of the library, with no I/O: papers, statuses, identity, errors."""

from shelf.domain.changes import Field, Reverted, StateChange
from shelf.domain.errors import (
    ConfigError,
    DiskFullError,
    ExportError,
    InputError,
    LibraryError,
    NotesChangedError,
    QuerySyntaxError,
    RemoteError,
    ShelfError,
    UnknownPaperError,
)
from shelf.domain.paper import (
    Entry,
    ImportReport,
    IndexedText,
    Paper,
    Parsed,
    ParseResult,
    Problem,
    ReadingState,
    Record,
    RecordStream,
)
from shelf.domain.query import ParsedQuery, StateFilter, normalize_tag, parse_query
from shelf.domain.results import DoctorReport, Hits, SearchResult, Stats, Undone
from shelf.domain.sort import Sort
from shelf.domain.status import EXPORT_ORDER, Status

__all__ = [
    "EXPORT_ORDER",
    "ConfigError",
    "DiskFullError",
    "DoctorReport",
    "Entry",
    "ExportError",
    "Field",
    "Hits",
    "ImportReport",
    "IndexedText",
    "InputError",
    "LibraryError",
    "NotesChangedError",
    "Paper",
    "ParseResult",
    "Parsed",
    "ParsedQuery",
    "Problem",
    "QuerySyntaxError",
    "ReadingState",
    "Record",
    "RecordStream",
    "RemoteError",
    "Reverted",
    "SearchResult",
    "ShelfError",
    "Sort",
    "StateChange",
    "StateFilter",
    "Stats",
    "Status",
    "Undone",
    "UnknownPaperError",
    "normalize_tag",
    "parse_query",
]
