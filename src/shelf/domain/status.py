"""Reading status: where a paper stands in the user's triage."""

from __future__ import annotations

from enum import StrEnum

from shelf.domain.errors import ShelfError


class Status(StrEnum):
    """A paper's reading status. The values are what users type and what files store."""

    INBOX = "inbox"
    TO_READ = "to-read"
    READING = "reading"
    READ = "read"
    SKIPPED = "skipped"

    @classmethod
    def parse(cls, text: str) -> Status:
        """Read a status the way a user might type it (`to_read`, `To-Read`, `done`)."""
        key = text.strip().lower().replace("_", "-").replace(" ", "-")
        key = _ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ShelfError(f"unknown status {text!r} (choose from {choices})") from None

    @property
    def glyph(self) -> str:
        """A one-cell symbol for lists."""
        return _GLYPHS[self]


_ALIASES = {
    "toread": "to-read",
    "todo": "to-read",
    "done": "read",
    "skip": "skipped",
    "new": "inbox",
}

_GLYPHS = {
    Status.INBOX: "·",
    Status.TO_READ: "○",
    Status.READING: "◐",
    Status.READ: "●",
    Status.SKIPPED: "×",  # noqa: RUF001 - a glyph, not a letter x
}

#: The order reading lists are grouped in: what you are on first, what you dropped last.
EXPORT_ORDER = (Status.READING, Status.TO_READ, Status.INBOX, Status.READ, Status.SKIPPED)
