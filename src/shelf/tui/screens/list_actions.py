"""Reading lists in the app: ``l`` adds the paper (or the selection) to a list, ``L``
opens a list, in its order, and ``J`` / ``K`` move a paper down or up in the open list.

An open list takes the place of the search results until escape (or a new
search) goes back; every change to it is one ``u``, as on the command line.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from shelf.domain import ShelfError
from shelf.domain.reading_list import ReadingList, list_key
from shelf.domain.text import one_line
from shelf.tui.screens.bulk_actions import BulkActions
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.widgets.summary import Summary

#: The keys of reading lists (in ``[keymap]`` by these ids).
LIST_KEYS: list[BindingType] = [
    Binding("l", "add_to_list", "Add to list", show=False, id="add_to_list",
            tooltip="Add the paper, or the selection, to a reading list (a new name makes one)"),
    Binding("L", "open_list", "Open list", show=False, id="open_list",
            tooltip="Show a reading list in its order (escape goes back to the search)"),
    Binding("J", "move_in_list(1)", "Move down in list", show=False, id="list_move_down",
            tooltip="In an open reading list, move the paper one place down"),
    Binding("K", "move_in_list(-1)", "Move up in list", show=False, id="list_move_up",
            tooltip="In an open reading list, move the paper one place up"),
]  # fmt: skip
LIST_ACTIONS = frozenset({"add_to_list", "open_list", "move_in_list"})


class ListPrompt(TagPrompt):
    """Asks for a reading list's name, completing from the lists there are."""


class ListActions(BulkActions):
    """The reading-list half of the main screen."""

    open_list: str | None = None
    """The name of the reading list shown instead of the search results (None: none)."""

    def list_allows(self, action: str) -> bool | None:
        """Whether a reading-list key applies now (None: not now, but listed in the help)."""
        if action == "move_in_list":
            return True if self.open_list and self.results.highlighted else None
        if action == "add_to_list":  # asked on every key: no walk of the list here
            return True if self._selected or self.results.highlighted else None
        return True

    def _names(self) -> list[str]:
        try:
            return [held.name for held in self.library.reading_lists()]
        except ShelfError as error:
            self._report(error)
            return []

    def action_add_to_list(self) -> None:
        if not (papers := self.target_ids()):
            return
        self.save_notes()
        title = f"Add {_count(len(papers))} to the reading list (a new name makes one):"
        self.app.push_screen(ListPrompt(title, self._names()), lambda name: self._add(name, papers))

    def _add(self, name: str | None, papers: list[str]) -> None:
        if not name:
            return
        try:
            changed, added, there = self.library.add_to_list(name, papers, create=True)
        except ShelfError as error:
            self._report(error)
            return
        already = f" ({there} already in it)" if there else ""
        self.notify(f"Added {_count(added)} to {_name(changed)}{already}; "
                    f"{changed.count} in it now. u takes it back.", markup=False)  # fmt: skip
        if self.open_list and list_key(self.open_list) == list_key(changed.name):
            self.show_list(changed.name)

    def action_open_list(self) -> None:
        if not (names := self._names()):
            self.notify("No reading lists yet: l adds the paper to a new one.")
            return
        self.app.push_screen(ListPrompt("Open the reading list:", names), self._open)

    def _open(self, name: str | None) -> None:
        if name:
            self.show_list(name)

    def show_list(self, name: str, keep: str | None = None, report: bool = True) -> bool:
        """Show reading list ``name`` in its order, the cursor on ``keep`` (or the first);
        False when there is no such list (said, if ``report``): nothing is shown then."""
        try:
            shown, entries = self.library.reading_list(name), self.library.list_entries(name)
        except ShelfError as error:
            if report:
                self._report(error)
            self.open_list = None
            return False
        self.open_list = shown.name
        self.results.show(entries, keep)
        self.results.focus()
        about = f" · {one_line(shown.description)[:60]}" if shown.description else ""
        self.query_one(Summary).say(f"list: {one_line(shown.name)} · {_count(len(entries))}{about} "
                         "(J/K move, escape goes back)")  # fmt: skip
        return True

    def action_move_in_list(self, step: int) -> None:
        entry = self.results.highlighted
        if self.open_list is None or entry is None:
            return
        to = self.results.cursor + 1 + step
        if not 1 <= to <= len(self.results.entries):
            return
        try:
            self.library.move_in_list(self.open_list, entry.id, to)
        except ShelfError as error:
            self._report(error)
            return
        entries = list(self.results.entries)  # moved here too: no reading of the list again
        entries.insert(to - 1, entries.pop(self.results.cursor))
        self.results.show(entries, keep=entry.id)


def _count(papers: int) -> str:
    return f"{papers} paper" if papers == 1 else f"{papers} papers"


def _name(held: ReadingList) -> str:
    return repr(one_line(held.name)[:60])
