"""The Textual app (imported only when the app is opened)."""

from __future__ import annotations

from shelf.config import Settings
from shelf.library import Library


def run_app(library: Library, settings: Settings) -> None:
    """Open the app on ``library`` (built in the TUI issue)."""
    raise SystemExit("shelf: the app is not built yet; use a subcommand (see shelf --help)")
