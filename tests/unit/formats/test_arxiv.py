"""Unit tests for the arXiv API feed reader: real fixture, both feed shapes, errors, hostile XML."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelf import formats
from shelf.domain import InputError
from shelf.formats import arxiv
from support.paths import FIXTURES

REAL_FEED = FIXTURES / "arxiv-idlist-astro-ph-0601001.xml"
HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "  <id>https://arxiv.org/api/synthetic</id>\n"
    "  <title>arXiv Query: synthetic</title>\n"
    "  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
)


def _feed(*entries: str, total: int | None = None) -> str:
    count = len(entries) if total is None else total
    return HEAD.format(total=count) + "".join(entries) + "</feed>\n"


def _entry(
    arxiv_id: str = "2106.09685v2",
    title: str = "LoRA: Low-Rank Adaptation of Large Language Models",
    extra: str = "",
) -> str:
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{arxiv_id}</id>\n"
        f"    <title>{title}</title>\n"
        "    <updated>2021-10-16T23:05:10Z</updated>\n"
        "    <published>2021-06-17T17:37:18Z</published>\n"
        "    <summary>  An important paradigm of natural language processing consists of\n"
        "large-scale pre-training on general domain data and adaptation to\n"
        "particular tasks or domains.\n</summary>\n"
        "    <author><name>Edward J. Hu</name></author>\n"
        "    <author>\n      <name>Yelong  Shen</name>\n    </author>\n"
        f"{extra}"
        "  </entry>\n"
    )


# The body arXiv sent (with HTTP 400) for id_list=abc, as recorded in lukasschwab/arxiv.py's
# tests/fixtures/id_abc_s0_m100_b79c8dcf6bc3.json.
ERROR_FEED = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" \
xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/</id>
  <title>arXiv Search Results</title>
  <updated>2026-04-12T22:59:06Z</updated>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>https://arxiv.org/api/errors#incorrect_id_format_for_abc</id>
    <title>Error</title>
    <updated>2026-04-12T22:59:06Z</updated>
    <link href="https://arxiv.org/api/errors#incorrect_id_format_for_abc" rel="alternate" \
type="text/html"/>
    <summary>incorrect id format for abc</summary>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
</feed>
"""

# The older shape: arxiv: and opensearch: declared on each element, http:// ids.
OLD_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3Dcond-mat/0412498" \
rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=cond-mat/0412498</title>
  <id>http://arxiv.org/api/synthetic-old</id>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1\
</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/cond-mat/0412498v3</id>
    <published>2004-12-17T10:00:00Z</published>
    <title>A Synthetic Old-Style Paper on
  Two Lines</title>
    <summary>  First line of the abstract
second line of the abstract.
</summary>
    <author><name>A. Physicist</name></author>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1103/PhysRevB.71.000000</arxiv:doi>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">Phys. Rev. B 71, 000000 \
(2005)</arxiv:journal_ref>
  </entry>
