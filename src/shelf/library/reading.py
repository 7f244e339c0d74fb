"""The reading half of the ``Library`` facade: finding, listing, searching and counting.

Mixed into ``Library``, which opens the store and the index and holds the lock
every verb takes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from shelf.config import Settings
from shelf.domain import (
    Entry,
    SearchResult,
    Sort,
    StateFilter,
    Stats,
    UnknownPaperError,
    parse_query,
)
from shelf.domain.query import check_query_size
from shelf.domain.reading_list import ListRecord
from shelf.domain.selection import Selection
from shelf.library import for_you, searching
from shelf.library.lazy_index import LazyIndex
from shelf.store import Store
from shelf.store.rows import NEW_SINCE_KEY, stamp

if TYPE_CHECKING:
    from shelf.search import WhooshIndex

#: Where the library keeps the sort order last chosen (its ``meta`` table).
_SORT_KEY = "sort"
#: Where it keeps when the app was last opened.
_VISIT_KEY = "visited"


class Reading:
    """The verbs that read the library (see ``Library``)."""

    settings: Settings
    _store: Store
    _index: LazyIndex
    _lock: threading.RLock

    def _search_index(self) -> WhooshIndex:
        """The search index, opened and caught up on first use."""
        with self._lock:
            return self._index.get().index

    def get(self, ref: str) -> Entry:
        """The entry named by a short id, arXiv id or DOI."""
        with self._lock:
            paper_id = self._store.resolve(ref)
            entry = self._store.get(paper_id) if paper_id else None
        if entry is None:
            raise UnknownPaperError(ref)
        return entry

    def entries(
        self,
        state: StateFilter | None = None,
        limit: int | None = None,
        sort: Sort = Sort.RELEVANCE,
    ) -> list[Entry]:
        """Entries passing ``state`` in ``sort`` order (by default inbox first, newest first)."""
        if sort is Sort.FOR_YOU and self.likes_anything():
            self._index.ready()  # it scores by likeness
        with self._lock:
            if sort is Sort.FOR_YOU:
                listed = self._store.listed(state or StateFilter())
                return for_you.first(self._store, self._search_index, listed, limit)
            return self._store.list_entries(state or StateFilter(), limit, sort)

    def count(self) -> int:
        with self._lock:
            return self._store.count()

    @property
    def pending(self) -> int:
        """Papers waiting to be indexed (a text search cannot find them yet)."""
        with self._lock:
            return self._index.pending()

    def select(self, query: str = "", state: StateFilter | None = None) -> Selection:
        """Every entry matching ``query`` and ``state`` (no page limit), for exports: read
        as it is written, a few hundred entries at a time."""
        check_query_size(query)
        if parse_query(query).text:
            self._index.ready()
        with self._lock:
            found = searching.every_match(
                self._store, self._search_index, query, state or StateFilter()
            )
            # The whole library carries its reading lists: restored, each is made exactly
            # as it was. Part of it carries none (a list cut to the part would lose papers).
            whole = not query.strip() and (state is None or state.is_empty)
            lists = self._store.list_records() if whole else []
        return Selection([i for i, _ in found], [s for _, s in found], self._fetch, lists)

    @staticmethod
    def selects_everything(query: str) -> bool:
        """Whether ``query`` has nothing to choose by: no filter, and no word the index
        keeps (it is empty, or only stop words): it matches every paper."""
        from shelf.search.queries import only_dropped_words

        parsed = parse_query(query)
        return parsed.filter.is_empty and only_dropped_words(parsed.text)

    def select_list(self, name: str) -> Selection:
        """The papers of reading list ``name`` in its order, for an export headed by the
        list's name and description."""
        with self._lock:
            shown = self._store.reading_list(name)
            ids = self._store.list_paper_ids(name)
            statuses = self._store.statuses(ids)
        held = ListRecord(shown.name, shown.description, tuple(ids))
        selection = Selection(ids, [statuses[i] for i in ids], self._fetch, [held])
        selection.heading = held
        return selection

    def entries_of(self, paper_ids: Sequence[str]) -> list[Entry]:
        """The entries with these ids, in the order given (an id not there is left out)."""
        found = self._fetch(list(paper_ids))
        return [found[paper_id] for paper_id in paper_ids if paper_id in found]

    def _fetch(self, paper_ids: list[str]) -> dict[str, Entry]:
        with self._lock:
            return self._store.get_many(paper_ids)

    def search(
        self,
        query: str,
        limit: int | None = None,
        state: StateFilter | None = None,
        expand_prefixes: bool = False,
        correct: bool = True,
        sort: Sort = Sort.RELEVANCE,
    ) -> SearchResult:
        """Entries matching ``query`` (full text plus status:/tag:/is: filters) and ``state``.

        Best first, or in ``sort`` order; an empty query by relevance lists the
        library, inbox first, newest first.
        A query nothing matches, whose typos have a correction that does, answers
        with the corrected query's hits (``corrected_from`` is then the query as
        typed), unless ``correct`` is False. ``pending`` says how many papers a
        text search could not see yet. A query over the size limits is refused.
        """
        check_query_size(query)
        result = self._search(query, limit, state, expand_prefixes, sort)
        if not correct:
            return result
        return searching.corrected(
            result, query, state, lambda q, s: self._search(q, limit, s, sort=sort)
        )

    def _search(
        self,
        query: str,
        limit: int | None,
        state: StateFilter | None,
        expand_prefixes: bool = False,
        sort: Sort = Sort.RELEVANCE,
    ) -> SearchResult:
        limit = limit or self.settings.search_limit
        parsed = parse_query(query)
        if parsed.text or (sort is Sort.FOR_YOU and self.likes_anything()):
            self._index.ready()  # a catch-up lets others use the library while it indexes
        with self._lock:
            entries, hits, suggestion = searching.run(
                self._store,
                self._search_index,
                parsed,
                state or StateFilter(),
                limit,
                expand_prefixes,
                sort,
                whole=limit > self.settings.search_limit,  # pages past the first
            )
            if not parsed.text:  # the store listed them all: none pending
                return SearchResult(entries, hits)
            index = self._index
            return SearchResult(entries, hits, suggestion, index.pending(), index.pending_reason())

    def search_as_you_type(
        self,
        text: str,
        limit: int | None = None,
        state: StateFilter | None = None,
        sort: Sort = Sort.RELEVANCE,
    ) -> SearchResult:
        """``search`` for text still being typed (see ``searching.as_you_type``)."""
        check_query_size(text)
        return searching.as_you_type(
            text, state, lambda q, s, expand=False: self._search(q, limit, s, expand, sort)
        )

    @property
    def sort_order(self) -> Sort:
        """The sort order last chosen in the app for this library (kept between runs)."""
        with self._lock:
            saved = self._store.get_meta(_SORT_KEY)
        return Sort(saved) if saved in set(Sort) else Sort.RELEVANCE

    @sort_order.setter
    def sort_order(self, sort: Sort) -> None:
        with self._lock, self._store.transaction():
            self._store.set_meta(_SORT_KEY, sort.value)

    def begin_visit(self) -> datetime:
        """The app opens: papers added since it was last opened are new (``is:new``) until
        it is opened again. Returns the time they are new after (now, on a first visit)."""
        with self._lock, self._store.transaction():
            now = stamp(datetime.now(UTC))
            assert now is not None
            try:
                new_since = datetime.fromisoformat(self._store.get_meta(_VISIT_KEY) or now)
            except ValueError:  # a hand-edited database: nothing is new this time
                new_since = datetime.fromisoformat(now)
            since = stamp(new_since)  # as added_at is kept (UTC), to compare as text
            assert since is not None
            new_since = datetime.fromisoformat(since)  # with its offset: comparable
            self._store.set_meta(NEW_SINCE_KEY, since)
            self._store.set_meta(_VISIT_KEY, now)
        return new_since

    def related(self, ref: str, limit: int = 5) -> list[Entry]:
        """Papers whose wording is most like this one's ("more like this")."""
        entry = self.get(ref)
        self._index.ready()
        with self._lock:
            return searching.related(self._store, self._search_index(), entry, limit)

    def likes_anything(self) -> bool:
        """Whether any paper is starred or read: with none, the for-you order has nothing to
        go on and lists the inbox newest first."""
        with self._lock:
            return for_you.any_liked(self._store)

    def why_for_you(self, ref: str) -> Entry | None:
        """The starred or read paper most like this one: why the for-you order ranks it where
        it does (None when it does not rank it by likeness; see ``for_you.likest``)."""
        entry = self.get(ref)
        self._index.ready()
        with self._lock:
            return for_you.likest(self._store, self._search_index(), entry)

    @staticmethod
    def highlight(text: str, query: str) -> list[tuple[int, int]]:
        """Spans of ``text`` matching the full-text words of ``query``."""
        from shelf.search import highlight_spans

        return highlight_spans(text, parse_query(query).text) if query.strip() else []

    def stats(self) -> Stats:
        with self._lock:
            return self._store.stats()

    def known_tags(self) -> list[str]:
        with self._lock:
            return sorted(self._store.tag_counts())
