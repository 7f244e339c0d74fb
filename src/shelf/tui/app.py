"""The shelf app: the stylesheet, the main screen, the keys that work everywhere, and quitting.

Everything a user does happens on ``MainScreen`` (``tui/screens/main.py``);
the app starts it, shows the library's notices, keeps the notes when it is
closed (however it is closed), and lists every key in the help and the palette.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from rich.console import RenderableType
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input, TextArea

from shelf.domain import ShelfError
from shelf.library import Library
from shelf.tui.messages import WorkerFailed
from shelf.tui.screens.help import HelpScreen, describe_bindings
from shelf.tui.screens.main import MainScreen

#: After a quit refused for unsaved notes, quitting again within this many seconds quits.
QUIT_AGAIN = 10.0


class ShelfApp(App[None]):
    """Search, read and triage a library of papers from the keyboard."""

    TITLE = "shelf"
    CSS_PATH = Path(__file__).with_name("shelf.tcss")  # absolute: subclasses live elsewhere
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (132, "-roomy")]

    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, id="quit_interrupt"),
    ]

    def __init__(self, library: Library, demo: bool = False) -> None:
        """``demo``: ``library`` is a throwaway copy, which the screen says at the top."""
        super().__init__()
        self.library = library
        self._main = MainScreen(library, demo)
        self._refused_quit: float | None = None

    @property
    def main(self) -> MainScreen:
        """The screen the user works on (below any dialog)."""
        return self._main

    def get_default_screen(self) -> Screen[None]:
        return self._main

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signal_number, self._quit_on_signal)
        self.theme = self.library.settings.theme
        for notice in self.library.notices:
            self.notify(notice, severity="warning", markup=False, timeout=20)

    def on_key(self, event: events.Key) -> None:
        """Keys typed ahead of a move of the focus into a text field go into it.

        A field takes every character typed in it, so one that reaches the app while
        a field has the focus was sent to the list before the key that moved the
        focus had run ("/zzq" or "a" and a tag typed fast): it is text, not a command.
        So is an enter typed after it: it submits that text, after it, never before.
        """
        field = self.focused
        if isinstance(field, Input) and event.key == "enter":
            # Submitted once the characters posted before it are in (a posted key would
            # not reach the field's binding, and the binding now would submit too early).
            event.prevent_default()
            field.call_later(field.action_submit)
        elif isinstance(field, Input | TextArea) and event.is_printable:
            event.prevent_default()  # no binding of the app, such as q for quit
            field.post_message(events.Key(event.key, event.character))

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A worker that raised says why in a notification; the app carries on."""
        error = event.worker.error
        text = str(error) if isinstance(error, ShelfError) else f"Unexpected error: {error!r}"
        self.notify(text, severity="error", markup=False, timeout=10)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save an SVG of the screen in ``[ui] screenshot_dir`` (or the current directory),
        and say where, or why it could not be."""
        folder = path or str(self.library.settings.screenshot_dir or Path.cwd())
        try:
            saved = self.save_screenshot(filename, folder, time_format)
        except OSError as err:
            reason = f"No screenshot saved: {folder}: {err.strerror or err}"
            self.notify(reason, severity="error", markup=False, timeout=10)
            return None
        self.notify(f"Screenshot saved to {saved}", markup=False)
        return saved

    def action_help(self) -> None:
        bindings = [active.binding for active in self.screen.active_bindings.values()]
        self.push_screen(HelpScreen(describe_bindings(bindings, self.get_key_display)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, then every key of the main screen and its list (but quitting),
        whatever has the focus, with the keys ``[keymap]`` gave them."""
        yield from super().get_system_commands(screen)
        keys: dict[str, list[str]] = {}
        found: dict[str, tuple[DOMNode, Binding]] = {}
        for node in (self._main, self._main.results):
            bindings = node._bindings.copy()
            bindings.apply_keymap(self._keymap)
            for binding in (b for group in bindings.key_to_bindings.values() for b in group):
                if binding.id and binding.action not in ("quit", "app.quit"):
                    found.setdefault(binding.id, (node, binding))
                    shown = self.get_key_display(binding)
                    if shown not in keys.setdefault(binding.id, []):
                        keys[binding.id].append(shown)
        for binding_id, (owner, binding) in found.items():
            yield SystemCommand(binding.description, f"key: {', '.join(keys[binding_id])}",
                                _run_action(owner, binding.action))  # fmt: skip

    # -- quitting ----------------------------------------------------------------------

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Save the notes being typed, then exit: however the app is quit, they are kept.

        Notes that cannot be saved (a full disk) keep the app open, once: quitting
        again within ``QUIT_AGAIN`` seconds quits without them.
        """
        # Not on unmount: by then the screens and their widgets are already gone.
        if not self._notes_saved():
            now = time.monotonic()
            if self._refused_quit is None or now - self._refused_quit > QUIT_AGAIN:
                self._refused_quit = now
                self.notify(
                    "The notes being typed could not be saved, so shelf is still open. "
                    "Free some space and quit again, or quit again now to leave them.",
                    severity="error",
                    timeout=QUIT_AGAIN,
                )
                return
        self.library.stop_indexing()  # a catch-up under way would hold up the exit
        super().exit(result, return_code, message)

    def _notes_saved(self) -> bool:
        try:
            return self._main.save_notes()
        except NoMatches:  # not composed yet, or already taken down: nothing is typed
            return True

    def _quit_on_signal(self) -> None:
        """SIGTERM or SIGHUP (the terminal closed): save the notes, then quit regardless."""
        self._refused_quit = time.monotonic()  # no second chance: the terminal may be gone
        self.exit()


def _run_action(node: DOMNode, action: str) -> Callable[[], Awaitable[None]]:
    """A palette callback that runs ``action`` (with its arguments) where it is bound."""

    async def run() -> None:
        await node.app.run_action(action, node)

    return run
