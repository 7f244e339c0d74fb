"""The error hierarchy: every failure a user can cause is a ``ShelfError``.

The CLI turns any ``ShelfError`` into one line on stderr and its ``exit_code``;
anything else is a bug and is allowed to show a traceback.
"""

from __future__ import annotations

from shelf.domain.text import one_line


class ShelfError(Exception):
    """Base of every error that is the user's to fix, not a bug."""

    exit_code = 1


class ConfigError(ShelfError):
    """The config file is unreadable, malformed, or holds an unknown key or a wrong type."""

    exit_code = 2

    def __init__(self, path: str, line: int | None, key: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.key = key
        where = path if line is None else f"{path}:{line}"
        # A quoted TOML key may hold a newline or an escape sequence: the message
        # stays one line of visible characters.
        subject = f"{one_line(key)}: " if key else ""
        super().__init__(f"{where}: {subject}{message}")


class InputError(ShelfError):
    """A file given to import cannot be read or understood as a whole."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {message}")


class UnknownPaperError(ShelfError):
    """No paper in the library has the id (or arXiv id / DOI) the user typed."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"no paper with id {ref!r} (see `shelf list` for ids)")


class MergeError(ShelfError):
    """Two papers that cannot be merged (one paper named twice)."""


class QuerySyntaxError(ShelfError):
    """A search query the parser cannot understand."""


class LibraryError(ShelfError):
    """The library directory or its database cannot be opened or is damaged."""


class ExportError(ShelfError):
    """An export could not be written."""


class DiskFullError(LibraryError):
    """A write ran out of disk space; says how much is free where, and what became of it."""

    def __init__(self, where: str, free_bytes: int | None, outcome: str = "nothing was changed"):
        self.where = where
        self.free_bytes = free_bytes
        megabytes = (free_bytes or 0) / 1e6
        amount = f"{megabytes:.1f}" if megabytes < 10 else f"{megabytes:.0f}"
        free = "" if free_bytes is None else f"{amount} MB free at "
        super().__init__(f"the disk is full ({free}{where}); {outcome}")


class RemoteError(ShelfError):
    """A web service could not be reached, or answered with an error or nonsense."""


class NotesChangedError(ShelfError):
    """Notes being typed were changed meanwhile by another process; ``stored`` is theirs."""

    def __init__(self, paper_id: str, stored: str) -> None:
        self.paper_id = paper_id
        self.stored = stored
        super().__init__(f"the notes of {paper_id} were changed by another shelf meanwhile")


class SyncStopped(LibraryError):
    """The library is closing: a sync of the index under way stops, and what it had not
    indexed stays queued for the next command."""

    def __init__(self) -> None:
        super().__init__("indexing stopped as the library closed; the next command goes on")
