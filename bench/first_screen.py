"""Time to the first full screen of the app, in a fresh process (run by bench/run.py).

Opens the app headless on a library and exits as soon as the main screen has
shown its first results and they have been drawn; the parent measures the wall
time of the whole process.

    python bench/first_screen.py LIBRARY_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from shelf.library import Library
from shelf.tui import messages
from shelf.tui.app import ShelfApp


class _FirstScreen(ShelfApp):
    def on_search_done(self, event: messages.SearchDone) -> None:
        """The main screen's first results, bubbled up once it has shown them: exit
        after the frame that draws them."""
        self.call_after_refresh(self.exit)


def main() -> None:
    with Library.open(Path(sys.argv[1])) as library:
        _FirstScreen(library).run(headless=True, size=(120, 40))


if __name__ == "__main__":
    main()
