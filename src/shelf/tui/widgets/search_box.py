"""The search box: typing searches as you go; a paste longer than a query is cut, with a notice.

A query is at most ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_TERMS``
words (the library refuses longer ones). Typing stops at the length limit; a
paste is cut to fit instead of refused, and says so, so a page pasted by
mistake never freezes the app.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input

from shelf.domain.query import MAX_QUERY_CHARS, cut_query


class SearchBox(Input):
    """An ``Input`` bounded to what a query may be."""

    class Cut(Message):
        """A paste did not fit in a query and was cut."""

        def __init__(self, notice: str) -> None:
            self.notice = notice
            """What was cut, in words."""
            super().__init__()

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, max_length=MAX_QUERY_CHARS)

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
