"""The main screen: the search box, the results list, the preview and the personal pane.

The screen routes: widgets post messages up, the screen calls ``Library`` and
sets widgets' state down. Searches, related papers, exports and the demo
import run in thread workers that post a typed message (``tui.messages``) when
done. The keys that change a paper are in ``paper_actions``; the selection and the
keys that change all of it at once are in ``selecting`` and ``bulk_actions``.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from shelf.domain import Entry, ShelfError, Sort, StateFilter
from shelf.domain.query import cut_query
from shelf.formats import markdown
from shelf.library import Library
from shelf.tui import messages
from shelf.tui.commands import JumpToPaper
from shelf.tui.screens.export import ExportDialog, ExportRequest
from shelf.tui.screens.feed_actions import FEED_KEYS, FeedActions
from shelf.tui.screens.filter_menu import Choice, FilterMenu, name_of, state_of
from shelf.tui.screens.list_actions import LIST_ACTIONS, LIST_KEYS
from shelf.tui.screens.main_keys import MAIN_KEYS
from shelf.tui.screens.saved_searches import SAVED_SEARCH_KEYS, SavedSearchActions
from shelf.tui.screens.selecting import SELECTION_ACTIONS
from shelf.tui.screens.sort_menu import SortMenu, order_words
from shelf.tui.screens.stats import StatsScreen
from shelf.tui.screens.welcome import WelcomeScreen
from shelf.tui.widgets.paper_list import PaperList
from shelf.tui.widgets.personal import NotesEditor, PersonalPane
from shelf.tui.widgets.preview import Preview
from shelf.tui.widgets.saved_bar import SavedBar
from shelf.tui.widgets.search_box import SearchBox
from shelf.tui.widgets.summary import Summary

#: The top line of a demo library (``shelf --demo``), which is gone on the next start.
DEMO_NOTICE = "demo library: changes are not kept (shelf import builds your own)"
#: Actions that need a highlighted paper.
_NEEDS_PAPER = {"triage", "toggle_star", "add_tag", "remove_tag", "edit_notes", "more_like",
                "open_link", "copy_link", "delete", "open_pdf"}  # fmt: skip


class MainScreen(SavedSearchActions, FeedActions, inherit_bindings=False):
    """Search, read and triage the library.

    Its keys are its own (not Screen's too): tab and shift+tab in footer order, and
    ctrl+c quitting rather than copying.
    """

    COMMANDS = {JumpToPaper}
    highlight: var[messages.Highlight] = var(messages.Highlight(), always_update=True)
    """The highlighted paper: every pane follows it (see ``messages.Highlight``)."""

    BINDINGS = [*MAIN_KEYS, *SAVED_SEARCH_KEYS, *LIST_KEYS, *FEED_KEYS]

    def __init__(self, library: Library, demo: bool = False) -> None:
        super().__init__()
        self.library = library
        self._demo = demo
        self.list_filter: Choice = None
        """Which papers the list shows (the filter menu's choice)."""
        self.sort = Sort.RELEVANCE
        """The order of the list (the sort menu's choice, kept by the library)."""
        self._query = ""
        self._query_notice: str | None = None
        self._limit = library.settings.search_limit
        self._total = 0
        self._exact = True
        """Whether ``_total`` was counted, not estimated (it may then be short)."""
        self._to_last = False
        """Whether the list goes to its last paper once the search under way is done."""
        self._related_to: Entry | None = None
        """The paper whose related papers are listed, instead of search results."""
        self._back_to: str | None = None
        """The paper the cursor was on when "more like this" was asked (``back`` returns)."""

    def compose(self) -> ComposeResult:
        if self._demo:
            yield Static(DEMO_NOTICE, id="demo-notice")
        yield SearchBox(placeholder="Search: words, \"phrases\", title:, author:, tag:, status:, "
                        "year:", id="search")  # fmt: skip
        yield Summary(id="summary")
        yield SavedBar(id="saved-searches", classes="-empty")
        with Horizontal(id="main"):
            yield PaperList(id="results")
            with Vertical(id="side"):
                yield Preview(self.library, id="preview")
                yield PersonalPane(self.library, id="personal")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.library.progress = self._progress  # indexing a search waits for is shown
        self.library.step_indexed = lambda: self.post_message(messages.StepIndexed())
        self.results.focus()
        self.results.new_since = self.library.begin_visit()
        self.sort = self.library.sort_order
        if self.library.count() == 0:
            self.app.push_screen(WelcomeScreen(self.library), self._welcome_closed)
        else:
            self.refresh_results()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # While notes are typed at 80x24, the list gives up rows so the preview keeps some.
        self.set_class(isinstance(event.widget, NotesEditor), "-editing-notes")

    # -- workers -----------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(messages.WorkerFailed(event.worker))

    # -- searching -----------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._query, self._query_notice = cut_query(event.value)
        self._start_over()

    @on(SearchBox.ListKey)
    async def _list_key(self, event: SearchBox.ListKey) -> None:
        await self.app.run_action(event.action, self.results)

    @on(SearchBox.Cut)
    def _query_cut(self, event: SearchBox.Cut) -> None:
        self.notify(event.notice, severity="warning", markup=False)

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.results.focus()

    def _start_over(self) -> None:
        """A new query or filter: search results again, from the first page."""
        self._related_to, self._to_last, self.open_list = None, False, None
        self._limit = self.library.settings.search_limit
        self.refresh_results()

    def refresh_results(self, keep: str | None = None) -> None:
        """Search again with the current query and filter (in a worker).

        The cursor goes to the best hit, or stays on paper ``keep`` if it is listed.
        An open reading list is shown again instead.
        """
        if self.open_list and self.show_list(self.open_list, keep, report=False):
            return
        self._search(self._query, state_of(self.list_filter), keep, self._limit, self.sort)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(
        self, query: str, state: StateFilter | None, keep: str | None, limit: int, sort: Sort
    ) -> None:
        try:
            result = self.library.search_as_you_type(query, limit, state, sort)
        except ShelfError as error:
            message: messages.SearchDone | messages.SearchFailed = messages.SearchFailed(str(error))
        else:
            message = messages.SearchDone(result, keep)
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    def _progress(self, phase: str, done: int, total: int | None) -> None:
        """Called from the worker thread running the search: say how far indexing is."""
        if phase == "indexing" and total and (done % 100 == 0 or done == total):
            self.post_message(messages.Indexing(done, total))

    @on(messages.Indexing)
    def _show_indexing(self, event: messages.Indexing) -> None:
        self.summary.indexing(event.done, event.total)

    @on(messages.StepIndexed)
    def _step_indexed(self) -> None:
        """Search again as the index grows: the list answers from what is indexed so far."""
        if self._related_to is None:
            highlighted = self.results.highlighted
            self.refresh_results(keep=highlighted.id if highlighted else None)

    @on(messages.SearchDone)
    def _show_results(self, event: messages.SearchDone) -> None:
        self._total, self._exact = event.result.total, event.result.exact
        self.results.show(event.result.entries, event.keep)
        if self._to_last:
            self._to_last = False
            self.results.move_to(-1)
        count = self.library.count()
        self.summary.describe(event.result, self._scope(), count, self._query_notice)

    def _scope(self) -> str:
        """What the summary line says is listed (all papers, or the filter's choice), and
        in which order unless by relevance."""
        scope = "all papers" if self.list_filter is None else f"filter: {name_of(self.list_filter)}"
        order = order_words(self.sort, self.library)
        return scope if self.sort is Sort.RELEVANCE else f"{scope} · {order}"

    @on(messages.SearchFailed)
    def _show_search_error(self, event: messages.SearchFailed) -> None:
        self.summary.say(event.reason, error=True)  # the last list shown stays

    @property
    def summary(self) -> Summary:
        return self.query_one(Summary)

    # -- the highlighted paper -------------------------------------------------------------

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, event: PaperList.Highlighted) -> None:
        entry = event.entry
        if entry is None or entry.id != self.personal.paper_id:
            self.save_notes()  # moving to another paper ends the notes editing session
        for_you = self.sort is Sort.FOR_YOU and self._related_to is None and not self.open_list
        self.highlight = messages.Highlight(entry, self._query, for_you)  # the panes follow it
        if entry is None:
            return
        shown_count = len(self.results.entries)
        if self.results.cursor == shown_count - 1 and self._more_to_list():
            self._limit = shown_count + self.library.settings.search_limit
            self.refresh_results(keep=entry.id)  # the next page of results

    @on(PaperList.LastWanted)
    def _last_wanted(self) -> None:
        """``G``: load every match, then go to the last of them."""
        if self._more_to_list():
            # Every paper, not the count: an estimated count ("about N") may fall short.
            self._limit, self._to_last = self.library.count(), True
            self.refresh_results()

    def _more_to_list(self) -> bool:
        """Whether the search listed has matches beyond the rows loaded (or may have)."""
        shown_count = len(self.results.entries)
        unsure = not self._exact and shown_count >= self._limit
        listed = self._related_to is None and self.open_list is None  # not a search shown
        return listed and (self._total > shown_count or unsure)

    @on(messages.PaperChanged)
    def _paper_changed(self, event: messages.PaperChanged) -> None:
        self.results.update_entry(event.entry)

    @on(Preview.RelatedChosen)
    def _related_chosen(self, event: Preview.RelatedChosen) -> None:
        self.jump_to(event.paper_id)

    def jump_to(self, paper_id: str) -> None:
        """Show ``paper_id`` in the list (with the papers most like it) and highlight it."""
        if self.results.select_id(paper_id):
            self.results.focus()
            return
        self._show_more_like(paper_id)

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SELECTION_ACTIONS:
            return self.selection_allows(action)
        if action in LIST_ACTIONS:
            return self.list_allows(action)
        if action in _NEEDS_PAPER and self.results.highlighted is None:
            return None
        # Back from "more like this", or from a reading list.
        return action != "back" or self._related_to is not None or self.open_list is not None

    def action_focus_search(self) -> None:
        # At once, not after the keys already waiting (as ``focus()`` would): in "/zzq"
        # typed fast, "zzq" is the query, never z, z and quit.
        self.set_focus(self.query_one("#search", Input))

    def action_scroll_preview(self, how: str) -> None:
        getattr(self.query_one(Preview), f"action_{how}")()

    def action_more_like(self) -> None:
        if entry := self.results.highlighted:
            self._show_more_like(entry.id)

    def _show_more_like(self, paper_id: str) -> None:
        back_to = self._back_to
        if self._related_to is None:  # from the search: back goes to where the cursor is
            highlighted = self.results.highlighted
            back_to = highlighted.id if highlighted else None
        self.summary.say("finding papers like this one…")
        self._find_more_like(paper_id, back_to)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _find_more_like(self, paper_id: str, back_to: str | None) -> None:
        # A worker: at 20,000 papers this takes about a second, which froze the keys.
        try:
            anchor = self.library.get(paper_id)
            related = self.library.related(paper_id, 50)
        except ShelfError as error:  # deleted meanwhile (here or by another shelf)
            message: messages.MoreLikeFound | messages.SearchFailed
            message = messages.SearchFailed(str(error))
        else:
            message = messages.MoreLikeFound(anchor, related, back_to)
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    @on(messages.MoreLikeFound)
    def _more_like_found(self, event: messages.MoreLikeFound) -> None:
        self._related_to, self._back_to, self.open_list = event.anchor, event.back_to, None
        self.results.show([event.anchor, *event.related], event.anchor.id)
        self.results.focus()
        self.summary.more_like(event.anchor.paper.title, len(event.related))

    def action_back(self) -> None:
        """From the papers related to one (or a reading list) back to the search, where
        the cursor was."""
        self._related_to, self.open_list = None, None
        self.refresh_results(keep=self._back_to)

    def action_filter(self) -> None:
        self.app.push_screen(FilterMenu(self.list_filter), self._filter_chosen)

    def _filter_chosen(self, chosen: tuple[Choice] | None) -> None:
        if chosen is not None:
            (self.list_filter,) = chosen
            self._start_over()

    def action_sort(self) -> None:
        self.app.push_screen(SortMenu(self.sort), self._sort_chosen)

    def _sort_chosen(self, chosen: tuple[Sort] | None) -> None:
        if chosen is not None:
            (self.sort,) = chosen
            self._remember_sort(self.sort)
            self._start_over()

    @work(thread=True, exit_on_error=False, group="remember-sort")
    def _remember_sort(self, sort: Sort) -> None:
        self.library.sort_order = sort

    def action_stats(self) -> None:
        try:
            self.app.push_screen(StatsScreen(self.library.stats()))
        except ShelfError as error:
            self._report(error)

    def action_export(self) -> None:
        shown = len(self.results.entries) if self.open_list else self._total
        dialog = ExportDialog.for_list(shown, self.library.settings, self.selection)
        self.app.push_screen(dialog, self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            request = replace(request, reading_list=self.open_list or "")
            related = list(self.results.entries) if self._related_to else []
            self._export(request, self._query, state_of(self.list_filter), related)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(
        self, request: ExportRequest, query: str, state: StateFilter | None, related: list[Entry]
    ) -> None:
        entries, about = request.select(self.library, query, state, related)
        if request.fmt == "markdown" and not request.asks_for_skipped(state):
            entries, about = markdown.without_skipped(entries, about)  # as the CLI does
        path = self.library.export(request.fmt, entries, request.path, about)
        self.post_message(messages.Exported(len(entries), path))

    @on(messages.Exported)
    def _exported(self, event: messages.Exported) -> None:
        self.notify(f"Wrote {event.count:,} papers to {event.path}", markup=False)

    # -- the empty library -------------------------------------------------------------------

    def _welcome_closed(self, demo_summary: str | None) -> None:
        if demo_summary:
            self.notify(demo_summary, markup=False)
        self.refresh_results()
