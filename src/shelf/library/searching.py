"""Answering queries: reading-state filters from the store, full text from the index.

Reading state (status, star, tags) lives only in SQLite, so a query's filters
become the ids that pass them, handed to the index as an allow-list or, when
most papers pass, as the smaller deny-list. The index answers with ranked ids,
which the store turns into entries. When nothing matches, the index proposes
corrections and the store supplies the words they are spelled from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from shelf.domain import (
    Entry,
    Hits,
    ParsedQuery,
    SearchResult,
    Sort,
    StateFilter,
    Status,
    parse_query,
)
from shelf.domain.query import as_you_type as query_as_you_type
from shelf.library import for_you
from shelf.store import Store

if TYPE_CHECKING:
    from shelf.search import WhooshIndex

#: Gives the search index, opening it (and catching it up) on first use.
IndexOpener = Callable[[], "WhooshIndex"]


def run(
    store: Store,
    open_index: IndexOpener,
    parsed: ParsedQuery,
    state: StateFilter,
    limit: int,
    expand_prefixes: bool = False,
    sort: Sort = Sort.RELEVANCE,
    whole: bool = False,
) -> tuple[list[Entry], Hits, str | None]:
    """The first ``limit`` entries for ``parsed`` within ``state`` in ``sort`` order, the
    hits, and a did-you-mean.

    The index is opened only for full text, or for the for-you order (see ``for_you``):
    a query of filters alone lists the store (by relevance: inbox first, newest
    first). Full text in another order than relevance takes every match, unranked
    and whole, for the store to order (or ``for_you`` to rank).
    By relevance a search has a time limit (the best hits found by then), unless
    ``whole``: pages past the first are asked for, and must not end early.
    """
    combined = parsed.filter.both(state)
    _check_lists(store, combined)
    if not parsed.text and sort is Sort.FOR_YOU:
        listed = store.listed(combined)
        entries = for_you.first(store, open_index, listed, limit)
        return entries, Hits([entry.id for entry in entries], len(listed)), None
    if not parsed.text:
        entries = store.list_entries(combined, limit, sort)
        return entries, Hits([entry.id for entry in entries], store.count(combined)), None
    allowed, excluded = state_ids(store, combined)
    index = open_index()
    if sort is Sort.FOR_YOU:  # the matches, ranked as the whole list is
        found = set(index.matching(parsed.text, allowed, excluded, expand_prefixes).ids)
        listed = [(i, status) for i, status in store.listed(combined) if i in found]
        entries = for_you.first(store, lambda: index, listed, limit)
        hits = Hits([entry.id for entry in entries], len(listed))
    elif sort is Sort.RELEVANCE:
        if whole:
            hits = index.search(parsed.text, limit, allowed, excluded, expand_prefixes, None)
        else:
            hits = index.search(parsed.text, limit, allowed, excluded, expand_prefixes)
        entries = in_order(store, hits.ids)
    else:
        hits = index.matching(parsed.text, allowed, excluded, expand_prefixes)
        entries = store.sorted_entries(hits.ids, sort, limit)
    # No suggestion when the filter itself lets no paper through: no word would help.
    wanted = hits.total == 0 and (allowed is None or bool(allowed))
    suggestion = did_you_mean(store, index, parsed.text) if wanted else None
    return entries, hits, suggestion


#: Runs one search: (query, state filter, expand short prefixes) -> result.
Search = Callable[..., SearchResult]


def as_you_type(text: str, state: StateFilter | None, search: Search) -> SearchResult:
    """The hits for text still being typed: its last word also counts as a prefix.

    A short prefix is first looked up in title and author words (one term); only
    when that finds nothing is it expanded over abstracts and notes too. When
    still nothing matches, the text as typed is corrected (never the prefix syntax
    added here).
    """
    typed = query_as_you_type(text)
    result = search(typed, state)
    if typed == text:  # nothing was rewritten: that was the search as typed
        return corrected(result, text, state, search)
    if result.total == 0:
        result = search(typed, state, True)
    if result.total == 0:
        result = corrected(search(text, state), text, state, search)
    return result


def corrected(
    result: SearchResult,
    query: str,
    state: StateFilter | None,
    search: Search,
) -> SearchResult:
    """``result``, or when nothing matched ``query`` and its correction does, the hits of
    the correction (with the query's own filters), saying what was typed."""
    if result.total or not result.suggestion:
        return result
    fixed = search(result.suggestion, parse_query(query).filter.both(state or StateFilter()))
    if not fixed.total:
        return result
    return replace(fixed, suggestion=result.suggestion, corrected_from=query)


def _check_lists(store: Store, state: StateFilter) -> None:
    """``UnknownListError`` for a ``list:`` filter naming no list (a typo finds nothing)."""
    for name in sorted(state.lists | state.excluded_lists):
        store.reading_list(name)


def every_match(
    store: Store, open_index: IndexOpener, query: str, state: StateFilter
) -> list[tuple[str, Status]]:
    """(id, status) of every paper matching ``query`` and ``state``, best first (with no
    text, inbox first, newest first), with no page limit: for exports."""
    parsed = parse_query(query)
    combined = parsed.filter.both(state)
    _check_lists(store, combined)
    if not parsed.text:
        return store.listed(combined)
    allowed, excluded = state_ids(store, combined)
    # No time limit: an export cut short would silently leave papers out.
    hits = open_index().search(
        parsed.text, max(1, store.count()), allowed, excluded, time_limit=None
    )
    statuses = store.statuses(hits.ids)
    return [(paper_id, statuses[paper_id]) for paper_id in hits.ids if paper_id in statuses]


def related(store: Store, index: WhooshIndex, entry: Entry, limit: int) -> list[Entry]:
    """The papers whose wording is most like ``entry``'s, best first."""
    text = f"{entry.paper.title} {entry.paper.abstract}"
    ids = [i for i in index.more_like(entry.id, text, limit + 1) if i != entry.id]
    return in_order(store, ids[:limit])


def did_you_mean(store: Store, index: WhooshIndex, text: str) -> str | None:
    """``text`` with its unknown words corrected to words the papers use, or None."""
    corrections = index.corrections(text)
    if not corrections.candidates:
        return None
    found = store.get_many(sorted(corrections.paper_ids))
    texts = {paper_id: f"{e.paper.title}\n{e.paper.abstract}" for paper_id, e in found.items()}
    return corrections.apply(texts)


def state_ids(store: Store, state: StateFilter) -> tuple[set[str] | None, set[str] | None]:
    """(allowed, excluded) ids for a state filter: whichever of the two sets is smaller."""
    if state.is_empty:
        return None, None
    if store.count(state) * 2 > store.count():
        return None, store.ids_matching(state, invert=True)
    return store.ids_matching(state), None


def in_order(store: Store, paper_ids: list[str]) -> list[Entry]:
    """The entries of ``paper_ids``, in that order (an id the store no longer has is left out)."""
    found = store.get_many(paper_ids)
    return [found[paper_id] for paper_id in paper_ids if paper_id in found]
