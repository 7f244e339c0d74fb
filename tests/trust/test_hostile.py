"""Hostile text stays text: in the app, on the command line and in every export format.

Titles, authors, venues, abstracts, tags and notes hold Rich markup, terminal
escape sequences (CSI, OSC 52 clipboard writes, OSC 8 hyperlinks), other
control characters, a right-to-left override, NUL bytes and 1 MB strings.
Each test says in a comment what would fail without the protection.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt
from textual.widgets import Static

from shelf import formats
from shelf.cli import cli
from shelf.domain import Entry, Paper
from shelf.domain.text import inert, one_line
from shelf.formats import bibtex
from shelf.formats.bibtex import latex as bibtex_latex
from shelf.library import Library
from shelf.tui.app import ShelfApp
from support.papers import add_papers
from support.tui import screen_text, settle

HOSTILE = {
    "markup": "[bold red]x[/]",
    "link": "[link=https://evil.example]y[/link]",
    "clear": "\x1b[2J",
    "osc52": "\x1b]52;c;ZXZpbA==\x07",
    "osc8": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "controls": "bel\x07 bs\x08 del\x7f csi\x9b31m",
    "rlo": "\u202eevil",
    "nul": "nul\x00byte",
}
#: What may never reach a terminal raw: C0 controls but tab and newline, DEL, C1
#: controls, line separators and the bidi overrides and isolates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Long words: a megabyte to draw, wrap, escape and parse, but few tokens to index.
MEGABYTE = (("lorem ipsum " + "x" * 988 + " ") * 1000)[:1_000_000]
HUGE_TAIL = " ".join(HOSTILE.values())
ABSTRACT = "An abstract about transfer learning, long enough to be one. "
SIZE = (120, 40)


def _papers() -> tuple[Paper, ...]:
    papers = [
        Paper(
            title=f"{name}: {text}",
            authors=(f"Ann {text}", "Plain Person"),
            year=2021,
            venue=f"Venue {text}",
            abstract=f"{ABSTRACT}{name} abstract {text} end.",
        )
        for name, text in HOSTILE.items()
    ]
    papers.append(
        Paper(
            title=f"huge: {MEGABYTE}{HUGE_TAIL}",
            authors=(f"Huge {MEGABYTE}",),
            abstract=f"{ABSTRACT}{MEGABYTE}{HUGE_TAIL}",
        )
    )
    return tuple(papers)


def _build(directory: Path, huge_notes: bool) -> dict[str, str]:
    """The hostile library in ``directory``; returns each paper's id by its name."""
    with Library.open(directory) as library:
        add_papers(library, _papers())
        ids = {e.paper.title.split(":")[0]: e.id for e in library.entries()}
        for name, text in HOSTILE.items():
            library.update(ids[name], add_tags=[f"{name} {text}"], notes=f"{name} note {text}")
        library.update(
            ids["huge"],
            add_tags=[f"huge {MEGABYTE}"],
            notes=f"{MEGABYTE}\n{HUGE_TAIL}" if huge_notes else f"huge note {HUGE_TAIL}",
        )
    return ids


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, dict[str, str]]]:
    """The hostile library, 1 MB notes included (shared: the tests only read it)."""
    directory = tmp_path_factory.mktemp("hostile") / "library"
    ids = _build(directory, huge_notes=True)
    with Library.open(directory) as library:
        yield library, ids


@pytest.fixture(scope="module")
def app_library(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Library, dict[str, str]]]:
    """The hostile library without the 1 MB notes.

    The notes editor must hold a note whole to edit it; a 1 MB note makes each
    redraw of it take seconds, a known limit left out of these tests.
    """
    directory = tmp_path_factory.mktemp("hostile-app") / "library"
    ids = _build(directory, huge_notes=False)
    with Library.open(directory) as library:
        yield library, ids


def assert_inert(text: str, allowed: str = "") -> None:
    raw = {hex(ord(c)) for c in RAW.findall(text) if c not in allowed}
    assert not raw, f"raw control characters in the output: {sorted(raw)}"


