"""The for-you order: the inbox, most like what the user starred and read first.

What it learns from (the "liked" papers): the ``LIKED_EACH`` starred papers and
the ``LIKED_EACH`` read ones triaged last, so that it follows the user's taste as
it moves. The index scores the inbox against their key terms (``search.likeness``);
no model, nothing downloaded. A list in this order is:

1. the inbox papers that share key terms with the liked ones (not liked
   themselves: a starred inbox paper is what it learns from), most alike first,
   equal scores newest first;
2. the other inbox papers, newest first;
3. every other paper as the library lists them (reading, to read, read,
   skipped; newest first).

With nothing liked, 1 is empty: the inbox newest first, which is what the store
alone gives for ``Sort.FOR_YOU``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from shelf.domain import Entry, Sort, StateFilter, Status
from shelf.store import Store

if TYPE_CHECKING:
    from shelf.search import WhooshIndex

#: How many starred papers, and how many read ones, the order learns from (the last triaged).
LIKED_EACH = 30
#: How much of each liked paper's abstract counts: its opening says what it is about.
ABSTRACT_CAP = 1000
#: Scores this close are equal (so that equally alike papers go newest first).
DIGITS = 6


def liked(store: Store) -> list[Entry]:
    """The papers the order learns from: starred ones, then read ones, the last triaged first."""
    starred = store.list_entries(StateFilter(starred=True), LIKED_EACH, Sort.STATUS_CHANGED)
    read = StateFilter(statuses=frozenset({Status.READ}))
    done = store.list_entries(read, LIKED_EACH, Sort.STATUS_CHANGED)
    return list({entry.id: entry for entry in (*starred, *done)}.values())


def any_liked(store: Store) -> bool:
    """Whether anything is starred or read (else the order is the inbox newest first)."""
    return bool(store.count(StateFilter(starred=True))) or bool(
        store.count(StateFilter(statuses=frozenset({Status.READ})))
    )


def text_of(entry: Entry) -> str:
    """What a paper is about, as likeness reads it: its title and the start of its abstract."""
    return f"{entry.paper.title}\n{entry.paper.abstract[:ABSTRACT_CAP]}"


def ordered(
    store: Store, open_index: Callable[[], WhooshIndex], listed: list[tuple[str, Status]]
) -> list[str]:
    """The ids of ``listed`` ((id, status), as the library lists them: inbox first, newest
    first) in the for-you order."""
    fans = liked(store)
    if not fans:
        return [paper_id for paper_id, _ in listed]
    known = {entry.id for entry in fans}
    inbox = [i for i, status in listed if status is Status.INBOX and i not in known]
    scores = open_index().likeness([text_of(entry) for entry in fans], inbox)
    newest = {paper_id: place for place, paper_id in enumerate(inbox)}
    ranked = sorted(scores, key=lambda i: (-round(scores[i], DIGITS), newest[i]))
    first = set(ranked)
    return ranked + [paper_id for paper_id, _ in listed if paper_id not in first]


def first(
    store: Store,
    open_index: Callable[[], WhooshIndex],
    listed: list[tuple[str, Status]],
    limit: int | None,
) -> list[Entry]:
    """The first ``limit`` (None: all) entries of ``listed`` in the for-you order."""
    ids = ordered(store, open_index, listed)[:limit]
    found = store.get_many(ids)
    return [found[paper_id] for paper_id in ids if paper_id in found]


def likest(store: Store, index: WhooshIndex, entry: Entry) -> Entry | None:
    """The liked paper most like ``entry``: why the order ranks it where it does. None for
    a paper it does not rank by likeness (not in the inbox, or liked itself), or when
    no liked paper shares its key terms."""
    fans = liked(store)
    if entry.state.status is not Status.INBOX or entry.id in {fan.id for fan in fans}:
        return None
    found = index.likest(text_of(entry), [fan.id for fan in fans], entry.id)
    return next((fan for fan in fans if fan.id == found), None)
