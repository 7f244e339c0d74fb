"""``shelf feed`` and ``shelf fetch`` as a user runs them, against recorded answers on 127.0.0.1.

The stand-in (``support.feed_stub``) serves a recorded arXiv API listing (10
papers), a recorded Hugging Face daily-papers answer (3 papers), a journal's
RSS feed (1 paper, with a DOI) and a news RSS 2.0 feed (10 items). The
failures are those answers broken, refused or rate-limited, and addresses
that cannot be reached.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.commands import Ran, run
from support.feed_stub import (
    ARXIV_ERROR,
    ARXIV_LISTING,
    HF_DAILY,
    JOURNAL_ETAG,
    FeedStub,
    Route,
    feed_config,
    serving,
)

SKIPPED_ID = "2202.12139"  # the first paper of the recorded arXiv listing
HF_ID = "2410.16251"  # "Can Knowledge Editing Really Correct Hallucinations?"
JOURNAL_DOI = "10.1016/j.jpeds.2018.08.009"


class Shelf:
    """A library, a config pointing at the stand-in, and the stand-in's address."""

    def __init__(self, tmp_path: Path, base: str, **config: Any) -> None:
        self.library = tmp_path / "lib"
        self.base = base
        self.config = feed_config(tmp_path, base, **config)

    def __call__(self, *args: str) -> Ran:
        return run(*args, library=self.library, config=self.config, timeout=60)

    def papers(self, *args: str) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = json.loads(self("list", "--json", *args).ok().out)
        return listed

    def paper(self, ref: str) -> dict[str, Any]:
        shown: dict[str, Any] = json.loads(self("show", "--json", ref).ok().out)
        return shown


@pytest.fixture
def stub() -> FeedStub:
    return FeedStub()


@pytest.fixture
def shelf(tmp_path: Path, stub: FeedStub) -> Any:
    with serving(stub) as base:
        yield Shelf(tmp_path, base)


def subscribe_all(shelf: Shelf) -> None:
    shelf("feed", "add", "arxiv:cs.LG").ok()
    shelf("feed", "add", "hf:daily").ok()
    shelf("feed", "add", f"{shelf.base}/journal.rss").ok()


def test_three_feeds_fill_the_inbox_and_a_second_fetch_adds_nothing(
    shelf: Shelf, stub: FeedStub
) -> None:
    subscribe_all(shelf)
    first = shelf("fetch").ok()
    assert first.err.splitlines() == [  # by name
        "feed 127.0.0.1: added 1, merged 0, unchanged 0, seen before 0",
        "feed cs.LG: added 10, merged 0, unchanged 0, seen before 0",
        "feed hf-daily: added 3, merged 0, unchanged 0, seen before 0",
    ]
    assert first.out.strip() == "added 14, merged 0, unchanged 0 from 3 feeds"
    inbox = shelf.papers("--status", "inbox")
    assert len(inbox) == 14
    tags = {paper["arxiv_id"] or paper["doi"]: paper["tags"] for paper in inbox}
    assert tags[SKIPPED_ID] == ["feed:cs.lg"]
    assert tags[HF_ID] == ["feed:hf-daily"]
    assert tags[JOURNAL_DOI] == ["feed:127.0.0.1"]
    journal = shelf.paper(f"doi:{JOURNAL_DOI}")
    assert journal["title"].startswith("HIV Exposure and Formula Feeding Predict Under-2")
    assert journal["venue"] == "The Journal of Pediatrics" and len(journal["authors"]) == 13

    second = shelf("fetch").ok()
    assert second.out.strip() == "added 0, merged 0, unchanged 0 from 3 feeds"
    assert "feed cs.LG: added 0, merged 0, unchanged 0, seen before 10" in second.err
    assert "feed hf-daily: added 0, merged 0, unchanged 0, seen before 3" in second.err
    assert len(shelf.papers()) == 14
    # Each asked only for what is newer: arXiv for the days since the last fetch (newest
    # first), the journal with the ETag its answer gave (it answered 304, not modified).
    listing = stub.asked("/api/query")
    assert listing[0].query["search_query"] == ["cat:cs.LG"]
    assert listing[0].query["sortBy"] == ["submittedDate"]
    assert listing[0].query["sortOrder"] == ["descending"]
    assert listing[0].query["max_results"] == ["100"]
    assert listing[1].query["search_query"][0].startswith("(cat:cs.LG) AND submittedDate:[")
    journal_asks = stub.asked("/journal.rss")
    assert "if-none-match" not in journal_asks[0].headers
    assert journal_asks[1].headers["if-none-match"] == JOURNAL_ETAG
    assert all(r.headers["user-agent"].startswith("shelf/") for r in stub.requests)


