"""Merging two copies of one paper: the better of both, field by field, in one new entry.

Pure rules, no I/O: ``library.merging`` reads the two entries, calls
``merge_entries`` and writes the result as one undoable action. The first
entry survives (its id, and its value wherever both copies know a field and
neither is plainly better); the second only fills in and adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from shelf.domain.paper import Entry, Paper, ReadingState
from shelf.domain.status import Status

#: How far along the reading a status is, least first: a merge keeps the further one.
#: Skipping is a decision, so it outranks the untriaged inbox; deciding to read (or
#: reading, or having read) outranks having skipped.
STATUS_PROGRESS: tuple[Status, ...] = (
    Status.INBOX,
    Status.SKIPPED,
    Status.TO_READ,
    Status.READING,
    Status.READ,
)

#: What stands between the two copies' notes when both have notes of their own
#: (a Markdown rule: a blank line before it, so it is never read as a heading).
NOTES_SEPARATOR = "\n\n---\n\n"

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Merged:
    """The entry two copies make together, and what in it came from the second."""

    paper: Paper
    state: ReadingState
    from_other: tuple[str, ...]
    """The fields (``abstract``, ``doi``, ``status``, ``tags``, ...) the second copy gave."""


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What ``Library.merge`` did: the survivor as it is now, the copy merged into it (as
    it was, before it was removed), and what in the survivor came from that copy."""

    entry: Entry
    removed: Entry
    from_other: tuple[str, ...]


def merge_entries(keep: Entry, other: Entry) -> Merged:
    """``keep`` with what ``other`` has better or more of (see ``merge_papers``,
    ``merge_states``)."""
    paper, from_paper = merge_papers(keep.paper, other.paper)
    state, from_state = merge_states(keep.state, other.state)
    return Merged(paper, state, (*from_paper, *from_state))


def merge_papers(keep: Paper, other: Paper) -> tuple[Paper, tuple[str, ...]]:
    """The better metadata of both copies, and the names of the fields ``other`` gave.

    The longer abstract, the fuller author list; title, year, venue, URL, arXiv
    id and DOI from ``other`` only where ``keep`` lacks them.
    """
    taken: list[str] = []

    def pick(name: str, mine: _T, theirs: _T, theirs_better: bool) -> _T:
        if theirs_better and theirs != mine:
            taken.append(name)
            return theirs
        return mine

    fuller = len(other.authors) > len(keep.authors)
    longer = len(other.abstract.strip()) > len(keep.abstract.strip())
    merged = Paper(
        title=pick("title", keep.title, other.title, not keep.title.strip()),
        authors=pick("authors", keep.authors, other.authors, fuller),
        year=pick("year", keep.year, other.year, keep.year is None),
        venue=pick("venue", keep.venue, other.venue, not keep.venue.strip()),
        abstract=pick("abstract", keep.abstract, other.abstract, longer),
        url=pick("url", keep.url, other.url, not keep.url),
        arxiv_id=pick("arxiv_id", keep.arxiv_id, other.arxiv_id, not keep.arxiv_id),
        doi=pick("doi", keep.doi, other.doi, not keep.doi),
    )
    return merged, tuple(taken)


def further(status: Status, than: Status) -> bool:
    """Whether ``status`` is further along the reading than ``than`` (``STATUS_PROGRESS``)."""
    return STATUS_PROGRESS.index(status) > STATUS_PROGRESS.index(than)


def merge_states(keep: ReadingState, other: ReadingState) -> tuple[ReadingState, tuple[str, ...]]:
    """Both copies' reading state in one, and the names of the fields ``other`` gave.

    The status further along (with its times), starred if either is, the union of
    the tags, the notes one after the other (``NOTES_SEPARATOR`` between them when
    both have notes and they differ), added when the first copy was.
    """
    taken: list[str] = []
    lead = other if further(other.status, keep.status) else keep
    if lead is other:
        taken.append("status")
    starred = keep.starred or other.starred
    if starred and not keep.starred:
        taken.append("starred")
    tags = tuple(sorted(set(keep.tags) | set(other.tags)))
    if set(tags) != set(keep.tags):
        taken.append("tags")
    notes = merge_notes(keep.notes, other.notes)
    if notes != keep.notes:
        taken.append("notes")
    added = [when for when in (keep.added_at, other.added_at) if when is not None]
    state = ReadingState(
        status=lead.status,
        starred=starred,
        tags=tags,
        notes=notes,
        added_at=min(added) if added else None,
        status_changed_at=lead.status_changed_at,
        read_at=lead.read_at or keep.read_at or other.read_at,
    )
    return state, tuple(taken)


def merge_notes(keep: str, other: str) -> str:
    """``keep``'s notes then ``other``'s, a separator line between them; one copy's alone
    when the other has none, or both say the same."""
    if not other.strip() or other.strip() == keep.strip():
        return keep
    if not keep.strip():
        return other
    return keep.rstrip() + NOTES_SEPARATOR + other.lstrip("\n")
