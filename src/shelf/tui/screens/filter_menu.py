"""The filter menu: which papers the list shows, by reading state or star."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from shelf.domain import StateFilter, Status

#: What the list can be filtered to: None is every paper.
Choice = Status | Literal["starred"] | None
#: The menu's rows, in order (``f`` in the menu takes the one after the current).
CHOICES: tuple[Choice, ...] = (None, *Status, "starred")


def name_of(choice: Choice) -> str:
    """The choice as the menu and the summary line name it."""
    if choice is None:
        return "all"
    return choice.value if isinstance(choice, Status) else choice


def state_of(choice: Choice) -> StateFilter | None:
    """The reading-state filter of ``choice`` (None lets every paper through)."""
    if choice is None:
        return None
    if isinstance(choice, Status):
        return StateFilter(statuses=frozenset({choice}))
    return StateFilter(starred=True)


class FilterMenu(ModalScreen[tuple[Choice] | None]):
    """Asks which papers to list; returns (the choice,), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter_cancel"),
        Binding("f", "next", "Next filter", id="filter_next",
                tooltip="Take the filter after the current one (f f cycles)"),
    ]  # fmt: skip

    def __init__(self, current: Choice) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="filter-menu"):
            yield Label("Show which papers?", classes="dialog-title")
            yield OptionList(
                *(Option(name_of(choice), id=name_of(choice)) for choice in CHOICES),
                id="filter-choices",
            )
            yield Label("enter picks · f the next · escape", classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = CHOICES.index(self._current)
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((CHOICES[event.option_index],))

    def action_next(self) -> None:
        self.dismiss((CHOICES[(CHOICES.index(self._current) + 1) % len(CHOICES)],))

    def action_cancel(self) -> None:
        self.dismiss(None)
