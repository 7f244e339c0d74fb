"""Fetching a work's metadata from the Crossref REST API, one DOI per request.

DOIs are recognized in the spellings people paste (``10.1145/3290605.3300857``,
``doi:10.1145/…``, doi.org and dx.doi.org links) and checked before anything
goes out. Crossref asks its clients to say who they are: the User-Agent names
shelf and, when ``[crossref] mailto`` is set, an address Crossref can write to
(``shelf/VERSION (mailto:you@example.org)``, which puts the requests in its
"polite pool"). Every way a request can fail ends in one ``RemoteError``, as
for arXiv (``remote.http``); a DOI Crossref does not know (HTTP 404) is named.
The answer is returned as text for ``formats.crossref`` to read.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from shelf import __version__
from shelf.domain import RemoteError
from shelf.domain.identity import normalize_doi
from shelf.remote.http import USER_AGENT, Service, get, host_of, status_message

#: A work with thousands of authors and references is a few MB; more is not a work.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
SERVICE = Service("Crossref", "crossref")

_PREFIX = re.compile(r"^doi:\s*", re.IGNORECASE)
# A DOI's suffix may hold almost any character, but no white space and no control.
_DOI = re.compile(r"10\.\d{4,9}/[^\s\x00-\x1f\x7f-\x9f]+")
_LINK = re.compile(
    r"https?://(?:dx\.|www\.)?doi\.org/(?P<doi>[^?#]+)(?:[?#].*)?", re.IGNORECASE | re.DOTALL
)


def doi_of(ref: str) -> str | None:
    """The lower-cased DOI ``ref`` names, or None when it is not a DOI.

    Takes ``10.1145/3290605.3300857``, ``doi:10.1145/3290605.3300857`` and
    ``https://doi.org/…`` or ``http://dx.doi.org/…`` links (percent-escapes decoded),
    without a full stop or comma copied from the end of a sentence. DOIs are
    case-insensitive; the library keeps them in lower case.
    """
    text = ref.strip()
    link = _LINK.fullmatch(text)
    candidate = unquote(link.group("doi")) if link else _PREFIX.sub("", text)
    return normalize_doi(candidate) if _DOI.fullmatch(candidate) else None


def work_url(api_url: str, doi: str) -> str:
    """The address of ``doi``'s record under ``api_url`` (the DOI percent-escaped, its
    ``/`` kept, as Crossref expects; a ``.`` or ``..`` part escaped too, so that no DOI
    climbs out of ``api_url`` to another address of its host)."""
    parts = ("%2E" * len(part) if part in (".", "..") else quote(part, safe="")
             for part in doi.split("/"))  # fmt: skip
    return f"{api_url.rstrip('/')}/{'/'.join(parts)}"


def user_agent(mailto: str) -> str:
    """shelf's User-Agent, with ``mailto`` in the form Crossref's etiquette asks for."""
    return f"shelf/{__version__} (mailto:{mailto})" if mailto else USER_AGENT


def fetch(doi: str, api_url: str, timeout: float, mailto: str = "") -> str:
    """Crossref's JSON answer for ``doi``, within ``timeout`` seconds in all.

    An HTTP 404 is Crossref saying it has no such DOI; any other error status,
    and every failure to get an answer, raises ``RemoteError``.
    """
    host = host_of(api_url, SERVICE)
    answer = get(
        work_url(api_url, doi),
        SERVICE,
        timeout=timeout,
        max_bytes=MAX_RESPONSE_BYTES,
        accept="application/json",
        headers={"User-Agent": user_agent(mailto)},
    )
    if answer.status == 404:
        raise RemoteError(f"Crossref has no record of DOI {doi} (HTTP 404 from {host})")
    if not answer.ok:
        raise RemoteError(status_message(SERVICE, host, answer.status, answer.reason))
    return answer.text()
