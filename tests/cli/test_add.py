"""``shelf add`` against a local stand-in for the arXiv API, not the internet.

A ``ThreadingHTTPServer`` on 127.0.0.1 answers ``id_list`` queries with canned
Atom feeds (or an error feed, an HTTP error, a slow answer); the CLI is
pointed at it through ``[arxiv] api_url`` in a config file. The client, ``remote.arxiv``,
is tested on its own in ``tests/unit/remote/test_arxiv_client.py``.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import Result

from shelf.domain import Status
from shelf.library import Library
from support.arxiv_stub import Stub, config_for
from support.cli_runner import invoke, ok, one_line_error
from support.papers import LONG_ABSTRACT


def _config(tmp_path: Path, api_url: str, timeout: float = 1.5) -> Path:
    return config_for(tmp_path, api_url, timeout)


class Add:
    """``shelf --config <stub config> --library <tmp library> add ARGS``, in-process."""

    def __init__(self, config: Path, library_dir: Path) -> None:
        self.config = config
        self.library_dir = library_dir

    def __call__(self, *args: str) -> Result:
        return invoke("--config", str(self.config), "--library", str(self.library_dir), *args)


@pytest.fixture
def shelf(tmp_path: Path, api_url: str, library_dir: Path) -> Add:
    return Add(_config(tmp_path, api_url), library_dir)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _count(library_dir: Path) -> int:
    with Library.open(library_dir) as library:
        return library.count()


# -- adding -----------------------------------------------------------------------------------


def test_add_one_paper(shelf: Add, stub: Stub, library_dir: Path) -> None:
    result = ok(shelf("add", "arxiv:2106.09685"))

    assert result.stdout.strip() == "added 1, merged 0, unchanged 0, skipped 0"
    assert result.stderr == ""
    with Library.open(library_dir) as library:
        paper = library.get("2106.09685").paper
    assert paper.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert paper.authors == ("Edward J. Hu",)
    assert paper.year == 2021
    assert paper.abstract == "The abstract of the paper, over two lines."
    assert paper.url == "https://arxiv.org/abs/2106.09685"
    assert stub.queries == [{"id_list": ["2106.09685"], "max_results": ["1"]}]
    assert stub.user_agents[0].startswith("shelf/")


def test_add_two_papers_in_one_request(shelf: Add, stub: Stub, library_dir: Path) -> None:
    result = ok(shelf("add", "2106.09685v2", "https://arxiv.org/abs/1706.03762"))

    assert result.stdout.strip() == "added 2, merged 0, unchanged 0, skipped 0"
    assert stub.queries == [{"id_list": ["2106.09685,1706.03762"], "max_results": ["2"]}]
    with Library.open(library_dir) as library:
        assert library.get("1706.03762").paper.authors == ("Ashish Vaswani", "Noam Shazeer")
        assert library.count() == 2


def test_add_an_old_style_id(shelf: Add, stub: Stub, library_dir: Path) -> None:
    ok(shelf("add", "cond-mat/0412498v1"))

    assert stub.queries[0]["id_list"] == ["cond-mat/0412498"]
    with Library.open(library_dir) as library:
        assert library.get("cond-mat/0412498").paper.year == 2004


def test_adding_the_same_paper_twice_adds_nothing(shelf: Add, library_dir: Path) -> None:
    ok(shelf("add", "2106.09685"))
    again = ok(shelf("add", "--json", "arxiv:2106.09685", "2106.09685v1"))

    report = json.loads(again.stdout)
    assert report == {
        "added": 0, "merged": 0, "unchanged": 1, "skipped": 0, "restored": 0, "lists": 0,
        "problems": []
    }  # fmt: skip
    assert _count(library_dir) == 1


def test_add_merges_into_a_paper_from_a_file_and_keeps_its_state(
    shelf: Add, library_dir: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"Attention Is All You Need\n{LONG_ABSTRACT}\n", encoding="utf-8")
    ok(invoke("--library", str(library_dir), "import", str(page)))
    with Library.open(library_dir) as library:
        (entry,) = library.entries()
        library.update(entry.id, status=Status.READ, starred=True, add_tags=("classic",))

    result = ok(shelf("add", "1706.03762"))

    assert result.stdout.strip() == "added 0, merged 1, unchanged 0, skipped 0"
    with Library.open(library_dir) as library:
        merged = library.get(entry.id)
    assert merged.paper.arxiv_id == "1706.03762"
    assert merged.paper.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert merged.paper.year == 2017
    assert merged.paper.abstract == LONG_ABSTRACT, "what was known stays"
    assert (merged.state.status, merged.state.starred, merged.state.tags) == (
        Status.READ,
        True,
        ("classic",),
    )


def test_an_id_arxiv_does_not_have_is_reported_and_skipped(shelf: Add, library_dir: Path) -> None:
    result = ok(shelf("add", "2106.09685", "2199.00001"))

    assert result.stdout.strip() == "added 1, merged 0, unchanged 0, skipped 1"
    assert result.stderr.splitlines() == [
        f"warning: {_stub_url(shelf)}: arXiv has no paper 2199.00001"
    ]


def test_only_ids_arxiv_does_not_have_is_an_error(shelf: Add, library_dir: Path) -> None:
    line = one_line_error(shelf("add", "2199.00001", "2199.00002"))

    assert line == "shelf: arXiv has no paper 2199.00001, 2199.00002"
    assert not library_dir.exists(), "nothing fetched, nothing opened"


def _stub_url(shelf: Add) -> str:
    text = shelf.config.read_text(encoding="utf-8")
    return text.split('"')[1]


# -- errors: one line, nothing imported ------------------------------------------------------


@pytest.fixture
def one_paper(shelf: Add, library_dir: Path) -> Add:
    """The stub config, with one paper already in the library."""
    ok(shelf("add", "2106.09685"))
    return shelf


def test_an_error_feed_is_one_line_and_imports_nothing(
    one_paper: Add, stub: Stub, library_dir: Path
) -> None:
    line = one_line_error(one_paper("add", "1706.03762", "hep-th/9901001"))

    assert "the arXiv API answered with an error: incorrect id format for hep-th/9901001" in line
    assert _count(library_dir) == 1


def test_http_500_is_one_line(one_paper: Add, stub: Stub, library_dir: Path) -> None:
    stub.status = 500

    line = one_line_error(one_paper("add", "1706.03762"))

    host = urlsplit(_stub_url(one_paper)).netloc
    assert line.startswith(f"shelf: the arXiv API at {host} answered HTTP 500")
    assert _count(library_dir) == 1


def test_an_answer_that_is_not_a_feed_is_one_line(
    one_paper: Add, stub: Stub, library_dir: Path
) -> None:
    stub.body = "<html><body><p>Please log in to the hotel wifi</body></html>"

    line = one_line_error(one_paper("add", "1706.03762"))

    assert "malformed XML" in line
    assert _count(library_dir) == 1


def test_nothing_listening_is_cannot_reach(tmp_path: Path, library_dir: Path) -> None:
    port = _closed_port()
    config = _config(tmp_path, f"http://127.0.0.1:{port}/api/query")

    result = invoke("--config", str(config), "--library", str(library_dir), "add", "2106.09685")

    line = one_line_error(result)
    assert line.startswith(f"shelf: cannot reach the arXiv API at 127.0.0.1:{port} (")
    assert line.endswith("; check your connection")
    assert not library_dir.exists()


def test_a_slow_api_times_out(tmp_path: Path, api_url: str, stub: Stub) -> None:
    stub.slow = True
    config = _config(tmp_path, api_url, timeout=0.3)

    line = one_line_error(invoke("--config", str(config), "add", "2106.09685"))

    assert "did not answer within 0.3 s" in line


@pytest.mark.parametrize(
    "bad", ["not-an-id", "2106.096", "arxiv:", "https://example.org/abs/2106.09685", "foo/1234567"]
)
def test_a_malformed_id_fails_before_any_request(
    shelf: Add, stub: Stub, library_dir: Path, bad: str
) -> None:
    line = one_line_error(shelf("add", "2106.09685", bad))

    assert line.startswith(f"shelf: not an arXiv id or a DOI: {bad!r}")
    assert stub.queries == []
    assert not library_dir.exists()


def test_add_needs_an_id() -> None:
    one_line_error(invoke("add"))