# -- (a) the app -----------------------------------------------------------------------------


#: What Textual itself writes for a redraw: SGR colours and cursor moves, nothing else
#: (so a title's own "\x1b[2J" would be left over and caught).
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*[mH]")


def terminal_output(app: ShelfApp) -> str:
    """The bytes a real terminal would receive for a full redraw of the screen."""
    update = app.screen._compositor.render_update(full=True)
    return str(update.render_segments(app.console))


def listed_side(shown: str) -> list[str]:
    """The screen rows that show both the list and the side panes."""
    return [line for line in shown.splitlines() if "││" in line]


async def test_the_app_shows_hostile_text_as_characters(
    app_library: tuple[Library, dict[str, str]],
) -> None:
    # Without the protection (text parsed as markup, or not passed through `inert`):
    # "[bold red]x[/]" would show as a bold "x", the OSC 8 title as a live hyperlink,
    # and ESC, BEL, NUL or U+202E would reach the terminal raw.
    library, ids = app_library

    app = ShelfApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name, text in HOSTILE.items():
            assert app.main.results.select_id(ids[name])
            await settle(pilot)
            shown = screen_text(app)
            visible = inert(text)
            listed = [line.split("││")[0] for line in shown.splitlines()]
            row = next(line for line in listed if f"{name}: " in line)
            assert visible[:20] in row, (name, row)  # the title in the list (then authors)
            # The side panes, their wrapped lines joined: preview, tags and notes.
            side = "".join(line.split("││", 1)[1] for line in listed_side(shown))
            flat = re.sub(r"[\s│]", "", side)
            assert flat.count(re.sub(r"\s", "", visible)) >= 4, (name, shown)
            assert_inert(shown)
            assert_inert(app.export_screenshot(), allowed="\n")
            stream = terminal_output(app)
            assert_inert(_OWN_SEQUENCES.sub("", stream), allowed="\n\r")
            assert "\x1b]" not in stream  # no OSC at all: no clipboard, no hyperlink
        # Every title's start, as characters, in the list (the authors column cuts the rest).
        assert "[bold red]x[/]" in shown and "[link=https://evil.ex" in shown


async def test_the_app_stays_responsive_with_megabyte_text(
    app_library: tuple[Library, dict[str, str]],
) -> None:
    # Without the protection (the preview's PREVIEW_CAP, the list's title cap, the
    # tags cap): the widgets would hold a megabyte each and every redraw would wrap
    # it all, which takes seconds per key.
    library, ids = app_library

    # A hang guard, not a speed target: a few seconds is the expectation.
    async with asyncio.timeout(120):
        app = ShelfApp(library)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.main.results.select_id(ids["huge"])
            await settle(pilot)
            preview = str(app.query_one("#preview-body", Static).content)
            assert preview.startswith("huge: lorem ipsum")
            assert len(preview) < 4 * 20_000
            assert "more characters not shown" in preview
            state = str(app.query_one("#state-line", Static).content)
            assert len(state) < 5_000  # the 1 MB tag is cut short
            shown = screen_text(app)
            assert "huge: lorem ipsum" in shown
            assert_inert(shown)
            last = len(app.main.results.entries) - 1
            await pilot.press("k" if app.main.results.cursor == last else "j")
            await settle(pilot)
            assert app.main.results.highlighted is not None
            assert app.main.results.highlighted.id != ids["huge"]
            for key, row in (("G", last), ("g", 0), ("pagedown", last), ("pageup", 0)):
                await pilot.press(key)
                assert app.main.results.cursor == row
            await settle(pilot)


# -- (b) the command line ----------------------------------------------------------------------


