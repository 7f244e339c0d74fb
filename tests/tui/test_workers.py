"""Work done off the UI thread: a failing worker says why, and the app carries on.

Before the main screen took over the workers, loading the demo or exporting
ran with ``exit_on_error=True``: an unexpected error closed the app with a
traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shelf.domain import ShelfError
from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.tui import settle, summary

SIZE = (120, 40)


def notifications(app: ShelfApp) -> list[str]:
    return [notice.message for notice in app._notifications]


async def test_a_demo_load_that_fails_is_a_notification_not_a_crash(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(library, "import_paths", broken)
    app = ShelfApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert app.is_running
        assert notifications(app) == ["Unexpected error: RuntimeError('the disk went away')"]
        assert "loading" not in summary(app)  # the list came back instead
        await pilot.press("slash", *"x")  # and the app still answers keys
        await settle(pilot)
        assert app.main.query_one("#search").value == "x"


async def test_an_export_that_fails_names_the_reason(
    page_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise ShelfError("Cannot write /nowhere/list.md: read-only file system")

    monkeypatch.setattr(page_library, "export", refused)
    app = ShelfApp(page_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter")
        await settle(pilot)
        assert app.is_running
        assert notifications(app) == ["Cannot write /nowhere/list.md: read-only file system"]
