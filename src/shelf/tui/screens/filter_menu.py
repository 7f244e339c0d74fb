"""The filter menu: which papers the list shows, by reading state or star."""

from __future__ import annotations

from typing import Literal

from textual.binding import Binding

from shelf.domain import StateFilter, Status
from shelf.tui.screens.pick_menu import PickMenu

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


class FilterMenu(PickMenu[Choice]):
    """Asks which papers to list; returns (the choice,), or None when cancelled."""

    QUESTION = "Show which papers?"
    NEXT_KEY = "f"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter_cancel"),
        Binding("f", "next", "Next filter", id="filter_next",
                tooltip="Take the filter after the current one (f f cycles)"),
    ]  # fmt: skip

    def __init__(self, current: Choice) -> None:
        super().__init__(CHOICES, [name_of(choice) for choice in CHOICES], current)
