"""Running a parsed query: the top hits within a time limit, and a count of all matches.

The collector skips what cannot reach the top hits, so it cannot count them;
counting is a separate, cheaper pass that is exact when it fits its budget and
extrapolated when it does not.
"""

from __future__ import annotations

import time
from typing import Any

from whoosh import collectors, query

#: A search stops collecting after this long and returns the best hits found so far.
TIME_LIMIT = 0.3
#: Counting every match of a query past the top hits is skipped when it would take long.
COUNT_BUDGET = 0.02


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
    if timed_out:
        return docnums, _estimate(searcher, q, docnum_filter, len(docnums)), False
    if len(docnums) < limit:
        return docnums, len(docnums), True  # the top hits were all of them
    return docnums, *_count(searcher, q, docnum_filter, docnum_mask)


def _estimate(searcher: Any, q: query.Query, docnum_filter: set[int] | None, at_least: int) -> int:
    estimate = int(q.estimate_size(searcher.reader()))
    if docnum_filter is not None:
        estimate = min(estimate, len(docnum_filter))
    return max(estimate, at_least)


def _count(
    searcher: Any, q: query.Query, docnum_filter: set[int] | None, docnum_mask: set[int] | None
) -> tuple[int, bool]:
    """How many documents match: exact if counting fits the budget, else an estimate."""
    reader = searcher.reader()
    unfiltered = docnum_filter is None and not docnum_mask
    if unfiltered and isinstance(q, query.Term) and not reader.has_deletions():
        return reader.doc_frequency(q.fieldname, q.text), True  # a term knows its count
    started = time.perf_counter()
    count = 0
    for docnum in searcher.docs_for_query(q):
        passes = docnum_filter is None or docnum in docnum_filter
        if passes and not (docnum_mask and docnum in docnum_mask):
            count += 1
        if time.perf_counter() - started > COUNT_BUDGET:
            # Matches come in docnum order: extrapolate from the share counted.
            share = (docnum + 1) / max(1, reader.doc_count_all())
            return max(count, round(count / share)), False
    return count, True
