"""Fetching paper metadata from the arXiv API over HTTP, with the standard library.

Ids are checked before anything goes out, so a typo never costs a request.
Requests ask for many ids at once (the API takes a comma-separated
``id_list``), name shelf in their User-Agent and wait between batches, as
arXiv asks of API clients. Every way the network can fail (no connection,
DNS, refused, timeout, an HTTP error status, a broken or oversized answer)
ends in one ``ShelfError`` saying what happened and where. The answer is
returned as text for ``formats.arxiv`` to read; nothing here parses XML.
"""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

from shelf import __version__
from shelf.domain import ShelfError
from shelf.domain.identity import parse_arxiv_id
from shelf.domain.text import one_line

#: Ids per request: the API takes many, and 50 keeps each answer small and quick.
BATCH_SIZE = 50
#: Seconds between two requests, as the arXiv API's terms of use ask.
PAUSE_SECONDS = 3.0
#: An answer larger than this is not a feed of metadata for 50 papers.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
USER_AGENT = f"shelf/{__version__} (terminal reading-list manager for research papers)"

_PREFIX = re.compile(r"^arxiv:\s*", re.IGNORECASE)
_NEW_ID = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?")
_OLD_ID = re.compile(r"[a-z-]+(?:\.[a-z]{2})?/\d{7}(?:v\d+)?", re.IGNORECASE)
_ARXIV_LINK = re.compile(
    r"https?://(?:[\w-]+\.)*arxiv\.org/(?:abs|pdf)/(?P<id>[^?#]+?)(?:\.pdf)?/?(?:[?#].*)?",
    re.IGNORECASE,
)


def arxiv_id(ref: str) -> str:
    """The versionless arXiv id ``ref`` names, or a ``ShelfError`` naming ``ref``.

    Takes ``arxiv:2106.09685``, ``2106.09685v2``, ``cond-mat/0412498``,
    ``math.GT/0309136`` and arxiv.org ``/abs/`` or ``/pdf/`` links.
    """
    text = ref.strip()
    link = _ARXIV_LINK.fullmatch(text)
    candidate = link.group("id") if link else _PREFIX.sub("", text)
    if _NEW_ID.fullmatch(candidate) or _OLD_ID.fullmatch(candidate):
        found = parse_arxiv_id(candidate)
        if found is not None:
            return found
    raise ShelfError(
        f"not an arXiv id: {ref!r} (expected e.g. arxiv:2106.09685, 2106.09685v2, "
        "cond-mat/0412498 or an arxiv.org/abs/ link)"
    )


def fetch(
    ids: Sequence[str],
    api_url: str,
    timeout: float,
    *,
    batch_size: int = BATCH_SIZE,
    pause: float = PAUSE_SECONDS,
) -> list[str]:
    """The API's Atom feed for ``ids``: one feed per batch of up to ``batch_size`` ids.

    Every id is checked first (a bad one raises before any request). An error
    feed the API sends with an HTTP error status is returned like any feed,
    so its own message reaches the user; other failures raise ``ShelfError``.
    """
    wanted = list(dict.fromkeys(arxiv_id(ref) for ref in ids))
    host = _host(api_url)
    feeds: list[str] = []
    for start in range(0, len(wanted), batch_size):
        if start:
            time.sleep(pause)
        batch = wanted[start : start + batch_size]
        feeds.append(_get(query_url(api_url, batch), host, timeout))
    return feeds


def query_url(api_url: str, ids: Sequence[str]) -> str:
    """The API request for exactly ``ids`` (ids keep their ``/`` and ``,`` unescaped)."""
    query = urlencode({"id_list": ",".join(ids), "max_results": len(ids)}, safe="/,")
    return f"{api_url}{'&' if '?' in api_url else '?'}{query}"


def _host(api_url: str) -> str:
    """``host[:port]`` of the API, for messages; refuses anything but an http(s) URL."""
    try:
        parts = urlsplit(api_url)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ShelfError(f"the arXiv API URL must be an http(s) URL, not {api_url!r}")
    return parts.hostname if port is None else f"{parts.hostname}:{port}"


def _get(url: str, host: str, timeout: float) -> str:
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _text(response, host)
    except urllib.error.HTTPError as err:
        with err:
            body = _error_body(err)
        if body is not None and "arxiv.org/api/errors" in body:
            return body  # the API explains itself in an Atom error feed
        raise ShelfError(_status_message(host, err.code, err.reason)) from None
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise ShelfError(_timeout_message(host, timeout)) from None
        raise ShelfError(_unreachable(host, err.reason)) from None
    except TimeoutError:
        raise ShelfError(_timeout_message(host, timeout)) from None
    except http.client.HTTPException as err:
        reason = type(err).__name__ if not str(err) else str(err)
        raise ShelfError(f"the arXiv API at {host} sent a broken answer ({reason})") from None
    except OSError as err:
        raise ShelfError(_unreachable(host, err)) from None


def _text(response: http.client.HTTPResponse, host: str) -> str:
    data = response.read(MAX_RESPONSE_BYTES + 1)
    if len(data) > MAX_RESPONSE_BYTES:
        limit = MAX_RESPONSE_BYTES // (1024 * 1024)
        raise ShelfError(f"the arXiv API at {host} sent more than {limit} MB; not reading it")
    charset = response.headers.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _error_body(err: urllib.error.HTTPError) -> str | None:
    """The text of an error answer, when it can be read quickly."""
    try:
        data = err.read(MAX_RESPONSE_BYTES)
    except (OSError, http.client.HTTPException):
        return None
    return data.decode("utf-8", errors="replace") if data else None


def _status_message(host: str, code: int, reason: str) -> str:
    hint = ""
    if code == 429 or code == 503:
        hint = "; arXiv is busy or asks to slow down, try again in a minute"
    elif code >= 500:
        hint = "; the service has a problem, try again later"
    elif code == 404:
        hint = "; check [arxiv] api_url in the config"
    words = one_line(str(reason))[:100]  # the server's words, printed on a terminal
    return f"the arXiv API at {host} answered HTTP {code} {words}".rstrip() + hint


def _timeout_message(host: str, timeout: float) -> str:
    return (
        f"the arXiv API at {host} did not answer within {timeout:g} s; "
        "try again later or raise [arxiv] timeout in the config"
    )


def _unreachable(host: str, reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        detail = f"cannot resolve the name: {reason.strerror or reason}"
    elif isinstance(reason, OSError) and reason.strerror:
        detail = reason.strerror
    else:
        detail = str(reason) or type(reason).__name__
    return f"cannot reach the arXiv API at {host} ({detail}); check your connection"
