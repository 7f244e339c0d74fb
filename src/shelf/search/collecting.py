"""Running a parsed query: the top hits within a time limit, and a count of all matches.

The collector skips what cannot reach the top hits, so it cannot count them;
counting is a separate, cheaper pass. It is exact up to ``COUNT_EXACTLY``
matches; past that it stops at that many and extrapolates from the share of
the index they took up. The stop is a number of matches, never a time, so the
same query on the same index gives the same count however busy the machine is.
"""

from __future__ import annotations

from typing import Any

from whoosh import collectors, query

#: A search stops collecting after this long and returns the best hits found so far.
TIME_LIMIT = 0.3
#: Matches are counted one by one up to this many; past it the count is extrapolated.
COUNT_EXACTLY = 5000


def collect(
    searcher: Any,
    q: query.Query,
    limit: int,
    docnum_filter: set[int] | None,
    docnum_mask: set[int] | None,
) -> tuple[list[int], int, bool]:
    """The best ``limit`` docnums, the number of matches, and whether it is exact."""
    top = searcher.collector(limit=limit, filter=docnum_filter, mask=docnum_mask)
    collector = collectors.TimeLimitCollector(top, timelimit=TIME_LIMIT, use_alarm=False)
    timed_out = False
    try:
        searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        timed_out = True
    docnums = [docnum for docnum, _ in collector.results().items()]
    if len(docnums) < limit and not timed_out:
        return docnums, len(docnums), True  # the top hits were all of them
    total, exact = _count(searcher, q, docnum_filter, docnum_mask)
    return docnums, max(total, len(docnums)), exact


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
