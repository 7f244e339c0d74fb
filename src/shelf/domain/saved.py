"""Saved searches: a query with the list's filter and order, kept under a name.

The app saves one with ``ctrl+s`` and runs one with ``1``-``9``; ``[searches]``
in config.toml declares some too (a query only: no filter, by relevance); ``shelf
search --saved NAME`` runs one from a script. Names are compared ignoring case,
and a name declared in the config wins over one saved in the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shelf.domain.errors import QuerySyntaxError, ShelfError
from shelf.domain.query import StateFilter, check_query_size, parse_query
from shelf.domain.sort import Sort
from shelf.domain.status import Status
from shelf.domain.text import one_line, printable

#: The longest name a saved search may have (the bar above the list shows it).
MAX_NAME_CHARS = 40
#: The most searches the app keeps (the config declares its own besides).
MAX_SAVED = 100
#: The filters a saved search may carry, by the filter menu's names ("all" is none).
FILTERS = ("all", *(status.value for status in Status), "starred")


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named search: its query, the filter menu's choice and the sort menu's."""

    name: str
    query: str
    filter: str = "all"
    """One of ``FILTERS``: which papers the list shows."""
    sort: Sort = Sort.RELEVANCE
    from_config: bool = False
    """Declared in ``[searches]`` of config.toml (the app cannot change it)."""

    @property
    def state(self) -> StateFilter | None:
        """The reading-state filter of ``filter`` (None lets every paper through)."""
        if self.filter == "starred":
            return StateFilter(starred=True)
        if self.filter in FILTERS[1:]:
            return StateFilter(statuses=frozenset({Status(self.filter)}))
        return None

    def describe(self) -> str:
        """The search in one line of words: its query, filter and order (literal text)."""
        parts = [repr(one_line(self.query)) if self.query.strip() else "every paper"]
        parts += [f"filter: {self.filter}"] if self.filter != "all" else []
        parts += [f"sorted by {self.sort.label}"] if self.sort is not Sort.RELEVANCE else []
        return " · ".join(parts)


class UnknownSavedSearchError(ShelfError):
    """No saved search has the name the user typed."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        listed = (
            f"known: {', '.join(one_line(name) for name in known)}"
            if known
            else "none yet: ctrl+s in the app saves one, [searches] in config.toml declares one"
        )
        super().__init__(f"no saved search named {one_line(name)!r} ({listed})")


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a saved search's name (None when it is fine)."""
    if not name.strip():
        return "a saved search needs a name"
    if name != name.strip() or printable(name) != name:
        return f"{one_line(name)!r}: a name is one line of visible characters, no outer spaces"
    if len(name) > MAX_NAME_CHARS:
        return f"{one_line(name)[:20]!r}…: a name is at most {MAX_NAME_CHARS} characters"
    return None


def query_problem(query: str) -> str | None:
    """What is wrong with ``query`` as a saved query (too long, a bad filter), or None."""
    try:
        check_query_size(query)
        parse_query(query)
    except QuerySyntaxError as error:
        return str(error)
    return None


def same_name(one: str, other: str) -> bool:
    """Whether two names name the same saved search (case is ignored)."""
    return one.casefold() == other.casefold()
