"""The pure rules of merging two copies (``domain.merging``) and of finding them
(``domain.duplicates``)."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from shelf.domain import Entry, Paper, ReadingState, Status
from shelf.domain.duplicates import (
    SIMILARITY,
    Candidate,
    find_duplicates,
    first_initial,
    jaccard,
    last_name,
    similar_pairs,
)
from shelf.domain.identity import normalize_title
from shelf.domain.merging import (
    NOTES_SEPARATOR,
    STATUS_PROGRESS,
    merge_entries,
    merge_notes,
    merge_papers,
    merge_states,
)

EARLY, LATE = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC)


def test_metadata_keeps_the_first_copy_where_both_know_and_fills_the_rest() -> None:
    keep = Paper("Title", ("A",), 2020, "", "short", "", None, "10.1/keep")
    other = Paper("TITLE!", ("A", "B"), 2021, "Venue", "a longer abstract", "https://x.org",
                  "2101.00001", "10.1/other")  # fmt: skip

    merged, taken = merge_papers(keep, other)

    assert merged == Paper("Title", ("A", "B"), 2020, "Venue", "a longer abstract",
                           "https://x.org", "2101.00001", "10.1/keep")  # fmt: skip
    assert taken == ("authors", "venue", "abstract", "url", "arxiv_id")
    assert merge_papers(merged, keep) == (merged, ())  # nothing better in the first copy


def test_the_status_kept_is_the_one_further_along() -> None:
    assert STATUS_PROGRESS == (Status.INBOX, Status.SKIPPED, Status.TO_READ, Status.READING,
                               Status.READ)  # fmt: skip
    for lower, higher in combinations(STATUS_PROGRESS, 2):
        for keep, other in ((lower, higher), (higher, lower)):
            state, _ = merge_states(ReadingState(keep), ReadingState(other))
            assert state.status is higher


def test_state_joins_star_tags_notes_and_keeps_the_earlier_added_time() -> None:
    keep = ReadingState(Status.TO_READ, False, ("a", "b"), "mine", LATE, LATE, None)
    other = ReadingState(Status.READ, True, ("b", "c"), "theirs", EARLY, EARLY, EARLY)

    state, taken = merge_states(keep, other)

    notes = "mine" + NOTES_SEPARATOR + "theirs"
    assert state == ReadingState(Status.READ, True, ("a", "b", "c"), notes, EARLY, EARLY, EARLY)
    assert taken == ("status", "starred", "tags", "notes")
    same, taken = merge_states(keep, ReadingState(Status.INBOX, tags=("a",), added_at=LATE))
    assert (same, taken) == (keep, ())


def test_notes_are_joined_only_when_both_say_something_different() -> None:
    assert merge_notes("mine\n", "theirs\n") == "mine" + NOTES_SEPARATOR + "theirs\n"
    assert merge_notes("", "theirs") == "theirs"
    assert merge_notes("mine", "  \n") == "mine"
    assert merge_notes("same\n", "same") == "same\n"


def test_merge_entries_names_what_came_from_the_second() -> None:
    keep = Entry("k", Paper("T"), ReadingState(added_at=EARLY))
    other = Entry("o", Paper("T", doi="10.1/x"), ReadingState(starred=True, added_at=LATE))
    merged = merge_entries(keep, other)
    assert (merged.paper.doi, merged.state.starred, merged.from_other) == (
        "10.1/x", True, ("doi", "starred"),
    )  # fmt: skip


def test_last_names_read_both_ways_of_writing_a_name() -> None:
    for written in ("Vaswani, Ashish", "Ashish Vaswani", "A. Vaswani", "VASWANI, A."):
        assert last_name(written) == "vaswani"
    assert last_name("John Smith Jr.") == last_name("Smith, Jr., John") == "smith"
    assert last_name("José Müller") == "muller"
    assert last_name("") == ""


def test_first_initials_read_both_ways_of_writing_a_name() -> None:
    for written in ("Vaswani, Ashish", "Ashish Vaswani", "A. Vaswani", "Smith, Jr., Ashish"):
        assert first_initial(written) == "a"
    assert first_initial("Élodie Dupont") == "e"
    assert first_initial("Vaswani") == first_initial("Vaswani,") == ""


def _candidate(paper_id: str, title: str, author: str) -> Candidate:
    return Candidate(paper_id, normalize_title(title), author)


def test_duplicates_are_grouped_by_title_or_by_similar_title_and_first_author() -> None:
    papers = [
        _candidate("a", "Attention Is All You Need", "Ashish Vaswani"),
        _candidate("b", "Deep residual learning", "Kaiming He"),
        _candidate("c", "attention is all you need.", "Someone Else"),  # same title
        _candidate("d", "Deep residual learnings", "He, K."),  # similar, same author
        _candidate("e", "Deep residual learnings", "Other, Person"),  # same title as d
        _candidate("f", "Identity mappings in deep residual networks", "Kaiming He"),
        _candidate("g", "Attention is all you knead", "Not Vaswani"),  # similar, not author
    ]
    assert find_duplicates(papers) == [["a", "c"], ["b", "d", "e"]]
    assert find_duplicates(papers[5:]) == []


def test_a_first_author_is_a_last_name_and_an_initial_when_one_is_given() -> None:
    papers = [
        _candidate("a", "Learning to rank with deep networks", "Wei Wang"),
        _candidate("b", "Learning to rank with deep network", "Xin Wang"),  # another Wang
        _candidate("c", "Learning to rank with deep networks!", "Wang"),  # same title
        _candidate("d", "Learning to rank with a deep network", "Wang"),  # similar to b
    ]
    assert find_duplicates(papers) == [["a", "b", "c", "d"]]
    assert find_duplicates(papers[:2]) == []
    assert find_duplicates([papers[1], papers[3]]) == [["b", "d"]]


@given(
    st.lists(st.frozensets(st.sampled_from("abcdefghij"), max_size=8), max_size=25),
    st.sampled_from([0.5, SIMILARITY, 0.9, 1.0]),
)
def test_prefix_filtering_finds_every_similar_pair(
    sets: list[frozenset[str]], threshold: float
) -> None:
    expected = {
        (one, two)
        for one, two in combinations(range(len(sets)), 2)
        if sets[one] and sets[two] and jaccard(sets[one], sets[two]) >= threshold
    }
    assert set(similar_pairs(sets, threshold)) == expected
