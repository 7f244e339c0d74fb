"""The shelf app: composition, key bindings, and routing between widgets and the library.

Widgets post messages up; the app calls ``Library`` and sets widgets' state
down. Searches, related papers, exports and the demo import run in thread
workers; a triage key is a sub-millisecond SQLite write, done at once so the
user never sees a change that is not yet saved.
"""

from __future__ import annotations

import asyncio
import signal
import time
import webbrowser
from collections.abc import Awaitable, Callable, Iterable
from contextlib import suppress
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, TextArea
from textual.worker import get_current_worker

from shelf import formats
from shelf.config import Settings
from shelf.domain import Entry, NotesChangedError, ShelfError, StateFilter, Status
from shelf.domain.query import cut_query
from shelf.domain.text import is_web_url, one_line, printable
from shelf.library import Library, SearchResult
from shelf.paths import demo_file
from shelf.tui.commands import JumpToPaper
from shelf.tui.screens.export import EVERYTHING, VIEW, ExportDialog, ExportRequest
from shelf.tui.screens.help import HelpScreen, describe_bindings
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.screens.welcome import WelcomeScreen
from shelf.tui.widgets.paper_list import PaperList
from shelf.tui.widgets.personal import NotesEditor, PersonalPane
from shelf.tui.widgets.preview import PREVIEW_CAP, Preview
from shelf.tui.widgets.search_box import SearchBox

#: Seconds the cursor must rest on a paper before its related papers are looked up.
RELATED_DELAY = 0.25
#: Notes being typed are saved this long after the last keystroke...
DRAFT_DELAY = 0.5
#: ...and at least this often while typing goes on, so a kill loses at most a second.
DRAFT_MAX_WAIT = 1.0
#: A save that failed (a full disk) is tried again this often, the text kept meanwhile.
DRAFT_RETRY = 3.0
#: After a quit refused for unsaved notes, quitting again within this many seconds quits.
QUIT_AGAIN = 10.0
#: What ``f`` cycles through.
FILTERS: tuple[Status | None, ...] = (None, *Status)
#: Actions that need a highlighted paper.
_NEEDS_PAPER = {"triage", "toggle_star", "add_tag", "remove_tag", "edit_notes", "more_like",
                "open_link", "copy_link", "delete"}  # fmt: skip


