"""``shelf add``: papers' metadata fetched from the arXiv API, for the import pipeline.

Only the papers asked for are imported: an answer holding another id (a
server that lies, or a proxy that mixes answers up) has that entry reported
and left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from shelf.config import Settings
from shelf.domain import ParseResult, Problem, RemoteError
from shelf.formats import arxiv as arxiv_format
from shelf.remote import arxiv as remote_arxiv


def fetch_arxiv(refs: Sequence[str], settings: Settings) -> list[ParseResult]:
    """The arXiv API's records for exactly the papers ``refs`` name, and problems."""
    wanted = list(dict.fromkeys(remote_arxiv.arxiv_id(ref) for ref in refs))
    source = settings.arxiv_api_url
    feeds = remote_arxiv.fetch(wanted, source, settings.arxiv_timeout, pause=settings.arxiv_pause)
    results = [arxiv_format.read(feed, source, allow_empty=True) for feed in feeds]
    records = [record for result in results for record in result.records]
    problems = [problem for result in results for problem in result.problems]
    asked = set(wanted)
    kept = [record for record in records if record.paper.arxiv_id in asked]
    problems += [
        Problem(source, None, f"arXiv answered with {record.paper.arxiv_id}, "
                "which was not asked for; left out")
        for record in records
        if record.paper.arxiv_id not in asked
    ]  # fmt: skip
    found = {record.paper.arxiv_id for record in kept}
    missing = [arxiv_id for arxiv_id in wanted if arxiv_id not in found]
    if not kept:
        raise RemoteError(f"arXiv has no paper {', '.join(missing)}")
    problems += [Problem(source, None, f"arXiv has no paper {arxiv_id}") for arxiv_id in missing]
    return [ParseResult(tuple(kept), tuple(problems))]
