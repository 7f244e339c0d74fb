"""A one-line prompt with completion, for adding and removing tags."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label


class TagPrompt(ModalScreen[str | None]):
    """Asks for a tag; ``right`` accepts the completion; returns None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt_cancel")]

    def __init__(self, title: str, suggestions: list[str]) -> None:
        super().__init__()
        self._title = title
        self._suggestions = suggestions

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Input(
                placeholder=", ".join(self._suggestions[:5]) or "a tag",
                suggester=SuggestFromList(self._suggestions, case_sensitive=False),
                id="prompt-input",
            )
            yield Label(
                "enter to accept, right arrow to complete, escape to cancel", classes="hint"
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
