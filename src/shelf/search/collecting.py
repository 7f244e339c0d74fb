"""Running a parsed query: the top hits within a time limit, and a count of all matches.

The collector scores every match (no block skipping), so the one pass that
finds the top hits also counts them exactly: skipping saves little on a
library's short posting lists, and a second pass to count cost more than it
saved. Only a search cut short by the time limit is counted separately: exact
up to ``COUNT_EXACTLY`` matches, past that extrapolated from the share of the
index they took up. That stop is a number of matches, never a time, so the
same query on the same index gives the same count however busy the machine is.
"""

from __future__ import annotations

from typing import Any

from whoosh import collectors, query

#: A search stops collecting after this long and returns the best hits found so far.
TIME_LIMIT = 0.3
#: Matches are counted one by one up to this many; past it the count is extrapolated.
COUNT_EXACTLY = 5000


class _CountingTop(collectors.TopCollector):  # type: ignore[misc]  # whoosh is untyped
    """The best ``limit`` hits, with every match scored and so counted (``total``).

    Block-quality skipping is off, and the minimum score stays 0, so the matcher
    is never replaced by one that leaves out matches that cannot reach the top.
    """

    def _use_block_quality(self) -> bool:
        return False

    def _collect(self, global_docnum: int, score: float) -> Any:
        key = super()._collect(global_docnum, score)
        self.minscore = 0
        return key


def collect(
    searcher: Any,
    q: query.Query,
    limit: int,
    docnum_filter: set[int] | None,
    docnum_mask: set[int] | None,
) -> tuple[list[int], int, bool]:
    """The best ``limit`` docnums, the number of matches, and whether it is exact."""
    top = _CountingTop(limit=limit)
    chain: Any = top
    if docnum_filter is not None or docnum_mask:
        chain = collectors.FilterCollector(top, allow=docnum_filter, restrict=docnum_mask)
    collector = collectors.TimeLimitCollector(chain, timelimit=TIME_LIMIT, use_alarm=False)
    try:
        searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        docnums = [docnum for docnum, _ in collector.results().items()]
        total, exact = _count(searcher, q, docnum_filter, docnum_mask)
        return docnums, max(total, len(docnums)), exact
    return [docnum for docnum, _ in collector.results().items()], top.total, True


def _count(
    searcher: Any, q: query.Query, docnum_filter: set[int] | None, docnum_mask: set[int] | None
) -> tuple[int, bool]:
    """How many documents match: exact up to ``COUNT_EXACTLY``, else extrapolated."""
    reader = searcher.reader()
    unfiltered = docnum_filter is None and not docnum_mask
    if unfiltered and isinstance(q, query.Every):
        return reader.doc_count(), True  # every live paper
    if unfiltered and isinstance(q, query.Term) and not reader.has_deletions():
        return reader.doc_frequency(q.fieldname, q.text), True  # a term knows its count
    count = 0
    for docnum in searcher.docs_for_query(q):
        passes = docnum_filter is None or docnum in docnum_filter
        if passes and not (docnum_mask and docnum in docnum_mask):
            count += 1
            if count == COUNT_EXACTLY:
                # Matches come in docnum order: extrapolate from the share counted.
                share = (docnum + 1) / max(1, reader.doc_count_all())
                return max(count, round(count / share)), share >= 1
    return count, True
