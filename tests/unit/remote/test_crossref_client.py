"""``remote.crossref`` on its own: DOIs in every spelling, the request it makes, its errors.

Requests go to a local stand-in for Crossref on 127.0.0.1 (``support.crossref_stub``),
never to the internet. ``shelf add DOI`` itself is tested in ``tests/cli/test_add_doi.py``.
"""

from __future__ import annotations

import socket

import pytest

from shelf import __version__
from shelf.domain import RemoteError
from shelf.remote import crossref as remote
from support.crossref_stub import SREP, WORKS, CrossrefStub, serving


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("10.1145/3290605.3300857", "10.1145/3290605.3300857"),
        (" doi:10.1145/3290605.3300857 ", "10.1145/3290605.3300857"),
        ("DOI: 10.1038/SREP16696", "10.1038/srep16696"),
        ("doi:10.1038/srep16696.", "10.1038/srep16696"),
        ("https://doi.org/10.1145/3290605.3300857", "10.1145/3290605.3300857"),
        ("http://dx.doi.org/10.1038/srep16696", "10.1038/srep16696"),
        ("https://www.doi.org/10.1000/a%2Fb?utm=x#top", "10.1000/a/b"),
        ("10.1002/(SICI)1097-4547(19960215)43:4<439::AID-JNR5>3.0.CO;2-G",
         "10.1002/(sici)1097-4547(19960215)43:4<439::aid-jnr5>3.0.co;2-g"),
    ],
)  # fmt: skip
def test_doi_of_takes_every_way_of_writing_one(ref: str, expected: str) -> None:
    assert remote.doi_of(ref) == expected


@pytest.mark.parametrize(
    "ref",
    ["2106.09685", "arxiv:2106.09685", "10.1038", "10.12/x", "doi:", "10.1000/a b",
     "10.1000/\x1b[31m", "https://example.org/10.1038/srep16696", "https://doi.org/"],
)  # fmt: skip
def test_doi_of_refuses_what_is_not_a_doi(ref: str) -> None:
    assert remote.doi_of(ref) is None


def test_work_url_escapes_the_doi_and_keeps_its_slash() -> None:
    doi = "10.1002/(sici)1097-4547(19960215)43:4<439::aid-jnr5>3.0.co;2-g"
    assert remote.work_url("https://api.crossref.org/works", doi) == (
        "https://api.crossref.org/works/10.1002/%28sici%291097-4547%2819960215%2943%3A4"
        "%3C439%3A%3Aaid-jnr5%3E3.0.co%3B2-g"
    )
    assert remote.work_url("http://h/works/", "10.1/x") == "http://h/works/10.1/x"


def test_fetch_returns_the_answer_and_says_who_asks() -> None:
    stub = CrossrefStub()
    with serving(stub) as url:
        text = remote.fetch(SREP, url, 2.0, "me@example.org")
    assert text == WORKS[SREP].read_text(encoding="utf-8")
    assert stub.user_agents == [f"shelf/{__version__} (mailto:me@example.org)"]


def test_a_name_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)

    with pytest.raises(RemoteError) as caught:
        remote.fetch(SREP, "https://api.crossref.org/works/", 1.0)
    assert str(caught.value) == (
        "cannot reach Crossref at api.crossref.org "
        "(cannot resolve the name: Name or service not known); check your connection"
    )


def test_fetch_refuses_a_url_that_is_not_http() -> None:
    with pytest.raises(RemoteError, match="http"):
        remote.fetch(SREP, "file:///etc/passwd", 1.0)


def test_a_doi_with_dot_segments_stays_under_the_api_address() -> None:
    # The hostile pass of issue 14: "10.1000/../../etc" asked the host's /etc.
    url = remote.work_url("http://127.0.0.1:1/works/", "10.1000/../../etc")
    assert url == "http://127.0.0.1:1/works/10.1000/%2E%2E/%2E%2E/etc"
    assert remote.work_url("http://x/works", "10.1000/a.b") == "http://x/works/10.1000/a.b"
