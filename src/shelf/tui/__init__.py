"""The Textual app. Imported only when the app is opened, so the CLI stays fast."""

from __future__ import annotations

from shelf.config import Settings
from shelf.library import Library


def run_app(library: Library, settings: Settings) -> None:
    """Check the app's settings, then run the app on ``library`` until the user quits."""
    from shelf.tui.app import ShelfApp
    from shelf.tui.keymap import checked_keymap, checked_theme

    app = ShelfApp(library, settings)
    checked_theme(app, settings)
    app.set_keymap(checked_keymap(app, settings))
    app.run()
