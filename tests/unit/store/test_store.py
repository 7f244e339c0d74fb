"""Unit tests for the SQLite store, on real database files in tmp_path."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shelf.domain import (
    Entry,
    Field,
    IndexedText,
    LibraryError,
    Paper,
    Reverted,
    StateChange,
    StateFilter,
    Status,
)
from shelf.store import Store, now
from shelf.store.schema import MIGRATIONS, SCHEMA_VERSION

T1 = "2024-01-01T10:00:00.000000+00:00"
T2 = "2024-01-02T10:00:00.000000+00:00"
T3 = "2024-01-03T10:00:00.000000+00:00"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(db_path)
    try:
        yield opened
    finally:
        opened.close()


def _pragma(path: Path, name: str) -> Any:
    """Read a PRAGMA through a connection of our own, not the store's."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]


def _add(store: Store, paper_id: str, title: str, added_at: str = T1, **fields: Any) -> None:
    with store.transaction():
        store.insert(paper_id, Paper(title=title, **fields), datetime.fromisoformat(added_at))


def _typed(store: Store, paper_id: str, **changes: Any) -> StateChange:
    """The typed change that sets ``changes`` (field name -> value as a user gives it)."""
    current = _entry(store, paper_id).state
    values: dict[str, Any] = {}
    for name, value in changes.items():
        field = Field(name)  # only reading-state fields can be named at all
        if field is Field.STATUS:
            value = Status(value)
        elif field.is_timestamp:
            value = datetime.fromisoformat(value) if value else None
        elif field is Field.TAGS:
            value = tuple(value)
        values[name] = value
    return StateChange(replace(current, **values), frozenset(Field(name) for name in changes))


def _change(store: Store, paper_id: str, **changes: Any) -> bool:
    """One user action, as the library makes it."""
    change = _typed(store, paper_id, **changes)
    with store.transaction():
        return store.change_state(paper_id, change, store.next_action())


def _entry(store: Store, paper_id: str) -> Entry:
    entry = store.get(paper_id)
    assert entry is not None
    return entry


def _ids(entries: list[Entry]) -> list[str]:
    return [entry.id for entry in entries]


# -- opening ------------------------------------------------------------------------------


def test_open_creates_the_schema(db_path: Path) -> None:
    store = Store.open(db_path)
    try:
        assert store.schema_version == SCHEMA_VERSION
        assert store.count() == 0
        assert store.integrity_problems() == []
    finally:
        store.close()
    assert db_path.is_file()
    assert _pragma(db_path, "user_version") == SCHEMA_VERSION
    assert _pragma(db_path, "journal_mode") == "wal"
    with closing(sqlite3.connect(db_path)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"papers", "tags", "history", "index_queue", "meta"} <= tables


def test_reopen_is_idempotent_and_keeps_data(db_path: Path) -> None:
    store = Store.open(db_path)
    _add(store, "aaaaaa", "Kept")
    store.close()
    for _ in range(2):
        again = Store.open(db_path)
        try:
            assert again.schema_version == SCHEMA_VERSION
            assert _entry(again, "aaaaaa").paper.title == "Kept"
            assert again.count() == 1
        finally:
            again.close()


def test_an_empty_file_is_a_new_library(db_path: Path) -> None:
    db_path.write_bytes(b"")
    store = Store.open(db_path)
    try:
        assert store.schema_version == SCHEMA_VERSION
    finally:
        store.close()


