"""Saved searches on the main screen: ``ctrl+s`` saves the search shown, ``1``-``9`` run one.

A saved search is the query in the search box with the filter menu's choice and
the sort menu's. ``ctrl+s`` asks for a name (completing the names saved in the
app; an existing one is replaced, and the notification says what it was);
the library keeps it, so a new run has it. ``[searches]`` in the config declares
more, numbered first. Running one puts its query in the search box and applies
its filter and order (kept as the order last chosen, as the sort menu does).
Reading and writing the store runs in workers: an index catching up holds the
library's lock.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label

from shelf.domain import Sort
from shelf.domain.saved import SavedSearch, same_name
from shelf.domain.text import one_line
from shelf.library import Library
from shelf.tui.screens.filter_menu import CHOICES, Choice, name_of
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.widgets.paper_list import PaperList
from shelf.tui.widgets.saved_bar import KEYED, SavedBar

#: The keys of saved searches: ctrl+s saves, 1-9 run (in the help, not the footer).
SAVED_SEARCH_KEYS: list[BindingType] = [
    Binding("ctrl+s", "save_search", "Save search", show=False, id="save_search",
            tooltip="Save the query with its filter and order under a name (1-9 run it)"),
    *(Binding(str(number), f"run_saved({number})", f"Saved search {number}", show=False,
              id=f"saved_search_{number}",
              tooltip=f"Run saved search {number}: its query, filter and order")
      for number in range(1, KEYED + 1)),
]  # fmt: skip


class SearchNamePrompt(TagPrompt):
    """Asks for a saved search's name; completes from the names saved in the app."""

    def __init__(self, title: str, names: list[str]) -> None:
        super().__init__(title, names)
        self._plain_title = title

    def on_mount(self) -> None:
        # The title holds the query: drawn as typed, never read as markup.
        self.query_one(".dialog-title", Label).update(Text(self._plain_title))
        self.query_one(Input).placeholder = "a name, e.g. reading-group"


class SavedSearchActions(Screen[None]):
    """The half of the main screen that saves and runs searches (``MainScreen`` has the
    search box, the filter and the order)."""

    library: Library
    list_filter: Choice
    sort: Sort

    class Listed(Message):
        """The saved searches, as the library has them now."""

        def __init__(self, searches: list[SavedSearch], saved: SavedSearch | None = None,
                     replaced: SavedSearch | None = None) -> None:  # fmt: skip
            self.searches = searches
            self.saved = saved
            """The search just saved, if one was."""
            self.replaced = replaced
            """The search of the same name it replaced, if any."""
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.saved_searches: list[SavedSearch] = []
        """The saved searches, numbered from 1 (the config's first)."""

    def _start_over(self) -> None:
        """Search again from the first page (the main screen does this)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self._list_saved()

    @work(thread=True, exit_on_error=False, group="saved-searches")
    def _list_saved(self) -> None:
        self.post_message(self.Listed(self.library.saved_searches()))

    @on(Listed)
    def _listed(self, event: Listed) -> None:
        self.saved_searches = event.searches
        self.query_one(SavedBar).show(event.searches)
        if event.saved is None:
            return
        number = next(
            n for n, s in enumerate(event.searches, 1) if same_name(s.name, event.saved.name)
        )
        said = f"Saved search {number} {one_line(event.saved.name)}: {event.saved.describe()}"
        if number > KEYED:
            said += " (only 1-9 have a key: shelf search --saved runs it)"
        if event.replaced is not None:
            said += f" (it replaces {event.replaced.describe()})"
        self.notify(said, markup=False)

    def action_save_search(self) -> None:
        query = self.query_one("#search", Input).value
        search = SavedSearch("-", query, name_of(self.list_filter), self.sort)
        names = [search.name for search in self.saved_searches if not search.from_config]
        title = f"Save this search ({search.describe()}) as:"
        self.app.push_screen(SearchNamePrompt(title, names),
                             lambda name: self._name_chosen(name, search))  # fmt: skip

    def _name_chosen(self, name: str | None, search: SavedSearch) -> None:
        if name is not None:
            self._save(SavedSearch(name, search.query, search.filter, search.sort))

    @work(thread=True, exit_on_error=False, group="saved-searches")
    def _save(self, search: SavedSearch) -> None:
        replaced = self.library.save_search(search)  # a ShelfError is a notification
        self.post_message(self.Listed(self.library.saved_searches(), search, replaced))

    def action_run_saved(self, number: int) -> None:
        if number > len(self.saved_searches):
            self.notify(f"No saved search {number}: ctrl+s saves the search shown")
            return
        search = self.saved_searches[number - 1]
        self.list_filter = next((c for c in CHOICES if name_of(c) == search.filter), None)
        if search.sort is not self.sort:
            self.sort = search.sort
            self._keep_sort(search.sort)
        box = self.query_one("#search", Input)
        if box.value == search.query:
            self._start_over()
        else:
            box.value = search.query  # its change searches again, with the filter and order
        self.query_one(PaperList).focus()

    @work(thread=True, exit_on_error=False, group="remember-sort")
    def _keep_sort(self, sort: Sort) -> None:
        self.library.sort_order = sort
