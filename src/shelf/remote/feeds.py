"""Fetching feeds: an arXiv API listing, Hugging Face's daily papers, an RSS or Atom feed.

Each request has one deadline for the whole of it, names shelf in its
User-Agent (``remote.http``), and asks only for what is newer where the
source allows: the arXiv listing is sorted by submission date, newest first,
and limited to the days since the last fetch (with a week's margin for late
announcements); an RSS feed is asked with the ETag and Last-Modified its last
answer gave, so an unchanged feed answers 304 and nothing. Requests to the
arXiv API wait ``[arxiv] pause`` seconds after the one before (``Pacer``).

Every failure is one ``RemoteError``: an HTTP error status says what the
service answered, and a rate limit (429, 503) how long it asked to wait
(its ``Retry-After``). What comes back is text for ``formats/`` to read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from shelf.domain import RemoteError
from shelf.domain.text import one_line
from shelf.remote import arxiv
from shelf.remote.http import Answer, Service, get, host_of, status_message

HF_SERVICE = Service("the Hugging Face API", "huggingface")
FEED_SERVICE = Service("the feed", "feeds")
#: No feed of a day's papers comes near this; a larger answer is not read.
MAX_FEED_BYTES = 16 * 1024 * 1024
#: How far before the last fetch an arXiv listing reaches: papers are announced days
#: after they are submitted, and a late one must not be missed.
LATE_MARGIN = timedelta(days=7)
_DATE = "%Y%m%d%H%M"


@dataclass
class Pacer:
    """Keeps ``seconds`` between the requests made through it (arXiv asks for 3)."""

    seconds: float
    _last: float | None = field(default=None, init=False)

    def wait(self) -> None:
        if self._last is not None:
            remaining = self._last + self.seconds - time.monotonic()
            if remaining > 0:
                time.sleep(remaining)
        self._last = time.monotonic()


def arxiv_listing(
    query: str, api_url: str, timeout: float, limit: int, since: datetime | None, now: datetime,
    start: int = 0,
) -> str:  # fmt: skip
    """The newest ``limit`` papers ``query`` finds, submitted since ``since`` (less a
    margin), from the ``start``-th on (a later page).

    The API's own error feed (a malformed query) is returned like any feed, for
    ``formats.arxiv`` to report in the API's words.
    """
    search = query
    if since is not None:
        first = (since - LATE_MARGIN).strftime(_DATE)
        last = (now + timedelta(days=1)).strftime(_DATE)
        search = f"({query}) AND submittedDate:[{first} TO {last}]"
    params = {"search_query": search, "sortBy": "submittedDate", "sortOrder": "descending",
              "start": start, "max_results": limit}  # fmt: skip
    url = f"{api_url}{'&' if '?' in api_url else '?'}{urlencode(params)}"
    answer = get(url, arxiv.SERVICE, timeout=timeout, max_bytes=MAX_FEED_BYTES,
                 accept="application/atom+xml")  # fmt: skip
    text = answer.text()
    if not answer.ok and "arxiv.org/api/errors" not in text:
        raise RemoteError(refusal(arxiv.SERVICE, host_of(api_url, arxiv.SERVICE), answer))
    return text


def hf_daily(api_url: str, timeout: float, limit: int) -> str:
    """Hugging Face's daily papers: a JSON list of ``{paper: {id, title, ...}}``."""
    url = f"{api_url}{'&' if '?' in api_url else '?'}{urlencode({'limit': limit})}"
    answer = get(url, HF_SERVICE, timeout=timeout, max_bytes=MAX_FEED_BYTES,
                 accept="application/json")  # fmt: skip
    if not answer.ok:
        raise RemoteError(refusal(HF_SERVICE, host_of(api_url, HF_SERVICE), answer))
    return answer.text()


@dataclass(frozen=True, slots=True)
class FeedAnswer:
    """An RSS or Atom feed as its server sent it, and what to ask it with next time."""

    body: bytes | None
    """The feed's bytes (their encoding is the feed's to declare); None when unchanged."""
    etag: str = ""
    modified: str = ""


def rss(url: str, timeout: float, etag: str = "", modified: str = "") -> FeedAnswer:
    """The feed at ``url``, or ``body=None`` when it answers that nothing changed (304)."""
    headers = {"If-None-Match": etag} if etag else {}
    if modified:
        headers["If-Modified-Since"] = modified
    accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"
    answer = get(url, FEED_SERVICE, timeout=timeout, max_bytes=MAX_FEED_BYTES, accept=accept,
                 headers=headers)  # fmt: skip
    if answer.status == 304:
        return FeedAnswer(None, etag, modified)
    if not answer.ok:
        raise RemoteError(refusal(FEED_SERVICE, host_of(url, FEED_SERVICE), answer))
    keep = (one_line(answer.headers.get("ETag") or "")[:200],
            one_line(answer.headers.get("Last-Modified") or "")[:100])  # fmt: skip
    return FeedAnswer(answer.body, *keep)


def refusal(service: Service, host: str, answer: Answer) -> str:
    """One line for an error status, with how long a rate limit asks to wait."""
    line = status_message(service, host, answer.status, answer.reason)
    wait = one_line(answer.headers.get("Retry-After") or "")[:60]
    if answer.status in (429, 503) and wait:
        after = f"{wait} s" if wait.isdigit() else f"until {wait}"
        line = line.split("; ")[0] + f"; it asks to wait {after} before trying again"
    return line
