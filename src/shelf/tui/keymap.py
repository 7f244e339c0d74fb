"""Checks of the app's settings that need Textual: theme names and binding ids."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from shelf.config import Settings

#: The folder of the app's modules (walked, not imported: this module is one of them).
_TUI = Path(__file__).parent


def binding_ids() -> set[str]:
    """Every binding id of shelf's app, screens and widgets.

    Found by importing every module of ``shelf.tui`` and walking the DOM node
    classes defined there, so a new screen or widget needs no list kept here.
    """
    for module in pkgutil.walk_packages([str(_TUI)], "shelf.tui."):
        importlib.import_module(module.name)
    ids = set()
    for owner in _subclasses(DOMNode):
        if not owner.__module__.startswith("shelf.tui."):
            continue
        for binding in owner.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def _subclasses(cls: type[DOMNode]) -> set[type[DOMNode]]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def checked_keymap(settings: Settings) -> dict[str, str]:
    """``[keymap]`` from the config, refusing ids the app does not have."""
    known = binding_ids()
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
