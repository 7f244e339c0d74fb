"""``Selection``: the papers an export writes, fetched a chunk at a time in the order a
writer asks for."""

from __future__ import annotations

from dataclasses import replace

from shelf.domain import Entry, Paper, ReadingState, Status
from shelf.domain.selection import CHUNK, Selection


def _entry(paper_id: str, status: Status) -> Entry:
    return Entry(paper_id, Paper(title=paper_id), ReadingState(status=status))


def test_a_selection_reads_in_chunks_in_each_order_a_writer_asks_for() -> None:
    statuses = [Status.READ, Status.INBOX, Status.READING, Status.INBOX]
    entries = {f"p{n:04d}": _entry(f"p{n:04d}", statuses[n % 4]) for n in range(3 * CHUNK)}
    asked: list[int] = []

    def fetch(ids: list[str]) -> dict[str, Entry]:
        asked.append(len(ids))
        return {i: entries[i] for i in ids if i != "p0007"}  # deleted meanwhile

    order = sorted(entries, reverse=True)
    selection = Selection(order, [entries[i].state.status for i in order], fetch)
    assert len(selection) == 3 * CHUNK
    assert [e.id for e in selection] == [i for i in order if i != "p0007"]
    assert max(asked) == CHUNK
    assert [e.id for e in selection.by_id()] == sorted(i for i in order if i != "p0007")
    grouped = [e.state.status for e in selection.grouped((Status.READING, Status.INBOX))]
    assert grouped == [Status.READING] * (CHUNK * 3 // 4) + [Status.INBOX] * (CHUNK * 3 // 2 - 1)
    assert selection.counts[Status.INBOX] == CHUNK * 3 // 2
    without = selection.without(Status.INBOX)
    assert len(without) == CHUNK * 3 // 2 and Status.INBOX not in without.counts


def test_a_selection_of_entries_in_memory_keeps_their_order() -> None:
    entries = [_entry("b", Status.READ), _entry("a", Status.INBOX)]
    selection = Selection.of(entries)
    assert list(selection) == entries
    assert Selection.of(selection) is selection
    assert [e.id for e in Selection.of([replace(entries[0])])] == ["b"]
