"""Shared fixtures. Every test runs with its data, config and home directories in tmp_path.

Where the tests are: ``unit/<layer>/`` for the core, a folder for each of its
layers (domain, store, search, formats, config, library, remote); ``cli/``
for the command line; ``tui/`` for the app (Pilot, snapshots, a real terminal);
``trust/`` for crashes, concurrency, damage, hostile input and safety; ``quality/``
for the lint, format, type and layer gates. What they share that is not a
fixture is the package ``support/``; real input files are in ``fixtures/`` and
expected outputs in ``golden/``.

The page library (the 236 papers of the real page copy) is imported once per
session, in each xdist worker that needs it: ``page_template``. No test touches
the template; each gets its own copy, as a directory (``page_dir``) or opened
(``page_library``), at ``library_dir``.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from shelf.library import Library
from support.arxiv_stub import Stub, serving
from support.paths import PAGE_COPY, PAGE_PAPERS


@pytest.fixture(scope="session", autouse=True)
def bytecode_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One bytecode cache for the Python processes the tests start, outside the source tree.

    Every ``shelf`` command and helper script is a new interpreter; where
    PYTHONDONTWRITEBYTECODE is set (as on a machine that keeps its trees clean), each
    of them compiled shelf's sources again. Here they write their bytecode under this
    session's temporary directory (PYTHONPYCACHEPREFIX) and read it back from there:
    nothing is written beside any source, and Python checks each cached file against
    its source as usual. This process itself is not affected.
    """
    cache = tmp_path_factory.getbasetemp() / "pycache"
    patch = pytest.MonkeyPatch()
    patch.setenv("PYTHONPYCACHEPREFIX", str(cache))
    patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    yield cache
    patch.undo()


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
    # A proxy in the environment must not stand between shelf and a stub on 127.0.0.1.
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return home


@pytest.fixture
def stub() -> Stub:
    """What the local stand-in for the arXiv API answers (see ``support.arxiv_stub``)."""
    return Stub()


@pytest.fixture
def api_url(stub: Stub) -> Iterator[str]:
    """The URL of a local stand-in for the arXiv API, shut down after the test."""
    with serving(stub) as url:
        yield url


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """Where the test's library lives (not created): ``tmp_path / "library"``."""
    return tmp_path / "library"


@pytest.fixture
def library(library_dir: Path) -> Iterator[Library]:
    """An empty library on disk."""
    with Library.open(library_dir) as opened:
        yield opened


@pytest.fixture(scope="session")
def page_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page copy's papers imported once a session (per worker); never to be changed.

    Tests that need a variant (the page library with some state) copy it into a
    template of their own; tests that need the page library take a copy of it.
    """
    directory = tmp_path_factory.mktemp("page-template") / "library"
    with Library.open(directory) as library:
        report = library.import_paths([PAGE_COPY])
    assert report.added == PAGE_PAPERS
    return directory


@pytest.fixture
def page_dir(page_template: Path, library_dir: Path) -> Path:
    """A private copy of the page library at ``library_dir``, not opened."""
    shutil.copytree(page_template, library_dir)
    return library_dir


@pytest.fixture
def page_library(page_dir: Path) -> Iterator[Library]:
    """A private copy of the page library, opened (and closed after the test)."""
    with Library.open(page_dir) as opened:
        assert opened.repairs_on_open == []
        yield opened


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (the Pilot ones) in a fresh event loop each."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True
