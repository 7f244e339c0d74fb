"""The personal pane: the user's status, star and tags for a paper, and the notes editor.

The pane keeps the notes: a draft is saved soon after typing pauses (so a
kill loses at most a second of typing), all drafts of one editing session are
one change to undo, and leaving the editor (or the paper) ends the session and
indexes the notes. Notes that cannot be saved stay in the editor, on their own
paper, and are tried again.
"""

from __future__ import annotations

from time import monotonic

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from shelf.domain import Entry, NotesChangedError, ShelfError
from shelf.domain.text import inert, printable
from shelf.library import Library
from shelf.tui.messages import Highlight, PaperChanged

#: The state line shows at most this much of the tags (an imported 1 MB tag would stall drawing).
TAGS_CAP = 1000
#: Notes being typed are saved this long after the last keystroke...
DRAFT_DELAY = 0.5
#: ...and at least this often while typing goes on, so a kill loses at most a second.
DRAFT_MAX_WAIT = 1.0
#: A save that failed (a full disk) is tried again this often, the text kept meanwhile.
DRAFT_RETRY = 3.0


class NotesEditor(TextArea):
    """Markdown notes; ``escape`` hands focus back and the app saves."""

    # Priority: TextArea's own key handler would otherwise take escape (with
    # tab_behavior="indent" it moves focus to the next widget, the search box).
    BINDINGS = [Binding("escape", "finish", "Save notes", id="notes_done", priority=True)]

    class Finished(Message):
        """The user left the editor: the text should be saved."""

        def __init__(self, return_focus: bool) -> None:
            self.return_focus = return_focus
            """True when the user pressed escape (focus goes back to the list)."""
            super().__init__()

    def action_finish(self) -> None:
        self.post_message(self.Finished(return_focus=True))

    def on_resize(self) -> None:
        # At 80x24 the pane shrinks back from 5 rows of notes to 3 once left, and that
        # scrolled a note edited at its end down to its cursor again.
        if not self.has_focus:
            self.scroll_home(animate=False)

    def on_blur(self) -> None:
        self.scroll_home(animate=False)  # read from the start again, the cursor kept
        self.post_message(self.Finished(return_focus=False))


