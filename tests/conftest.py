"""Shared fixtures. Every test runs with its data, config and home directories in tmp_path."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from shelf.library import Library
from support.commands import run
from support.paths import PAGE_COPY


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every directory shelf could touch at tmp_path, never the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("SHELF_HOME", raising=False)
    monkeypatch.delenv("SHELF_CONFIG", raising=False)
    return home


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return tmp_path / "library"


@pytest.fixture
def library(library_dir: Path) -> Iterator[Library]:
    """An empty library on disk."""
    with Library.open(library_dir) as opened:
        yield opened


@pytest.fixture
def page_library(library_dir: Path) -> Iterator[Library]:
    """A library holding the 236 papers of the real page copy."""
    with Library.open(library_dir) as opened:
        opened.import_paths([PAGE_COPY])
        yield opened


@pytest.fixture(scope="session")
def page_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page copy's 236 papers imported through the installed command, once a session."""
    directory = tmp_path_factory.mktemp("page-template") / "library"
    run("import", str(PAGE_COPY), library=directory).ok()
    return directory


@pytest.fixture
def page_dir(page_template: Path, tmp_path: Path) -> Path:
    """A private copy of the page library, for one test to change as it likes."""
    copy = tmp_path / "page-library"
    shutil.copytree(page_template, copy)
    return copy


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (the Pilot ones) in a fresh event loop each."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True
