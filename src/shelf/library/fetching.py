"""``shelf add``: the papers its arguments name, fetched from arXiv and Crossref.

Every argument is read before anything is fetched (a DOI in any spelling, else
an arXiv id), so a typo in the last one costs no request. arXiv is then asked
for all its ids in batches (``adding``), and Crossref for each DOI in turn. Every
answer must arrive whole and make sense before anything is imported: one
failure stops the command and leaves the library as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from shelf.config import Settings
from shelf.domain import ParseResult, ShelfError
from shelf.formats import crossref as crossref_format
from shelf.library.adding import fetch_arxiv
from shelf.remote import arxiv as remote_arxiv
from shelf.remote import crossref as remote_crossref

_EXPECTED = (
    "expected e.g. arxiv:2106.09685, 2106.09685v2, cond-mat/0412498, an arxiv.org/abs/ link, "
    "10.1145/3290605.3300857, doi:10.1145/3290605.3300857 or a doi.org link"
)


def split_refs(refs: Sequence[str]) -> tuple[list[str], list[str]]:
    """The arXiv ids and the DOIs ``refs`` name, each once, in order.

    A ref that is neither raises a ``ShelfError`` naming it.
    """
    arxiv_ids: list[str] = []
    dois: list[str] = []
    for ref in refs:
        doi = remote_crossref.doi_of(ref)
        if doi is not None:
            dois.append(doi)
            continue
        try:
            arxiv_ids.append(remote_arxiv.arxiv_id(ref))
        except ShelfError:
            raise ShelfError(f"not an arXiv id or a DOI: {ref!r} ({_EXPECTED})") from None
    return list(dict.fromkeys(arxiv_ids)), list(dict.fromkeys(dois))


def fetch_refs(refs: Sequence[str], settings: Settings) -> list[ParseResult]:
    """The records of every paper ``refs`` name: arXiv's for arXiv ids, Crossref's for DOIs."""
    arxiv_ids, dois = split_refs(refs)
    results = fetch_arxiv(arxiv_ids, settings) if arxiv_ids else []
    results += [fetch_doi(doi, settings) for doi in dois]
    return results


def fetch_doi(doi: str, settings: Settings) -> ParseResult:
    """Crossref's record of ``doi`` as a paper (one request)."""
    api_url = settings.crossref_api_url
    answer = remote_crossref.fetch(
        doi, api_url, settings.crossref_timeout, settings.crossref_mailto
    )
    return crossref_format.read(answer, remote_crossref.work_url(api_url, doi), doi)
