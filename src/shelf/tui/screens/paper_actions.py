"""The main screen's keys that act on the highlighted paper: triage, star, tags, notes,
undo, delete, links.

A triage key is a sub-millisecond SQLite write, done at once so that the user
never sees a change that is not yet saved; a failure is a notification.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path

from textual import on, work
from textual.screen import Screen

from shelf.domain import Entry, ShelfError, Status, Undone
from shelf.domain.reading_list import ListStep
from shelf.domain.text import is_web_url, printable
from shelf.library import Library
from shelf.tui.screens.copy_menu import Copy, CopyMenu, copied
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.widgets.paper_list import PaperList
from shelf.tui.widgets.personal import NotesEditor, PersonalPane


class PaperActions(Screen[None]):
    """The half of the main screen that changes papers (``MainScreen`` is the other)."""

    library: Library

    def refresh_results(self, keep: str | None = None) -> None:
        """Search again, keeping the cursor on ``keep`` (the main screen does this)."""
        raise NotImplementedError

    @property
    def results(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def personal(self) -> PersonalPane:
        return self.query_one(PersonalPane)

    def save_notes(self) -> bool:
        """Save the notes being typed; False when they could not be (they stay)."""
        return self.personal.save()

    def _report(self, error: ShelfError) -> None:
        """A library error (a full disk, a damaged file) as a notification: the app carries on."""
        self.notify(str(error), severity="error", markup=False, timeout=10)

    def _change(self, change: Callable[[], Entry]) -> bool:
        """Make ``change`` to a paper and show the paper it returns; False when it failed."""
        try:
            self.results.update_entry(change())
        except ShelfError as error:
            self._report(error)
            return False
        return True

    def action_triage(self, status: str) -> None:
        entry = self.results.highlighted
        if entry and self._change(lambda: self.library.update(entry.id, status=Status(status))):
            self.results.move(1)

    def action_toggle_star(self) -> None:
        if entry := self.results.highlighted:
            self._change(lambda: self._toggle_star(entry.id))

    def _toggle_star(self, paper_id: str) -> Entry:
        starred = self.library.get(paper_id).state.starred  # as stored, whatever is shown
        return self.library.update(paper_id, starred=not starred)

    def action_add_tag(self) -> None:
        if entry := self.results.highlighted:
            prompt = TagPrompt(f"Add a tag to: {printable(entry.paper.title)[:60]}",
                               self.library.known_tags())  # fmt: skip
            self.app.push_screen(prompt, lambda tag: self._change_tags(entry.id, tag, True))

    def action_remove_tag(self) -> None:
        if entry := self.results.highlighted:
            if not entry.state.tags:
                self.notify("This paper has no tags.")
                return
            prompt = TagPrompt("Remove which tag?", list(entry.state.tags))
            self.app.push_screen(prompt, lambda tag: self._change_tags(entry.id, tag, False))

    def _change_tags(self, paper_id: str, tag: str | None, adding: bool) -> None:
        if tag:
            added, removed = ([tag], []) if adding else ([], [tag])
            self._change(lambda: self.library.update(paper_id, add_tags=added, remove_tags=removed))

    def action_edit_notes(self) -> None:
        if self.results.highlighted is not None:
            self.personal.editor.focus()

    @on(NotesEditor.Finished)
    def _notes_finished(self, event: NotesEditor.Finished) -> None:
        """The pane saved the notes (it stops the message when it could not)."""
        if event.return_focus:
            self.results.focus()
        highlighted = self.results.highlighted
        if highlighted is not None and highlighted.id != self.personal.paper_id:
            self.personal.show(highlighted)  # the unsaved notes of another paper are saved

    def action_undo(self) -> None:
        self._step_in_history(self.library.undo, "Undone", "Nothing to undo.")

    def action_redo(self) -> None:
        self._step_in_history(self.library.redo, "Redone", "Nothing to redo.")

    def _step_in_history(
        self, step: Callable[[], list[Undone | ListStep]], done: str, none: str
    ) -> None:
        self.save_notes()
        try:
            stepped = step()
        except ShelfError as error:
            self._report(error)
            return
        if not stepped:
            self.notify(none)
            return
        self.notify(f"{done}: {_many(stepped)}", markup=False)
        changed = [item for item in stepped if isinstance(item, Undone)]
        if len(changed) < len(stepped):  # a reading list changed: the list shown may hold it
            self.refresh_results(
                keep=self.results.highlighted.id if self.results.highlighted else None
            )
        elif any(item.came_back or item.gone for item in changed):
            following = self.results.entries[self.results.cursor + 1 :]
            for item in changed:
                if item.gone:
                    self.results.drop(item.entry.id)  # at once: no key may act on it
            kept = next((i.entry.id for i in changed if not i.gone), None)
            self.refresh_results(keep=kept or (following[0].id if following else None))
        else:
            for item in changed:
                self.results.update_entry(item.entry)
                self.results.select_id(item.entry.id)
                self.personal.show(item.entry)

    def action_delete(self) -> None:
        if (entry := self.results.highlighted) is None:
            return
        self.save_notes()
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

    def action_open_link(self) -> None:
        if (entry := self.results.highlighted) is None:
            return
        if not is_web_url(entry.paper.link):  # never javascript:, file:, or a hidden escape
            self.notify("This paper has no web link.", severity="warning")
            return
        self._open_in_browser(entry.paper.link)

    def action_open_pdf(self) -> None:
        """Open the PDF: the arXiv one, the imported entry's, or the attached file."""
        if (highlighted := self.results.highlighted) is None:
            return
        try:
            entry = self.library.get(highlighted.id)  # attached since, by `shelf attach`
        except ShelfError as error:
            self._report(error)
            return
        found = self.library.pdf(entry)  # a web link, or the absolute path of a file
        if found is None:
            self.notify(_NO_PDF, severity="warning", markup=False)
            return
        url = found if is_web_url(found) else Path(found).as_uri()
        self.notify(f"Opening {url}", markup=False)
        self._open_in_browser(url)

    @work(thread=True, exit_on_error=False, group="browser")
    def _open_in_browser(self, url: str) -> None:
        """Hand the link to the browser module: a program and an argument, never a shell."""
        if not webbrowser.open(url):
            raise ShelfError(f"No browser could open {url}")

    def action_copy_link(self) -> None:
        """The copy menu: the link, the BibTeX entry, the citation key or a Markdown line."""
        if entry := self.results.highlighted:
            self.app.push_screen(CopyMenu(), lambda chosen: self._copy(entry, chosen))

    def _copy(self, entry: Entry, chosen: tuple[Copy] | None) -> None:
        if chosen is None:
            return
        made = copied(chosen[0], entry)
        if made is None:
            self.notify("This paper has no web link.", severity="warning")
            return
        text, said = made
        self.app.copy_to_clipboard(text)
        self.notify(said, markup=False)


_NO_PDF = "This paper has no PDF: no arXiv id, none named by its BibTeX entry, none attached."


def _many(undone: Sequence[Undone | ListStep]) -> str:
    """What one undo put back, paper by paper (the first, and how many more)."""
    others = len(undone) - 1
    more = f" (and {others} more {'paper' if others == 1 else 'papers'})" if others else ""
    return undone[0].described + more
