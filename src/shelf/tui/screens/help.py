"""The help screen, generated from the bindings that are active where it was opened."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Every active key, its binding id (for ``[keymap]``) and what it does."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help_close")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        # The keys as wide as the widest, and most of the rest for what they do: at
        # 120x40 a row is one line where it can be (it was two or three).
        table.add_column(Text("key"), no_wrap=True)
        table.add_column(Text("does"), ratio=5)
        table.add_column(Text("binding id, for [keymap]"), style="dim", ratio=3)
        for keys, description, binding_id in self._rows:
            table.add_row(Text(keys, style="bold"), Text(description), Text(binding_id))
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            yield Static(table)
            yield Static(
                Text(
                    'Remap any key in config.toml: [keymap] binding_id = "key". '
                    "escape closes this.",
                    style="dim",
                )
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def describe_bindings(
    bindings: Iterable[Binding], key_display: Callable[[Binding], str]
) -> list[tuple[str, str, str]]:
    """Rows of (keys, description, id), one per action: shelf's own first, then Textual's."""
    rows: dict[str, tuple[list[str], str, str]] = {}
    for binding in sorted(bindings, key=lambda b: b.id is None):
        if not binding.description:
            continue
        key = binding.id or binding.action
        display = key_display(binding)
        if key in rows:
            rows[key][0].append(display)
        else:
            rows[key] = ([display], binding.tooltip or binding.description, binding.id or "")
    return [(", ".join(dict.fromkeys(keys)), text, ident) for keys, text, ident in rows.values()]
