"""The welcome shown on an empty library: how to import, and the demo papers one key away."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class WelcomeScreen(ModalScreen[bool]):
    """Dismissed with True when the user asks for the demo papers."""

    BINDINGS = [
        Binding("D", "load_demo", "Load the demo papers", id="welcome_demo"),
        Binding("escape", "close", "Start empty", id="welcome_close"),
        Binding("q", "app.quit", "Quit", id="welcome_quit"),
    ]

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Welcome to shelf\n\n", style="bold")
        text.append("Your library is empty. Import papers from a shell:\n\n")
        text.append("  shelf import trending-papers.txt\n", style="bold")
        text.append(
            "\n(a copied Hugging Face papers page: a title line, then an abstract line)\n\n"
        )
        text.append("Or press ")
        text.append("D", style="bold reverse")
        text.append(" to load the 236 bundled demo papers on transfer learning,\n")
        text.append("escape", style="bold reverse")
        text.append(" to start with an empty library, ")
        text.append("q", style="bold reverse")
        text.append(" to quit.")
        with Vertical(id="welcome-box"):
            yield Static(text)

    def action_load_demo(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
