"""Sort orders of a list: what the user picks with ``o`` in the app and ``--sort`` on the CLI."""

from __future__ import annotations

from enum import StrEnum


class Sort(StrEnum):
    """How a list is ordered. The values are what users type and what the library remembers."""

    RELEVANCE = "relevance"
    """Best match first while searching; otherwise the library's own order: inbox first
    (then reading, to read, read, skipped), newest first."""
    ADDED = "added"
    """Newest first."""
    YEAR = "year"
    """Most recent publication year first; papers with no year last."""
    TITLE = "title"
    """A to Z, ignoring case and punctuation."""
    STATUS_CHANGED = "status-changed"
    """Most recently triaged first; papers never triaged last."""
    FOR_YOU = "for-you"
    """The inbox, most like the papers the user starred and read first (ties newest first),
    then the rest as by relevance; with nothing starred or read, the inbox newest first."""

    @property
    def label(self) -> str:
        """The order in words, as a menu or a summary line names it."""
        return self.value.replace("-", " ")
