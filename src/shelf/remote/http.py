"""HTTP GET with one deadline for the whole request, for every service shelf talks to.

A socket timeout bounds each read, not the request: a server that sends a byte
a second would keep a fetch going for ever. Here a watchdog closes the
connection when the request's deadline passes, whatever it is doing
(connecting, sending, reading headers or the body). Redirects are followed
only to http(s) addresses, at most ``MAX_REDIRECTS`` times, and an answer
larger than the caller's cap is refused as it arrives. Every failure is one
``RemoteError`` naming the service and the host.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from shelf import __version__
from shelf.domain import RemoteError
from shelf.domain.text import one_line

USER_AGENT = f"shelf/{__version__} (terminal reading-list manager for research papers)"
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    """What a server answered: its status, headers and whole body."""

    url: str
    """The address that answered, after redirects."""
    status: int
    reason: str
    headers: Message
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        """The body as text, in the charset the server named (else UTF-8)."""
        charset = self.headers.get_content_charset() or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class Service:
    """Who is being asked, for messages: "the arXiv API", and the config key to point at."""

    name: str
    setting: str
    """The config section whose ``timeout`` and URL the user can change, e.g. ``arxiv``."""


def host_of(url: str, service: Service) -> str:
    """``host[:port]`` of an http(s) URL; anything else is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"the address of {service.name} must be an http(s) URL, not {url!r}")
    return parts.hostname if port is None else f"{parts.hostname}:{port}"


def get(
    url: str,
    service: Service,
    *,
    timeout: float,
    max_bytes: int,
    accept: str = "*/*",
    headers: dict[str, str] | None = None,
) -> Answer:
    """GET ``url``, following http(s) redirects, all within ``timeout`` seconds.

    Any status is returned as an ``Answer`` (the caller knows what an error
    status means for its service); a failure to get one raises ``RemoteError``.
    """
    deadline = time.monotonic() + timeout
    wanted = {"User-Agent": USER_AGENT, "Accept": accept, **(headers or {})}
    for _ in range(MAX_REDIRECTS + 1):
        host = host_of(url, service)
        answer = _once(url, host, service, deadline, timeout, wanted, max_bytes)
        location = answer.headers.get("Location")
        if answer.status not in (301, 302, 303, 307, 308) or not location:
            return answer
        target = urljoin(url, location)
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise RemoteError(
                f"{service.name} at {host} redirected to {one_line(target)[:100]!r}, "
                "which is not a web address; not following it"
            )
        url = target
    raise RemoteError(f"{service.name} redirected more than {MAX_REDIRECTS} times; giving up")


def _once(
    url: str,
    host: str,
    service: Service,
    deadline: float,
    timeout: float,
    headers: dict[str, str],
    max_bytes: int,
) -> Answer:
    parts = urlsplit(url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise RemoteError(_late(service, host, timeout))
    connection: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=remaining,
            context=ssl.create_default_context(),
        )  # fmt: skip
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=remaining)
    expired = threading.Event()
    opened: list[socket.socket] = []  # the response keeps reading it after the connection
    # lets go of it (an HTTP/1.0 answer), so it is remembered here for the watchdog

    def expire() -> None:
        expired.set()
        for sock in opened or [connection.sock]:
            if sock is not None:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        target = parts.path or "/"
        if parts.query:
            target += f"?{parts.query}"
        connection.connect()
        if connection.sock is not None:
            opened.append(connection.sock)
        if expired.is_set():  # the deadline passed while connecting
            raise RemoteError(_late(service, host, timeout))
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        body = _body(response, max_bytes, service, host)
        if expired.is_set():
            raise RemoteError(_late(service, host, timeout))
        return Answer(url, response.status, response.reason, response.headers, body)
    except RemoteError:
        if expired.is_set():  # an answer cut short by the deadline: the deadline says why
            raise RemoteError(_late(service, host, timeout)) from None
        raise
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set() or isinstance(err, TimeoutError):
            raise RemoteError(_late(service, host, timeout)) from None
        if isinstance(err, http.client.HTTPException):
            reason = str(err) or type(err).__name__
            raise RemoteError(
                f"{service.name} at {host} sent a broken answer ({one_line(reason)[:100]})"
            ) from None
        raise RemoteError(unreachable(service, host, err)) from None
    finally:
        watchdog.cancel()
        connection.close()


def _body(response: http.client.HTTPResponse, max_bytes: int, service: Service, host: str) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(_CHUNK)
        if not chunk:
            promised = response.getheader("Content-Length", "")
            if (
                promised.isdigit()
                and size < int(promised)
                and not response.getheader("Content-Encoding")
            ):  # the connection closed early: what came is not the whole answer
                raise RemoteError(
                    f"{service.name} at {host} sent a broken answer "
                    f"({size} of the {int(promised)} bytes it announced)"
                )
            return b"".join(parts)
        size += len(chunk)
        if size > max_bytes:
            raise RemoteError(
                f"{service.name} at {host} sent more than {max_bytes // (1024 * 1024)} MB; "
                "not reading it"
            )
        parts.append(chunk)


def status_message(service: Service, host: str, code: int, reason: str) -> str:
    """One line for an HTTP error status, with what the user can do about it."""
    hint = ""
    if code in (429, 503):
        hint = "; the service is busy or asks to slow down, try again in a minute"
    elif code >= 500:
        hint = "; the service has a problem, try again later"
    elif code == 404:
        hint = f"; check the [{service.setting}] address in the config"
    words = one_line(str(reason))[:100]  # the server's words, printed on a terminal
    return f"{service.name} at {host} answered HTTP {code} {words}".rstrip() + hint


def _late(service: Service, host: str, timeout: float) -> str:
    return (
        f"{service.name} at {host} did not answer within {timeout:g} s; "
        f"try again later or raise [{service.setting}] timeout in the config"
    )


def unreachable(service: Service, host: str, reason: object) -> str:
    """One line for a connection that could not be made."""
    if isinstance(reason, socket.gaierror):
        detail = f"cannot resolve the name: {reason.strerror or reason}"
    elif isinstance(reason, OSError) and reason.strerror:
        detail = reason.strerror
    else:
        detail = str(reason) or type(reason).__name__
    return f"cannot reach {service.name} at {host} ({detail}); check your connection"
