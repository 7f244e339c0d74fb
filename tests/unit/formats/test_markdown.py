"""Unit tests for the Markdown reading list: a golden file, and hostile titles kept inert.

Regenerate the golden file after an intended change with
``SHELF_UPDATE_GOLDEN=1 pytest tests/unit/formats/test_markdown.py`` and read the diff.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime

import markdown_it
import pytest
from markdown_it.token import Token

from shelf.domain import Entry, Paper, ReadingState, Status
from shelf.formats import markdown
from support import paths

GOLDEN = paths.GOLDEN / "reading-list.md"
AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

MARKUP_TITLE = "*bold* _it_ [link](http://x) | cell # head"
NEWLINE_TITLE = "First line of a title\nsecond line # not a heading"
HTML_TITLE = "<script>alert(1)</script>"
RICH_TITLE = "[bold red]x[/]"
ESC_TITLE = "Clear \x1b[2J screen"
JS_TITLE = "A paper whose link is javascript"

HOSTILE_TITLES = (MARKUP_TITLE, NEWLINE_TITLE, HTML_TITLE, RICH_TITLE, ESC_TITLE, JS_TITLE)


def _entry(
    paper_id: str,
    title: str,
    status: Status = Status.INBOX,
    *,
    starred: bool = False,
    tags: tuple[str, ...] = (),
    notes: str = "",
    **paper: object,
) -> Entry:
    return Entry(
        id=paper_id,
        paper=Paper(title=title, **paper),  # type: ignore[arg-type]
        state=ReadingState(status=status, starred=starred, tags=tags, notes=notes, added_at=AT),
    )


def entries() -> list[Entry]:
    """A library with something in every status, mixed on purpose (the writer groups them)."""
    return [
        _entry(
            "rd0001",
            "Attention Is All You Need",
            Status.READ,
            authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"),
            year=2017,
            venue="NeurIPS",
            arxiv_id="1706.03762",
            tags=("nlp", "transformers"),
        ),
        _entry(
            "ib0001",
            "AdapterFusion: Non-Destructive Task Composition for Transfer Learning",
            abstract="Sequential fine-tuning and multi-task learning ...",
        ),
        _entry(
            "rg0001",
            "Deep Residual Learning for Image Recognition",
            Status.READING,
            starred=True,
            authors=("Kaiming He", "Xiangyu Zhang"),
            year=2016,
            venue="CVPR",
            url="https://example.org/resnet(v2)",
            notes=(
                "Skip connections make depth trainable.\n\n"
                "- compare with *highway* networks\n"
                "- <b>raw html</b> & entities stay literal"
            ),
        ),
        _entry("tr0001", MARKUP_TITLE, Status.TO_READ, doi="10.1000/Markup"),
        _entry("tr0002", NEWLINE_TITLE, Status.TO_READ, authors=("Ann * Author",)),
        _entry("ib0002", HTML_TITLE, tags=("se`curity",)),
        _entry("ib0003", RICH_TITLE, authors=("[red]Mallory[/red]",)),
        _entry("ib0004", ESC_TITLE, notes="note with \x1b]52;c;ZXZpbA==\x07 inside"),
        _entry("sk0001", JS_TITLE, Status.SKIPPED, url="javascript:alert(1)"),
        _entry("rd0002", "Already Read, No Metadata", Status.READ, starred=True),
    ]


TODAY = date(2026, 12, 2)


def _render() -> str:
    return markdown.write(entries(), today=TODAY)


# -- the golden file -----------------------------------------------------------------------


def test_matches_the_golden_file() -> None:
    rendered = _render()
    if os.environ.get("SHELF_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(rendered, encoding="utf-8", newline="\n")
    assert rendered == GOLDEN.read_text(encoding="utf-8")


# -- structure ----------------------------------------------------------------------------------


def _headings(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, re.MULTILINE)


def test_groups_in_order_with_counts_and_empty_groups_omitted() -> None:
    # Reading order: what you are on, what is next, what is done, the untriaged last.
    assert _headings(_render()) == [
        "Reading (1)",
        "To read (2)",
        "Read (2)",
        "Inbox (4)",
        "Skipped (1)",
    ]
    only = [_entry("a", "A", Status.INBOX), _entry("b", "B", Status.READ)]
    assert _headings(markdown.write(only)) == ["Read (1)", "Inbox (1)"]


def test_header_and_count_line() -> None:
    lines = _render().splitlines()
    assert lines[0] == "# Reading list"
    assert lines[2] == "10 papers, exported from shelf on 2026-12-02."
    one = markdown.write([_entry("a", "A")], "tag nlp_2 *x*", today=TODAY).splitlines()[2]
    assert one == "1 paper (tag nlp_2 \\*x\\*), exported from shelf on 2026-12-02."


def test_empty_library() -> None:
    empty = markdown.write([], today=TODAY)
    assert empty == "# Reading list\n\n0 papers, exported from shelf on 2026-12-02.\n"


def test_plain_words_carry_no_stray_escapes() -> None:
    text = markdown.write([_entry("a", "zero_shot Q&A, 1.5x #1 | A > B", authors=("Dr. Jo",))])
    assert "**zero_shot Q&A, 1.5x #1 | A > B** — Dr. Jo" in text
    assert markdown.escape("_lead and trail_ &amp; __init__") == (
        "\\_lead and trail\\_ \\&amp; \\_\\_init\\_\\_"
    )


def test_custom_title_is_escaped() -> None:
    assert markdown.write([], title="My *list*").startswith("# My \\*list\\*\n")


def test_read_papers_are_checked_and_others_are_not() -> None:
    items = [line for line in _render().splitlines() if line.startswith("- [")]
    assert len(items) == len(entries())
    checked = [line for line in items if line.startswith("- [x] ")]
    assert len(checked) == 2
    assert all("Attention" in line or "Already Read" in line for line in checked)


def test_items_keep_their_order_within_a_group() -> None:
    text = _render()
    inbox = text.split("## Inbox (4)")[1].split("## Skipped")[0]
    order = [
        m.group(1)
        for m in re.finditer(r"^- \[ \] .*?(AdapterFusion|script|red|Clear)", inbox, re.M)
    ]
    assert order == ["AdapterFusion", "script", "red", "Clear"]


def test_star_links_authors_year_and_tags() -> None:
    text = _render()
    assert (
        "- [ ] ★ **[Deep Residual Learning for Image Recognition]"
        "(https://example.org/resnet%28v2%29)** — Kaiming He, Xiangyu Zhang, CVPR, 2016"
    ) in text
    assert (
        "- [x] **[Attention Is All You Need](https://arxiv.org/abs/1706.03762)** — "
        "Ashish Vaswani, Noam Shazeer, Niki Parmar, et al., NeurIPS, 2017\n"
        "  `nlp` `transformers`"
    ) in text
    assert "Jakob" not in text, "only the first three authors are listed"
    assert "(https://doi.org/10.1000/Markup)" in text
    assert "- [x] ★ **Already Read, No Metadata**\n" in text


def test_notes_are_quoted_under_their_paper_with_html_neutralized() -> None:
    text = _render()
    assert (
        "  > Skip connections make depth trainable.\n"
        "  >\n"
        "  > - compare with *highway* networks\n"
        "  > - &lt;b>raw html&lt;/b> &amp; entities stay literal\n"
    ) in text


# -- hostile input stays inert ---------------------------------------------------------------


def _title_line(text: str, marker: str) -> str:
    found = [line for line in text.splitlines() if line.startswith("- [") and marker in line]
    assert len(found) == 1, (marker, found)
    return found[0]


def _title_part(line: str) -> str:
    """What sits between the bold markers of an item line (link syntax included)."""
    match = re.match(r"^- \[[ x]\] (?:★ )?\*\*(.*)\*\*(?: — .*)?$", line)
    assert match, line
    return match.group(1)


def _unescaped(text: str, chars: str) -> list[str]:
    """Characters of ``chars`` in ``text`` that no backslash escapes."""
    bad = []
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] in chars:
            bad.append(text[index])
        index += 1
    return bad


def test_the_hostile_titles_are_all_in_the_sample() -> None:
    titles = [entry.paper.title for entry in entries()]
    assert all(titles.count(title) == 1 for title in HOSTILE_TITLES)


def test_no_raw_control_characters_anywhere() -> None:
    text = _render()
    assert "\x1b" not in text
    assert "\x07" not in text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    assert "\\x1b" in text, "the escape is shown, not dropped"


def test_every_hostile_title_stays_on_one_line() -> None:
    text = _render()
    for marker in ("cell", "First line", "alert(1)", "bold red", "Clear", "whose link"):
        line = _title_line(text, marker)
        assert line.endswith("**") or " — " in line
    assert "second line" in _title_line(text, "First line")
    assert not re.search(r"^second line", text, re.MULTILINE)
    assert not re.search(r"^#+ .*not a heading", text, re.MULTILINE)


@pytest.mark.parametrize("marker", ["cell", "First line", "alert(1)", "bold red", "Clear"])
def test_no_unescaped_markup_inside_hostile_titles(marker: str) -> None:
    title = _title_part(_title_line(_render(), marker))
    link = re.match(r"^\[(.*)\]\([^ ]*\)$", title)
    inner = link.group(1) if link else title
    assert _unescaped(inner, "[]*<`~$") == []
    # An unescaped _ that could open or close emphasis (not between two letters).
    assert re.findall(r"(?<!\\)(?:(?<!\w)_|_(?!\w))", inner) == []


def test_markup_title_is_escaped_exactly() -> None:
    line = _title_line(_render(), "cell")
    assert line.startswith(
        "- [ ] **[\\*bold\\* \\_it\\_ \\[link\\](http://x) | cell # head]"
        "(https://doi.org/10.1000/Markup)**"
    )


def test_javascript_url_is_not_a_link() -> None:
    text = _render()
    assert "javascript:" not in text.lower()
    assert _title_line(text, "whose link") == "- [ ] **A paper whose link is javascript**"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://x.org/\x1b[2J",
        "https://x.org/\n",
        "https://x.org/a b",
        "vbscript:msgbox(1)",
    ],
)
def test_only_clean_http_urls_become_links(url: str) -> None:
    text = markdown.write([_entry("u", "Plain title", url=url)])
    assert _title_line(text, "Plain title") == "- [ ] **Plain title**"
    assert "\x1b" not in text


def test_urls_cannot_break_out_of_the_link() -> None:
    text = markdown.write([_entry("u", "T", url="https://x.org/a>b<c)d(e\\fü")])
    assert _title_line(text, "T") == "- [ ] **[T](https://x.org/a%3Eb%3Cc%29d%28e%5Cf%C3%BC)**"


# -- what a Markdown renderer makes of it ---------------------------------------------------------


def _inline_tokens(text: str) -> list[Token]:
    parser = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    found = []
    for token in parser.parse(text):
        found.append(token)
        found += token.children or []
    return found


def _item_tokens(marker: str) -> list[Token]:
    """Inline tokens of the one list item whose text contains ``marker``."""
    tokens = _inline_tokens(_render())
    items: list[list[Token]] = []
    depth = 0
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                items.append([])
        elif token.type == "list_item_close":
            depth -= 1
        elif depth and items:
            items[-1].append(token)
    chosen = [item for item in items if any(t.type == "text" and marker in t.content for t in item)]
    assert len(chosen) == 1, marker
    return chosen[0]


@pytest.mark.parametrize(
    ("marker", "title"),
    [
        ("*bold* _it_", MARKUP_TITLE),
        ("First line", " ".join(NEWLINE_TITLE.split())),
        ("<script>", HTML_TITLE),
        ("[bold red]", RICH_TITLE),
        ("Clear", "Clear \\x1b[2J screen"),
        ("javascript", JS_TITLE),
    ],
)
def test_rendered_hostile_title_is_literal_text(marker: str, title: str) -> None:
    item = _item_tokens(marker)
    kinds = {t.type for t in item}
    assert "html_inline" not in kinds
    assert "html_block" not in kinds
    assert "em_open" not in kinds
    assert "s_open" not in kinds
    # Exactly the bold around the title, and at most the paper's own http(s) link.
    assert sum(t.type == "strong_open" for t in item) == 1
    links = [t for t in item if t.type == "link_open"]
    assert len(links) <= 1
    for link in links:
        assert str(link.attrs["href"]).startswith(("https://arxiv.org/", "https://doi.org/"))
    text = "".join(t.content for t in item if t.type == "text")
    assert title in text


def test_rendered_document_structure() -> None:
    tokens = _inline_tokens(_render())
    headings = [t for t in tokens if t.type == "heading_open"]
    assert [h.tag for h in headings] == ["h1", "h2", "h2", "h2", "h2", "h2"]
    assert not any(t.type in {"table_open", "html_block", "html_inline", "hr"} for t in tokens)
    assert sum(t.type == "bullet_list_open" for t in tokens) >= 5
