"""The keys that change papers, on a selection: triage, star, tag, untag, delete, merge.

With papers selected (``selecting``), each of these keys changes them all as
ONE action (``Library.update_many``, ``Library.delete``): one ``u`` takes the
whole batch back, and the notification says how many papers changed. With
nothing selected they act on the highlighted paper, as ``paper_actions`` does.

The selection is kept after a change, so that a tag and then a status can be
given to the same papers, and the cursor stays where it is; only a delete
empties it (the papers are gone). ``escape`` clears it.
"""

from __future__ import annotations

from collections.abc import Callable

from shelf.domain import Entry, ShelfError, Status
from shelf.domain.text import printable
from shelf.tui.screens.prompt import TagPrompt
from shelf.tui.screens.selecting import Selecting


class BulkActions(Selecting):
    """The main screen's changing keys, for a selection as for one paper."""

    def _selected_entries(self) -> list[Entry]:
        """The selected papers still in the library (one gone meanwhile is unselected)."""
        selected = self.selection
        entries = self.library.entries_of(selected)
        if len(entries) < len(selected):
            self.select_papers(list(set(selected) - {entry.id for entry in entries}), False)
        return entries

    def _change_selection(self, said: str, change: Callable[[list[str]], list[Entry]]) -> None:
        """Make ``change`` (one ``Library.update_many``) to every selected paper; say
        ``said`` and how many papers changed."""
        entries = self._selected_entries()
        try:
            changed = change([entry.id for entry in entries])
        except ShelfError as error:
            self._report(error)
            return
        for entry in changed:
            self.results.update_entry(entry)
        self.notify(_told(said, len(changed), len(entries)), markup=False)

    def action_triage(self, status: str) -> None:
        if not self.selection:
            super().action_triage(status)
            return
        self._change_selection(
            f"Marked {status}", lambda ids: self.library.update_many(ids, status=Status(status))
        )

    def action_toggle_star(self) -> None:
        if not self.selection:
            super().action_toggle_star()
            return
        # Star them all, unless all are starred already: then unstar them all.
        starring = not all(entry.state.starred for entry in self._selected_entries())
        self._change_selection(
            "Starred" if starring else "Unstarred",
            lambda ids: self.library.update_many(ids, starred=starring),
        )

    def action_add_tag(self) -> None:
        if not (selected := self.selection):
            super().action_add_tag()
            return
        prompt = TagPrompt(f"Add a tag to the {len(selected)} selected papers",
                           self.library.known_tags())  # fmt: skip
        self.app.push_screen(prompt, self._tag_chosen)

    def _tag_chosen(self, tag: str | None) -> None:
        if tag:
            self._change_selection(
                f"Tagged {tag!r}", lambda ids: self.library.update_many(ids, add_tags=[tag])
            )

    def action_remove_tag(self) -> None:
        if not (selected := self.selection):
            super().action_remove_tag()
            return
        tags = sorted({tag for entry in self._selected_entries() for tag in entry.state.tags})
        if not tags:
            self.notify("The selected papers have no tags.")
            return
        prompt = TagPrompt(f"Remove which tag from the {len(selected)} selected papers?", tags)
        self.app.push_screen(prompt, self._untag_chosen)

    def _untag_chosen(self, tag: str | None) -> None:
        if tag:
            self._change_selection(
                f"Untagged {tag!r}", lambda ids: self.library.update_many(ids, remove_tags=[tag])
            )

    def action_delete(self) -> None:
        if not self.selection:
            super().action_delete()
            return
        self.save_notes()
        entries = self._selected_entries()
        gone = {entry.id for entry in entries}
        rows = self.results.entries[self.results.cursor :]
        kept = next((entry.id for entry in rows if entry.id not in gone), None)
        try:
            self.library.delete([entry.id for entry in entries])
        except ShelfError as error:
            self._report(error)
            return
        for paper_id in gone:
            self.results.drop(paper_id)  # at once: no key may act on a paper that is gone
        self.unselect_all()
        self.refresh_results(keep=kept)
        self.notify(f"Deleted {_papers(len(entries))}; u brings them back.", markup=False)

    def action_merge_selected(self) -> None:
        """Merge the second of two selected papers into the first (as ``shelf merge``)."""
        selected = self.selection
        if len(selected) != 2:
            self.notify("Select the two copies of a paper (space) to merge them.",
                        severity="warning")  # fmt: skip
            return
        self.save_notes()
        try:
            merged = self.library.merge(*selected)
        except ShelfError as error:
            self._report(error)
            return
        self.results.drop(merged.removed.id)
        self.unselect_all()
        self.refresh_results(keep=merged.entry.id)
        title = printable(merged.entry.paper.title)[:60]
        self.notify(f"Merged {merged.removed.id} into {merged.entry.id} ({title}); "
                    "u takes it back.", markup=False)  # fmt: skip


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"


def _told(said: str, changed: int, asked: int) -> str:
    """What a change to a selection did: "Marked read: 5 papers (2 already were)"."""
    text = f"{said}: {_papers(changed)}"
    if changed < asked:
        text += f" ({asked - changed} already {'was' if asked - changed == 1 else 'were'})"
    return text
