"""The ``Library`` facade: import and merge, ids, undoable updates, export, and keeping the
index in step with the store through crashes, deletions and doctor.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from shelf.domain import (
    ExportError,
    Field,
    IndexedText,
    Paper,
    ReadingState,
    ShelfError,
    StateChange,
    StateFilter,
    Status,
    UnknownPaperError,
)
from shelf.library import Library, build_demo
from shelf.paths import DB_NAME, INDEX_DIR
from support.papers import add_papers
from support.paths import PAGE_COPY

ABSTRACT = (
    "A long enough abstract about transferring what a model learned on one task to another "
    "task, with experiments on several benchmarks and an analysis of what carries over."
)
FIRST_TITLE = "AdapterFusion: Non-Destructive Task Composition for Transfer Learning"
ID_ALPHABET = re.compile(r"^[0-9abcdefghjkmnpqrstvwxyz]{6,8}$")


def _one(library: Library, query: str) -> str:
    """The id of the first hit for ``query``."""
    result = library.search(query)
    assert result.entries, query
    return result.entries[0].id


def _hits(library: Library, query: str) -> set[str]:
    return {e.id for e in library.search(query, limit=10_000).entries}


# -- importing -------------------------------------------------------------------------


def test_importing_the_page_copy(library: Library) -> None:
    report = library.import_paths([PAGE_COPY])

    assert (report.added, report.merged, report.unchanged, report.skipped) == (236, 0, 0, 0)
    assert report.problems == []
    assert report.summary() == "added 236, merged 0, unchanged 0, skipped 0"
    assert library.count() == 236
    titles = [e.paper.title for e in library.entries()]
    assert FIRST_TITLE in titles
    assert not [t for t in titles if t.startswith(("Subscribe", "Get trending"))]
    assert all(e.paper.abstract for e in library.entries())
    assert library.stats().by_status[Status.INBOX] == 236


def test_reimporting_changes_nothing_and_keeps_personal_state(page_library: Library) -> None:
    ids = [e.id for e in page_library.entries()]
    page_library.update(
        ids[0], status=Status.READ, starred=True, add_tags=["survey"], notes="Key paper."
    )
    page_library.update(ids[1], status=Status.SKIPPED)
    before = page_library.entries()
    revisions = page_library._store.revisions()

    report = page_library.import_paths([PAGE_COPY])

    assert (report.added, report.merged, report.unchanged, report.skipped) == (0, 0, 236, 0)
    assert page_library.entries() == before
    assert page_library._store.revisions() == revisions
    assert page_library._store.queued_for_index() == {}
    kept = page_library.get(ids[0]).state
    assert (kept.status, kept.starred, kept.tags, kept.notes) == (
        Status.READ,
        True,
        ("survey",),
        "Key paper.",
    )


def test_a_richer_copy_of_a_paper_is_merged_into_it(library: Library) -> None:
    add_papers(library, (Paper(title="Learning to Transfer, Fast"),))
    (entry,) = library.entries()
    library.update(entry.id, status=Status.READING, starred=True, add_tags=["x"], notes="n")

    richer = Paper(
        title="Learning to transfer: fast!",  # the same title once normalized
        authors=("Ada Lovelace", "Alan Turing"),
        year=2021,
        abstract=ABSTRACT,
        doi="10.1234/ltf.2021",
    )
    report = add_papers(library, (richer,))

    assert (report.added, report.merged, report.unchanged) == (0, 1, 0)
    (merged,) = library.entries()
    assert merged.id == entry.id
    assert merged.paper.title == "Learning to Transfer, Fast"  # what was known stays
    assert merged.paper.authors == ("Ada Lovelace", "Alan Turing")
    assert merged.paper.year == 2021
    assert merged.paper.doi == "10.1234/ltf.2021"
    assert merged.paper.abstract == ABSTRACT
    assert merged.state == library.get(entry.id).state
    state = merged.state
    assert (state.status, state.starred, state.tags, state.notes) == (
        Status.READING,
        True,
        ("x",),
        "n",
    )
    # The merged metadata is searchable at once.
    assert _hits(library, "author:turing") == {entry.id}
    assert _hits(library, "year:2021") == {entry.id}
    assert library.get("10.1234/ltf.2021").id == entry.id


def test_the_same_title_from_another_year_is_another_paper(library: Library) -> None:
    first = Paper(title="Transfer learning revisited", year=2019, abstract=ABSTRACT)
    second = Paper(title="Transfer Learning Revisited", year=2023, abstract=ABSTRACT)

    add_papers(library, (first,))
    report = add_papers(library, (second,))

    assert (report.added, report.merged) == (1, 0)
    assert sorted(e.paper.year for e in library.entries()) == [2019, 2023]
    assert len({e.id for e in library.entries()}) == 2


def test_an_arxiv_id_identifies_a_paper_whatever_its_title(library: Library) -> None:
    add_papers(library, (Paper(title="Old title", arxiv_id="2101.00001"),))
    report = add_papers(library, (Paper(title="New title", arxiv_id="2101.00001", year=2021),))

    assert (report.added, report.merged) == (0, 1)
    (entry,) = library.entries()
    assert entry.paper.year == 2021
    assert library.get("2101.00001").id == entry.id


def test_ids_are_short_typeable_and_stable_across_libraries(
    page_library: Library, tmp_path: Path
) -> None:
    ids_one = {e.paper.title: e.id for e in page_library.entries()}
    with Library.open(tmp_path / "two") as two:
        two.import_paths([PAGE_COPY])
        ids_two = {e.paper.title: e.id for e in two.entries()}
        some_id = next(iter(ids_two.values()))
        assert two.get(some_id.upper()).id == some_id
        assert two.get(f"  {some_id} ").id == some_id

    assert ids_one == ids_two
    assert len(set(ids_one.values())) == 236
    for paper_id in ids_one.values():
        assert ID_ALPHABET.match(paper_id), paper_id


def test_unknown_ids_are_a_clear_error(page_library: Library) -> None:
    with pytest.raises(UnknownPaperError, match="zzzzzz"):
        page_library.get("zzzzzz")
    with pytest.raises(UnknownPaperError):
        page_library.update("zzzzzz", status=Status.READ)


# -- changing state and undo -----------------------------------------------------------


def test_update_is_one_undoable_action(page_library: Library) -> None:
    paper_id = page_library.entries()[0].id
    page_library.update(paper_id, add_tags=["kept"])

    changed = page_library.update(
        paper_id,
        status=Status.READ,
        starred=True,
        add_tags=["Deep Learning"],
        remove_tags=["kept"],
        notes="Read it twice.",
    )

    state = changed.state
    assert (state.status, state.starred, state.tags, state.notes) == (
        Status.READ,
        True,
        ("deep learning",),
        "Read it twice.",
    )
    assert state.read_at is not None and state.status_changed_at is not None

    undone = page_library.undo()

    assert len(undone) == 1
    assert undone[0].entry.id == paper_id
    assert {"status", "starred", "tags", "notes"} <= set(undone[0].fields)
    state = page_library.get(paper_id).state
    assert (state.status, state.starred, state.tags, state.notes) == (
        Status.INBOX,
        False,
        ("kept",),
        "",
    )
    assert state.read_at is None and state.status_changed_at is None
    # The action before it is next, then nothing.
    assert page_library.undo()[0].entry.state.tags == ()
    assert page_library.undo() == []


def test_a_change_to_nothing_new_records_no_undo_step(page_library: Library) -> None:
    first, second = (e.id for e in page_library.entries()[:2])
    page_library.update(first, status=Status.READ)
    page_library.update(second, status=Status.INBOX, starred=False)  # already so

    undone = page_library.undo()

    assert [u.entry.id for u in undone] == [first]


def test_undo_works_after_closing_and_reopening(page_dir: Path) -> None:
    with Library.open(page_dir) as library:
        paper_id = library.entries()[0].id
        library.update(paper_id, status=Status.TO_READ)
        library.update(paper_id, status=Status.READ, starred=True)

    with Library.open(page_dir) as library:
        undone = library.undo()
        assert [u.entry.id for u in undone] == [paper_id]
        state = library.get(paper_id).state
        assert (state.status, state.starred) == (Status.TO_READ, False)

    with Library.open(page_dir) as library:
        library.undo()
        assert library.get(paper_id).state.status is Status.INBOX
        assert library.undo() == []


def test_undoing_a_note_updates_search(page_library: Library) -> None:
    paper_id = page_library.entries()[0].id
    page_library.update(paper_id, notes="zebrafish experiments")
    assert _hits(page_library, "notes:zebrafish") == {paper_id}

    page_library.undo()

    assert page_library.get(paper_id).state.notes == ""
    assert _hits(page_library, "notes:zebrafish") == set()
    assert _hits(page_library, "zebrafish") == set()
    assert page_library._store.queued_for_index() == {}


def test_an_empty_tag_is_refused(page_library: Library) -> None:
    paper_id = page_library.entries()[0].id
    with pytest.raises(ShelfError, match="tag"):
        page_library.update(paper_id, add_tags=["  "])
    assert page_library.undo() == []


# -- the index follows the store ---------------------------------------------------------


def test_a_deleted_index_is_rebuilt_on_open(page_dir: Path) -> None:
    with Library.open(page_dir) as library:
        paper_id = _one(library, "catastrophic forgetting")
        library.update(paper_id, notes="zebrafish")
    shutil.rmtree(page_dir / INDEX_DIR)

    with Library.open(page_dir) as library:
        assert library.repairs_on_open
        problem, repair = library.repairs_on_open[0]
        assert "missing" in problem
        assert "236" in repair
        assert _one(library, "catastrophic forgetting") == paper_id
        assert _hits(library, "notes:zebrafish") == {paper_id}
        report = library.doctor()
        assert any("missing" in p for p in report.problems)
        assert any("rebuilt" in r for r in report.repaired)
        assert report.healthy

    with Library.open(page_dir) as library:
        assert library.repairs_on_open == []


def _small_library(directory: Path) -> str:
    """A closed library of three papers; returns the id of the one about axolotls."""
    papers = tuple(
        Paper(title=title, abstract=ABSTRACT)
        for title in ("Axolotl regeneration", "Zebrafish fins", "Planarian heads")
    )
    with Library.open(directory) as library:
        add_papers(library, papers)
        return library.search("axolotl").entries[0].id


def test_an_index_from_another_version_is_rebuilt(library_dir: Path) -> None:
    paper_id = _small_library(library_dir)
    (library_dir / INDEX_DIR / "shelf-fingerprint").write_text("0000\n", encoding="ascii")

    with Library.open(library_dir) as library:
        assert "another version" in library.repairs_on_open[0][0]
        assert [e.id for e in library.search("axolotl").entries] == [paper_id]


# whoosh leaves the damaged table-of-contents file open when it fails to read it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_damaged_index_is_rebuilt(library_dir: Path) -> None:
    paper_id = _small_library(library_dir)
    for path in (library_dir / INDEX_DIR).iterdir():
        if path.name != "shelf-fingerprint":
            path.write_bytes(b"garbage")

    with Library.open(library_dir) as library:
        assert "unreadable" in library.repairs_on_open[0][0]
        assert [e.id for e in library.search("axolotl").entries] == [paper_id]


def test_doctor_on_a_healthy_library(page_library: Library) -> None:
    report = page_library.doctor()

    assert report.problems == []
    assert report.repaired == []
    assert report.healthy
    assert len(report.checked) >= 2


def test_doctor_finds_and_repairs_a_paper_missing_from_the_index(page_library: Library) -> None:
    paper_id = _one(page_library, "catastrophic forgetting")
    page_library._search_index().delete([paper_id])
    assert paper_id not in _hits(page_library, "catastrophic forgetting")

    checked = page_library.doctor(repair=False)
    assert checked.problems == ["1 paper(s) missing from the search index"]
    assert not checked.healthy
    assert paper_id not in _hits(page_library, "catastrophic forgetting")

    report = page_library.doctor()

    assert report.problems == ["1 paper(s) missing from the search index"]
    assert report.repaired and report.healthy
    assert paper_id in _hits(page_library, "catastrophic forgetting")
    assert page_library.doctor().problems == []


def test_doctor_finds_and_repairs_a_stale_paper(page_library: Library) -> None:
    entry = page_library.get(_one(page_library, "catastrophic forgetting"))
    store = page_library._store
    # A metadata change that reached the store but never the index.
    with store.transaction():
        store.update_paper(entry.id, Paper(title="Axolotl regeneration", abstract=ABSTRACT))
        store.clear_index_queue(store.queued_for_index())
    assert _hits(page_library, "axolotl") == set()

    report = page_library.doctor()

    assert report.problems == ["1 paper(s) out of date in the search index"]
    assert report.healthy
    assert _hits(page_library, "axolotl") == {entry.id}
    assert entry.id not in _hits(page_library, "catastrophic forgetting")


def test_doctor_removes_papers_the_store_does_not_have(page_library: Library) -> None:
    page_library._search_index().upsert(
        [IndexedText("stray1", 1, "Axolotl stray", abstract=ABSTRACT)]
    )
    assert page_library.search("axolotl").entries == []  # the store has no such paper

    report = page_library.doctor()

    assert report.problems == ["1 paper(s) extra in the search index"]
    assert "stray1" not in page_library._search_index().revisions()


def test_a_crash_between_store_and_index_is_repaired_on_open(page_dir: Path) -> None:
    with Library.open(page_dir) as library:
        paper_id = library.entries()[0].id
        assert _hits(library, "zebrafish") == set()  # the index is open (it opens lazily)
        store = library._store
        # What update() does, stopped before the index is written (as if the process died).
        with store.transaction():
            state = replace(library.get(paper_id).state, notes="zebrafish")
            change = StateChange(state, frozenset({Field.NOTES}))
            store.change_state(paper_id, change, store.next_action())
        assert list(store.queued_for_index()) == [paper_id]
        assert _hits(library, "zebrafish") == set()

    with Library.open(page_dir) as library:
        assert _hits(library, "notes:zebrafish") == {paper_id}
        assert library._store.queued_for_index() == {}
        assert library.repairs_on_open
        assert library.doctor().problems == [library.repairs_on_open[0][0]]


# -- exporting and selecting -----------------------------------------------------------


def test_export_writes_the_rendered_text_and_no_temporary_file(
    page_library: Library, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "list.md"
    target.write_text("old contents", encoding="utf-8")
    entries = page_library.entries()

    written = page_library.export("markdown", entries, target)

    assert written == target
    assert target.read_text(encoding="utf-8") == "".join(page_library.render("markdown", entries))
    assert [p.name for p in out_dir.iterdir()] == ["list.md"]


def test_a_failing_export_raises_and_leaves_no_file(page_library: Library, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "list.md"

    with pytest.raises(ExportError, match=r"list\.md"):
        page_library.export("markdown", page_library.entries(), target)

    assert not target.parent.exists()


def test_a_failing_replace_cleans_up_its_temporary_file(
    page_library: Library, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    (out_dir / "list.md").mkdir(parents=True)  # a directory where the file should go

    with pytest.raises(ExportError):
        page_library.export("markdown", page_library.entries(), out_dir / "list.md")

    assert [p.name for p in out_dir.iterdir()] == ["list.md"]
    assert (out_dir / "list.md").is_dir()


def test_select_combines_a_query_and_a_state_filter(page_library: Library) -> None:
    forgetting = [e.id for e in page_library.search("forgetting", limit=1000).entries]
    other = next(e.id for e in page_library.entries() if e.id not in forgetting)
    for paper_id in (*forgetting[:3], other):
        page_library.update(paper_id, status=Status.READ)
    page_library.update(forgetting[0], add_tags=["keep"])
    read = StateFilter(statuses=frozenset({Status.READ}))

    assert {e.id for e in page_library.select("forgetting", read)} == set(forgetting[:3])
    assert {e.id for e in page_library.select("", read)} == {*forgetting[:3], other}
    assert [e.id for e in page_library.select("forgetting tag:keep", read)] == [forgetting[0]]
    assert len(page_library.select("forgetting")) == len(forgetting)
    # A filter in the query and a contradicting one given separately match nothing.
    assert list(page_library.select("status:inbox forgetting", read)) == []
    # select has no page limit.
    assert len(page_library.select()) == 236


def test_build_demo(tmp_path: Path) -> None:
    directory = tmp_path / "demo"

    with build_demo(directory) as demo:
        assert demo.count() == 236
        assert demo.search("catastrophic forgetting").total > 0
        assert FIRST_TITLE in {e.paper.title for e in demo.entries()}

    assert (directory / DB_NAME).is_file()
    assert (directory / INDEX_DIR).is_dir()


def test_a_database_from_a_newer_shelf_is_refused(library_dir: Path) -> None:
    Library.open(library_dir).close()
    # sqlite3 here only to forge a database from a future version of shelf.
    with sqlite3.connect(library_dir / DB_NAME) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()

    with pytest.raises(ShelfError, match="newer shelf"):
        Library.open(library_dir)


def test_restore_states_sets_whole_state_as_one_undoable_action(page_library: Library) -> None:
    first, second = (entry.id for entry in page_library.entries(limit=2))
    restored = page_library.restore_states(
        [
            (first, ReadingState(status=Status.READ, starred=True, tags=("survey",), notes="kept")),
            (second, ReadingState(status=Status.SKIPPED)),
        ]
    )
    assert restored == 2
    state = page_library.get(first).state
    assert (state.status, state.starred, state.tags, state.notes) == (
        Status.READ,
        True,
        ("survey",),
        "kept",
    )
    assert page_library.get(second).state.status is Status.SKIPPED
    assert [e.id for e in page_library.search("notes:kept").entries] == [first]
    undone = page_library.undo()  # one undo reverts the whole restore
    assert sorted(item.entry.id for item in undone) == sorted([first, second])
    assert page_library.get(first).state.notes == ""
    assert page_library.get(second).state.status is Status.INBOX


def test_restore_states_of_an_unknown_paper_changes_nothing(page_library: Library) -> None:
    first = page_library.entries(limit=1)[0].id
    with pytest.raises(UnknownPaperError):
        page_library.restore_states(
            [(first, ReadingState(status=Status.READ)), ("nosuch", ReadingState())]
        )
    assert page_library.get(first).state.status is Status.INBOX
