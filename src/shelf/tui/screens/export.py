"""The export dialog: which format, which papers, and where to write them.

It fits a terminal of 80x24: the format and the papers are two drop-downs on one
row, with one field under them for the tag or the query those choices need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from shelf import formats
from shelf.config import Settings
from shelf.domain import Entry, ShelfError, StateFilter, Status
from shelf.domain.query import describe_selection
from shelf.domain.selection import Selection
from shelf.library import Library
from shelf.paths import expand

VIEW = "view"
SELECTED = "selected"
EVERYTHING = "all"
STARRED = "starred"
TAGGED = "tag"
MATCHING = "query"
#: The choices that need a word typed in the detail field, and what it asks for.
_NEEDS_DETAIL = {TAGGED: "the tag", MATCHING: "the query"}


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the user asked to export."""

    fmt: str
    scope: str
    """``view`` (every match of the list), ``all``, a status value, ``starred``, ``tag``
    or ``query``."""
    path: Path
    detail: str = ""
    """The tag (``tag``) or the query (``query``)."""
    selected: tuple[str, ...] = ()
    """The selected papers, in list order (``selected``)."""
    reading_list: str = ""
    """The reading list shown (``view`` is then that list, whole, in its order)."""

    def asks_for_skipped(self, state: StateFilter | None) -> bool:
        """Whether skipped papers were asked for (else a Markdown list leaves them out): a
        selection is written whole."""
        skipped = Status.SKIPPED
        listed = self.scope == VIEW and state is not None and skipped in state.statuses
        whole = self.scope == VIEW and bool(self.reading_list)
        return listed or whole or self.scope in (skipped.value, SELECTED)

    def select(
        self, library: Library, query: str, state: StateFilter | None, related: Sequence[Entry]
    ) -> tuple[Selection, str]:
        """The papers asked for, and in words which they are (``Writer.chunks``'s ``about``).

        ``view`` is every match of the list's ``query`` and ``state``, or the papers
        ``related`` to one when those are listed.
        """
        if self.scope == VIEW:
            if self.reading_list:
                return library.select_list(self.reading_list), ""
            if related:
                return Selection.of(related), "papers related to one"
            statuses = sorted(s.value for s in state.statuses) if state else []
            starred = bool(state and state.starred)
            return library.select(query, state), describe_selection(statuses, (), starred, query)
        if self.scope == SELECTED:
            return Selection.of(library.entries_of(self.selected)), "selected papers"
        if self.scope == EVERYTHING:
            return library.select(), ""
        if self.scope == STARRED:
            return library.select(state=StateFilter(starred=True)), describe_selection(starred=True)
        if self.scope == TAGGED:
            tagged = StateFilter(tags=frozenset({self.detail}))
            return library.select(state=tagged), describe_selection(tags=[self.detail])
        if self.scope == MATCHING:
            return library.select(self.detail), describe_selection(query=self.detail)
        status = StateFilter(statuses=frozenset({Status(self.scope)}))
        return library.select(state=status), describe_selection([self.scope])


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Asks for format, papers and path; returns None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export_cancel")]

    def __init__(self, formats: dict[str, str], view_label: str, default_path: Path,
                 selected: Sequence[str] = ()) -> None:  # fmt: skip
        """``formats`` maps each export format's name to its file extension; ``selected``
        papers are offered first (and chosen) when there are some."""
        super().__init__()
        self._formats = formats
        self._selected = tuple(selected)
        self._view_label = view_label
        self._default_path = default_path
        self._replacing: Path | None = None
        """The existing file the user was told an export replaces (enter again confirms)."""

    @classmethod
    def for_list(
        cls, matches: int, settings: Settings, selected: Sequence[str] = ()
    ) -> ExportDialog:
        """The dialog offering every export format, for a list of ``matches`` papers and
        the ``selected`` ones, if any."""
        extensions = {writer.name: writer.extension for writer in formats.WRITERS}
        directory = settings.export_directory or Path.cwd()
        view = f"This list ({matches:,} papers)"
        return cls(extensions, view, directory / "reading-list.md", selected)

    def compose(self) -> ComposeResult:
        scopes = [(self._view_label, VIEW), ("The whole library", EVERYTHING)]
        if self._selected:
            scopes.insert(0, (f"The selection ({len(self._selected):,} papers)", SELECTED))
        scopes += [(f"Only {status.value}", status.value) for status in Status]
        scopes += [("Starred papers", STARRED), ("With a tag…", TAGGED),
                   ("Matching a query…", MATCHING)]  # fmt: skip
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label("Export the reading list", classes="dialog-title")
            with Horizontal(id="export-choices"):
                with Vertical():
                    yield Label("Format")
                    yield Select(
                        [(name.capitalize(), name) for name in self._formats],
                        value=next(iter(self._formats)), allow_blank=False, id="export-format",
                    )  # fmt: skip
                with Vertical():
                    yield Label("Papers")
                    yield Select(scopes, value=scopes[0][1], allow_blank=False,
                                 id="export-scope")  # fmt: skip
            yield Input(placeholder="the tag or the query, for those choices",
                        id="export-detail", disabled=True)  # fmt: skip
            yield Label("File")
            yield Input(str(self._default_path), id="export-path")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-scope":
            detail = self.query_one("#export-detail", Input)
            detail.disabled = str(event.value) not in _NEEDS_DETAIL
            if not detail.disabled:
                detail.focus()
            return
        # Keep the file name's extension in step with the chosen format.
        extension = self._formats.get(str(event.value))
        path_input = self.query_one("#export-path", Input)
        typed = Path(path_input.value.strip())
        if extension and typed.name:  # a bare folder ("/", ".") has no name to change
            path_input.value = str(typed.with_suffix(extension))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "export-path" and self._replacing is not None:
            self._replacing = None  # another file: asked again if it exists
            self.query_one("#export-go", Button).label = "Export"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            self._submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "export-detail":
            self.query_one("#export-path", Input).focus()
            return
        self._submit()

    def _submit(self) -> None:
        path_text = self.query_one("#export-path", Input).value.strip()
        if not path_text:
            self.notify("Type a file name to export to.", severity="warning")
            return
        scope = str(self.query_one("#export-scope", Select).value)
        detail = self.query_one("#export-detail", Input).value.strip()
        if scope in _NEEDS_DETAIL and not detail:
            self.notify(f"Type {_NEEDS_DETAIL[scope]} to export.", severity="warning")
            self.query_one("#export-detail", Input).focus()
            return
        fmt = self.query_one("#export-format", Select).value
        try:
            path = expand(Path(path_text))
        except ShelfError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        if path.is_file() and path != self._replacing:
            # Enter on the default path must not silently replace a file of the user's.
            self._replacing = path
            self.query_one("#export-go", Button).label = "Replace"
            self.notify(f"{path} exists: Replace (or enter again) replaces it.",
                        severity="warning", markup=False)  # fmt: skip
            return
        self.dismiss(ExportRequest(str(fmt), scope, path, detail, self._selected))

    def action_cancel(self) -> None:
        self.dismiss(None)