def test_a_skipped_paper_stays_skipped_when_the_server_lists_it_again(shelf: Shelf) -> None:
    shelf("feed", "add", "arxiv:cs.LG").ok()
    shelf("fetch").ok()
    shelf("set", f"arxiv:{SKIPPED_ID}", "--status", "skipped").ok()
    shelf("set", "arxiv:2405.13786", "--status", "read").ok()
    shelf("fetch", "cs.LG").ok()
    assert shelf.paper(f"arxiv:{SKIPPED_ID}")["status"] == "skipped"
    assert shelf.paper("arxiv:2405.13786")["status"] == "read"
    # Another feed listing the same papers merges them: known papers keep their state.
    shelf("feed", "add", "arxiv:cs.SE").ok()
    merged = shelf("fetch", "cs.SE").ok()
    assert "feed cs.SE: added 0, merged 0, unchanged 10, seen before 0" in merged.err
    skipped = shelf.paper(f"arxiv:{SKIPPED_ID}")
    assert skipped["status"] == "skipped"
    assert skipped["tags"] == ["feed:cs.lg", "feed:cs.se"]
    assert len(shelf.papers("--status", "inbox")) == 8


def test_a_deleted_paper_does_not_come_back(shelf: Shelf) -> None:
    shelf("feed", "add", "arxiv:cs.LG").ok()
    shelf("fetch").ok()
    shelf("delete", f"arxiv:{SKIPPED_ID}").ok()
    again = shelf("fetch").ok()
    assert "seen before 10" in again.err
    # Not from another feed either: what a feed delivered and the user deleted stays gone.
    shelf("feed", "add", "arxiv:cs.SE").ok()
    other = shelf("fetch", "cs.SE").ok()
    assert "feed cs.SE: added 0, merged 0, unchanged 9, seen before 1" in other.err
    assert SKIPPED_ID not in {paper["arxiv_id"] for paper in shelf.papers()}
    assert len(shelf.papers()) == 9


def test_a_feed_removed_and_added_again_brings_nothing_old_back(shelf: Shelf) -> None:
    shelf("feed", "add", "arxiv:cs.LG").ok()
    shelf("fetch").ok()
    shelf("set", f"arxiv:{SKIPPED_ID}", "--status", "skipped").ok()
    shelf("feed", "remove", "cs.LG").ok()
    assert len(shelf.papers()) == 10  # its papers stay
    shelf("feed", "add", "arxiv:cs.LG").ok()
    again = shelf("fetch").ok()
    assert "feed cs.LG: added 0, merged 0, unchanged 0, seen before 10" in again.err
    assert shelf.paper(f"arxiv:{SKIPPED_ID}")["status"] == "skipped"


def test_max_per_fetch_caps_each_fetch_and_the_rest_come_next_time(
    tmp_path: Path, stub: FeedStub
) -> None:
    with serving(stub) as base:
        shelf = Shelf(tmp_path, base, cap=4)
        shelf("feed", "add", f"{base}/world.rss", "--name", "world").ok()
        shelf("feed", "add", "arxiv:cs.LG").ok()
        first = shelf("fetch").ok()
        assert "feed world: added 4, merged 0, unchanged 0, seen before 0, " \
            "6 over [feeds] max_per_fetch" in first.err  # fmt: skip
        assert stub.asked("/api/query")[0].query["max_results"] == ["4"]
        second = shelf("fetch", "world").ok()
        assert "feed world: added 4, merged 0, unchanged 0, seen before 4, 2 over" in second.err
        titles = {paper["title"] for paper in shelf.papers("--tag", "feed:world")}
    assert len(titles) == 8
    assert "U.S. general says North Korea not demonstrated all components of ICBM" in titles


