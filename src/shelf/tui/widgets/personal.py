"""The personal pane: the user's status, star and tags for a paper, and the notes editor."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, TextArea

from shelf.domain import Entry
from shelf.domain.text import inert, printable

#: The state line shows at most this much of the tags (an imported 1 MB tag would stall drawing).
TAGS_CAP = 1000


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

    def on_blur(self) -> None:
        self.post_message(self.Finished(return_focus=False))


class PersonalPane(Vertical):
    """Status, star, tags and notes of the highlighted paper."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
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
        self.set_class(unsaved, "-unsaved")
        self.border_subtitle = "not saved yet: escape tries again" if unsaved else ""
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
        text.append("   ")
        text.append("★ starred" if state.starred else "☆ not starred")
        text.append("   tags: ")
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

    def edited_notes(self) -> str | None:
        """The notes as typed, or None when the user has not changed what was loaded."""
        text = self.editor.text
        return None if self.paper_id is None or text == self._loaded else text

    def mark_saved(self, text: str) -> None:
        """``text`` (what the editor held when it was saved) is now what is stored."""
        self._loaded = text
        self.stored = text
        self.set_class(False, "-unsaved")
        self.border_subtitle = ""

    def mark_unsaved(self) -> None:
        """The notes in the editor could not be saved: say so on the pane."""
        self.set_class(True, "-unsaved")
        self.border_subtitle = "not saved yet: escape tries again"

    def keep_both(self, theirs: str) -> str:
        """Another process saved ``theirs`` while this editor held other text: put theirs
        under what was typed here, and return the text to save (both versions)."""
        mine = self.editor.text.rstrip("\n")
        both = f"{mine}\n\n{CHANGED_ELSEWHERE}\n{theirs}"
        self.editor.load_text(both)
        lines = mine.split("\n")  # typing goes on at the end of what was typed here
        self.editor.move_cursor((len(lines) - 1, len(lines[-1])))
        self.stored = theirs
        self._loaded = inert(theirs)
        return both


#: The line between what was typed here and what another process saved meanwhile.
CHANGED_ELSEWHERE = "---- saved meanwhile by another shelf ----"