def test_a_newer_schema_is_refused_and_left_alone(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("CREATE TABLE future (x)")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        connection.commit()
    with pytest.raises(LibraryError) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert str(db_path) in message
    assert "newer" in message
    assert _pragma(db_path, "user_version") == SCHEMA_VERSION + 1
    assert _pragma(db_path, "journal_mode") == "delete", "a refused database is not touched"


@pytest.mark.parametrize(
    "garbage",
    [b"hello, I am not a database", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40],
)
def test_a_garbage_file_is_a_library_error(db_path: Path, garbage: bytes) -> None:
    db_path.write_bytes(garbage)
    with pytest.raises(LibraryError) as caught:
        Store.open(db_path)
    assert str(db_path) in str(caught.value)
    assert db_path.read_bytes() == garbage


def test_a_directory_in_the_way_is_a_library_error(db_path: Path) -> None:
    db_path.mkdir()
    with pytest.raises(LibraryError):
        Store.open(db_path)


def test_a_missing_parent_directory_is_a_library_error(tmp_path: Path) -> None:
    with pytest.raises(LibraryError):
        Store.open(tmp_path / "no" / "such" / "library.db")


def test_times_are_utc_and_stored_with_microseconds(store: Store) -> None:
    moment = now()
    assert moment.utcoffset() == UTC.utcoffset(None)
    with store.transaction():
        store.insert("aaaaaa", Paper(title="A"), moment)
    stored = store._db.execute("SELECT added_at FROM papers").fetchone()[0]
    assert len(stored.split(".")[1]) == len("000000+00:00")
    assert _entry(store, "aaaaaa").state.added_at == moment


# -- papers in and out ----------------------------------------------------------------------


def test_insert_and_get_round_trip(store: Store) -> None:
    paper = Paper(
        title="Ünïcode: a Title",
        authors=("Zoë Author", "李 雷"),
        year=2021,
        venue="NeurIPS",
        abstract="Abstract text.",
        url="https://example.org/p",
        arxiv_id="2106.09685",
        doi="10.1000/xyz",
    )
    with store.transaction():
        store.insert("abc123", paper, datetime.fromisoformat(T2))
    entry = _entry(store, "abc123")
    assert entry.id == "abc123"
    assert entry.paper == paper
    assert entry.state.status is Status.INBOX
    assert entry.state.starred is False
    assert entry.state.tags == ()
    assert entry.state.notes == ""
    assert entry.state.added_at == datetime(2024, 1, 2, 10, tzinfo=UTC)
    assert entry.state.status_changed_at is None
    assert entry.state.read_at is None
    assert store.id_exists("abc123")
    assert not store.id_exists("abc124")


def test_get_unknown_is_none(store: Store) -> None:
    assert store.get("nope00") is None


def test_get_many_leaves_out_missing_ids(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _add(store, "bbbbbb", "B")
    found = store.get_many(["bbbbbb", "zzzzzz", "aaaaaa"])
    assert set(found) == {"aaaaaa", "bbbbbb"}
    assert found["bbbbbb"].paper.title == "B"
    assert store.get_many([]) == {}


def test_get_many_beyond_one_chunk(store: Store) -> None:
    with store.transaction():
        for number in range(1203):
            store.insert(
                f"p{number:05d}", Paper(title=f"Paper {number}"), datetime.fromisoformat(T1)
            )
    wanted = [f"p{number:05d}" for number in range(0, 1203, 2)]
    found = store.get_many(wanted)
    assert set(found) == set(wanted)
    assert len(list(store.iter_index_docs(wanted))) == len(wanted)


def test_duplicate_arxiv_id_is_refused(store: Store) -> None:
    _add(store, "aaaaaa", "A", arxiv_id="2106.09685")
    with pytest.raises(LibraryError, match="UNIQUE constraint failed"):
        _add(store, "bbbbbb", "B", arxiv_id="2106.09685")
    assert store.get("bbbbbb") is None


@pytest.mark.parametrize(
    "ref",
    [
        "abc123",
        "ABC123",
        " abc123 ",
        "2106.09685",
        "2106.09685v2",
        "arXiv:2106.09685",
        "https://arxiv.org/abs/2106.09685v1",
    ],
)
def test_resolve_by_id_and_arxiv_id(store: Store, ref: str) -> None:
    _add(store, "abc123", "Paper", arxiv_id="2106.09685")
    _add(store, "other0", "Other", arxiv_id="2106.00001")
    assert store.resolve(ref) == "abc123"


@pytest.mark.parametrize(
    "ref",
    [
        "10.1145/3292500.3330701",
        "10.1145/3292500.3330701".upper(),
        "doi:10.1145/3292500.3330701",
        "https://doi.org/10.1145/3292500.3330701",
    ],
)
def test_resolve_by_doi(store: Store, ref: str) -> None:
    _add(store, "def456", "Paper", doi="10.1145/3292500.3330701")
    assert store.resolve(ref) == "def456"


def test_resolve_old_style_arxiv_id(store: Store) -> None:
    _add(store, "old001", "Old", arxiv_id="math/0309136")
    assert store.resolve("math/0309136") == "old001"
    assert store.resolve("math.GT/0309136v2") == "old001"


@pytest.mark.parametrize("ref", ["", "zzzzzz", "2106.09686", "10.1/none", "Paper"])
def test_resolve_unknown_is_none(store: Store, ref: str) -> None:
    _add(store, "abc123", "Paper", arxiv_id="2106.09685", doi="10.1/x")
    assert store.resolve(ref) is None


# -- identity -------------------------------------------------------------------------------


def test_find_match_by_arxiv_id(store: Store) -> None:
    _add(store, "aaaaaa", "Old Title", arxiv_id="2106.09685", year=2021)
    match = store.find_match(Paper(title="Completely different", arxiv_id="2106.09685"))
    assert match is not None
    assert match.id == "aaaaaa"


def test_find_match_by_doi(store: Store) -> None:
    _add(store, "aaaaaa", "Old Title", doi="10.1/x")
    match = store.find_match(Paper(title="Other words", doi="10.1/x"))
    assert match is not None
    assert match.id == "aaaaaa"


def test_find_match_by_normalized_title(store: Store) -> None:
    _add(store, "aaaaaa", "Attention Is All You Need", year=2017)
    for title in ("attention is all you need.", "ATTENTION: Is All You Need!"):
        match = store.find_match(Paper(title=title))
        assert match is not None
        assert match.id == "aaaaaa"


@pytest.mark.parametrize(("stored", "incoming"), [(2017, 2017), (2017, None), (None, 2017)])
def test_find_match_title_with_compatible_years(
    store: Store, stored: int | None, incoming: int | None
) -> None:
    _add(store, "aaaaaa", "Same Title", year=stored)
    match = store.find_match(Paper(title="Same Title", year=incoming))
    assert match is not None
    assert match.id == "aaaaaa"


def test_find_match_title_with_a_different_year_is_another_paper(store: Store) -> None:
    _add(store, "aaaaaa", "Same Title", year=2017)
    assert store.find_match(Paper(title="Same Title", year=2018)) is None


def test_find_match_title_picks_the_compatible_one(store: Store) -> None:
    _add(store, "y2017a", "Survey", year=2017)
    _add(store, "y2020a", "Survey", year=2020)
    match = store.find_match(Paper(title="Survey", year=2020))
    assert match is not None
    assert match.id == "y2020a"


def test_find_match_title_with_conflicting_ids_is_another_paper(store: Store) -> None:
    _add(store, "aaaaaa", "Same Title", arxiv_id="2106.00001", doi="10.1/a")
    assert store.find_match(Paper(title="Same Title", arxiv_id="2106.00002")) is None
    assert store.find_match(Paper(title="Same Title", doi="10.1/b")) is None


def test_find_match_nothing(store: Store) -> None:
    _add(store, "aaaaaa", "Something")
    assert store.find_match(Paper(title="Something else")) is None


# -- metadata updates never touch reading state ----------------------------------------------------


def test_update_paper_keeps_reading_state(store: Store) -> None:
    _add(store, "aaaaaa", "Old", abstract="")
    _change(
        store,
        "aaaaaa",
        status="read",
        status_changed_at=T2,
        read_at=T2,
        starred=True,
        notes="mine",
        tags=["nlp"],
    )
    before = _entry(store, "aaaaaa").state
    new = Paper(title="New Title", authors=("A",), year=2020, abstract="Now with abstract.")
    with store.transaction():
        store.update_paper("aaaaaa", new)
    after = _entry(store, "aaaaaa")
    assert after.paper == new
    assert after.state == before
    assert after.state.status is Status.READ
    assert after.state.tags == ("nlp",)
    assert store.find_match(Paper(title="new title")) is not None, "title key follows the title"


def test_update_paper_does_not_steal_another_papers_ids(store: Store) -> None:
    _add(store, "aaaaaa", "A", doi="10.1/a", arxiv_id="2101.00001")
    _add(store, "bbbbbb", "B", doi="10.1/b")
    with store.transaction():
        store.update_paper("bbbbbb", Paper(title="B", doi="10.1/a", arxiv_id="2101.00001"))
    other = _entry(store, "bbbbbb").paper
    assert other.doi == "10.1/b"
    assert other.arxiv_id is None
    assert _entry(store, "aaaaaa").paper.doi == "10.1/a"


# -- reading state, history and undo ---------------------------------------------------------------


def test_change_state_writes_and_records_history(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    assert store.history_depth() == 0
    assert _change(store, "aaaaaa", status="to-read", status_changed_at=T2)
    entry = _entry(store, "aaaaaa")
    assert entry.state.status is Status.TO_READ
    assert entry.state.status_changed_at == datetime(2024, 1, 2, 10, tzinfo=UTC)
    assert store.history_depth() == 1
    assert store.next_action() == 2


def test_change_state_without_a_change_records_nothing(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    assert not _change(store, "aaaaaa", status="inbox", starred=False, notes="")
    assert store.history_depth() == 0
    assert store.undo() == []


def test_a_change_can_name_only_reading_state_fields(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    with pytest.raises(ValueError, match="title"):
        Field("title")
    with pytest.raises(ValueError, match="title"):
        _change(store, "aaaaaa", title="hijacked")
    assert _entry(store, "aaaaaa").paper.title == "A"
    assert store.history_depth() == 0


def test_undo_restores_the_previous_values(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _change(store, "aaaaaa", status="read", status_changed_at=T2, read_at=T2)
    _change(store, "aaaaaa", starred=True, tags=["b", "a"], notes="first note")
    with store.transaction():
        restored = store.undo()
    assert restored == [Reverted("aaaaaa", frozenset({Field.STARRED, Field.TAGS, Field.NOTES}))]
    state = _entry(store, "aaaaaa").state
    assert (state.starred, state.tags, state.notes) == (False, (), "")
    assert state.status is Status.READ, "only the last action is undone"
    with store.transaction():
        restored = store.undo()
    assert restored == [
        Reverted("aaaaaa", frozenset({Field.STATUS, Field.STATUS_CHANGED_AT, Field.READ_AT}))
    ]
    state = _entry(store, "aaaaaa").state
    assert state.status is Status.INBOX
    assert state.status_changed_at is None
    assert state.read_at is None
    with store.transaction():
        assert store.undo() == []
    assert store.history_depth() == 0


def test_undo_of_tags_restores_the_old_set(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _change(store, "aaaaaa", tags=["nlp", "survey"])
    _change(store, "aaaaaa", tags=["nlp", "vision"])
    with store.transaction():
        store.undo()
    assert _entry(store, "aaaaaa").state.tags == ("nlp", "survey")
    assert store.tag_counts() == {"nlp": 1, "survey": 1}


def test_one_action_over_several_papers_is_undone_together(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _add(store, "bbbbbb", "B")
    with store.transaction():
        action = store.next_action()
        store.change_state("aaaaaa", _typed(store, "aaaaaa", status="skipped"), action)
        store.change_state("bbbbbb", _typed(store, "bbbbbb", status="skipped"), action)
    assert store.history_depth() == 1
    with store.transaction():
        restored = store.undo()
    assert sorted(item.paper_id for item in restored) == ["aaaaaa", "bbbbbb"]
    assert store.counts_by_status()[Status.INBOX] == 2


def test_undo_works_after_closing_and_reopening(db_path: Path) -> None:
    store = Store.open(db_path)
    _add(store, "aaaaaa", "A")
    _change(store, "aaaaaa", status="reading", status_changed_at=T2)
    _change(store, "aaaaaa", status="read", status_changed_at=T3, read_at=T3)
    store.close()

    store = Store.open(db_path)
    try:
        assert store.history_depth() == 2
        with store.transaction():
            store.undo()
        assert _entry(store, "aaaaaa").state.status is Status.READING
    finally:
        store.close()

    store = Store.open(db_path)
    try:
        assert store.history_depth() == 1
        with store.transaction():
            store.undo()
        entry = _entry(store, "aaaaaa")
        assert entry.state.status is Status.INBOX
        assert entry.state.read_at is None
        assert store.history_depth() == 0
    finally:
        store.close()


def test_multiple_undos_in_reverse_order(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _add(store, "bbbbbb", "B")
    _change(store, "aaaaaa", status="to-read")
    _change(store, "bbbbbb", starred=True)
    _change(store, "aaaaaa", notes="n1")
    _change(store, "aaaaaa", notes="n2")
    undone = []
    for _ in range(4):
        with store.transaction():
            undone += store.undo()
    assert undone == [
        Reverted("aaaaaa", frozenset({Field.NOTES})),
        Reverted("aaaaaa", frozenset({Field.NOTES})),
        Reverted("bbbbbb", frozenset({Field.STARRED})),
        Reverted("aaaaaa", frozenset({Field.STATUS})),
    ]
    assert _entry(store, "aaaaaa").state.status is Status.INBOX
    assert _entry(store, "bbbbbb").state.starred is False


def test_a_new_action_after_undo_gets_a_fresh_number(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _change(store, "aaaaaa", status="to-read")
    _change(store, "aaaaaa", status="reading")
    with store.transaction():
        store.undo()
    _change(store, "aaaaaa", starred=True)
    with store.transaction():
        store.undo()
    state = _entry(store, "aaaaaa").state
    assert state.starred is False
    assert state.status is Status.TO_READ


# -- listing and filtering ------------------------------------------------------------------------


@pytest.fixture
def shelf(store: Store) -> Store:
    """Seven papers across statuses, times, tags and stars."""
    rows = [
        # id,      added, status,     starred, tags
        ("inb_old", T1, "inbox", False, []),
        ("inb_new", T3, "inbox", True, ["nlp"]),
        ("inb_b01", T2, "inbox", False, ["nlp", "survey"]),
        ("inb_b02", T2, "inbox", False, []),
        ("rdg_001", T1, "reading", True, ["nlp", "survey"]),
        ("tor_001", T3, "to-read", False, ["vision"]),
        ("red_001", T2, "read", False, ["survey"]),
        ("skp_001", T3, "skipped", False, ["nlp", "old"]),
    ]
    for paper_id, added, status, starred, tags in rows:
        _add(store, paper_id, f"Paper {paper_id}", added)
        _change(store, paper_id, status=status, starred=starred, tags=tags)
    return store


def test_list_entries_order(shelf: Store) -> None:
    assert _ids(shelf.list_entries(StateFilter())) == [
        "inb_new",  # inbox first, newest first
        "inb_b01",  # same time: insertion order
        "inb_b02",
        "inb_old",
        "rdg_001",
        "tor_001",
        "red_001",
        "skp_001",
    ]


def test_list_entries_limit(shelf: Store) -> None:
    assert _ids(shelf.list_entries(StateFilter(), limit=2)) == ["inb_new", "inb_b01"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (StateFilter(statuses=frozenset({Status.READING, Status.READ})), {"rdg_001", "red_001"}),
        (
            StateFilter(excluded_statuses=frozenset({Status.INBOX, Status.SKIPPED})),
            {"rdg_001", "tor_001", "red_001"},
        ),
        (StateFilter(tags=frozenset({"nlp"})), {"inb_new", "inb_b01", "rdg_001", "skp_001"}),
        (StateFilter(tags=frozenset({"nlp", "survey"})), {"inb_b01", "rdg_001"}),
        (
            StateFilter(excluded_tags=frozenset({"nlp", "vision"})),
            {"inb_old", "inb_b02", "red_001"},
        ),
        (StateFilter(starred=True), {"inb_new", "rdg_001"}),
        (
            StateFilter(starred=False, tags=frozenset({"survey"})),
            {"inb_b01", "red_001"},
        ),
        (
            StateFilter(
                statuses=frozenset({Status.INBOX}),
                tags=frozenset({"nlp"}),
                excluded_tags=frozenset({"survey"}),
                starred=True,
            ),
            {"inb_new"},
        ),
        (StateFilter(tags=frozenset({"nosuch"})), set()),
    ],
)
def test_list_entries_filters(shelf: Store, state: StateFilter, expected: set[str]) -> None:
    listed = _ids(shelf.list_entries(state))
    assert set(listed) == expected
    assert len(listed) == len(expected)
    assert shelf.count(state) == len(expected)
    assert shelf.ids_matching(state) == expected


def test_filtered_listing_keeps_the_order(shelf: Store) -> None:
    assert _ids(shelf.list_entries(StateFilter(tags=frozenset({"nlp"})))) == [
        "inb_new",
        "inb_b01",
        "rdg_001",
        "skp_001",
    ]


def test_a_filter_nothing_passes_lists_nothing(shelf: Store) -> None:
    impossible = StateFilter(statuses=frozenset({Status.READ})).both(
        StateFilter(statuses=frozenset({Status.INBOX}))
    )
    assert shelf.list_entries(impossible) == []
    assert shelf.count(impossible) == 0
    stars = StateFilter(starred=True).both(StateFilter(starred=False))
    assert shelf.list_entries(stars) == []


def test_entries_carry_their_tags_sorted(shelf: Store) -> None:
    assert _entry(shelf, "skp_001").state.tags == ("nlp", "old")
    assert _entry(shelf, "inb_old").state.tags == ()


def test_counts(shelf: Store) -> None:
    assert shelf.count() == 8
    assert shelf.counts_by_status() == {
        Status.INBOX: 4,
        Status.TO_READ: 1,
        Status.READING: 1,
        Status.READ: 1,
        Status.SKIPPED: 1,
    }
    assert list(shelf.tag_counts().items()) == [
        ("nlp", 4),
        ("survey", 3),
        ("old", 1),
        ("vision", 1),
    ]
    assert shelf.starred_count() == 2


def test_counts_of_an_empty_store(store: Store) -> None:
    assert store.counts_by_status() == dict.fromkeys(Status, 0)
    assert store.tag_counts() == {}
    assert store.starred_count() == 0


# -- the index outbox ------------------------------------------------------------------------------


def _drain(store: Store) -> None:
    with store.transaction():
        store.clear_index_queue()
    assert store.queued_for_index() == {}


def test_insert_queues_for_indexing(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _add(store, "bbbbbb", "B")
    assert sorted(store.queued_for_index()) == ["aaaaaa", "bbbbbb"]
    with store.transaction():
        store.clear_index_queue({"aaaaaa": 1})
    assert list(store.queued_for_index()) == ["bbbbbb"]


def test_update_paper_queues_and_bumps_the_revision(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _drain(store)
    before = store.revisions()["aaaaaa"]
    with store.transaction():
        store.update_paper("aaaaaa", Paper(title="A", abstract="new"))
    assert list(store.queued_for_index()) == ["aaaaaa"]
    assert store.revisions()["aaaaaa"] == before + 1


def test_notes_change_queues_and_bumps_the_revision(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    _drain(store)
    before = store.revisions()["aaaaaa"]
    _change(store, "aaaaaa", notes="indexed words")
    assert list(store.queued_for_index()) == ["aaaaaa"]
    assert store.revisions()["aaaaaa"] == before + 1
    docs = list(store.iter_index_docs(["aaaaaa"]))
    assert docs[0].notes == "indexed words"
    assert docs[0].rev == before + 1
    _drain(store)
    with store.transaction():
        store.undo()
    assert list(store.queued_for_index()) == ["aaaaaa"], "undoing a note changes indexed text too"


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "read", "status_changed_at": T2, "read_at": T2},
        {"starred": True},
        {"tags": ["nlp"]},
    ],
)
def test_personal_state_changes_do_not_touch_the_index(
    store: Store, changes: dict[str, Any]
) -> None:
    _add(store, "aaaaaa", "A")
    _drain(store)
    before = store.revisions()
    assert _change(store, "aaaaaa", **changes)
    assert store.queued_for_index() == {}
    assert store.revisions() == before
    with store.transaction():
        store.undo()
    assert store.queued_for_index() == {}


def test_iter_index_docs_for_everything(store: Store) -> None:
    _add(store, "aaaaaa", "A", authors=("X", "Y"), year=2020, venue="V", abstract="abs")
    assert list(store.iter_index_docs()) == [
        IndexedText("aaaaaa", 1, "A", ("X", "Y"), 2020, "V", "abs", "")
    ]


# -- transactions ---------------------------------------------------------------------------------


def test_a_failed_transaction_leaves_nothing_written(store: Store) -> None:
    _add(store, "keep00", "Kept")
    _drain(store)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.transaction():
        store.insert("gone00", Paper(title="Gone"), datetime.fromisoformat(T1))
        change = _typed(store, "keep00", status="read", tags=["x"])
        store.change_state("keep00", change, store.next_action())
        store.update_paper("keep00", Paper(title="Renamed"))
        store.set_meta("k", "v")
        raise Boom
    assert store.get("gone00") is None
    kept = _entry(store, "keep00")
    assert kept.paper.title == "Kept"
    assert kept.state.status is Status.INBOX
    assert kept.state.tags == ()
    assert store.history_depth() == 0
    assert store.queued_for_index() == {}
    assert store.get_meta("k") is None
    # And the store is still usable afterwards.
    _add(store, "after0", "After")
    assert store.count() == 2


def test_a_failed_transaction_is_not_visible_to_another_connection(
    store: Store, db_path: Path
) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.insert("gone00", Paper(title="Gone"), datetime.fromisoformat(T1))
        raise RuntimeError("stop")
    with closing(sqlite3.connect(db_path)) as other:
        assert other.execute("SELECT count(*) FROM papers").fetchone()[0] == 0


def test_meta(store: Store) -> None:
    assert store.get_meta("schema") is None
    with store.transaction():
        store.set_meta("schema", "a")
        store.set_meta("schema", "b")
    assert store.get_meta("schema") == "b"


def test_a_newer_queue_entry_survives_clearing_an_older_one(store: Store) -> None:
    _add(store, "aaaaaa", "A")
    seen = store.queued_for_index()  # what one process read, at revision 1
    with store.transaction():
        change = _typed(store, "aaaaaa", notes="edited elsewhere")
        store.change_state("aaaaaa", change, store.next_action())
    with store.transaction():
        store.clear_index_queue(seen)  # that process finished indexing revision 1
    assert list(store.queued_for_index()) == ["aaaaaa"]  # revision 2 is still to do


def test_migrating_an_old_database_backs_it_up_first(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    old = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            old.execute(statement)
    old.execute(
        "INSERT INTO papers (id, title, title_key, added_at) VALUES ('aaaaaa', 'A', 'a', 'x')"
    )
    old.execute("INSERT INTO index_queue VALUES ('aaaaaa')")
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()

    store = Store.open(path)
    try:
        assert store.schema_version == SCHEMA_VERSION
        assert store.queued_for_index() == {"aaaaaa": 0}
        backups = sorted((tmp_path / "backups").glob("library-*-before-schema-*.db"))
        assert len(backups) == 1
        copy = sqlite3.connect(backups[0])
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
        assert copy.execute("SELECT title FROM papers").fetchall() == [("A",)]
        copy.close()
    finally:
        store.close()
