"""Fetching paper metadata from the arXiv API over HTTP, with the standard library.

Ids are checked before anything goes out, so a typo never costs a request.
Requests ask for many ids at once (the API takes a comma-separated
``id_list``), name shelf in their User-Agent and wait between batches, as
arXiv asks of API clients. Every way the network can fail (no connection,
DNS, refused, a deadline passed, an HTTP error status, a broken or oversized
answer) ends in one ``RemoteError`` saying what happened and where
(``remote.http``). The answer is returned as text for ``formats.arxiv`` to
read; nothing here parses XML.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from urllib.parse import urlencode

from shelf.domain import RemoteError, ShelfError
from shelf.domain.identity import parse_arxiv_id
from shelf.remote.http import Service, get, host_of, status_message

#: Ids per request: the API takes many, and 50 keeps each answer small and quick.
BATCH_SIZE = 50
#: Seconds between two requests, as the arXiv API's terms of use ask.
PAUSE_SECONDS = 3.0
#: An answer larger than this is not a feed of metadata for 50 papers.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
SERVICE = Service("the arXiv API", "arxiv")

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

    Every id is checked first (a bad one raises before any request). Each
    request has ``timeout`` seconds in all. An error feed the API sends with an
    HTTP error status is returned like any feed, so its own message reaches the
    user; other failures raise ``RemoteError``.
    """
    wanted = list(dict.fromkeys(arxiv_id(ref) for ref in ids))
    host = host_of(api_url, SERVICE)
    feeds: list[str] = []
    for start in range(0, len(wanted), batch_size):
        if start:
            time.sleep(pause)
        batch = wanted[start : start + batch_size]
        answer = get(
            query_url(api_url, batch),
            SERVICE,
            timeout=timeout,
            max_bytes=MAX_RESPONSE_BYTES,
            accept="application/atom+xml",
        )
        text = answer.text()
        if not answer.ok and "arxiv.org/api/errors" not in text:
            raise RemoteError(status_message(SERVICE, host, answer.status, answer.reason))
        feeds.append(text)  # the API explains a bad request in an Atom error feed
    return feeds


def query_url(api_url: str, ids: Sequence[str]) -> str:
    """The API request for exactly ``ids`` (ids keep their ``/`` and ``,`` unescaped)."""
    query = urlencode({"id_list": ",".join(ids), "max_results": len(ids)}, safe="/,")
    return f"{api_url}{'&' if '?' in api_url else '?'}{query}"
