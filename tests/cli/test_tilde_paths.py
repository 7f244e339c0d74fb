"""A path starting with ``~user`` for a user this machine does not have is one clear line.

pathlib raises RuntimeError for it; before, ``--library``, ``$SHELF_HOME``,
``--config`` and ``$SHELF_CONFIG`` printed a traceback, and ``library.path`` or
``export.directory`` in config.toml did too (found by the settings fuzz test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.commands import run
from support.tui import settle


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--library", "~nosuchuser/lib", "list"), {}),
        (("list",), {"SHELF_HOME": "~nosuchuser"}),
        (("--config", "~nosuchuser/c.toml", "list"), {}),
        (("list",), {"SHELF_CONFIG": "~nosuchuser/c.toml"}),
    ],
)
def test_a_tilde_user_nobody_is_one_line(args: tuple[str, ...], env: dict[str, str]) -> None:
    message = run(*args, env=env).error()
    assert message.endswith("starts with ~ but names no user of this machine")


@pytest.mark.parametrize("setting", ['[library]\npath = "~0"', '[export]\ndirectory = "~0/x"'])
def test_a_tilde_user_nobody_is_in_config_names_the_file_and_line(
    tmp_path: Path, setting: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"# mine\n{setting}\n", encoding="utf-8")
    message = run("list", config=config, library=tmp_path / "lib").error()
    assert message.startswith(f"shelf: {config}:3: ")
    assert "'~0" in message and "names no user of this machine" in message


async def test_the_export_dialog_refuses_a_tilde_user_nobody_is(page_library: Library) -> None:
    app = ShelfApp(page_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        path = app.screen.query_one("#export-path")
        path.value = "~nosuchuser/list.md"
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any("names no user of this machine" in m for m in messages)
