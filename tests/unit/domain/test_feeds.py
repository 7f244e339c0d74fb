"""Feed sources, their default names and the identities a feed remembers."""

from __future__ import annotations

import pytest

from shelf.domain import Paper, ShelfError
from shelf.domain.feeds import Feed, FeedKind, default_name, identities, name_problem, parse_spec


@pytest.mark.parametrize(
    ("spec", "kind", "source", "name", "query"),
    [
        ("arxiv:cs.LG", FeedKind.ARXIV, "cs.LG", "cs.LG", "cat:cs.LG"),
        ("ARXIV: astro-ph.CO", FeedKind.ARXIV, "astro-ph.CO", "astro-ph.CO", "cat:astro-ph.CO"),
        ("arxiv:quant-ph", FeedKind.ARXIV, "quant-ph", "quant-ph", "cat:quant-ph"),
        ("arxiv:electron", FeedKind.ARXIV, "electron", "electron", "electron"),
        (
            "arxiv:ti:diffusion  AND cat:cs.CV",
            FeedKind.ARXIV,
            "ti:diffusion AND cat:cs.CV",
            "ti-diffusion-and-cat-cs.cv",
            "ti:diffusion AND cat:cs.CV",
        ),
        ("hf:daily", FeedKind.HF, "daily", "hf-daily", None),
        (
            "https://www.nature.com/nature.rss",
            FeedKind.RSS,
            "https://www.nature.com/nature.rss",
            "nature.com",
            None,
        ),
        (
            "http://user@127.0.0.1:8080/x.rss",
            FeedKind.RSS,
            "http://user@127.0.0.1:8080/x.rss",
            "127.0.0.1",
            None,
        ),
        ("http://[::1]:8080/feed.xml", FeedKind.RSS, "http://[::1]:8080/feed.xml", "ipv6-1", None),
        ("http://[2001:DB8::7]/x", FeedKind.RSS, "http://[2001:DB8::7]/x", "ipv6-2001-db8-7", None),
    ],
)
def test_a_spec_names_its_source_and_its_default_name(
    spec: str, kind: FeedKind, source: str, name: str, query: str | None
) -> None:
    assert parse_spec(spec) == (kind, source)
    assert default_name(kind, source) == name
    assert name_problem(name) is None
    if query is not None:
        assert Feed(name, kind, source).arxiv_query == query


@pytest.mark.parametrize("spec", ["cs.LG", "arxiv:", "hf:", "hf:weekly", "ftp://x.org/f", ""])
def test_what_is_not_a_feed_is_refused(spec: str) -> None:
    with pytest.raises(ShelfError):
        parse_spec(spec)


@pytest.mark.parametrize("name", ["", "a b", "-x", "x" * 41, "feed:x", "é"])
def test_bad_names(name: str) -> None:
    assert name_problem(name) is not None


def test_a_paper_is_known_by_its_arxiv_id_and_doi_else_by_title_and_year() -> None:
    paper = Paper(title="Attention Is All You Need!", arxiv_id="1706.03762", doi="10.1/x")
    assert identities(paper) == ("arxiv:1706.03762", "doi:10.1/x")
    assert identities(Paper(title="Only a title")) == ("title:only a title:",)
    assert identities(Paper(title="Only a title", year=2024)) == ("title:only a title:2024",)
    # A journal's many "Correction" items are different papers, told apart by their DOIs.
    first, second = Paper(title="Correction", doi="10.1/a"), Paper(title="Correction", doi="10.1/b")
    assert set(identities(first)).isdisjoint(identities(second))
