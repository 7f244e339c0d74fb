"""Reading lists: named, ordered selections of papers, with a description.

A paper may be in many lists and a list holds a paper once. Names are
compared without regard to case, in every script ("Reading group" is the list
"reading group", "Émile" the list "émile": ``list_key``), and keep the spelling
they were created or renamed with.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from shelf.domain.errors import ShelfError
from shelf.domain.text import one_line

#: A list name longer than this is refused: it is a name, shown in menus and titles.
MAX_NAME_CHARS = 80


@dataclass(frozen=True, slots=True)
class ReadingList:
    """A list as stored: its name, its description, and how many papers it holds."""

    name: str
    description: str = ""
    count: int = 0


@dataclass(frozen=True, slots=True)
class ListRecord:
    """A list as a backup or export carries it: its papers by the ids they have there."""

    name: str
    description: str = ""
    ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListStep:
    """What ``undo`` or ``redo`` did to a reading list (rather than to a paper)."""

    name: str
    """The list's name after the step (before it, when the step deleted the list)."""
    came_back: bool = False
    """The list had been deleted, and came back whole."""
    gone: bool = False
    """The step deleted the list (undo of its creation, or redo of its deletion)."""

    @property
    def described(self) -> str:
        name = one_line(self.name)[:60]
        if self.came_back:
            return f"reading list {name!r}: back"
        if self.gone:
            return f"reading list {name!r}: gone"
        return f"reading list {name!r}: as it was"


class UnknownListError(ShelfError):
    """No reading list has the name the user typed."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no reading list named {one_line(name)!r} (see `shelf lists`)")


class ListExistsError(ShelfError):
    """A list is created, or renamed, with the name of another list."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"a reading list named {one_line(name)!r} exists already")


def list_key(name: str) -> str:
    """What two names of one list have in common: the name case-folded (Unicode's folding,
    after compatibility normalization, so a Kelvin sign is a K)."""
    return unicodedata.normalize("NFKC", name).casefold()


def list_name(name: str) -> str:
    """``name`` as a list is called: inner white space folded, none around it.

    Raises ``ShelfError`` for an empty name, a control character, or one over
    ``MAX_NAME_CHARS`` characters.
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ShelfError("a reading list needs a name")
    if one_line(cleaned) != cleaned:
        raise ShelfError(f"a reading list's name cannot hold control characters: {one_line(name)}")
    if '"' in cleaned:  # list:"NAME" could not name it in a search
        raise ShelfError(f"a reading list's name cannot hold a double quote: {cleaned}")
    if len(cleaned) > MAX_NAME_CHARS:
        raise ShelfError(
            f"a reading list's name takes at most {MAX_NAME_CHARS} characters "
            f"({len(cleaned)} given)"
        )
    return cleaned
