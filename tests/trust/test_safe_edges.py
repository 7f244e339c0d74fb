"""Safe edges: links open without a shell, exports write only where told, files stay private.

Each test says in a comment what would fail without the protection.
"""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import shelf.tui.screens.main
from shelf.cli import cli
from shelf.domain import ExportError, Paper
from shelf.library import Library
from shelf.paths import DB_NAME, INDEX_DIR
from shelf.tui.app import ShelfApp
from support.papers import add_papers
from support.tui import settle

SIZE = (120, 40)
SAFE_URL = "https://example.org/papers/adapters?x=1&y=2"
ABSTRACT = "An abstract long enough to be one, about transferring what was learned."


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="shelf")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"shelf {' '.join(args)} raised") from result.exception
    return result


# -- opening a link ------------------------------------------------------------------------


LINKS = {
    "web": SAFE_URL,
    "script": "javascript:alert(1)",
    "file": "file:///etc/passwd",
    "hidden escape": "https://example.org/\x1b]52;c;ZXZpbA==\x07",
    "newline": "https://example.org/a\nrm -rf ~",
    "none": "",
}


@pytest.fixture
def linked(tmp_path: Path) -> Iterator[tuple[Library, dict[str, str]]]:
    papers = tuple(
        Paper(title=f"A paper whose link is {name}", abstract=ABSTRACT, url=url)
        for name, url in LINKS.items()
    )
    with Library.open(tmp_path / "library") as library:
        add_papers(library, papers)
        ids = {
            e.paper.title.removeprefix("A paper whose link is "): e.id for e in library.entries()
        }
        yield library, ids


