"""The copy menu (``y``): the paper's link, its BibTeX entry, its citation key or a Markdown line.

Each text is the one an export gives: the entry ``shelf export --format bibtex``
writes for this paper, under the key it uses, and the line of the Markdown
reading list, escaped the same way. The app puts the text on the clipboard with
an OSC 52 sequence (``App.copy_to_clipboard``), which also works over SSH.
"""

from __future__ import annotations

from enum import Enum

from textual.binding import Binding
from textual.widgets import OptionList

from shelf.domain import Entry
from shelf.domain.text import printable
from shelf.formats.citing import Cite, cite
from shelf.tui.screens.pick_menu import PickMenu


class Copy(Enum):
    """What the copy menu offers, in its order; the value is the key that picks it."""

    LINK = "l"
    BIBTEX = "b"
    KEY = "k"
    MARKDOWN = "m"

    @property
    def label(self) -> str:
        """The choice as the menu and the notification name it."""
        return _LABELS[self]


_LABELS = {
    Copy.LINK: "the link",
    Copy.BIBTEX: "the BibTeX entry",
    Copy.KEY: "the citation key",
    Copy.MARKDOWN: "a Markdown line",
}


def copied(choice: Copy, entry: Entry) -> tuple[str, str] | None:
    """The text ``choice`` copies of ``entry``, and the notification saying what it was;
    None when the paper has no such thing (only a link can be missing)."""
    text = cite(Cite[choice.name], entry)
    if text is None:
        return None
    title = printable(entry.paper.title)[:60]
    if choice is Copy.LINK:
        return text, f"Copied the link: {printable(text)}"
    if choice is Copy.BIBTEX:
        return text, f"Copied the BibTeX entry {cite(Cite.KEY, entry)} ({title})"
    if choice is Copy.KEY:
        return text, f"Copied the citation key: {text}"
    return text, f"Copied a Markdown line for {title!r}"


class CopyMenu(PickMenu[Copy]):
    """Asks what to copy; returns (the choice,), or None when cancelled."""

    QUESTION = "Copy to the clipboard:"
    HINT = "enter, y or the letter copies\nescape cancels"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="copy_cancel"),
        Binding("y", "pick_highlighted", "Copy", id="copy_highlighted",
                tooltip="Copy the highlighted choice (y y copies the link)"),
        *(Binding(choice.value, f"pick('{choice.value}')", f"Copy {choice.label}",
                  id=f"copy_{choice.name.lower()}") for choice in Copy),
    ]  # fmt: skip

    def __init__(self) -> None:
        names = [f"{choice.value}  {choice.label}" for choice in Copy]
        super().__init__(list(Copy), names, Copy.LINK)

    def action_pick(self, letter: str) -> None:
        self.dismiss((Copy(letter),))

    def action_pick_highlighted(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        self.dismiss((list(Copy)[highlighted or 0],))
