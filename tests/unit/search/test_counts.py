"""Counts are true: exact up to a number of matches, then extrapolated the same way every time.

Before (issue 11), counting stopped after 20 ms and extrapolated from what it
had reached by then, so the same query gave "about 2,386" and "about 2,407" in
two sessions; a search that hit its time limit reported Whoosh's size estimate
("about 20779 of 20779" for a word in 4,209 papers).
"""

from __future__ import annotations

import pytest
from whoosh import collectors

from shelf.library import Library
from shelf.search import collecting


def test_counts_are_exact_below_the_counting_limit(page_library: Library) -> None:
    everything = page_library.select("learning")
    result = page_library.search("learning", limit=5)
    assert (result.total, result.exact) == (len(everything), True)


def test_counts_are_exact_however_many_match(
    page_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pass that finds the top hits counts them: the counting limit is for a
    # search the time limit cut short, not for one that finished.
    truth = len(page_library.select("learning OR transfer"))
    monkeypatch.setattr(collecting, "COUNT_EXACTLY", 40)
    for _ in range(3):
        result = page_library.search("learning OR transfer", limit=5)
        assert (result.total, result.exact) == (truth, True)


class _StruckAfter(collectors.TimeLimitCollector):
    """A time limit that strikes after 10 matches, the same every run."""

    def collect_matches(self) -> None:
        for seen, sub_docnum in enumerate(self.child.matches()):
            if seen == 10:
                raise collectors.TimeLimit
            self.child.collect(sub_docnum)


def test_a_search_cut_short_is_counted_the_same_way_every_time(
    page_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    truth = len(page_library.select("learning OR transfer"))
    monkeypatch.setattr(collecting.collectors, "TimeLimitCollector", _StruckAfter)
    monkeypatch.setattr(collecting, "COUNT_EXACTLY", 40)
    results = [page_library.search("learning OR transfer", limit=5) for _ in range(5)]
    assert len({result.total for result in results}) == 1
    assert not results[0].exact
    assert abs(results[0].total - truth) <= truth * 0.25  # 40 of ~200: a rough, stable guess
    assert len(results[0].entries) == 5  # the best hits found before the limit


def test_a_query_of_stop_words_counts_every_paper_exactly(
    page_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Such a query matches every paper; it was counted to the limit and extrapolated
    # ("about 10000" of a 10,000-paper library).
    monkeypatch.setattr(collecting, "COUNT_EXACTLY", 40)
    for text in ("the", '"in the"'):
        result = page_library.search(text, limit=5)
        assert (result.total, result.exact) == (236, True)
