"""RSS and Atom feeds read into papers: a journal's RSS 1.0 feed, a news RSS 2.0 feed, and
what is not a feed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shelf.domain import InputError
from shelf.formats import feed_rss
from support.paths import FIXTURES

JOURNAL = FIXTURES / "jpeds-rss-2018.rdf"
NEWS = FIXTURES / "reuters-world-rss-2018.xml"


def test_a_journal_feed_gives_the_paper_with_its_doi_authors_year_and_journal() -> None:
    result = feed_rss.read(JOURNAL.read_bytes(), "jpeds")
    assert result.problems == ()
    (paper,) = result.papers
    assert paper.title == (
        "HIV Exposure and Formula Feeding Predict Under-2 Mortality in HIV-Uninfected "
        "Children, Botswana"
    )
    assert paper.doi == "10.1016/j.jpeds.2018.08.009"
    assert paper.authors[:2] == ("Gbolahan Ajibola", "Jean Leidner")
    assert len(paper.authors) == 13 and paper.authors[-1] == "Shahin Lockman"
    assert paper.year == 2018
    assert paper.venue == "The Journal of Pediatrics"
    assert paper.url.startswith("https://www.jpeds.com/article/S0022-3476(18)31119-3/")
    assert paper.abstract.startswith("To prospectively assess rates and detailed predictors")
    assert paper.arxiv_id is None


def test_an_rss_2_feed_gives_every_item_with_its_markup_removed() -> None:
    result = feed_rss.read(NEWS.read_bytes(), "news")
    assert len(result.papers) == 10
    first = result.papers[0]
    assert first.title == "U.S. general says North Korea not demonstrated all components of ICBM"
    assert first.year == 2018
    assert first.abstract.startswith("WASHINGTON (Reuters) - North Korea's nuclear program")
    assert "<" not in first.abstract and "&lt;" not in first.abstract
    assert first.url.startswith("http://feeds.reuters.com/")


def test_an_arxiv_link_gives_the_arxiv_id() -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        b"<title>A paper</title><link>https://arxiv.org/abs/2106.09685v2</link></item>"
        b"</channel></rss>"
    )
    (paper,) = feed_rss.read(feed, "x").papers
    assert paper.arxiv_id == "2106.09685"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html><body><p>Sign in</p></body></html>", "not an RSS or Atom feed"),
        (NEWS.read_bytes()[:600], "not an RSS or Atom feed: malformed XML"),
        (b"/etc/passwd", "not an RSS or Atom feed"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss/>', "entity declaration"),
    ],
    ids=["html", "cut-short", "a-path-is-not-opened", "entities"],
)
def test_what_is_not_a_feed_is_one_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        feed_rss.read(data, "src")


_FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_ITEM = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)


@_FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_papers_or_one_clear_error(data: bytes) -> None:
    _papers_or_error(data)


@_FUZZ
@given(parts=st.lists(_ITEM, max_size=6), cut=st.integers(min_value=0, max_value=4000))
@example(parts=["0\x85"], cut=59)  # feedparser raised ValueError on this one (found here)
def test_a_real_feed_cut_or_spliced_gives_papers_or_one_clear_error(
    parts: list[str], cut: int
) -> None:
    real = JOURNAL.read_bytes()
    _papers_or_error(real[:cut] + "".join(parts).encode("utf-8") + real[cut:])


def _papers_or_error(data: bytes) -> None:
    try:
        result = feed_rss.read(data, "fuzz")
    except InputError as error:
        assert str(error).strip() and "\n" not in str(error)
        return
    assert all(paper.title.strip() for paper in result.papers)
