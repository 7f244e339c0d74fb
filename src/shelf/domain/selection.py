"""The papers an export writes, read lazily: an export never holds the library in memory.

A selection knows its papers' ids, in order, and their statuses (a few bytes
each); the entries themselves are fetched a few hundred at a time as a writer
goes through them, in the order it needs: as selected, by id, or grouped by
status. The library makes selections from the store; ``Selection.of`` makes
one from entries already in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from shelf.domain.paper import Entry
from shelf.domain.reading_list import ListRecord
from shelf.domain.status import Status

#: Entries fetched at once while a selection is read.
CHUNK = 500

#: Fetches the entries of some ids (an id no longer there is left out).
Fetch = Callable[[list[str]], Mapping[str, Entry]]


class Selection:
    """Papers to export: ``ids`` in the order selected, with their ``statuses``."""

    def __init__(
        self,
        ids: Sequence[str],
        statuses: Sequence[Status],
        fetch: Fetch,
        lists: Sequence[ListRecord] = (),
    ) -> None:
        self._ids = list(ids)
        self._statuses = list(statuses)
        self._fetch = fetch
        self.lists = tuple(lists)
        """The reading lists that hold these papers (by their ids), for a backup to carry."""
        self.heading: ListRecord | None = None
        """Set when the selection is one reading list, in its order (its title and
        description head a Markdown export)."""

    @classmethod
    def of(cls, entries: Iterable[Entry] | Selection) -> Selection:
        """A selection of entries in memory (a selection is taken as it is)."""
        if isinstance(entries, Selection):
            return entries
        held = {entry.id: entry for entry in entries}
        statuses = [entry.state.status for entry in held.values()]
        return cls(list(held), statuses, lambda ids: {i: held[i] for i in ids if i in held})

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[Entry]:
        """The entries in the order selected."""
        return self._read(self._ids)

    @property
    def ids(self) -> list[str]:
        """The papers' ids, in the order selected."""
        return list(self._ids)

    @property
    def counts(self) -> Counter[Status]:
        """How many papers of each status."""
        return Counter(self._statuses)

    def by_id(self) -> Iterator[Entry]:
        """The entries ordered by id."""
        return self._read(sorted(self._ids))

    def grouped(self, order: Sequence[Status]) -> Iterator[Entry]:
        """The entries of each status in ``order`` (others left out), as selected within each."""
        for status in order:
            yield from self._read(
                [i for i, s in zip(self._ids, self._statuses, strict=True) if s is status]
            )

    def without(self, status: Status) -> Selection:
        """This selection less the papers of ``status``."""
        kept = [(i, s) for i, s in zip(self._ids, self._statuses, strict=True) if s is not status]
        return Selection([i for i, _ in kept], [s for _, s in kept], self._fetch, self.lists)

    def memberships(self) -> dict[str, list[tuple[ListRecord, int]]]:
        """For each paper in a list, the lists that hold it with its position (from 1)."""
        held: dict[str, list[tuple[ListRecord, int]]] = {}
        for reading_list in self.lists:
            for position, paper_id in enumerate(reading_list.ids, start=1):
                held.setdefault(paper_id, []).append((reading_list, position))
        return held

    def _read(self, ids: list[str]) -> Iterator[Entry]:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found = self._fetch(chunk)
            yield from (found[paper_id] for paper_id in chunk if paper_id in found)
