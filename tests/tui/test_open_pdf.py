"""``P``: the paper's PDF goes to the browser, as ``O`` hands over a link (``webbrowser``, a
program and one argument, never a shell): the arXiv PDF, else the one the imported
BibTeX entry names, else the attached file; a paper with none says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import shelf.tui.screens.paper_actions
from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.papers import import_text
from support.tui import settle

SIZE = (120, 40)


@pytest.fixture
def ids(library: Library, tmp_path: Path) -> dict[str, str]:
    """Papers with each kind of PDF, by the second word of their title."""
    folder = tmp_path / "odd folder é"
    folder.mkdir()
    for name in ("zotero.pdf", "mine $(x).pdf"):
        (folder / name).write_bytes(b"%PDF-1.4\n")
    import_text(library, rf"""
@article{{arxiv, title = {{An arXiv paper}}, eprint = {{1706.03762}}, archivePrefix = {{arXiv}},
  file = {{Full Text:{folder}/zotero.pdf:application/pdf}}}}
@article{{zotero, title = {{A Zotero paper}},
  file = {{Snapshot:x.html:text/html;Full Text:{folder}/zotero.pdf:application/pdf}}}}
@article{{linked, title = {{A linked paper}}, pdf = {{https://example.org/a.pdf}}}}
@article{{mine, title = {{An attached paper}}}}
@article{{none, title = {{A bare paper}}}}
""", "refs.bib")  # fmt: skip
    found = {e.paper.title.split()[1]: e.id for e in library.entries()}
    library.attach(found["attached"], folder / "mine $(x).pdf")
    return found


async def test_p_opens_the_first_pdf_there_is(
    library: Library, ids: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def browser_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(shelf.tui.screens.paper_actions.webbrowser, "open", browser_open)
    calls, said = {}, {}
    app = ShelfApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name, paper_id in ids.items():
            assert app.main.results.select_id(paper_id)
            await settle(pilot)
            app.clear_notifications()
            await pilot.press("P")
            await settle(pilot)
            calls[name] = list(opened)
            said[name] = [str(n.message) for n in app._notifications]
            opened.clear()

    folder = "file://" + str(tmp_path).replace(" ", "%20") + "/odd%20folder%20%C3%A9"
    assert calls["arXiv"] == ["https://arxiv.org/pdf/1706.03762"]
    assert calls["Zotero"] == [f"{folder}/zotero.pdf"]
    assert calls["linked"] == ["https://example.org/a.pdf"]
    assert calls["attached"] == [f"{folder}/mine%20%24%28x%29.pdf"]
    assert said["attached"] == [f"Opening {folder}/mine%20%24%28x%29.pdf"]
    assert calls["bare"] == []
    assert said["bare"] == [
        "This paper has no PDF: no arXiv id, none named by its BibTeX entry, none attached."
    ]


async def test_p_finds_a_file_attached_while_the_app_is_open(
    library: Library, ids: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def browser_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(shelf.tui.screens.paper_actions.webbrowser, "open", browser_open)
    later = tmp_path / "later.pdf"
    later.write_bytes(b"%PDF-1.4\n")
    app = ShelfApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.results.select_id(ids["bare"])
        await settle(pilot)
        library.attach(ids["bare"], later)  # as `shelf attach` in another terminal does
        await pilot.press("P")
        await settle(pilot)
    assert opened == [later.as_uri()]
