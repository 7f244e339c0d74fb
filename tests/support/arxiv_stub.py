"""A local stand-in for the arXiv API on 127.0.0.1, for every test that talks to "arXiv".

A ``ThreadingHTTPServer`` answers ``id_list`` queries with Atom feeds built
like the real API's (or an error feed, an HTTP error, a slow or lying answer,
as the ``Stub`` says). ``serving(stub)`` runs it for the length of a ``with``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from support.local_server import StubServer, running

FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "  <id>https://arxiv.org/api/local-stub</id>\n"
    "  <title>arXiv Query: local stub</title>\n"
    "  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
)
ERROR_ENTRY = """  <entry>
    <id>https://arxiv.org/api/errors#incorrect_id_format_for_{id}</id>
    <title>Error</title>
    <summary>incorrect id format for {id}</summary>
    <author><name>arXiv api core</name></author>
  </entry>
"""
PAPERS = {
    "2106.09685": ("LoRA: Low-Rank Adaptation of Large Language Models", 2021, ("Edward J. Hu",)),
    "1706.03762": ("Attention Is All You Need", 2017, ("Ashish Vaswani", "Noam Shazeer")),
    "cond-mat/0412498": ("An Old-Style Condensed Matter Paper", 2004, ("A. Physicist",)),
    "2301.00001": ("A Paper Nobody Asked For", 2023, ("An Intruder",)),
}


def entry(arxiv_id: str) -> str:
    """The Atom ``<entry>`` the API gives for one known paper."""
    title, year, authors = PAPERS[arxiv_id]
    names = "".join(f"    <author><name>{name}</name></author>\n" for name in authors)
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{arxiv_id}v3</id>\n"
        f"    <published>{year}-06-12T17:57:34Z</published>\n"
        f"    <title>{title}</title>\n"
        "    <summary>  The abstract of the paper,\n  over two lines.\n</summary>\n"
        f"{names}"
        "  </entry>\n"
    )


@dataclass
class Stub:
    """What the stand-in API answers, and what it was asked."""

    status: int | None = None
    """Answer every request with this HTTP error status instead of a feed."""
    body: str | None = None
    """Answer every request with this body (status 200)."""
    slow: bool = False
    """Hold every answer until the test is over (to make the client time out)."""
    trickle: float | None = None
    """Send the answer one byte at a time, this many seconds apart (a slow-loris server)."""
    redirect: str | None = None
    """Answer every request with a 302 to this address."""
    extra: tuple[str, ...] = ()
    """Known ids to put in every answer, asked for or not (a lying server)."""
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server: StubServer

    def do_GET(self) -> None:
        stub = self.server.stub
        query = parse_qs(urlsplit(self.path).query)
        stub.queries.append(query)
        stub.user_agents.append(self.headers.get("User-Agent", ""))
        if stub.slow:
            stub.release.wait(5)
            return
        if stub.redirect is not None:
            self.send_response(302)
            self.send_header("Location", stub.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if stub.status is not None:
            self._send(stub.status, "text/plain", "Internal Server Error\n")
            return
        if stub.body is not None:
            self._send(200, "text/html", stub.body)
            return
        ids = query.get("id_list", [""])[0].split(",")
        bad = [i for i in ids if i not in PAPERS and not i.startswith("2199.")]
        if bad:  # arXiv answers a malformed id with an error feed and HTTP 400
            body = FEED_HEAD.format(total=1) + ERROR_ENTRY.format(id=bad[0]) + "</feed>\n"
            self._send(400, "application/atom+xml; charset=utf-8", body)
            return
        known = [i for i in ids if i in PAPERS]  # 2199.* ids are well formed but unknown
        known += [i for i in stub.extra if i not in known]
        body = FEED_HEAD.format(total=len(known)) + "".join(map(entry, known)) + "</feed>\n"
        self._send(200, "application/atom+xml; charset=utf-8", body)

    def _send(self, status: int, kind: str, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        stub = self.server.stub
        if stub.trickle is None:
            self.wfile.write(data)
            return
        for byte in data:
            if stub.release.wait(stub.trickle):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up, as it should
                return

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is not the place for an access log."""


@contextmanager
def serving(stub: Stub) -> Iterator[str]:
    """The stand-in API's query URL while the ``with`` lasts."""
    with running(_Handler, stub, stub.release.set) as base:
        yield f"{base}/api/query"


def config_for(directory: Path, api_url: str, timeout: float = 1.5) -> Path:
    """A config file in ``directory`` pointing ``shelf add`` at ``api_url``."""
    config = directory / "config.toml"
    config.write_text(f'[arxiv]\napi_url = "{api_url}"\ntimeout = {timeout}\n', encoding="utf-8")
    return config
