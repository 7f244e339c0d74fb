"""Saved searches: the ones ``[searches]`` in the config declares, then the app's.

The app's are kept in the store's ``meta`` table (key ``searches``, a JSON
list in the order they were saved), like the sort order: no schema change.
Stored bytes that do not read as that list (a hand-edited database) are
tolerated: what cannot be read is left out, and the next save writes a sound
list. Mixed into ``Library``, which holds the store and the lock.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from shelf.config import Settings
from shelf.domain import ShelfError, Sort
from shelf.domain.saved import (
    FILTERS,
    MAX_SAVED,
    SavedSearch,
    UnknownSavedSearchError,
    name_problem,
    query_problem,
    same_name,
)
from shelf.store import Store

#: Where the library keeps the searches saved in the app (its ``meta`` table).
_SEARCHES_KEY = "searches"


class SavedSearches:
    """The verbs of saved searches (see ``Library``)."""

    settings: Settings
    _store: Store
    _lock: threading.RLock

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search, numbered by its place: the config's first, in file order,
        then the app's in the order first saved. The config wins a name both have."""
        declared = [
            SavedSearch(name, query, from_config=True)
            for name, query in self.settings.searches.items()
        ]
        with self._lock:
            stored = self._stored()
        names = [search.name for search in declared]
        return declared + [s for s in stored if not any(same_name(s.name, n) for n in names)]

    def saved_search(self, name: str) -> SavedSearch:
        """The saved search called ``name`` (ignoring case)."""
        searches = self.saved_searches()
        for search in searches:
            if same_name(search.name, name):
                return search
        raise UnknownSavedSearchError(name, [search.name for search in searches])

    def save_search(self, search: SavedSearch) -> SavedSearch | None:
        """Keep ``search``; one of the same name is replaced, in its place, and returned.

        A name the config declares is refused (the app cannot change the file), as
        are a bad name or query and a search past ``MAX_SAVED``.
        """
        problem = name_problem(search.name) or query_problem(search.query)
        if search.filter not in FILTERS:
            problem = f"unknown filter {search.filter!r} (choose from {', '.join(FILTERS)})"
        if problem:
            raise ShelfError(problem)
        if any(same_name(search.name, name) for name in self.settings.searches):
            raise ShelfError(
                f"{search.name!r} is declared in [searches] of the config file: "
                "change it there, or save this search under another name"
            )
        with self._lock, self._store.transaction():
            stored = self._stored()
            place = next((n for n, old in enumerate(stored) if same_name(old.name, search.name)),
                         None)  # fmt: skip
            replaced = None if place is None else stored[place]
            if place is None:
                if len(stored) >= MAX_SAVED:
                    raise ShelfError(f"{MAX_SAVED} searches are saved already, the most kept")
                stored.append(search)
            else:
                stored[place] = search
            self._store.set_meta(_SEARCHES_KEY, json.dumps([_to_json(s) for s in stored]))
        return replaced

    def _stored(self) -> list[SavedSearch]:
        """The searches saved in the app, as far as they read (call with the lock)."""
        try:
            data = json.loads(self._store.get_meta(_SEARCHES_KEY) or "[]")
        except ValueError:
            return []
        found: list[SavedSearch] = []
        for item in data if isinstance(data, list) else []:
            search = _from_json(item)
            if search and not any(same_name(search.name, s.name) for s in found):
                found.append(search)
        return found[:MAX_SAVED]


def _to_json(search: SavedSearch) -> dict[str, str]:
    return {"name": search.name, "query": search.query, "filter": search.filter,
            "sort": search.sort.value}  # fmt: skip


def _from_json(item: Any) -> SavedSearch | None:
    """A stored search, or None for one that does not read (its filter or order alone
    falling back to all and relevance)."""
    if not isinstance(item, dict):
        return None
    name, query = item.get("name"), item.get("query")
    if not isinstance(name, str) or not isinstance(query, str):
        return None
    if name_problem(name) or query_problem(query):
        return None
    chosen = item.get("filter")
    sort = item.get("sort")
    return SavedSearch(
        name,
        query,
        chosen if chosen in FILTERS else "all",
        Sort(sort) if sort in set(Sort) else Sort.RELEVANCE,
    )
