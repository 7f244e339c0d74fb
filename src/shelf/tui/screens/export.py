"""The export dialog: which format, which papers, and where to write them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select

from shelf import formats
from shelf.config import Settings
from shelf.domain import Entry, ShelfError, StateFilter, Status
from shelf.library import Library
from shelf.paths import expand

VIEW = "view"
EVERYTHING = "all"


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the user asked to export."""

    fmt: str
    scope: str
    """``view`` (the current list), ``all``, or a status value."""
    path: Path

    def entries(self, library: Library, view: Sequence[Entry]) -> list[Entry]:
        """The papers asked for: ``view`` (those listed), the library, or one status."""
        if self.scope == VIEW:
            return list(view)
        if self.scope == EVERYTHING:
            return library.select()
        return library.select(state=StateFilter(statuses=frozenset({Status(self.scope)})))


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Asks for format, scope and path; returns None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export_cancel")]

    def __init__(self, formats: dict[str, str], view_label: str, default_path: Path) -> None:
        """``formats`` maps each export format's name to its file extension."""
        super().__init__()
        self._formats = formats
        self._view_label = view_label
        self._default_path = default_path

    @classmethod
    def for_list(cls, shown: int, settings: Settings) -> ExportDialog:
        """The dialog offering every export format, for a list of ``shown`` papers."""
        extensions = {writer.name: writer.extension for writer in formats.WRITERS}
        directory = settings.export_directory or Path.cwd()
        return cls(extensions, f"This list ({shown} papers shown)", directory / "reading-list.md")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label("Export the reading list", classes="dialog-title")
            yield Label("Format")
            yield Select(
                [(name.capitalize(), name) for name in self._formats],
                value=next(iter(self._formats)),
                allow_blank=False,
                id="export-format",
            )
            yield Label("Papers")
            with RadioSet(id="export-scope"):
                yield RadioButton(self._view_label, value=True, name=VIEW)
                yield RadioButton("The whole library", name=EVERYTHING)
                for status in Status:
                    yield RadioButton(f"Only {status.value}", name=status.value)
            yield Label("File")
            yield Input(str(self._default_path), id="export-path")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Keep the file name's extension in step with the chosen format."""
        extension = self._formats.get(str(event.value))
        path_input = self.query_one("#export-path", Input)
        typed = Path(path_input.value.strip())
        if extension and typed.name:  # a bare folder ("/", ".") has no name to change
            path_input.value = str(typed.with_suffix(extension))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            self._submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def _submit(self) -> None:
        path_text = self.query_one("#export-path", Input).value.strip()
        if not path_text:
            self.notify("Type a file name to export to.", severity="warning")
            return
        pressed = self.query_one("#export-scope", RadioSet).pressed_button
        scope = pressed.name if pressed is not None and pressed.name else VIEW
        fmt = self.query_one("#export-format", Select).value
        try:
            path = expand(Path(path_text))
        except ShelfError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.dismiss(ExportRequest(str(fmt), scope, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
