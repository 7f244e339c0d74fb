"""What the for-you order learns from: the 30 starred and the 30 read papers triaged last."""

from __future__ import annotations

from shelf.domain import Status
from shelf.library import Library
from shelf.library.for_you import LIKED_EACH, liked


def test_it_learns_from_the_starred_and_read_papers_triaged_last(page_library: Library) -> None:
    assert LIKED_EACH == 30  # as the README says
    ids = [entry.id for entry in page_library.entries()]
    page_library.update_many(ids[:40], status=Status.READ)
    page_library.update_many(ids[40:45], status=Status.READ)  # read last
    page_library.update_many(ids[50:90], starred=True)
    page_library.update(ids[95], status=Status.TO_READ, starred=True)  # triaged last
    learned = {entry.id for entry in liked(page_library._store)}
    assert len(learned) == 2 * LIKED_EACH
    assert set(ids[40:45]) <= learned and ids[95] in learned
    assert len(learned & set(ids[:45])) == LIKED_EACH
    assert len(learned & {*ids[50:90], ids[95]}) == LIKED_EACH
