"""Counts are true: exact up to a number of matches, then extrapolated the same way every time.

Before (issue 11), counting stopped after 20 ms and extrapolated from what it
had reached by then, so the same query gave "about 2,386" and "about 2,407" in
two sessions; a search that hit its time limit reported Whoosh's size estimate
("about 20779 of 20779" for a word in 4,209 papers).
"""

from __future__ import annotations

import pytest

from shelf.library import Library
from shelf.search import collecting


def test_counts_are_exact_below_the_counting_limit(page_library: Library) -> None:
    everything = page_library.select("learning")
    result = page_library.search("learning", limit=5)
    assert (result.total, result.exact) == (len(everything), True)


def test_past_the_limit_the_count_is_the_same_every_time(
    page_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    truth = len(page_library.select("learning OR transfer"))
    monkeypatch.setattr(collecting, "COUNT_EXACTLY", 40)
    counts = {page_library.search("learning OR transfer", limit=5).total for _ in range(5)}
    assert len(counts) == 1
    (count,) = counts
    assert not page_library.search("learning OR transfer", limit=5).exact
    assert abs(count - truth) <= truth * 0.25  # 40 of ~200 matches: a rough, stable guess


def test_a_query_of_stop_words_counts_every_paper_exactly(
    page_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Such a query matches every paper; it was counted to the limit and extrapolated
    # ("about 10000" of a 10,000-paper library).
    monkeypatch.setattr(collecting, "COUNT_EXACTLY", 40)
    for text in ("the", '"in the"'):
        result = page_library.search(text, limit=5)
        assert (result.total, result.exact) == (236, True)
