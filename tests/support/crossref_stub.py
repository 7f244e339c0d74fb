"""A local stand-in for the Crossref REST API on 127.0.0.1, serving recorded real answers.

``GET /works/<doi>`` answers with the recorded Crossref response for the DOIs
in ``WORKS`` (tests/fixtures, see SOURCES.md), and with Crossref's own 404
("Resource not found.", text/plain, as recorded in the same cassettes) for any
other. A ``CrossrefStub`` can instead answer an HTTP error, a body of its own,
an oversized body, or nothing at all until the test ends. ``serving(stub)``
runs it for the length of a ``with``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from support.local_server import StubServer, running
from support.paths import FIXTURES

SREP = "10.1038/srep16696"
"""Scientific Reports 5:16696 (2015): a JATS abstract with a heading and a paragraph."""
PONE = "10.1371/journal.pone.0033693"
"""PLoS ONE 7(3):e33693 (2012): no abstract."""
WORKS = {
    SREP: FIXTURES / "crossref-work-10.1038-srep16696.json",
    PONE: FIXTURES / "crossref-work-10.1371-journal.pone.0033693.json",
}


@dataclass
class CrossrefStub:
    """What the stand-in answers, and what it was asked."""

    status: int | None = None
    """Answer every request with this HTTP status (and a plain-text body)."""
    body: str | None = None
    """Answer every request with this body, as JSON with status 200."""
    oversized: int | None = None
    """Answer every request with this many bytes of JSON white space."""
    slow: bool = False
    """Hold every answer until the test is over (to make the client time out)."""
    paths: list[str] = field(default_factory=list)
    """The DOI part of each path asked for, percent-escapes decoded."""
    user_agents: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server: StubServer

    def do_GET(self) -> None:
        stub = self.server.stub
        path = urlsplit(self.path).path
        stub.paths.append(unquote(path.removeprefix("/works/")))
        stub.user_agents.append(self.headers.get("User-Agent", ""))
        if stub.slow:
            stub.release.wait(10)
            return
        if stub.status is not None:
            self._send(stub.status, "text/plain", b"Something went wrong.\n")
        elif stub.body is not None:
            self._send(200, "application/json", stub.body.encode("utf-8"))
        elif stub.oversized is not None:
            self._send(200, "application/json", b" " * stub.oversized)
        elif (work := WORKS.get(unquote(path.removeprefix("/works/")).lower())) is not None:
            self._send(200, "application/json", work.read_bytes())
        else:
            self._send(404, "text/plain", b"Resource not found.")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (an oversized answer), as it should
            return

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is not the place for an access log."""


@contextmanager
def serving(stub: CrossrefStub) -> Iterator[str]:
    """The stand-in's works URL (``http://127.0.0.1:PORT/works/``) while the ``with`` lasts."""
    with running(_Handler, stub, stub.release.set) as base:
        yield f"{base}/works/"


def config_for(
    directory: Path,
    api_url: str,
    *,
    mailto: str = "",
    timeout: float = 5,
    arxiv_url: str | None = None,
) -> Path:
    """A config file in ``directory`` pointing ``shelf add`` at the stand-in(s)."""
    text = f'[crossref]\napi_url = "{api_url}"\nmailto = "{mailto}"\ntimeout = {timeout}\n'
    if arxiv_url is not None:
        text += f'[arxiv]\napi_url = "{arxiv_url}"\ntimeout = {timeout}\n'
    config = directory / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config