def run(library: Library, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--library", str(library.directory), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"shelf {' '.join(args)} raised") from result.exception
    return result


def test_list_and_show_print_hostile_text_inertly(hostile: tuple[Library, dict[str, str]]) -> None:
    # Without the protection: `shelf list` would clear the screen, set the clipboard
    # (OSC 52), print a hyperlink and reverse the line on the user's terminal.
    library, ids = hostile
    listed = run(library, "list")
    assert listed.exit_code == 0
    assert_inert(listed.stdout)
    for name, text in HOSTILE.items():
        assert f"{name}: {inert(text)}" in listed.stdout

    for name, text in HOSTILE.items():
        shown = run(library, "show", ids[name])
        assert shown.exit_code == 0
        assert_inert(shown.stdout)
        visible = inert(text)
        lines = shown.stdout.splitlines()
        assert lines[0] == f"{name}: {visible}"
        assert f"  authors: Ann {visible}, Plain Person" in lines
        assert f"  venue:   Venue {visible}" in lines
        assert f"  tags:    {one_line(f'{name} {text}'.lower())}" in lines
        assert f"  {name} note {visible}" in lines

    huge = run(library, "show", ids["huge"])
    assert huge.exit_code == 0
    assert_inert(huge.stdout)
    assert len(huge.stdout) > 3_000_000  # everything is shown, as characters


@pytest.mark.parametrize(
    "query",
    ["hostile", "evil", "transfr \u202eevil", "\x1b[2J", "[bold]x[/]", "title:(\x1b", "\x9b31m",
     "status:\x1b[2J", "tag:\x07", "nul\x00byte", "osc8 \x1b]8;;https://evil.example\x1b\\"],
)  # fmt: skip
def test_search_prints_hits_and_messages_inertly(
    hostile: tuple[Library, dict[str, str]], query: str
) -> None:
    # Without the protection: a did-you-mean built from the typed query printed the
    # query's own escapes and overrides raw (found by this test: `transfr \u202eevil`).
    library, _ = hostile
    result = run(library, "search", query)

    assert result.exit_code in (0, 1)
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    assert len(result.stderr.splitlines()) <= 1


def test_search_hits_show_the_titles_inertly(hostile: tuple[Library, dict[str, str]]) -> None:
    library, _ = hostile
    result = run(library, "search", "abstract")

    assert result.exit_code == 0
    assert_inert(result.stdout)
    for name, text in HOSTILE.items():
        assert f"{name}: {inert(text)}" in result.stdout


# -- (c) every export format ---------------------------------------------------------------------


def _entries(library: Library) -> list[Entry]:
    return library.select()


def _markdown_items_escape_everything(text: str) -> None:
    """No ``[`` or ``<`` in a list item that a backslash does not escape."""
    for line in text.splitlines():
        if not line.startswith("- ["):
            continue
        body = line[len("- [ ] ") :]
        escaped = False
        for char in body:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            else:
                assert char not in "[<", line[:200]


def _check_markdown(text: str, entries: list[Entry]) -> None:
    _markdown_items_escape_everything(text)
    tokens = MarkdownIt("commonmark").parse(text)
    inline = [child for token in tokens for child in (token.children or [])]
    assert not [t for t in inline if t.type == "link_open"]  # no paper has a web link
    assert not [t for t in tokens + inline if t.type.startswith("html")]
    assert text.count("\n- [ ] ") == len(entries)


def _check_bibtex(text: str, entries: list[Entry]) -> None:
    parsed = bibtexparser.parse_string(text)
    assert parsed.failed_blocks == []
    assert len(parsed.entries) == len(entries)


def _check_toml(text: str, entries: list[Entry]) -> None:
    document = tomllib.loads(text)
    assert sorted(p["title"] for p in document["paper"]) == sorted(
        e.paper.title for e in entries
    )  # the exact text, escaped the TOML way


def _check_json(text: str, entries: list[Entry]) -> None:
    rows = json.loads(text)
    assert sorted(r["title"] for r in rows) == sorted(e.paper.title for e in entries)
    assert sorted(r["notes"] for r in rows) == sorted(e.state.notes for e in entries)


def _check_csv(text: str, entries: list[Entry]) -> None:
    csv.field_size_limit(10_000_000)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(entries) + 1
    assert len({len(row) for row in rows}) == 1


CHECKS = {
    "markdown": _check_markdown,
    "bibtex": _check_bibtex,
    "toml": _check_toml,
    "json": _check_json,
    "csv": _check_csv,
}


def test_every_export_format_is_checked() -> None:
    assert sorted(CHECKS) == sorted(formats.writer_names())


@pytest.mark.parametrize("fmt", formats.writer_names())
def test_every_export_is_inert_and_valid(hostile: tuple[Library, dict[str, str]], fmt: str) -> None:
    # Without the protection: TOML wrote C1 controls and the RLO raw (tomli_w escapes
    # only C0 and DEL; found by this test), Markdown would open links and HTML from
    # titles, BibTeX would break its braces.
    library, _ = hostile
    entries = _entries(library)
    text = "".join(library.render(fmt, entries))

    assert_inert(text, allowed="\r" if fmt == "csv" else "")  # CSV rows end in CRLF
    CHECKS[fmt](text, entries)


def _record_decoder_inputs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text pylatexenc is handed from now on (none remembered)."""
    real = bibtex_latex.decoder()
    seen: list[int] = []

    def decoder(latex: str) -> str:
        seen.append(len(latex))
        return real(latex)

    monkeypatch.setattr(bibtex_latex, "decoder", lambda: decoder)
    bibtex_latex._construct_text.cache_clear()
    return seen


def test_a_megabyte_bibtex_field_reaches_the_latex_decoder_in_pieces(
    hostile: tuple[Library, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # pylatexenc takes time quadratic in the length of what it is given: a 1 MB
    # abstract holding one backslash took minutes. Without the protection the
    # decoder is handed the whole megabyte at once.
    library, ids = hostile
    text = "".join(library.render("bibtex", [library.get(ids["huge"])]))
    seen = _record_decoder_inputs(monkeypatch)
    (paper,) = bibtex.read(text, "huge.bib").papers
    # The export's escapes are read one construct at a time: never a long text at once.
    assert max(seen, default=0) < 20_000
    assert paper.abstract.startswith(ABSTRACT.strip())
    assert len(paper.abstract) > 1_000_000
    assert paper.abstract.endswith(inert(HUGE_TAIL.split()[-1]))  # "nul\\x00byte", visibly


def test_a_megabyte_field_only_the_whole_decoder_reads_reaches_it_in_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Math is for pylatexenc alone: the field goes to it, cut into pieces.
    seen = _record_decoder_inputs(monkeypatch)
    words = "word " * 200_000
    text = f"@article{{k, title={{T}}, abstract={{Rays $\\alpha$ {words}and $\\beta$ end}}}}"
    (paper,) = bibtex.read(text, "huge.bib").papers

    assert seen and max(seen) < 20_000
    assert paper.abstract.startswith("Rays \u03b1 word word")
    assert paper.abstract.endswith("and \u03b2 end")


@pytest.mark.parametrize("fmt", [name for name in formats.writer_names() if name != "markdown"])
def test_every_export_imports_again(
    hostile: tuple[Library, dict[str, str]], fmt: str, tmp_path: Path
) -> None:
    # Markdown is a reading list to read, not an import format. Without the
    # protection: the CSV reader refused shelf's own export of a 1 MB abstract (the
    # csv module's 128 KiB cell limit), and the BibTeX reader took minutes on it
    # (pylatexenc is quadratic in a field's length). Both found by this test.
    library, _ = hostile
    entries = _entries(library)
    extension = formats.writer_for(fmt).extension
    path = library.export(fmt, entries, tmp_path / f"export{extension}")

    with Library.open(tmp_path / "fresh") as fresh:
        report = fresh.import_paths([path])
        assert report.problems == []
        assert fresh.count() == len(entries)
        titles = sorted(e.paper.title for e in fresh.entries())
    if fmt in ("toml", "json"):  # exact formats: the very same text comes back
        assert titles == sorted(e.paper.title for e in entries)
    else:  # the others carry the visible escapes
        assert all(not RAW.search(title) for title in titles)
