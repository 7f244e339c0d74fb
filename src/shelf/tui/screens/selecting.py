"""The main screen's selection: the papers that the next action acts on, together.

``space`` toggles the highlighted paper and moves on (space space space selects a
run), ``V`` selects every row from the last one space toggled (the anchor) to
the cursor, ``*`` every match of the search (it loads them all first, as ``G``
does), and ``escape`` clears the selection. The list marks the selected rows and
the summary line counts them.

The selection outlives the list: it stays while you search again, filter or
look at "more like this", so papers gathered from several searches are acted on
together; the count says how many there are. Actions ask ``target_ids`` which
papers to act on (``bulk_actions`` holds the keys that change them).
"""

from __future__ import annotations

from textual import on

from shelf.domain import Entry
from shelf.tui import messages
from shelf.tui.screens.filter_menu import Choice
from shelf.tui.screens.paper_actions import PaperActions
from shelf.tui.widgets.summary import Summary

#: The selection's own actions (the main screen's ``check_action`` asks ``selection_allows``).
SELECTION_ACTIONS = frozenset({"toggle_selection", "select_range", "select_all",
                               "clear_selection"})  # fmt: skip


class Selecting(PaperActions):
    """The selection half of the main screen (``MainScreen`` holds the list and searches)."""

    # What the main screen keeps about the list shown (see ``MainScreen``).
    _query: str
    _limit: int
    list_filter: Choice
    _related_to: Entry | None

    def __init__(self) -> None:
        super().__init__()
        self._selected: dict[str, None] = {}
        """The selected papers' ids, in the order selected (a dict keeps the order)."""
        self._anchor: str | None = None
        """The paper ``space`` last toggled: ``V`` selects from its row to the cursor."""
        self._select_all_of: tuple[str, Choice] | None = None
        """The search (query, filter) whose every match ``*`` selects once all are loaded."""

    def _more_to_list(self) -> bool:
        """Whether the search has matches beyond the rows loaded (the main screen knows)."""
        raise NotImplementedError

    # -- the selection ------------------------------------------------------------------------

    @property
    def selection(self) -> list[str]:
        """The selected papers' ids in list order: the rows listed, top to bottom, then
        those selected from another list, in the order they were selected. Empty when
        nothing is selected (see ``target_ids``)."""
        listed = [entry.id for entry in self.results.entries if entry.id in self._selected]
        shown = set(listed)
        return listed + [paper_id for paper_id in self._selected if paper_id not in shown]

    def target_ids(self) -> list[str]:
        """The papers an action acts on: the selection in list order (``selection``) if
        there is one, else the highlighted paper; empty when the list is empty too.

        Every action on "these papers" (triage, star, tags, delete, export, adding to
        a reading list, merging two papers) asks this, so that a selection and a single
        highlighted paper go through one path.
        """
        if selected := self.selection:
            return selected
        highlighted = self.results.highlighted
        return [highlighted.id] if highlighted else []

    def select_papers(self, paper_ids: list[str], selected: bool = True) -> None:
        """Add papers to the selection (or, ``selected`` False, take them out)."""
        for paper_id in paper_ids:
            if selected:
                self._selected[paper_id] = None
            else:
                self._selected.pop(paper_id, None)
        self._show_selection()

    def unselect_all(self) -> None:
        """Select nothing (not Screen's ``clear_selection``: that is of text)."""
        self._selected = {}
        self._show_selection()

    def _show_selection(self) -> None:
        self.results.mark(frozenset(self._selected))
        self.query_one(Summary).count_selected(len(self._selected))

    # -- the keys ---------------------------------------------------------------------------

    def selection_allows(self, action: str) -> bool | None:
        """Whether a selection key applies now (None: not now, but listed in the help)."""
        if action == "clear_selection":
            return True if self._selected else None
        return True if self.results.highlighted is not None else None

    def action_toggle_selection(self) -> None:
        """Select the highlighted paper, or unselect it, and go to the next one."""
        if (entry := self.results.highlighted) is None:
            return
        self.select_papers([entry.id], entry.id not in self._selected)
        self._anchor = entry.id
        self.results.move(1)

    def action_select_range(self) -> None:
        """Select every row from the anchor (the row space last toggled) to the cursor; with
        no anchor listed, the cursor's row alone."""
        if (entry := self.results.highlighted) is None:
            return
        rows = [e.id for e in self.results.entries]
        start = rows.index(self._anchor) if self._anchor in rows else self.results.cursor
        low, high = sorted((start, self.results.cursor))
        self.select_papers(rows[low : high + 1])
        if self._anchor not in rows:
            self._anchor = entry.id

    def action_select_all(self) -> None:
        """Select every match of the search: those not loaded yet are loaded first (as
        ``G`` does), then all are selected."""
        if not self._more_to_list():
            self.select_papers([entry.id for entry in self.results.entries])
            return
        self._select_all_of = (self._query, self.list_filter)
        self._limit = self.library.count()  # every paper: an estimated count may fall short
        highlighted = self.results.highlighted
        self.refresh_results(keep=highlighted.id if highlighted else None)
        self.notify("Selecting every match…")

    @on(messages.SearchDone)
    def _every_match_listed(self) -> None:
        """After the main screen showed a search: select it all if ``*`` asked for it."""
        wanted, self._select_all_of = self._select_all_of, None
        if wanted is None:
            return
        if wanted != (self._query, self.list_filter) or self._related_to is not None:
            return  # another search since: it is not what * was pressed on
        if self._more_to_list():
            self._select_all_of = wanted  # an earlier search's answer: wait on
            return
        self.select_papers([entry.id for entry in self.results.entries])

    def action_clear_selection(self) -> None:
        """Escape: unselect every paper (pressed again, escape goes back as before)."""
        count = len(self._selected)
        self.unselect_all()
        self.notify(f"Selection cleared ({count:,} papers).")
