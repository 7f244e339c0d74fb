"""Feeds: what ``shelf feed add`` subscribes to, and what ``shelf fetch`` reports.

A feed is an arXiv category (``arxiv:cs.LG``) or any arXiv API query
(``arxiv:ti:diffusion AND cat:cs.CV``), Hugging Face's daily papers
(``hf:daily``), or the address of an RSS or Atom feed. Each has a name (given,
or derived from its source) that ``shelf fetch NAME`` and the ``feed:NAME`` tag
of its papers use. A paper's identities (arXiv id, DOI, normalized title) are
what a feed remembers having delivered, so a paper is new once, whatever the
user did with it since.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from shelf.domain.errors import ShelfError
from shelf.domain.identity import normalize_title
from shelf.domain.paper import Paper
from shelf.domain.text import is_web_url, one_line

#: The longest feed name (it is a tag too, and a word on the command line).
MAX_NAME = 40
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# cs.LG, astro-ph.CO, quant-ph, hep-th: a category has a dot or a dash; a bare word is a query.
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2,})?")
# The host of an http(s) URL (urllib is for remote/ only): after any user@, before :port.
_HOST = re.compile(r"https?://(?:[^@/?#\s]*@)?(\[[^\]/]+\]|[^:/?#\s\[\]]+)", re.IGNORECASE)
_EXAMPLES = "arxiv:cs.LG, 'arxiv:ti:diffusion AND cat:cs.CV', hf:daily or an http(s) feed URL"


class FeedKind(StrEnum):
    """Where a feed's papers come from."""

    ARXIV = "arxiv"
    HF = "hf"
    RSS = "rss"


@dataclass(frozen=True, slots=True)
class Feed:
    """One subscription, as the library keeps it."""

    name: str
    kind: FeedKind
    source: str
    """The arXiv category or query, ``daily`` for Hugging Face, or the feed's URL."""
    added_at: str = ""
    fetched_at: str | None = None
    """When its last fetch succeeded (ISO 8601, UTC); None before the first."""
    delivered: int = 0
    """How many papers it has brought in so far."""

    @property
    def spec(self) -> str:
        """What ``shelf feed add`` was given: ``arxiv:cs.LG``, ``hf:daily`` or the URL."""
        return self.source if self.kind is FeedKind.RSS else f"{self.kind.value}:{self.source}"

    @property
    def tag(self) -> str:
        """The tag its new papers get."""
        return f"feed:{self.name.lower()}"

    @property
    def arxiv_query(self) -> str:
        """The arXiv API ``search_query``: ``cat:`` before a bare category."""
        return f"cat:{self.source}" if is_category(self.source) else self.source


def is_category(text: str) -> bool:
    return "." in text or "-" in text if _CATEGORY.fullmatch(text) else False


def parse_spec(spec: str) -> tuple[FeedKind, str]:
    """The kind and source ``spec`` names, or a ``ShelfError`` saying what is expected."""
    text = spec.strip()
    prefix, _, rest = text.partition(":")
    if prefix.lower() == "arxiv":
        query = " ".join(rest.split())
        if not query:
            raise ShelfError(f"no arXiv category or query after 'arxiv:' (expected {_EXAMPLES})")
        return FeedKind.ARXIV, query
    if prefix.lower() == "hf":
        if rest.strip().lower() != "daily":
            raise ShelfError(f"unknown Hugging Face feed {one_line(text)!r} (there is hf:daily)")
        return FeedKind.HF, "daily"
    if is_web_url(text) and _HOST.match(text):
        return FeedKind.RSS, text
    raise ShelfError(f"not a feed: {one_line(text)[:100]!r} (expected {_EXAMPLES})")


def default_name(kind: FeedKind, source: str) -> str:
    """The name a feed gets without ``--name``: the category, ``hf-daily``, the host."""
    if kind is FeedKind.HF:
        return "hf-daily"
    if kind is FeedKind.RSS:
        host = match.group(1).lower() if (match := _HOST.match(source)) else "feed"
        name = host.removeprefix("www.")
        if host.startswith("["):  # an IPv6 address: "::1" alone would be named "1"
            name = "ipv6-" + host.strip("[]")
    else:
        name = source if is_category(source) else source.lower()
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-.")[:MAX_NAME].rstrip("-.")
    return slug or "feed"


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a feed name (None when it is fine)."""
    if not _NAME.fullmatch(name) or len(name) > MAX_NAME:
        return (
            f"a feed name is 1 to {MAX_NAME} letters, digits, '.', '-' or '_', "
            f"starting with a letter or digit; not {one_line(name)[:60]!r}"
        )
    return None


#: The start of the problem a feed's malformed XML gives (its papers may not all be there).
BROKEN = "the feed's XML is broken"


def identities(paper: Paper) -> tuple[str, ...]:
    """How a paper is recognised when a feed delivers it again: by its arXiv id and DOI;
    by its title and year only when it has neither (a journal's many items called
    "Correction" are different papers, each with a DOI of its own)."""
    found = [f"arxiv:{paper.arxiv_id}" if paper.arxiv_id else ""]
    found.append(f"doi:{paper.doi}" if paper.doi else "")
    title = normalize_title(paper.title)
    if title and not (paper.arxiv_id or paper.doi):
        found.append(f"title:{title}:{paper.year or ''}")
    return tuple(item for item in found if item)


class UnknownFeedError(ShelfError):
    """No feed has the name the user typed."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        hint = f"the feeds are {', '.join(known)}" if known else "there are no feeds yet"
        super().__init__(f"no feed called {one_line(name)[:60]!r} ({hint})")


class FeedExistsError(ShelfError):
    """A feed of that name, or of that source, is there already."""


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What fetching one feed did: counts, or the one line of why it failed."""

    name: str
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    seen: int = 0
    """Papers it had delivered before (kept, triaged or deleted since): left alone."""
    over_cap: int = 0
    """New papers beyond ``[feeds] max_per_fetch``: left for a later fetch."""
    problems: tuple[str, ...] = ()
    """Entries that were not papers (no title), each in a line."""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def line(self) -> str:
        """One line for a person: ``cs.LG: added 3, merged 1, unchanged 0, seen before 7``."""
        if self.error is not None:
            return f"feed {self.name}: {self.error}"
        line = (
            f"feed {self.name}: added {self.added}, merged {self.merged}, "
            f"unchanged {self.unchanged}, seen before {self.seen}"
        )
        return line + (f", {self.over_cap} over [feeds] max_per_fetch" if self.over_cap else "")


@dataclass(frozen=True, slots=True)
class FetchReport:
    """What ``fetch`` did, feed by feed, in the order fetched."""

    outcomes: tuple[FeedOutcome, ...]

    @property
    def failed(self) -> list[str]:
        """The names of the feeds that failed."""
        return [outcome.name for outcome in self.outcomes if not outcome.ok]

    @property
    def added(self) -> int:
        return sum(outcome.added for outcome in self.outcomes)

    def summary(self) -> str:
        """``added 13, merged 1, unchanged 0 from 3 feeds (1 failed: hf-daily)``."""
        merged = sum(outcome.merged for outcome in self.outcomes)
        unchanged = sum(outcome.unchanged for outcome in self.outcomes)
        count = len(self.outcomes)
        line = f"added {self.added}, merged {merged}, unchanged {unchanged} from {count} feed"
        line += "" if count == 1 else "s"
        failed = self.failed
        return line + (f" ({len(failed)} failed: {', '.join(failed)})" if failed else "")
