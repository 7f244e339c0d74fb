"""``Library.update_many``: one change to many papers, as one action in history."""

from __future__ import annotations

import pytest

from shelf.domain import Status, UnknownPaperError
from shelf.library import Library


def test_many_papers_change_in_one_action_and_one_undo_reverts_them(
    page_library: Library,
) -> None:
    ids = [entry.id for entry in page_library.entries(limit=4)]
    page_library.update(ids[0], status=Status.READ)
    changed = page_library.update_many([*ids, ids[1]], status=Status.READ, add_tags=["Batch"])
    assert [entry.id for entry in changed] == ids  # the one named twice changed once
    assert all(entry.state.tags == ("batch",) for entry in changed)
    assert len(page_library.undo()) == 4
    assert page_library.get(ids[0]).state.status is Status.READ  # the earlier change stays
    assert {page_library.get(i).state.status for i in ids[1:]} == {Status.INBOX}


def test_papers_already_so_are_not_counted_as_changed(page_library: Library) -> None:
    ids = [entry.id for entry in page_library.entries(limit=3)]
    page_library.update(ids[2], starred=True)
    assert [entry.id for entry in page_library.update_many(ids, starred=True)] == ids[:2]


def test_an_unknown_id_changes_nothing(page_library: Library) -> None:
    ids = [entry.id for entry in page_library.entries(limit=2)]
    with pytest.raises(UnknownPaperError, match="nothere"):
        page_library.update_many([ids[0], "nothere", ids[1]], status=Status.SKIPPED)
    assert {page_library.get(i).state.status for i in ids} == {Status.INBOX}
