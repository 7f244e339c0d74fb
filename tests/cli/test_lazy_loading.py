"""The everyday commands load only what they use: no parser, no Whoosh, no Textual.

Each is run as the installed command with Python's import log on
(``PYTHONPROFILEIMPORTTIME``), which names every module the process imported.
Before the format registry turned lazy, every call loaded bibtexparser,
pylatexenc, rispy and whoosh, ``shelf list`` included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support.commands import run

HEAVY = ("whoosh", "bibtexparser", "pylatexenc", "rispy", "textual", "feedparser")


def loaded(stderr: str) -> set[str]:
    """The top-level packages in an import-time log."""
    return {m.group(1) for m in re.finditer(r"^import time:.*\|\s+([\w]+)", stderr, re.M)}


@pytest.mark.parametrize(
    "command",
    [
        ("list",),
        ("list", "--status", "inbox", "--json"),
        ("stats",),
        ("show", "{id}"),
        ("set", "{id}", "--status", "read"),
        ("feed", "list"),
    ],
)
def test_everyday_commands_load_no_parser_no_index_no_app(
    page_dir: Path, command: tuple[str, ...]
) -> None:
    paper_id = json.loads(run("list", "--json", library=page_dir).ok().out)[0]["id"]
    args = [word.format(id=paper_id) for word in command]
    ran = run(*args, library=page_dir, env={"PYTHONPROFILEIMPORTTIME": "1"}).ok()
    modules = loaded(ran.err)
    assert "shelf" in modules  # the log is there
    assert sorted(modules & set(HEAVY)) == []


def test_a_search_does_load_the_index(page_dir: Path) -> None:
    ran = run("search", "adapter", library=page_dir, env={"PYTHONPROFILEIMPORTTIME": "1"}).ok()
    assert "whoosh" in loaded(ran.err)


def shelf_modules(stderr: str) -> set[str]:
    """The shelf modules in an import-time log."""
    return {m.group(1) for m in re.finditer(r"^import time:.*\|\s+(shelf[\w.]*)", stderr, re.M)}


def test_the_version_loads_no_library(tmp_path: Path) -> None:
    ran = run("--version", env={"PYTHONPROFILEIMPORTTIME": "1"}).ok()
    assert ran.out.startswith("shelf, version ")
    modules = shelf_modules(ran.err)
    assert "shelf.cli" in modules
    assert not {
        m for m in modules if m.startswith(("shelf.library", "shelf.store", "shelf.domain"))
    }


def test_a_command_loads_its_own_module_and_no_other_command(page_dir: Path) -> None:
    ran = run("search", "adapter", library=page_dir, env={"PYTHONPROFILEIMPORTTIME": "1"}).ok()
    assert ran.lines  # it ran (the log leaves out the module importlib loads by name)
    commands = {m for m in shelf_modules(ran.err) if m.startswith("shelf.cli.")}
    others = {"shelf.cli.exporting", "shelf.cli.feeds", "shelf.cli.lists", "shelf.cli.merging",
              "shelf.cli.maintenance", "shelf.cli.papers", "shelf.cli.state"}  # fmt: skip
    assert commands & others == set()


def test_every_command_is_found_by_its_name() -> None:
    from click import Context

    from shelf.cli import COMMANDS, cli

    context = Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None and command.name == name
    assert cli.list_commands(context) == sorted(COMMANDS)
