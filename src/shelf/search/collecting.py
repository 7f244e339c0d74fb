"""Running a parsed query: the top hits, within a time limit, and a count of all matches.

A query that matches few papers is scored in full: the pass that ranks them
counts them too. One that may match many (its terms' posting lists are long)
lets Whoosh skip what cannot reach the top hits, and is counted in a second,
cheaper pass: exact up to ``COUNT_EXACTLY`` matches, past that extrapolated
from the share of the index they took up. The stop is a number of matches,
never a time, so the same query on the same index gives the same count
however busy the machine is. An export asks for every match, with no time limit.
"""

from __future__ import annotations

from typing import Any

from whoosh import collectors, query

#: A search stops collecting after this long and returns the best hits found so far.
TIME_LIMIT = 0.3
#: Matches are counted one by one up to this many; past it the count is extrapolated.
COUNT_EXACTLY = 5000
#: A query whose terms point to at most this many papers is scored (and so counted) in full.
SCORE_ALL_UP_TO = 2000


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
    time_limit: float | None = TIME_LIMIT,
) -> tuple[list[int], int, bool]:
    """The best ``limit`` docnums, the number of matches, and whether it is exact.

    With ``time_limit`` None the search runs to the end (an export needs every match).
    """
    few = _most_matches(q, searcher.reader()) <= SCORE_ALL_UP_TO
    top = _CountingTop(limit=limit) if few else collectors.TopCollector(limit=limit)
    collector: Any = top
    if docnum_filter is not None or docnum_mask:
        collector = collectors.FilterCollector(top, allow=docnum_filter, restrict=docnum_mask)
    if time_limit is not None:
        collector = collectors.TimeLimitCollector(collector, timelimit=time_limit, use_alarm=False)
    timed_out = False
    try:
        searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        timed_out = True
    docnums = [docnum for docnum, _ in collector.results().items()]
    if not timed_out and (few or len(docnums) < limit):
        return docnums, top.total, True  # every match was scored
    total, exact = _count(searcher, q, docnum_filter, docnum_mask)
    return docnums, max(total, len(docnums)), exact


def _most_matches(q: query.Query, reader: Any) -> int:
    """At most how many papers ``q`` matches, from its terms' document frequencies.

    Terms that must first be expanded (prefixes, fuzzy terms) count as few: looking
    them up here would cost what the search itself does.
    """
    if isinstance(q, query.Term):
        return int(reader.doc_frequency(q.fieldname, q.text))
    if isinstance(q, query.Every):
        return int(reader.doc_count())
    if isinstance(q, query.Phrase):
        return min((int(reader.doc_frequency(q.fieldname, w)) for w in q.words), default=0)
    if isinstance(q, query.And):
        return min((_most_matches(child, reader) for child in q.subqueries), default=0)
    if isinstance(q, query.Or):
        return sum(_most_matches(child, reader) for child in q.subqueries)
    if isinstance(q, query.AndMaybe | query.AndNot | query.Require):
        return _most_matches(q.a, reader)
    if isinstance(q, query.Not):
        return int(reader.doc_count())
    return 0


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
