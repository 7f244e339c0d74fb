"""Time to the first full screen of the app, in a fresh process (run by bench/run.py).

Opens the app headless on a library and exits as soon as the first results
have been drawn; the parent measures the wall time of the whole process.

    python bench/first_screen.py LIBRARY_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from shelf.library import Library, SearchResult
from shelf.tui.app import ShelfApp


class _FirstScreen(ShelfApp):
    def _show_results(self, result: SearchResult, keep: str | None) -> None:
        super()._show_results(result, keep)
        self.call_after_refresh(self.exit)


def main() -> None:
    with Library.open(Path(sys.argv[1])) as library:
        _FirstScreen(library).run(headless=True, size=(120, 40))


if __name__ == "__main__":
    main()