async def test_o_opens_only_a_web_link_and_hands_it_over_as_it_is(
    linked: tuple[Library, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the protection: `javascript:`/`file:` links, or an http link hiding an
    # escape sequence or a second line, would reach the browser (`webbrowser` runs
    # the browser program with the URL as one argument, never through a shell).
    library, ids = linked
    opened: list[str] = []

    def browser_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(shelf.tui.screens.paper_actions.webbrowser, "open", browser_open)

    calls = {}
    app = ShelfApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name in LINKS:
            assert app.main.results.select_id(ids[name])
            await settle(pilot)
            await pilot.press("O")
            await settle(pilot)
            calls[name] = list(opened)
            opened.clear()

    assert calls["web"] == [SAFE_URL]
    for name in ("script", "file", "hidden escape", "newline", "none"):
        assert calls[name] == [], name


def _shell_uses(path: Path) -> list[str]:
    """Every import of a process-spawning module and call that runs a command, in ``path``."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    spawning = {"subprocess", "pty", "commands", "popen2"}
    running = ("system", "popen", "exec", "spawn")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in spawning]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in spawning:
                found.append(node.module)
            if node.module == "os":
                found += [a.name for a in node.names if a.name.startswith(running)]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "os" and node.attr.startswith(running):
                found.append(f"os.{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg == "shell":
            found.append("shell=")
    return [f"{path.name}:{use}" for use in found]


def test_nothing_in_shelf_runs_a_shell_or_a_command(tmp_path: Path) -> None:
    # Without the protection: a `subprocess.run(f"xdg-open {url}", shell=True)` (or
    # os.system) anywhere in the package would be listed here.
    sources = sorted(Path(shelf.__file__).parent.rglob("*.py"))
    assert len(sources) > 30

    uses = [use for source in sources for use in _shell_uses(source)]

    assert uses == []
    probe = tmp_path / "probe.py"  # the scan itself finds what it looks for
    probe.write_text("import subprocess\nos.system('x')\nf(shell=True)\n", encoding="utf-8")
    assert _shell_uses(probe) == ["probe.py:subprocess", "probe.py:os.system", "probe.py:shell="]


# -- exports go where they were told ---------------------------------------------------------


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "library"
    with Library.open(directory) as library:
        add_papers(library, (Paper(title="Adapters", abstract=ABSTRACT),))
    return directory


def test_export_refuses_a_symlink_over_an_existing_file(library_dir: Path, tmp_path: Path) -> None:
    # Without the protection: the export would write through the link, over the file
    # it points to (here a file the user never named).
    target = tmp_path / "elsewhere" / "notes.md"
    target.parent.mkdir()
    target.write_text("precious, not an export\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)

    result = invoke("--library", str(library_dir), "export", "-o", str(link))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"shelf: {link}: is a symbolic link (to {target}); "
        "give --force to replace the link with the exported file"
    ]
    assert target.read_text(encoding="utf-8") == "precious, not an export\n"
    assert link.is_symlink()
    assert os.readlink(link) == str(target)


def test_export_force_replaces_the_link_itself(library_dir: Path, tmp_path: Path) -> None:
    # Without the protection: --force would follow the link and overwrite its target.
    target = tmp_path / "elsewhere" / "notes.md"
    target.parent.mkdir()
    target.write_text("precious, not an export\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)

    result = invoke("--library", str(library_dir), "export", "-o", str(link), "--force")

    assert result.exit_code == 0, result.output
    assert not link.is_symlink()
    assert stat.S_ISREG(link.lstat().st_mode)
    assert link.read_text(encoding="utf-8").startswith("# Reading list")
    assert "Adapters" in link.read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "precious, not an export\n"
    assert sorted(os.listdir(tmp_path / "elsewhere")) == ["notes.md"]


def test_export_refuses_a_dangling_symlink_and_creates_nothing(
    library_dir: Path, tmp_path: Path
) -> None:
    # Without the protection: the export would create the file the link points to,
    # outside the path the user gave.
    link = tmp_path / "link.md"
    outside = tmp_path / "outside" / "planted.md"
    outside.parent.mkdir()
    link.symlink_to(outside)

    result = invoke("--library", str(library_dir), "export", "-o", str(link))

    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert not outside.exists()
    assert os.listdir(outside.parent) == []


def test_the_library_refuses_a_symlink_for_the_app_too(library_dir: Path, tmp_path: Path) -> None:
    # The app's export dialog calls Library.export without replace_link.
    target = tmp_path / "target.md"
    target.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)

    with Library.open(library_dir) as library, pytest.raises(ExportError, match="symbolic link"):
        library.export("markdown", library.select(), link)

    assert target.read_text(encoding="utf-8") == "keep\n"


# -- private files ---------------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that keeps nothing private, so only shelf's own modes can make files so."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
def test_a_new_library_from_the_command_line_is_private(tmp_path: Path) -> None:
    # Without the protection (a plain mkdir and sqlite3.connect): 0777 and 0666 here.
    directory = tmp_path / "new" / "library"

    result = invoke("--library", str(directory), "import", str(_page(tmp_path)))

    assert result.exit_code == 0, result.output
    assert _mode(directory) == 0o700
    assert _mode(directory / DB_NAME) == 0o600
    assert _mode(directory / INDEX_DIR) == 0o700


@pytest.mark.usefixtures("open_umask")
def test_the_database_journals_are_private_while_open(tmp_path: Path) -> None:
    # SQLite gives the -wal and -shm files the database's own mode.
    directory = tmp_path / "library"
    with Library.open(directory) as library:
        add_papers(library, (Paper(title="Adapters", abstract=ABSTRACT),))
        library.update(library.entries()[0].id, notes="a private thought")
        journals = [directory / f"{DB_NAME}-wal", directory / f"{DB_NAME}-shm"]
        assert all(path.exists() for path in journals)
        assert [_mode(path) for path in journals] == [0o600, 0o600]


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_an_export_follows_the_umask_and_the_backup_stays_private(
    tmp_path: Path, umask: int
) -> None:
    # A reading list is meant to be shared: it gets the mode any new file of the
    # user's gets. The database backup holds every note and stays private.
    # Without the fix: every export was created 0600 whatever the umask.
    directory = tmp_path / "library"
    previous = os.umask(umask)
    try:
        with Library.open(directory) as library:
            add_papers(library, (Paper(title="Adapters", abstract=ABSTRACT),))
            exported = library.export("toml", library.select(), tmp_path / "state.toml")
            backup = library._store.back_up("test")
    finally:
        os.umask(previous)
    assert _mode(exported) == 0o666 & ~umask
    assert _mode(backup) == 0o600
    assert _mode(backup.parent) == 0o700


def test_replacing_an_export_keeps_that_files_mode(library: Library, tmp_path: Path) -> None:
    target = tmp_path / "shared.md"
    target.write_text("last week\n", encoding="utf-8")
    target.chmod(0o640)
    add_papers(library, (Paper(title="Adapters", abstract=ABSTRACT),))
    library.export("markdown", library.select(), target)
    assert _mode(target) == 0o640
    assert "Adapters" in target.read_text(encoding="utf-8")


def _page(folder: Path) -> Path:
    page = folder / "page.txt"
    page.write_text(f"Adapters for everything\n{ABSTRACT}\n", encoding="utf-8")
    return page
