"""A small menu that picks one of a few choices: the filter menu and the sort menu.

Enter picks the highlighted choice; the key that opened the menu, pressed
again, takes the choice after the current one (so ``f f`` cycles); escape
cancels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

T = TypeVar("T")


class PickMenu(ModalScreen[tuple[T] | None], Generic[T]):
    """Asks for one of ``choices``; returns (the choice,), or None when cancelled.

    A subclass binds its own ``cancel`` and ``next`` keys (each with its own id).
    """

    QUESTION: ClassVar[str] = ""
    """The menu's title."""
    NEXT_KEY: ClassVar[str] = ""
    """The key of ``next``, as the hint names it."""
    HINT: ClassVar[str] = ""
    """The line under the choices, when a menu's keys are not enter, ``next`` and escape."""

    def __init__(self, choices: Sequence[T], names: Sequence[str], current: T) -> None:
        super().__init__()
        self._choices = list(choices)
        self._names = list(names)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog pick-menu"):
            yield Label(self.QUESTION, classes="dialog-title")
            yield OptionList(*(Option(name, id=name) for name in self._names))
            hint = self.HINT or f"enter picks · {self.NEXT_KEY} next · escape cancels"
            yield Label(hint, classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = self._choices.index(self._current)
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((self._choices[event.option_index],))

    def action_next(self) -> None:
        following = (self._choices.index(self._current) + 1) % len(self._choices)
        self.dismiss((self._choices[following],))

    def action_cancel(self) -> None:
        self.dismiss(None)
