"""A local stand-in for arXiv, Hugging Face and journals on 127.0.0.1, serving recorded answers.

Each path answers with a recorded real response from tests/fixtures (see
SOURCES.md): ``/api/query`` an arXiv API listing, ``/api/daily_papers`` a
Hugging Face daily-papers answer, ``/journal.rss`` a journal's RSS feed (with
an ETag, answering 304 when asked with it), ``/world.rss`` a news RSS 2.0 feed.
A test changes what a path answers (``Route``: another body, an error status,
headers such as Retry-After) and reads what was asked (``requests``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from support.local_server import StubServer, running
from support.paths import FIXTURES

ARXIV_LISTING = FIXTURES / "arxiv-query-testing-s0-m10.xml"
ARXIV_ERROR = FIXTURES / "arxiv-error-400.xml"
HF_DAILY = FIXTURES / "hf-daily-papers-api-2024-10-25.json"
JOURNAL_RSS = FIXTURES / "jpeds-rss-2018.rdf"
NEWS_RSS = FIXTURES / "reuters-world-rss-2018.xml"
JOURNAL_ETAG = '"jpeds-2018-12-17"'


@dataclass
class Route:
    """What one path answers."""

    body: bytes
    kind: str = "application/xml"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    """Answer 304 to a request that sends this ETag back."""
    paged: bool = False
    """An Atom listing answered a page at a time, by ``start`` and ``max_results``, as the
    arXiv API does."""
    delay: float = 0
    """Seconds to wait before answering (a slow server)."""
    cut: int = 0
    """Send this many bytes of the body, announcing all of it, then close (a dropped
    connection)."""


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    """When it arrived (``time.monotonic``)."""


@dataclass
class FeedStub:
    """The recorded answers by path, and every request made."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        defaults = {
            "/api/query": Route(ARXIV_LISTING.read_bytes(), "application/atom+xml; charset=utf-8"),
            "/api/daily_papers": Route(HF_DAILY.read_bytes(), "application/json; charset=utf-8"),
            "/journal.rss": Route(
                JOURNAL_RSS.read_bytes(), "application/rdf+xml", etag=JOURNAL_ETAG
            ),
            "/world.rss": Route(NEWS_RSS.read_bytes(), "application/rss+xml"),
        }
        self.routes = {**defaults, **self.routes}

    def asked(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]


class _Handler(BaseHTTPRequestHandler):
    server: StubServer

    def do_GET(self) -> None:
        stub = self.server.stub
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        stub.requests.append(Request(parts.path, parse_qs(parts.query), headers))
        route = stub.routes.get(parts.path)
        if route is None:
            self._send(404, "text/plain", b"Not Found\n", {})
            return
        if route.etag and headers.get("if-none-match") == route.etag:
            self._send(304, route.kind, b"", {"ETag": route.etag})
            return
        time.sleep(route.delay)
        extra = {**route.headers, **({"ETag": route.etag} if route.etag else {})}
        body = _page(route.body, parse_qs(parts.query)) if route.paged else route.body
        self._send(route.status, route.kind, body, extra, route.cut)

    def _send(
        self, status: int, kind: str, body: bytes, headers: dict[str, str], cut: int = 0
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body[:cut] if cut else body)
        if cut:
            self.close_connection = True


def _page(body: bytes, query: dict[str, list[str]]) -> bytes:
    """The entries of an Atom listing from ``start`` on, at most ``max_results`` of them."""
    start = int(query.get("start", ["0"])[0])
    size = int(query.get("max_results", ["10"])[0])
    entries = re.findall(rb"<entry>.*?</entry>", body, re.DOTALL)
    head = body[: body.index(b"<entry>")]
    return head + b"".join(entries[start : start + size]) + b"</feed>\n"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is not the place for an access log."""


@contextmanager
def serving(stub: FeedStub) -> Iterator[str]:
    """The stand-in's base address (``http://127.0.0.1:PORT``) while the ``with`` lasts."""
    with running(_Handler, stub) as base:
        yield base


def feed_config(directory: Path, base: str, *, pause: float = 0, cap: int = 100,
                timeout: float = 5) -> Path:  # fmt: skip
    """A config file in ``directory`` pointing arXiv and Hugging Face at the stand-in."""
    config = directory / "config.toml"
    config.write_text(
        f'[arxiv]\napi_url = "{base}/api/query"\ntimeout = {timeout}\npause = {pause}\n'
        f'[huggingface]\napi_url = "{base}/api/daily_papers"\ntimeout = {timeout}\n'
        f"[feeds]\nmax_per_fetch = {cap}\ntimeout = {timeout}\n",
        encoding="utf-8",
    )
    return config