</feed>
"""


# -- the real fixture -------------------------------------------------------------------------


def test_real_feed_gives_the_old_style_paper() -> None:
    text = REAL_FEED.read_text(encoding="utf-8")
    result = arxiv.read(text, str(REAL_FEED))

    assert result.problems == ()
    (paper,) = result.papers
    assert paper.arxiv_id == "astro-ph/0601001"
    assert paper.title == (
        "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys "
        "Toward the Galactic Bulge and Carina"
    )
    assert paper.authors == (
        "Andrew Gould",
        "Susan Dorsher",
        "B. Scott Gaudi",
        "Andrzej Udalski",
    )
    assert paper.year == 2006
    assert paper.venue == "ActaAstron.56:1-50,2006"
    assert paper.doi is None
    assert paper.url == "https://arxiv.org/abs/astro-ph/0601001"
    assert paper.abstract.startswith("We derive the frequencies of hot Jupiters (HJs)")
    assert "Gould & Morgan (2003)" in paper.abstract
    assert "V_max<17.5" in paper.abstract
    assert paper.abstract.endswith("to map this distribution in detail.")


def test_real_feed_is_recognized_by_the_registry() -> None:
    text = REAL_FEED.read_text(encoding="utf-8")
    assert arxiv.sniff(text)
    assert formats.reader_for("response.xml", text).name == "arxiv"
    assert formats.reader_for("response.atom", text).name == "arxiv"


# -- synthetic feeds --------------------------------------------------------------------------


def test_new_style_id_loses_its_version_and_text_is_folded() -> None:
    (paper,) = arxiv.read(_feed(_entry()), "feed.xml").papers

    assert paper.arxiv_id == "2106.09685"
    assert paper.url == "https://arxiv.org/abs/2106.09685"
    assert paper.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert paper.authors == ("Edward J. Hu", "Yelong Shen")
    assert paper.year == 2021
    assert paper.abstract == (
        "An important paradigm of natural language processing consists of large-scale "
        "pre-training on general domain data and adaptation to particular tasks or domains."
    )
    assert paper.venue == ""
    assert paper.doi is None


def test_doi_and_journal_ref_are_read() -> None:
    extra = (
        "    <arxiv:doi>10.48550/ARXIV.2106.09685</arxiv:doi>\n"
        "    <arxiv:journal_ref>ICLR\n      2022</arxiv:journal_ref>\n"
    )
    (paper,) = arxiv.read(_feed(_entry(extra=extra)), "feed.xml").papers
    assert paper.doi == "10.48550/arxiv.2106.09685"
    assert paper.venue == "ICLR 2022"


def test_two_entries_give_two_papers_in_order() -> None:
    text = _feed(_entry(), _entry("1706.03762v7", "Attention Is All You Need"))
    papers = arxiv.read(text, "feed.xml").papers
    assert [p.arxiv_id for p in papers] == ["2106.09685", "1706.03762"]
    assert papers[1].title == "Attention Is All You Need"


def test_old_feed_shape_with_namespaces_on_each_element() -> None:
    assert arxiv.sniff(OLD_FEED)
    (paper,) = arxiv.read(OLD_FEED, "old.xml").papers
    assert paper.arxiv_id == "cond-mat/0412498"
    assert paper.title == "A Synthetic Old-Style Paper on Two Lines"
    assert paper.abstract == "First line of the abstract second line of the abstract."
    assert paper.doi == "10.1103/physrevb.71.000000"
    assert paper.venue == "Phys. Rev. B 71, 000000 (2005)"
    assert paper.year == 2004


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("astro-ph/0601001v1", "astro-ph/0601001"),
        ("cond-mat/0412498", "cond-mat/0412498"),
        ("math.GT/0309136v2", "math/0309136"),
        ("0704.0001v1", "0704.0001"),
        ("2401.12345v10", "2401.12345"),
    ],
)
def test_ids_of_every_era(raw: str, expected: str) -> None:
    (paper,) = arxiv.read(_feed(_entry(raw)), "feed.xml").papers
    assert paper.arxiv_id == expected


def test_entries_that_are_not_papers_become_problems_with_lines() -> None:
    text = _feed(_entry(), _entry("not-an-id"), _entry("1706.03762", title="  "))
    result = arxiv.read(text, "feed.xml")

    assert [p.arxiv_id for p in result.papers] == ["2106.09685"]
    assert len(result.problems) == 2
    first, second = result.problems
    assert first.source == "feed.xml"
    lines = text.splitlines()
    assert first.line is not None and lines[first.line - 1].strip() == "<entry>"
    assert "not an arXiv id" in first.message
    assert second.line is not None and second.line > first.line
    assert "no title" in second.message


def test_title_with_markup_characters_is_literal() -> None:
    title = "Escaping &lt;b&gt;bold&lt;/b&gt; &amp; [red]markup[/red]"
    (paper,) = arxiv.read(_feed(_entry(title=title)), "feed.xml").papers
    assert paper.title == "Escaping <b>bold</b> & [red]markup[/red]"


# -- errors -----------------------------------------------------------------------------------


def test_error_feed_is_an_error_with_the_api_message() -> None:
    with pytest.raises(InputError) as caught:
        arxiv.read(ERROR_FEED, "https://export.arxiv.org/api/query")
    message = str(caught.value)
    assert "incorrect id format for abc" in message
    assert message.startswith("https://export.arxiv.org/api/query: ")
    assert "\n" not in message


def test_error_feed_of_the_older_http_shape() -> None:
    old = ERROR_FEED.replace("https://arxiv.org/api/errors", "http://arxiv.org/api/errors")
    with pytest.raises(InputError, match="incorrect id format for abc"):
        arxiv.read(old, "feed.xml")


def test_error_message_is_made_inert() -> None:
    # XML cannot carry ESC, but it can carry C1 controls and direction overrides.
    hostile = ERROR_FEED.replace("incorrect id format for abc", "bad&#x9b;31m id\n  &#x202e;format")
    with pytest.raises(InputError) as caught:
        arxiv.read(hostile, "feed.xml")
    assert str(caught.value).endswith("error: bad\\x9b31m id \\u202eformat")


def test_error_feed_is_an_error_even_when_empty_feeds_are_allowed() -> None:
    with pytest.raises(InputError, match="error"):
        arxiv.read(ERROR_FEED, "feed.xml", allow_empty=True)


def test_empty_feed() -> None:
    with pytest.raises(InputError, match="no papers in this arXiv feed") as caught:
        arxiv.read(_feed(total=0), "empty.xml")
    assert str(caught.value).startswith("empty.xml: ")
    assert arxiv.read(_feed(total=0), "empty.xml", allow_empty=True).papers == ()


def test_malformed_xml_names_the_line() -> None:
    text = _feed(_entry()).replace("</summary>", "</summry>", 1)
    with pytest.raises(InputError) as caught:
        arxiv.read(text, "broken.xml")
    error = caught.value
    assert error.line == next(
        number for number, line in enumerate(text.splitlines(), 1) if "</summry>" in line
    )
    assert str(error).startswith(f"broken.xml:{error.line}: malformed XML: mismatched tag")
    assert "column" not in str(error)


def test_truncated_feed_is_malformed() -> None:
    text = _feed(_entry())
    with pytest.raises(InputError, match="malformed XML"):
        arxiv.read(text[: len(text) // 2], "cut.xml")


def test_xml_that_is_not_a_feed() -> None:
    with pytest.raises(InputError, match="not an arXiv API feed"):
        arxiv.read("<?xml version='1.0'?><html><body>arxiv.org</body></html>", "page.xml")


BOMB = """<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2106.09685</id>
<title>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</title></entry></feed>
"""


def test_entity_expansion_bomb_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        arxiv.read(BOMB, "bomb.xml")
    assert caught.value.line == 2
    assert "document type" in str(caught.value)


def test_external_entity_is_refused() -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2106.09685</id>'
        "<title>&x;</title></entry></feed>"
    )
    with pytest.raises(InputError, match="document type"):
        arxiv.read(text, "xxe.xml")


# -- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "@article{key, title={An arXiv paper from arxiv.org}}",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A blog</title></feed>',
        '{"url": "https://arxiv.org/abs/2106.09685", "ns": "http://www.w3.org/2005/Atom"}',
    ],
)
def test_sniff_refuses_what_is_not_an_arxiv_feed(text: str) -> None:
    assert not arxiv.sniff(text)


@given(st.text(max_size=300))
def test_any_text_gives_papers_or_an_input_error(text: str) -> None:
    for candidate in (text, _feed(_entry(title=text)), HEAD.format(total=1) + text):
        with contextlib.suppress(InputError):
            arxiv.read(candidate, "fuzz.xml")
