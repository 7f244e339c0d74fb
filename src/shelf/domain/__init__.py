"""Plain data and rules of the library, with no I/O: papers, statuses, identity, errors."""

from shelf.domain.errors import (
    ConfigError,
    ExportError,
    InputError,
    LibraryError,
    QuerySyntaxError,
    ShelfError,
    UnknownPaperError,
)
from shelf.domain.paper import Entry, ImportReport, Paper, ParseResult, Problem, ReadingState
from shelf.domain.query import ParsedQuery, StateFilter, normalize_tag, parse_query
from shelf.domain.status import EXPORT_ORDER, Status

__all__ = [
    "EXPORT_ORDER",
    "ConfigError",
    "Entry",
    "ExportError",
    "ImportReport",
    "InputError",
    "LibraryError",
    "Paper",
    "ParseResult",
    "ParsedQuery",
    "Problem",
    "QuerySyntaxError",
    "ReadingState",
    "ShelfError",
    "StateFilter",
    "Status",
    "UnknownPaperError",
    "normalize_tag",
    "parse_query",
]