class ShelfApp(App[None]):
    """Search, read and triage a library of papers from the keyboard."""

    TITLE = "shelf"
    CSS_PATH = Path(__file__).with_name("shelf.tcss")  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {JumpToPaper}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    # Footer order: what fits at 80 columns comes first.
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("slash", "focus_search", "Search", id="focus_search"),
        Binding("j,down", "cursor(1)", "Down", show=False, id="cursor_down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="cursor_up"),
        Binding("g,home", "cursor_to('first')", "First paper", show=False, id="cursor_first"),
        Binding("G,end", "cursor_to('last')", "Last paper", show=False, id="cursor_last"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="page_up"),
        Binding(
            "t",
            "triage('to-read')",
            "To read",
            id="set_to_read",
            tooltip="Mark to-read, go to the next paper",
        ),
        Binding(
            "r",
            "triage('reading')",
            "Reading",
            id="set_reading",
            tooltip="Mark reading, go to the next paper",
        ),
        Binding(
            "d",
            "triage('read')",
            "Read",
            id="set_read",
            tooltip="Mark read (done), go to the next paper",
        ),
        Binding(
            "x",
            "triage('skipped')",
            "Skip",
            id="set_skipped",
            tooltip="Mark skipped, go to the next paper",
        ),
        Binding(
            "i",
            "triage('inbox')",
            "Inbox",
            show=False,
            id="set_inbox",
            tooltip="Back to the inbox, go to the next paper",
        ),
        Binding("s", "toggle_star", "Star", id="toggle_star"),
        Binding(
            "a", "add_tag", "Tag", id="add_tag", tooltip="Add a tag (completes from your tags)"
        ),
        Binding("A", "remove_tag", "Untag", show=False, id="remove_tag", tooltip="Remove a tag"),
        Binding("n", "edit_notes", "Notes", id="edit_notes", tooltip="Edit notes; escape saves"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change (again and again)"),
        Binding(
            "number_sign",
            "delete",
            "Delete",
            show=False,
            key_display="#",
            id="delete",
            tooltip="Delete the paper with its state (u brings it back)",
        ),
        Binding(
            "m",
            "more_like",
            "More like this",
            show=False,
            id="more_like",
            tooltip="List papers related to this one",
        ),
        Binding(
            "f",
            "cycle_filter",
            "Filter",
            id="cycle_filter",
            tooltip="Cycle: all, inbox, to-read, reading, read, skipped",
        ),
        Binding(
            "o",
            "open_link",
            "Open link",
            show=False,
            id="open_link",
            tooltip="Open the paper's link in the browser",
        ),
        Binding(
            "y",
            "copy_link",
            "Copy link",
            show=False,
            id="copy_link",
            tooltip="Copy the link (or the title) to the clipboard",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="export",
            tooltip="Export this list or the library to a file",
        ),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, id="quit_interrupt"),
    ]

    def __init__(self, library: Library, settings: Settings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or library.settings
        self.status_filter: Status | None = None
        self._related_to: Entry | None = None
        self._query = ""
        self._query_notice: str | None = None
        self._related_timer: Timer | None = None
        self._limit = self.settings.search_limit
        self._total = 0
        self._draft_timer: Timer | None = None
        self._draft_since: float | None = None
        self._draft_session: int | None = None
        self._refused_quit: float | None = None

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder="Search: words, \"phrases\", title:, author:, tag:, status:, "
                        "year:", id="search")  # fmt: skip
        yield Static(id="summary")
        with Horizontal(id="main"):
            yield PaperList(id="results")
            with Vertical(id="side"):
                yield Preview(id="preview")
                yield PersonalPane(id="personal")
        yield Footer(compact=True)

    @property
    def results(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def personal(self) -> PersonalPane:
        return self.query_one(PersonalPane)

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signal_number, self._quit_on_signal)
        self.theme = self.settings.theme
        self.query_one("#personal").border_title = "Your notes (n to edit, escape to save)"
        self.results.focus()
        for notice in self.library.notices:
            self.notify(notice, severity="warning", markup=False, timeout=20)
        if self.library.count() == 0:
            self.push_screen(WelcomeScreen(), self._welcome_closed)
        else:
            self.refresh_results()

    # -- searching -------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._query, self._query_notice = cut_query(event.value)
        self._related_to = None
        self._limit = self.settings.search_limit
        self.refresh_results()

    @on(SearchBox.Cut)
    def _query_cut(self, event: SearchBox.Cut) -> None:
        self.notify(event.notice, severity="warning", markup=False)

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.results.focus()

    def refresh_results(self, keep: str | None = None) -> None:
        """Search again with the current query and filter (in a worker).

        The cursor goes to the best hit, or stays on paper ``keep`` if it is listed.
        """
        state = (
            StateFilter(statuses=frozenset({self.status_filter})) if self.status_filter else None
        )
        self._run_search(self._query, state, keep, self._limit)

    @work(thread=True, exclusive=True, group="search")
    def _run_search(
        self, query: str, state: StateFilter | None, keep: str | None, limit: int
    ) -> None:
        try:
            result = self.library.search_as_you_type(query, limit, state)
        except ShelfError as error:
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._show_summary, str(error), True)
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_results, result, keep)

    def _show_results(self, result: SearchResult, keep: str | None) -> None:
        self._total = result.total
        self.results.show(result.entries, keep)
        self._show_summary(self._describe(result), False)

    def _load_more_at_the_end(self, entry: Entry) -> None:
        """Reaching the last listed paper fetches the next page of results."""
        shown = len(self.results.entries)
        if self._related_to is None and self.results.cursor == shown - 1 and self._total > shown:
            self._limit = shown + self.settings.search_limit
            self.refresh_results(keep=entry.id)

    def _describe(self, result: SearchResult) -> str:
        scope = f"filter: {self.status_filter.value}" if self.status_filter else "all papers"
        about = "" if result.exact else "about "
        text = f"{scope} · {about}{result.total} of {self.library.count()} papers"
        if result.total > len(result.entries):
            text += f" · showing the first {len(result.entries)} (more at the end)"
        if result.total == 0 and result.suggestion:
            text += f" · did you mean: {one_line(result.suggestion)}"
        if result.pending:
            text += f" · {result.pending} papers not indexed yet"
        if self._query_notice:
            text += f" · {self._query_notice}"
        return text

    def _show_summary(self, text: str, error: bool) -> None:
        summary = self.query_one("#summary", Static)
        summary.update(Text(text))
        summary.set_class(error, "-error")

    # -- the highlighted paper -----------------------------------------------------------

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, event: PaperList.Highlighted) -> None:
        entry = event.entry
        if entry is None or entry.id != self.personal.paper_id:
            self._save_notes()  # moving to another paper ends the notes editing session
        shown = entry.paper.abstract[:PREVIEW_CAP] if entry else ""
        spans = self.library.highlight(shown, self._query) if shown else []
        self.query_one(Preview).show(entry, spans)
        self.personal.show(entry)
        if self._related_timer is not None:
            self._related_timer.stop()
            self._related_timer = None
        if entry is not None:
            self._load_more_at_the_end(entry)
            # Related papers are a query over the whole index: wait until the cursor
            # rests, so moving or triaging key after key never pays for them.
            paper_id = entry.id
            self._related_timer = self.set_timer(
                RELATED_DELAY, lambda: self._load_related(paper_id)
            )

    @work(thread=True, exclusive=True, group="related")
    def _load_related(self, paper_id: str) -> None:
        try:
            related = self.library.related(paper_id, 5)
        except ShelfError:
            return  # optional: the search shows what is wrong with the library
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_related, paper_id, related)

    def _show_related(self, paper_id: str, related: list[Entry]) -> None:
        current = self.results.highlighted
        if current is None or current.id != paper_id or not self.is_running:
            return
        with suppress(NoMatches):  # the app is closing: its panes are already gone
            self.query_one(Preview).set_related(related)

    @on(Preview.RelatedChosen)
    def _related_chosen(self, event: Preview.RelatedChosen) -> None:
        self.jump_to(event.paper_id)

    def jump_to(self, paper_id: str) -> None:
        """Show ``paper_id`` in the list (with the papers most like it) and highlight it."""
        if self.results.select_id(paper_id):
            self.results.focus()
            return
        self._show_more_like(paper_id)

    # -- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _NEEDS_PAPER and self.results.highlighted is None:
            return None
        return True

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_cursor(self, delta: int) -> None:
        self.results.move(delta)

    def action_cursor_to(self, where: str) -> None:
        self.results.move_to(0 if where == "first" else len(self.results.entries) - 1)

    def action_page(self, direction: int) -> None:
        self.results.move(direction * self.results.page)

    def action_triage(self, status: str) -> None:
        entry = self.results.highlighted
        if entry is None:
            return
        try:
            self.results.update_entry(self.library.set_status(entry.id, Status(status)))
        except ShelfError as error:
            self._report(error)
            return
        self.results.move(1)

    def action_toggle_star(self) -> None:
        if entry := self.results.highlighted:
            try:
                self.results.update_entry(self.library.toggle_star(entry.id))
            except ShelfError as error:
                self._report(error)

    def _report(self, error: ShelfError, what: str = "") -> None:
        """A library error (a full disk, a damaged file) as a notification: the app carries on."""
        self.notify(f"{what}{error}", severity="error", markup=False, timeout=10)

    def action_add_tag(self) -> None:
        if entry := self.results.highlighted:
            prompt = TagPrompt(f"Add a tag to: {printable(entry.paper.title)[:60]}",
                               self.library.known_tags())  # fmt: skip
            self.push_screen(prompt, lambda tag: self._change_tags(entry.id, tag, adding=True))

    def action_remove_tag(self) -> None:
        if entry := self.results.highlighted:
            if not entry.state.tags:
                self.notify("This paper has no tags.")
                return
            prompt = TagPrompt("Remove which tag?", list(entry.state.tags))
            self.push_screen(prompt, lambda tag: self._change_tags(entry.id, tag, adding=False))

    def _change_tags(self, paper_id: str, tag: str | None, *, adding: bool) -> None:
        if not tag:
            return
        try:
            if adding:
                updated = self.library.update(paper_id, add_tags=[tag])
            else:
                updated = self.library.update(paper_id, remove_tags=[tag])
        except ShelfError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.results.update_entry(updated)

    def action_edit_notes(self) -> None:
        if self.results.highlighted is not None:
            self.personal.editor.focus()

    @on(NotesEditor.Finished)
    def _notes_finished(self, event: NotesEditor.Finished) -> None:
        if not self._save_notes():
            return  # the editor keeps the text (and the focus, on escape) until it saves
        if event.return_focus:
            self.results.focus()
        highlighted = self.results.highlighted
        if highlighted is not None and highlighted.id != self.personal.paper_id:
            self.personal.show(highlighted)  # the unsaved notes of another paper are saved

    @on(TextArea.Changed, "#notes")
    def _notes_typed(self, event: TextArea.Changed) -> None:
        """Save a draft soon after typing pauses, and at least every ``DRAFT_MAX_WAIT``."""
        if self.personal.edited_notes() is None:
            return  # loading a paper's notes, not typing
        now = time.monotonic()
        if self._draft_since is None:
            self._draft_since = now
        delay = min(DRAFT_DELAY, max(0.0, self._draft_since + DRAFT_MAX_WAIT - now))
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(delay, self._save_draft)

    def _save_draft(self) -> bool:
        """Save the notes as typed so far, as part of this editing session's one change.

        False when they could not be saved: they stay in the editor, and another
        try is made a little later (a full disk may have room again by then).
        """
        self._draft_timer, self._draft_since = None, None
        personal = self.personal
        notes = personal.edited_notes()
        if notes is None or personal.paper_id is None:
            return True
        try:
            updated, self._draft_session = self.library.save_draft(
                personal.paper_id, notes, self._draft_session, personal.stored
            )
        except NotesChangedError as changed:  # keep both: theirs goes under what was typed
            notes = personal.keep_both(changed.stored)
            self.notify(
                "These notes were changed by another shelf while you typed; both versions "
                "are kept, yours first.",
                severity="warning",
                timeout=15,
            )
            return self._save_draft()
        except ShelfError as error:
            self._report(error, "Notes not saved (they stay in the editor; retrying): ")
            personal.mark_unsaved()
            self._draft_timer = self.set_timer(DRAFT_RETRY, self._save_draft)
            return False
        personal.mark_saved(notes)
        self.results.update_entry(updated)
        return True

    def _save_notes(self) -> bool:
        """End the notes editing session: save what is typed, then index it.

        False when the notes could not be saved (the editor keeps them).
        """
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if not self._save_draft():
            return False
        if self._draft_session is not None:
            self._draft_session = None
            try:
                self.library.index_changes()
            except ShelfError as error:
                self._report(error)
        return True

    def action_undo(self) -> None:
        self._save_notes()
        try:
            undone = self.library.undo()
        except ShelfError as error:
            self._report(error)
            return
        if not undone:
            self.notify("Nothing to undo.")
            return
        if any(item.came_back for item in undone):
            self.refresh_results(keep=undone[0].entry.id)
            self.notify(f"Brought back {len(undone)} deleted paper(s).")
            return
        for item in undone:
            self.results.update_entry(item.entry)
            self.results.select_id(item.entry.id)
            self.personal.show(item.entry)
        changed = ", ".join(undone[0].shown)
        self.notify(f"Undid the change to {changed}.")

    def action_delete(self) -> None:
        entry = self.results.highlighted
        if entry is None:
            return
        self._save_notes()
        following = self.results.entries[self.results.cursor + 1 :]
        try:
            self.library.delete([entry.id])
        except ShelfError as error:
            self._report(error)
            return
        self.results.drop(entry.id)  # at once: no key may act on a paper that is gone
        self.refresh_results(keep=following[0].id if following else None)
        title = printable(entry.paper.title)[:60]
        self.notify(f"Deleted {title!r}; u brings it back.", markup=False)

    def action_more_like(self) -> None:
        if entry := self.results.highlighted:
            self._show_more_like(entry.id)

    def _show_more_like(self, paper_id: str) -> None:
        try:
            anchor = self.library.get(paper_id)
            related = self.library.related(paper_id, 50)
        except ShelfError as error:  # deleted meanwhile (here or by another shelf)
            self._report(error)
            return
        self._related_to = anchor
        self.results.show([anchor, *related], paper_id)
        self.results.focus()
        title = printable(anchor.paper.title)[:70]
        count = len(related)
        self._show_summary(f"more like: {title} · {count} related (type to search again)", False)

    def action_cycle_filter(self) -> None:
        position = FILTERS.index(self.status_filter)
        self.status_filter = FILTERS[(position + 1) % len(FILTERS)]
        self._related_to = None
        self._limit = self.settings.search_limit
        self.refresh_results()

    def action_open_link(self) -> None:
        entry = self.results.highlighted
        if entry is None:
            return
        if not is_web_url(entry.paper.link):  # never javascript:, file:, or a hidden escape
            self.notify("This paper has no web link.", severity="warning")
            return
        self._open_in_browser(entry.paper.link)

    @work(thread=True, group="browser")
    def _open_in_browser(self, url: str) -> None:
        """Hand the link to the browser module: a program and an argument, never a shell."""
        if not webbrowser.open(url):
            self.call_from_thread(self.notify, f"No browser could open {url}", markup=False)

    def action_copy_link(self) -> None:
        if entry := self.results.highlighted:
            text = entry.paper.link or one_line(entry.paper.title)
            self.copy_to_clipboard(text)
            self.notify(f"Copied: {text}", markup=False)

    def action_export(self) -> None:
        directory = self.settings.export_directory or Path.cwd()
        view = f"This list ({len(self.results.entries)} papers shown)"
        extensions = {writer.name: writer.extension for writer in formats.WRITERS}
        dialog = ExportDialog(extensions, view, directory / "reading-list.md")
        self.push_screen(dialog, self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self._export(request, list(self.results.entries))

    @work(thread=True, exclusive=True, group="export")
    def _export(self, request: ExportRequest, view: list[Entry]) -> None:
        if request.scope == VIEW:
            entries = view
        elif request.scope == EVERYTHING:
            entries = self.library.select()
        else:
            entries = self.library.select(
                state=StateFilter(statuses=frozenset({Status(request.scope)}))
            )
        try:
            path = self.library.export(request.fmt, entries, request.path)
        except ShelfError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.call_from_thread(self.notify, f"Wrote {len(entries)} papers to {path}", markup=False)

    def action_help(self) -> None:
        bindings = [active.binding for active in self.screen.active_bindings.values()]
        self.push_screen(HelpScreen(describe_bindings(bindings, self.get_key_display)))

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Save the notes being typed, then exit: however the app is quit, they are kept.

        Notes that cannot be saved (a full disk) keep the app open, once: quitting
        again within ``QUIT_AGAIN`` seconds quits without them.
        """
        # Not on unmount: by then the screens and their widgets are already gone.
        if self.screen_stack and self.query(PersonalPane) and not self._save_notes():
            now = time.monotonic()
            if self._refused_quit is None or now - self._refused_quit > QUIT_AGAIN:
                self._refused_quit = now
                self.notify(
                    "The notes being typed could not be saved, so shelf is still open. "
                    "Free some space and quit again, or quit again now to leave them.",
                    severity="error",
                    timeout=QUIT_AGAIN,
                )
                return
        super().exit(result, return_code, message)

    def _quit_on_signal(self) -> None:
        """SIGTERM or SIGHUP (the terminal closed): save the notes, then quit regardless."""
        self._refused_quit = time.monotonic()  # no second chance: the terminal may be gone
        self.exit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen = set()
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.id in seen or binding.action in {"quit"}:
                continue
            seen.add(binding.id)
            yield SystemCommand(binding.description, f"key: {binding.key}",
                                partial_action(self, binding.action))  # fmt: skip

    # -- the empty library -----------------------------------------------------------------

    def _welcome_closed(self, load_demo: bool | None) -> None:
        if load_demo:
            self._show_summary("loading the demo papers…", False)
            self._load_demo()
        else:
            self.refresh_results()

    @work(thread=True, exclusive=True, group="import")
    def _load_demo(self) -> None:
        report = self.library.import_paths([demo_file()], fmt="hf-text")
        self.call_from_thread(self.notify, f"Demo papers: {report.summary()}")
        self.call_from_thread(self.refresh_results)


def partial_action(app: App[None], action: str) -> Callable[[], Awaitable[None]]:
    """A palette callback that runs ``action`` (an action string, with arguments) on the app."""

    async def run() -> None:
        await app.run_action(action)

    return run
