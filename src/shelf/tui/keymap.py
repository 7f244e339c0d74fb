"""Checks of the app's settings that need Textual: theme names and binding ids."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding

from shelf.config import Settings


def binding_ids(app: App[Any]) -> set[str]:
    """Every binding id the app (and its screens) define."""
    from shelf.tui.screens.export import ExportDialog
    from shelf.tui.screens.help import HelpScreen
    from shelf.tui.screens.prompt import TagPrompt
    from shelf.tui.screens.welcome import WelcomeScreen
    from shelf.tui.widgets.personal import NotesEditor

    ids = set()
    for owner in (type(app), ExportDialog, HelpScreen, TagPrompt, WelcomeScreen, NotesEditor):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def checked_keymap(app: App[Any], settings: Settings) -> dict[str, str]:
    """``[keymap]`` from the config, refusing ids the app does not have."""
    known = binding_ids(app)
    for binding_id in settings.keymap:
        if binding_id not in known:
            raise settings.error(
                f"keymap.{binding_id}",
                f"no key binding has this id (known: {', '.join(sorted(known))})",
            )
    return dict(settings.keymap)


def checked_theme(app: App[Any], settings: Settings) -> None:
    """Refuse a ``[ui] theme`` Textual does not know."""
    if settings.theme not in app.available_themes:
        known = ", ".join(sorted(app.available_themes))
        raise settings.error("ui.theme", f"unknown theme {settings.theme!r} (known: {known})")
