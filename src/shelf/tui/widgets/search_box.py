"""The search box: typing searches as you go; a paste longer than a query is cut, with a notice.

A query is at most ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_TERMS``
words (the library refuses longer ones). Typing stops at the length limit; a
paste is cut to fit instead of refused, and says so, so a page pasted by
mistake never freezes the app. Down, up and the page keys move the results
list, as they do there: the search box keeps the focus while you look. Enter
and escape go back to the list, keeping the query.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from shelf.domain.query import MAX_QUERY_CHARS, cut_query


class SearchBox(Input):
    """An ``Input`` bounded to what a query may be."""

    # The ids of the list's own keys, so that ``[keymap]`` moves both (j still types j).
    BINDINGS = [
        Binding("down", "list_key('move(1)')", "Down", show=False, id="cursor_down"),
        Binding("up", "list_key('move(-1)')", "Up", show=False, id="cursor_up"),
        Binding("pagedown", "list_key('page(1)')", "Page down", show=False, id="page_down"),
        Binding("pageup", "list_key('page(-1)')", "Page up", show=False, id="page_up"),
        # As enter does: back to the list, the query kept (the README says so).
        Binding("escape", "submit", "Back to the list", show=False, id="search_done"),
    ]

    class ListKey(Message):
        """A key of the results list was pressed here: run ``action`` on the list."""

        def __init__(self, action: str) -> None:
            self.action = action
            super().__init__()

    class Cut(Message):
        """A paste did not fit in a query and was cut."""

        def __init__(self, notice: str) -> None:
            self.notice = notice
            """What was cut, in words."""
            super().__init__()

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, max_length=MAX_QUERY_CHARS)

    def action_list_key(self, action: str) -> None:
        self.post_message(self.ListKey(action))

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own paste would refuse a long one outright
        event.stop()
        if not event.text:
            return
        line = event.text[: 4 * MAX_QUERY_CHARS].splitlines()[0] if event.text.strip() else ""
        start, end = sorted(self.selection)
        room = MAX_QUERY_CHARS - (len(self.value) - (end - start))
        wanted = f"{self.value[:start]}{line}{self.value[end:]}"
        cut, notice = cut_query(wanted)
        if notice is None and len(line) <= room:
            self.replace(line, start, end)
            return
        self.value = cut
        self.cursor_position = len(cut)
        self.post_message(self.Cut(notice or "the pasted text was cut to fit a query"))
