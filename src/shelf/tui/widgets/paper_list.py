"""The results list: a virtual list that draws only the rows on screen.

Textual's ``DataTable`` and ``ListView`` build a widget or a cached row for
every item; with tens of thousands of papers that freezes the app. This list
keeps plain ``Entry`` objects and renders each visible line on demand, so
loading a result set costs nothing per row and changing one paper redraws one
line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from shelf.domain import Entry
from shelf.domain.text import printable

_YEAR_WIDTH = 6
_AUTHOR_WIDTH = 20
#: A list narrower than 70 columns (and at least this wide) shows shorter author names.
_NARROW_AUTHOR_FROM, _NARROW_AUTHOR_WIDTH = 50, 14
#: The first column of a selected paper's row (one cell: the list is as wide at 80x24).
SELECTED_MARK = "✓"
#: Beside a paper added since the app was last opened (``is:new`` finds them).
NEW_MARK = "•"
#: No row shows more than this much of a title, however long the imported one is.
_TITLE_CAP = 1000


class PaperList(ScrollView, can_focus=True, inherit_bindings=False):
    """Papers, one per line: selection mark, status glyph, star, new mark, title, year, first
    author.

    Its keys move the cursor (it inherits no scroll keys); each has an id, so
    ``[keymap]`` can remap it. The search box binds the same keys, so that down
    moves the list from there too (j types a j).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Down", show=False, id="cursor_down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="cursor_up"),
        Binding("g,home", "move_to(0)", "First paper", show=False, id="cursor_first"),
        Binding("G,end", "move_to(-1)", "Last paper", show=False, id="cursor_last"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="page_up"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--star",
        "paper-list--dim",
        "paper-list--inbox",
        "paper-list--to-read",
        "paper-list--reading",
        "paper-list--read",
        "paper-list--skipped",
        "paper-list--selected",
        "paper-list--mark",
    }

    DEFAULT_CSS = """
    PaperList {
        overflow-x: hidden;
    }
    PaperList > .paper-list--selected {
        background: $accent 25%;
    }
    PaperList > .paper-list--mark {
        color: $accent;
        text-style: bold;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the highlighted paper."""

    class Highlighted(Message):
        """The cursor moved to another paper (``entry`` is None for an empty list)."""

        def __init__(self, entry: Entry | None) -> None:
            self.entry = entry
            """The highlighted paper."""
            super().__init__()

    class LastWanted(Message):
        """The user asked for the last paper: of all the matches, not only those loaded."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[Entry] = []
        self.new_since: datetime | None = None
        """Papers added after this are marked new (the app sets it as it opens)."""
        self._rows: dict[str, int] = {}
        self._years = False
        self._authors = False
        self._marked: frozenset[str] = frozenset()

    # -- data ------------------------------------------------------------------------

    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def highlighted(self) -> Entry | None:
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    def show(self, entries: Sequence[Entry], keep: str | None = None) -> None:
        """Replace the list; keep the cursor on paper ``keep`` if it is still there."""
        self._entries = list(entries)
        self._rows = {entry.id: row for row, entry in enumerate(self._entries)}
        self._years = any(entry.paper.year for entry in self._entries)
        self._authors = any(entry.paper.authors for entry in self._entries)
        self.virtual_size = Size(self.size.width, len(self._entries))
        target = self._rows.get(keep, 0) if keep else 0
        self.scroll_to(y=0, animate=False)
        self.cursor = target
        self.refresh()

    def update_entry(self, entry: Entry) -> None:
        """Redraw the one line showing ``entry``, if it is listed."""
        row = self._rows.get(entry.id)
        if row is None:
            return
        self._entries[row] = entry
        self.refresh_line(row)
        if row == self.cursor:
            self.post_message(self.Highlighted(entry))

    def drop(self, paper_id: str) -> None:
        """Take ``paper_id`` out of the list; the cursor stays on the same row."""
        row = self._rows.get(paper_id)
        if row is None:
            return
        del self._entries[row]
        self._rows = {entry.id: index for index, entry in enumerate(self._entries)}
        self.virtual_size = Size(self.size.width, len(self._entries))
        self.cursor = max(0, min(row, len(self._entries) - 1))
        self.refresh()

    def select_id(self, paper_id: str) -> bool:
        """Move the cursor to ``paper_id``; False when it is not listed."""
        row = self._rows.get(paper_id)
        if row is None:
            return False
        self.cursor = row
        return True

    def mark(self, paper_ids: frozenset[str]) -> None:
        """Mark these papers as selected (a mark in the first column), and no others."""
        self._marked = paper_ids
        self.refresh()

    def refresh_line(self, row: int) -> None:
        self.refresh_lines(row - int(self.scroll_offset.y), 1)

    # -- moving ------------------------------------------------------------------------

    def move(self, delta: int) -> None:
        """Move the cursor ``delta`` rows (down when positive), stopping at either end."""
        if self._entries:
            self.cursor = max(0, min(len(self._entries) - 1, self.cursor + delta))

    def move_to(self, row: int) -> None:
        """Move the cursor to ``row``; a negative row counts from the end."""
        if self._entries:
            if row < 0:
                row += len(self._entries)
            self.cursor = max(0, min(len(self._entries) - 1, row))

    def action_move(self, delta: int) -> None:
        self.move(delta)

    def action_move_to(self, row: int) -> None:
        self.move_to(row)
        if row < 0:
            self.post_message(self.LastWanted())

    def action_page(self, direction: int) -> None:
        self.move(direction * max(1, self.scrollable_content_region.height - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region_row(new)
        self.post_message(self.Highlighted(self.highlighted))

    def scroll_to_region_row(self, row: int) -> None:
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif height and row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def on_click(self, event: events.Click) -> None:
        inside = event.get_content_offset(self)  # past the border: a click on it is no row
        if inside is None:
            return
        row = int(self.scroll_offset.y) + inside.y
        if 0 <= row < len(self._entries):
            self.cursor = row

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._entries))

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if not 0 <= row < len(self._entries):
            return Strip.blank(width, self.rich_style)
        entry = self._entries[row]
        base = self.rich_style
        marked = entry.id in self._marked
        if marked:
            base += self.get_component_rich_style("paper-list--selected")
        if row == self.cursor:
            base += self.get_component_rich_style("paper-list--cursor")
        status_style = self.get_component_rich_style(f"paper-list--{entry.state.status.value}")
        star_style = self.get_component_rich_style("paper-list--star")
        dim = self.get_component_rich_style("paper-list--dim")
        paper = entry.paper
        year = f"{paper.year}" if paper.year else ""
        author = printable(paper.authors[0][:_TITLE_CAP]) if paper.authors else ""
        # The list is about 60 columns beside the preview at 120, 78 alone at 80: the
        # author column shows in both, narrower in the first.
        show_author = self._authors and width >= _NARROW_AUTHOR_FROM
        author_width = _AUTHOR_WIDTH if width >= 70 else _NARROW_AUTHOR_WIDTH
        year_width = _YEAR_WIDTH if self._years else 0
        tail = year_width + (author_width + 1 if show_author else 0)
        title_width = max(8, width - 4 - tail)
        mark_style = self.get_component_rich_style("paper-list--mark")
        segments = [
            Segment(SELECTED_MARK, base + mark_style) if marked else Segment(" ", base),
            Segment(entry.state.status.glyph, base + status_style),
            Segment("★" if entry.state.starred else " ", base + star_style),
            Segment(NEW_MARK, base + mark_style) if self._is_new(entry) else Segment(" ", base),
            Segment(_fit(printable(paper.title[:_TITLE_CAP]), title_width), base),
            Segment(year.rjust(year_width), base + dim),
        ]
        if show_author:
            segments += [Segment(" ", base), Segment(_fit(author, author_width), base + dim)]
        return Strip(segments).adjust_cell_length(width, base)

    def _is_new(self, entry: Entry) -> bool:
        added = entry.state.added_at
        return self.new_since is not None and added is not None and added > self.new_since


def _fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
