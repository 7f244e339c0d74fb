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