def test_two_arxiv_feeds_wait_the_configured_pause_between_requests(
    tmp_path: Path, stub: FeedStub
) -> None:
    with serving(stub) as base:
        shelf = Shelf(tmp_path, base, pause=1.5)
        shelf("feed", "add", "arxiv:cs.LG").ok()
        shelf("feed", "add", "arxiv:cs.SE").ok()
        shelf("fetch").ok()
    first, second = (request.at for request in stub.asked("/api/query"))
    assert second - first >= 1.4  # a lower bound: the pause arXiv asks for was kept


FAILURES = {
    "http-error": (
        "hf-daily",
        {"/api/daily_papers": Route(b"Internal Server Error\n", "text/plain", status=500)},
        "the Hugging Face API at {host} answered HTTP 500 Internal Server Error; "
        "the service has a problem, try again later",
    ),
    "rate-limit": (
        "hf-daily",
        {
            "/api/daily_papers": Route(
                b"slow down\n", "text/plain", status=429, headers={"Retry-After": "120"}
            )
        },
        "the Hugging Face API at {host} answered HTTP 429 Too Many Requests; "
        "it asks to wait 120 s before trying again",
    ),
    "bad-json": (
        "hf-daily",
        {"/api/daily_papers": Route(HF_DAILY.read_bytes()[:5000], "application/json")},
        "http://{host}/api/daily_papers:1: not valid JSON: Unterminated string",
    ),
    "bad-xml": (
        "cs.LG",
        {"/api/query": Route(ARXIV_LISTING.read_bytes()[:3000], "application/atom+xml")},
        "http://{host}/api/query:",
    ),
    "api-error": (
        "cs.LG",
        {"/api/query": Route(ARXIV_ERROR.read_bytes(), "application/atom+xml", status=400)},
        "http://{host}/api/query: the arXiv API answered with an error: "
        "incorrect id format for abc",
    ),
    "not-a-feed": (
        "journal",
        {"/journal.rss": Route(b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html")},
        "http://{host}/journal.rss: not an RSS or Atom feed",
    ),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failing_feed_is_one_line_and_the_others_are_fetched(tmp_path: Path, case: str) -> None:
    failing, routes, message = FAILURES[case]
    stub = FeedStub(routes=routes)
    with serving(stub) as base:
        shelf = Shelf(tmp_path, base)
        shelf("feed", "add", "arxiv:cs.LG").ok()
        shelf("feed", "add", "hf:daily").ok()
        shelf("feed", "add", f"{base}/journal.rss", "--name", "journal").ok()
        result = shelf("fetch")
    host = base.removeprefix("http://")
    assert result.code == 1
    failed = [line for line in result.err.splitlines() if line.startswith("shelf: ")]
    assert len(failed) == 1
    assert failed[0].startswith(f"shelf: feed {failing}: {message.format(host=host)}")
    expected = {"cs.LG": 10, "hf-daily": 3, "journal": 1}
    expected[failing] = 0
    assert result.out.strip().endswith(f"(1 failed: {failing})")
    # The others are in; of the failed one, nothing (not even its memory of the fetch).
    for name, count in expected.items():
        assert len(shelf.papers("--tag", f"feed:{name.lower()}")) == count
    fetched = {
        f["name"]: f["fetched_at"] for f in json.loads(shelf("feed", "list", "--json").ok().out)
    }
    assert fetched[failing] is None
    assert all(stamp for name, stamp in fetched.items() if name != failing)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        (
            "http://127.0.0.1:1/feed.rss",
            "cannot reach the feed at 127.0.0.1:1 (Connection refused)",
        ),
        (
            "http://journal.invalid/feed.rss",
            "cannot reach the feed at journal.invalid (cannot resolve",
        ),
    ],
    ids=["offline", "dns"],
)
def test_an_unreachable_feed_is_one_line_and_the_others_are_fetched(
    shelf: Shelf, address: str, reason: str
) -> None:
    shelf("feed", "add", address, "--name", "gone").ok()
    shelf("feed", "add", "hf:daily").ok()
    result = shelf("fetch")
    assert result.code == 1
    assert f"shelf: feed gone: {reason}" in result.err
    assert "feed hf-daily: added 3" in result.err
    assert len(shelf.papers()) == 3


def test_fetch_json_reports_each_feed(shelf: Shelf) -> None:
    subscribe_all(shelf)
    report = json.loads(shelf("fetch", "--json", "hf-daily").ok().out)
    assert report["added"] == 3 and report["failed"] == []
    assert [feed["name"] for feed in report["feeds"]] == ["hf-daily"]
    assert report["feeds"][0]["seen_before"] == 0 and report["feeds"][0]["error"] is None


def test_feed_add_list_and_remove(shelf: Shelf) -> None:
    added = shelf("feed", "add", "arxiv:ti:diffusion AND cat:cs.CV").ok()
    assert added.out.strip() == (
        "added feed ti-diffusion-and-cat-cs.cv (arxiv:ti:diffusion AND cat:cs.CV); "
        "`shelf fetch` fetches it"
    )
    shelf("feed", "add", "https://www.nature.com/nature.rss").ok()
    shelf("feed", "add", "HF:daily", "--name", "papers").ok()
    listed = json.loads(shelf("feed", "list", "--json").ok().out)
    assert [(f["name"], f["source"], f["delivered"]) for f in listed] == [
        ("nature.com", "https://www.nature.com/nature.rss", 0),
        ("papers", "hf:daily", 0),
        ("ti-diffusion-and-cat-cs.cv", "arxiv:ti:diffusion AND cat:cs.CV", 0),
    ]
    assert "papers\thf:daily\t0 delivered, never fetched" in shelf("feed", "list").ok().lines
    removed = shelf("feed", "remove", "PAPERS").ok()
    assert removed.out.strip() == "removed feed papers; its papers stay in the library"
    assert [f["name"] for f in json.loads(shelf("feed", "list", "--json").ok().out)] == [
        "nature.com",
        "ti-diffusion-and-cat-cs.cv",
    ]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("feed", "add", "cs.LG"), "shelf: not a feed: 'cs.LG' (expected arxiv:cs.LG, "),
        (("feed", "add", "arxiv:"), "shelf: no arXiv category or query after 'arxiv:'"),
        (("feed", "add", "hf:weekly"), "shelf: unknown Hugging Face feed 'hf:weekly'"),
        (("feed", "add", "ftp://example.org/feed"), "shelf: not a feed: 'ftp://example.org/feed'"),
        (("feed", "add", "hf:daily", "--name", "a b"), "shelf: a feed name is 1 to 40 letters"),
        (
            ("feed", "add", "arxiv:cs.lg"),
            "shelf: a feed called 'cs.LG' exists already (arxiv:cs.LG); name it with --name",
        ),
        (
            ("feed", "add", "arxiv:cs.LG", "--name", "ml"),
            "shelf: already subscribed to that, as feed 'cs.LG'",
        ),
        (("feed", "remove", "nope"), "shelf: no feed called 'nope' (the feeds are cs.LG)"),
        (("fetch", "cs.LG", "nope"), "shelf: no feed called 'nope' (the feeds are cs.LG)"),
    ],
)
def test_bad_feed_commands_are_one_line(shelf: Shelf, args: tuple[str, ...], line: str) -> None:
    shelf("feed", "add", "arxiv:cs.LG").ok()
    assert shelf(*args).error().startswith(line)
    assert [f["name"] for f in json.loads(shelf("feed", "list", "--json").ok().out)] == ["cs.LG"]
    assert shelf.papers() == []


