"""The sort menu: the order of the list, kept for the library between runs; and how the
summary line names the order."""

from __future__ import annotations

from textual.binding import Binding

from shelf.domain import Sort
from shelf.library import Library
from shelf.tui.screens.pick_menu import PickMenu


class SortMenu(PickMenu[Sort]):
    """Asks how to order the list; returns (the order,), or None when cancelled."""

    QUESTION = "Sort the list by?"
    NEXT_KEY = "o"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="sort_cancel"),
        Binding("o", "next", "Next order", id="sort_next",
                tooltip="Take the order after the current one (o o cycles)"),
    ]  # fmt: skip

    def __init__(self, current: Sort) -> None:
        super().__init__(list(Sort), [sort.label for sort in Sort], current)


def order_words(sort: Sort, library: Library) -> str:
    """How the summary line names ``sort``: for you says when it has nothing to go on."""
    if sort is Sort.FOR_YOU and not library.likes_anything():
        return "sorted by for you (nothing starred or read yet: newest first)"
    return f"sorted by {sort.label}"
