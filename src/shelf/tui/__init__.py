"""The Textual app. Imported only when the app is opened, so the CLI stays fast."""

from __future__ import annotations

from shelf.library import Library


def run_app(library: Library, demo: bool = False) -> None:
    """Check the app's settings, then run the app on ``library`` until the user quits
    (``demo``: a throwaway library, which the app says)."""
    from shelf.tui.app import ShelfApp
    from shelf.tui.keymap import checked_keymap, checked_theme

    app = ShelfApp(library, demo)
    checked_theme(app, library.settings)
    app.set_keymap(checked_keymap(library.settings))
    app.run()