def test_fetch_without_feeds_says_how_to_add_one(tmp_path: Path) -> None:
    line = run("fetch", library=tmp_path / "lib").error()
    assert line == "shelf: no feeds yet; add one, e.g. `shelf feed add arxiv:cs.LG`"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("[feeds]\nmax_per_fetch = 0\n", "feeds.max_per_fetch: must be from 1 to 2000"),
        ("[arxiv]\npause = -1\n", "arxiv.pause: must be from 0 to 600 seconds"),
        ("[huggingface]\napi_url = 'ftp://x'\n", "huggingface.api_url: expected an http(s) URL"),
    ],
)
def test_bad_feed_settings_name_the_key(tmp_path: Path, setting: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(setting, encoding="utf-8")
    line = run("fetch", library=tmp_path / "lib", config=config).error(code=2)
    assert f"config.toml:2: {message}" in line


# -- what the hostile pass of issue 14 found ------------------------------------------------


def test_papers_over_the_cap_of_an_rss_feed_with_an_etag_come_next_time(
    tmp_path: Path, stub: FeedStub
) -> None:
    # The ETag of an answer only partly imported was kept: the feed then answered "not
    # modified" for ever, and the papers over the cap never came.
    stub.routes["/world.rss"] = Route(stub.routes["/world.rss"].body, "application/rss+xml",
                                      etag='"v1"')  # fmt: skip
    with serving(stub) as base:
        shelf = Shelf(tmp_path, base, cap=4)
        shelf("feed", "add", f"{base}/world.rss", "--name", "world").ok()
        added = [shelf("fetch").ok().out.split(",")[0] for _ in range(3)]
    assert added == ["added 4", "added 4", "added 2"]


def test_an_arxiv_listing_past_the_cap_is_read_page_by_page_over_fetches(
    tmp_path: Path, stub: FeedStub
) -> None:
    # Each fetch asked for the same newest page: the papers past it never came.
    stub.routes["/api/query"] = Route(ARXIV_LISTING.read_bytes(), "application/atom+xml",
                                      paged=True)  # fmt: skip
    with serving(stub) as base:
        shelf = Shelf(tmp_path, base, cap=4)
        shelf("feed", "add", "arxiv:cs.LG").ok()
        added = [shelf("fetch").ok().out.split(",")[0] for _ in range(4)]
    assert added == ["added 4", "added 4", "added 2", "added 0"]
    assert len(shelf.papers()) == 10


def test_an_answer_cut_short_is_a_failed_feed_and_nothing_of_it_is_imported(
    tmp_path: Path, stub: FeedStub
) -> None:
    # A connection dropped halfway gave the papers of the first half, as a success.
    body = stub.routes["/world.rss"].body
    stub.routes["/world.rss"] = Route(body, "application/rss+xml", cut=len(body) // 2)
    with serving(stub) as base:
        shelf = Shelf(tmp_path, base)
        shelf("feed", "add", f"{base}/world.rss", "--name", "world").ok()
        failed = shelf("fetch")
    assert failed.code == 1
    assert f"of the {len(body)} bytes it announced" in failed.err
    assert shelf.papers() == []


def test_a_fetch_is_no_step_for_undo(shelf: Shelf) -> None:
    # Undo after a fetch took the feed: tags off every fetched paper (which stayed), and
    # the user's own change was one undo further.
    first = shelf.papers()[0]["id"] if shelf.papers() else None
    assert first is None
    shelf("feed", "add", "arxiv:cs.LG").ok()
    shelf("fetch").ok()
    paper = f"arxiv:{SKIPPED_ID}"
    shelf("set", paper, "--status", "read").ok()
    shelf("feed", "add", "hf:daily").ok()
    shelf("fetch", "hf-daily").ok()
    undone = shelf("undo").ok()
    assert undone.lines == [line for line in undone.lines if "status" in line]
    assert shelf.paper(paper)["status"] == "inbox"
    assert all(p["tags"] for p in shelf.papers())  # every fetched paper keeps its feed tag


def test_a_library_closing_stops_a_fetch_before_its_next_feed(
    tmp_path: Path, stub: FeedStub
) -> None:
    # Quitting the app while F fetched waited for every feed left, and went on importing.
    from shelf.config import load_settings
    from shelf.library import Library

    with (
        serving(stub) as base,
        Library.open(tmp_path / "lib", load_settings(feed_config(tmp_path, base))) as library,
    ):
        library.add_feed("arxiv:cs.LG")
        library.add_feed("hf:daily")
        report = library.fetch(on_feed=lambda done: library.stop_indexing())
    assert [outcome.name for outcome in report.outcomes] == ["cs.LG"]
    assert stub.asked("/api/daily_papers") == []


def test_a_feed_at_an_ipv6_address_is_named_for_it(shelf: Shelf) -> None:
    # "[::1]" was named "1": the colons and brackets went, and the zeros with them.
    added = shelf("feed", "add", "http://[::1]:8080/feed.xml").ok()

    assert "ipv6-1" in added.out + added.err
    listed = shelf("feed", "list").ok().out
    assert listed.split()[0] == "ipv6-1"
