"""``y``: the copy menu puts the link, the BibTeX entry, the citation key or a Markdown line
on the clipboard (OSC 52, as Textual writes it), and says what it copied.

The paper's title and authors hold Rich markup, Markdown and an escape sequence:
each text is the one an export gives, and the notification shows it as text.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from shelf.domain import Entry, Paper
from shelf.formats import bibtex
from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.copy_menu import CopyMenu
from support.commands import in_terminal, run
from support.papers import add_papers, papers_file
from support.tui import settle

SIZE = (120, 40)
HOSTILE = Paper(
    title="Attention [bold]is[/bold] *all* \x1b[2J you_need",
    authors=("Ann [red]Lee[/]", "Bo Smith"),
    year=2017,
    venue="NeurIPS",
    url="https://example.org/a_(b)",
    arxiv_id="1706.03762",
)
#: The Markdown line of HOSTILE, escaped as the Markdown export escapes it.
MARKDOWN = (
    r"[Attention \[bold\]is\[/bold\] \*all\* \\x1b\[2J you_need](https://example.org/a_%28b%29)"
    r" — Ann \[red\]Lee\[/\], Bo Smith, 2017"
)
PLAIN = Paper(title="A paper with no link at all", authors=("Cy Doe",), year=2020)


@pytest.fixture
def entries(library: Library) -> dict[str, Entry]:
    add_papers(library, [HOSTILE, PLAIN])
    return {e.paper.title.split()[0]: e for e in library.entries()}


async def _copy(library: Library, entry: Entry, *keys: str) -> tuple[str, list[str]]:
    """Press ``y`` then ``keys`` on ``entry``: the clipboard, and what the app said."""
    app = ShelfApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.results.select_id(entry.id)
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CopyMenu)
        await pilot.press(*keys)
        await settle(pilot)
        assert not isinstance(app.screen, CopyMenu)
        return app.clipboard, [str(n.message) for n in app._notifications]


async def test_l_copies_the_link(library: Library, entries: dict[str, Entry]) -> None:
    copied, said = await _copy(library, entries["Attention"], "l")
    assert copied == "https://example.org/a_(b)"
    assert said == ["Copied the link: https://example.org/a_(b)"]


async def test_y_y_copies_the_link_as_y_did_before(
    library: Library, entries: dict[str, Entry]
) -> None:
    copied, _ = await _copy(library, entries["Attention"], "y")
    assert copied == "https://example.org/a_(b)"


async def test_b_copies_the_entry_the_bibtex_export_writes(
    library: Library, entries: dict[str, Entry]
) -> None:
    entry = entries["Attention"]
    copied, said = await _copy(library, entry, "b")
    exported = bibtex.write([entry])
    assert copied.startswith("@inproceedings{redlee2017attention,\n")
    assert copied.endswith("}\n")
    assert exported.endswith("\n" + copied)  # the whole entry, under the export's header
    title = r"{{Attention [bold]is[/bold] *all* \textbackslash{}x1b[2J you\_need}}"
    assert f"  title = {title},\n" in copied
    assert "\x1b" not in copied  # spelled out, as the export does
    assert said == [r"Copied the BibTeX entry redlee2017attention (Attention [bold]is[/bold] "
                    r"*all* \x1b[2J you_need)"]  # fmt: skip


async def test_k_copies_the_citation_key(library: Library, entries: dict[str, Entry]) -> None:
    copied, said = await _copy(library, entries["Attention"], "k")
    assert copied == "redlee2017attention"
    assert said == ["Copied the citation key: redlee2017attention"]


async def test_m_copies_the_markdown_line_escaped_as_the_export_does(
    library: Library, entries: dict[str, Entry]
) -> None:
    copied, said = await _copy(library, entries["Attention"], "m")
    assert copied == MARKDOWN
    exported = run("export", "--format", "markdown", library=library.directory).ok().out
    assert f"**{MARKDOWN.split(' — ')[0]}** — " in exported
    title = r"'Attention [bold]is[/bold] *all* \\x1b[2J you_need'"
    assert said == [f"Copied a Markdown line for {title}"]


async def test_enter_copies_the_highlighted_choice(
    library: Library, entries: dict[str, Entry]
) -> None:
    copied, _ = await _copy(library, entries["Attention"], "down", "down", "enter")
    assert copied == "redlee2017attention"


async def test_escape_copies_nothing(library: Library, entries: dict[str, Entry]) -> None:
    copied, said = await _copy(library, entries["Attention"], "escape")
    assert copied == ""
    assert said == []


async def test_a_paper_with_no_link_says_so_and_copies_nothing(
    library: Library, entries: dict[str, Entry]
) -> None:
    copied, said = await _copy(library, entries["A"], "l")
    assert copied == ""
    assert said == ["This paper has no web link."]
    copied, _ = await _copy(library, entries["A"], "m")
    assert copied == "A paper with no link at all — Cy Doe, 2020"


def test_the_clipboard_gets_the_osc_52_sequence_on_a_real_terminal(
    tmp_path: Path, library_dir: Path
) -> None:
    run("import", str(papers_file(tmp_path, [HOSTILE])), library=library_dir).ok()
    terminal = in_terminal(["--library", str(library_dir)])
    try:
        terminal.wait_for("Attention")
        terminal.type("y")
        terminal.wait_for("Copy to the clipboard")
        terminal.type("m")
        encoded = base64.b64encode(MARKDOWN.encode("utf-8")).decode("ascii")
        terminal.wait_for(f"\x1b]52;c;{encoded}\x07")
        terminal.type("q")
        assert terminal.wait() == 0
    finally:
        terminal.kill()
