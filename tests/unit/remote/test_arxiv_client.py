"""``remote.arxiv`` on its own: ids in every spelling, batched requests, refusals and errors.

Requests go to a local stand-in for the arXiv API on 127.0.0.1 (``support.arxiv_stub``),
never to the internet. ``shelf add`` itself is tested in ``tests/cli/test_add.py``.
"""

from __future__ import annotations

import socket

import pytest

from shelf.domain import ShelfError
from shelf.remote import arxiv as remote
from support.arxiv_stub import Stub


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2106.09685", "2106.09685"),
        (" arXiv:2106.09685v2 ", "2106.09685"),
        ("0704.0001", "0704.0001"),
        ("cond-mat/0412498", "cond-mat/0412498"),
        ("arxiv:math.GT/0309136v1", "math/0309136"),
        ("https://arxiv.org/abs/2106.09685v1", "2106.09685"),
        ("http://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/pdf/1706.03762v7.pdf", "1706.03762"),
        ("https://www.arxiv.org/pdf/1706.03762?download=1", "1706.03762"),
    ],
)
def test_arxiv_id_accepts_every_way_of_writing_one(ref: str, expected: str) -> None:
    assert remote.arxiv_id(ref) == expected


def test_fetch_in_batches(api_url: str, stub: Stub) -> None:
    ids = ["2106.09685", "1706.03762", "cond-mat/0412498", "2106.09685v2"]

    feeds = remote.fetch(ids, api_url, 1.0, batch_size=2, pause=0)

    assert len(feeds) == 2
    assert [q["id_list"] for q in stub.queries] == [
        ["2106.09685,1706.03762"],
        ["cond-mat/0412498"],
    ]
    assert "Attention Is All You Need" in feeds[0]


def test_fetch_refuses_a_url_that_is_not_http() -> None:
    with pytest.raises(ShelfError, match="http"):
        remote.fetch(["2106.09685"], "file:///etc/passwd", 1.0)


def test_a_name_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)

    with pytest.raises(ShelfError) as caught:
        remote.fetch(["2106.09685"], "https://export.arxiv.org/api/query", 1.0)
    assert str(caught.value) == (
        "cannot reach the arXiv API at export.arxiv.org "
        "(cannot resolve the name: Name or service not known); check your connection"
    )


def test_query_url_keeps_an_existing_query() -> None:
    url = remote.query_url("http://h/api/query?x=1", ["2106.09685", "cond-mat/0412498"])
    assert url == "http://h/api/query?x=1&id_list=2106.09685,cond-mat/0412498&max_results=2"