class PersonalPane(Vertical):
    """Status, star, tags and notes of the highlighted paper; it saves the notes typed."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._library = library
        self._draft_timer: Timer | None = None
        self._draft_since: float | None = None
        self._session: int | None = None
        self.paper_id: str | None = None
        """The paper whose notes the editor holds (None when nothing is selected)."""
        self._loaded = ""
        self.stored = ""
        """The paper's notes as the library stores them, as of the last load or save."""

    def compose(self) -> ComposeResult:
        yield Static(id="state-line")
        yield NotesEditor(id="notes", soft_wrap=True, tab_behavior="indent")

    @property
    def editor(self) -> NotesEditor:
        return self.query_one(NotesEditor)

    def show(self, entry: Entry | None) -> None:
        """Show ``entry``'s state; the notes editor gets its notes unless it is being edited.

        Notes typed but not saved yet (the disk was full) stay in the editor, on
        their own paper, until they are saved: nothing replaces them.
        """
        line = self.query_one("#state-line", Static)
        editor = self.editor
        unsaved = self.edited_notes() is not None
        self._mark_unsaved(unsaved)
        if unsaved and (entry is None or entry.id != self.paper_id):
            return
        if entry is None:
            self.paper_id = None
            line.update("")
            editor.load_text("")
            editor.disabled = True
            return
        editor.disabled = False
        state = entry.state
        text = Text()
        text.append(f"{state.status.glyph} {state.status.value}", style="bold")
        text.append(" · ")
        text.append("★ starred" if state.starred else "☆ not starred")
        text.append(" · tags: ")
        tags = ", ".join(printable(tag[:TAGS_CAP]) for tag in state.tags)
        if len(tags) > TAGS_CAP:
            tags = tags[:TAGS_CAP] + "…"
        text.append(tags or "none", style="italic")
        line.update(text)
        if entry.id != self.paper_id or not editor.has_focus:
            self.paper_id = entry.id
            self.stored = state.notes
            self._loaded = inert(state.notes)
            if editor.text != self._loaded:
                editor.load_text(self._loaded)

    def on_mount(self) -> None:
        self.border_title = "Your notes (n to edit, escape to save)"
        self.watch(self.screen, "highlight", self._follow)

    def _follow(self, highlight: Highlight) -> None:
        self.show(highlight.entry)

    def edited_notes(self) -> str | None:
        """The notes as typed, or None when the user has not changed what was loaded."""
        text = self.editor.text
        return None if self.paper_id is None or text == self._loaded else text

    # -- saving ------------------------------------------------------------------------

    @on(TextArea.Changed, "#notes")
    def _notes_typed(self) -> None:
        """Save a draft soon after typing pauses, and at least every ``DRAFT_MAX_WAIT``."""
        if self.edited_notes() is None:
            return  # loading a paper's notes, not typing
        now = monotonic()
        if self._draft_since is None:
            self._draft_since = now
        if self._draft_timer is not None:
            self._draft_timer.stop()
        delay = min(DRAFT_DELAY, self._draft_since + DRAFT_MAX_WAIT - now)
        if delay <= 0:  # typing went on the longest wait: now (a timer of no delay never fires)
            self._save_draft()
        else:
            self._draft_timer = self.set_timer(delay, self._save_draft)

    def save(self) -> bool:
        """End the notes editing session: save what is typed, then index it.

        False when the notes could not be saved (the editor keeps them).
        """
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if not self._save_draft():
            return False
        if self._session is not None:
            self._session = None
            try:
                self._library.index_changes()
            except ShelfError as error:
                self.notify(str(error), severity="error", markup=False, timeout=10)
        return True

    def _save_draft(self) -> bool:
        """Save the notes as typed so far, as part of this editing session's one change.

        False when they could not be saved: they stay in the editor, and another
        try is made a little later (a full disk may have room again by then).
        """
        self._draft_timer, self._draft_since = None, None
        notes = self.edited_notes()
        if notes is None or self.paper_id is None:
            return True
        try:
            updated, self._session = self._library.save_draft(
                self.paper_id, notes, self._session, self.stored
            )
        except NotesChangedError as changed:  # keep both: theirs goes under what was typed
            self._keep_both(changed.stored)
            self.notify(
                "These notes were changed by another shelf while you typed; both versions "
                "are kept, yours first.",
                severity="warning",
                timeout=15,
            )
            return self._save_draft()
        except ShelfError as error:
            message = f"Notes not saved (they stay in the editor; retrying): {error}"
            self.notify(message, severity="error", markup=False, timeout=10)
            self._mark_unsaved(True)
            self._draft_timer = self.set_timer(DRAFT_RETRY, self._save_draft)
            return False
        self._loaded = self.stored = notes
        self._mark_unsaved(False)
        self.post_message(PaperChanged(updated))
        return True

    def _mark_unsaved(self, unsaved: bool) -> None:
        """Say on the pane whether the notes in the editor are still to be saved."""
        self.set_class(unsaved, "-unsaved")
        self.border_subtitle = "not saved yet: escape tries again" if unsaved else ""

    @on(NotesEditor.Finished)
    def _editor_left(self, event: NotesEditor.Finished) -> None:
        """Leaving the editor ends the session; notes that could not be saved keep it open."""
        if not self.save():
            event.stop()  # the editor keeps the text (and the focus, on escape)

    def _keep_both(self, theirs: str) -> None:
        """Another process saved ``theirs`` while this editor held other text: put theirs
        under what was typed here, so both versions are saved."""
        mine = self.editor.text.rstrip("\n")  # a space typed last is kept: typing goes on
        both = f"{mine}\n\n{CHANGED_ELSEWHERE}\n{theirs}"
        self.editor.load_text(both)
        lines = mine.split("\n")  # typing goes on at the end of what was typed here
        self.editor.move_cursor((len(lines) - 1, len(lines[-1])))
        self.stored = theirs
        self._loaded = inert(theirs)


#: The line between what was typed here and what another process saved meanwhile.
CHANGED_ELSEWHERE = "---- saved meanwhile by another shelf ----"
