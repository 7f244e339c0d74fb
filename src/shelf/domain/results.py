"""What the library's verbs answer with: search pages, counts, doctor reports, undone changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from shelf.domain.changes import Field
from shelf.domain.paper import Entry
from shelf.domain.status import Status
from shelf.domain.text import one_line


@dataclass(frozen=True, slots=True)
class Hits:
    """The index's answer to a query: ranked paper ids and how many matched in all."""

    ids: list[str]
    total: int
    exact: bool = True
    """False when ``total`` is an estimate (a large result set, counted cheaply)."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of matching entries, best first, with the count of all matches."""

    entries: list[Entry]
    hits: Hits
    suggestion: str | None = None
    """A query with the unknown words corrected, when nothing matched."""
    pending: int = 0
    """Papers not yet in the search index (another process is indexing, or the disk is
    full): a text search cannot have found them."""
    pending_reason: str = ""
    """Why they are not, in words ("the disk is full (...)")."""
    corrected_from: str | None = None
    """The query as typed, when nothing matched it and these are the hits of
    ``suggestion`` instead ("showing results for …")."""

    @property
    def total(self) -> int:
        """How many papers matched in all (``exact`` says whether counted or estimated)."""
        return self.hits.total

    @property
    def exact(self) -> bool:
        return self.hits.exact


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over the whole library."""

    total: int
    by_status: dict[Status, int]
    starred: int
    tags: dict[str, int]
    added_weekly: tuple[int, ...] = ()
    """Papers added in each of the last ``WEEKS`` weeks (oldest first, this week last)."""
    read_weekly: tuple[int, ...] = ()
    """Papers marked read in each of those weeks (their last time, if read again)."""

    @property
    def top_tags(self) -> list[tuple[str, int]]:
        """The ``TOP_TAGS`` most used tags with their counts, the most used first."""
        return list(self.tags.items())[:TOP_TAGS]


#: How many weeks ``Stats`` counts papers added and read in.
WEEKS = 12
#: How many tags ``Stats.top_tags`` names (``shelf stats`` and the app's stats screen).
TOP_TAGS = 10


@dataclass(slots=True)
class DoctorReport:
    """What ``doctor`` checked, what it found wrong and what it repaired."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems or len(self.repaired) >= len(self.problems)


@dataclass(frozen=True, slots=True)
class Undone:
    """One paper as ``undo`` left it, and what undo put back."""

    entry: Entry
    fields: frozenset[Field] = frozenset()
    """The reading-state fields put back."""
    came_back: bool = False
    """The paper had been deleted, and came back whole."""
    gone: bool = False
    """Redo deleted the paper again (``entry`` is as it was)."""
    metadata: bool = False
    """The paper's metadata was put back (or, by redo, set again), as a merge left it."""

    @property
    def shown(self) -> list[str]:
        """The fields put back, as a person names them (timestamps go with their field,
        unless they alone were: a restored backup's paper that was in the inbox)."""
        put_back = [field for field in Field if field in self.fields]
        named = [field.value for field in put_back if not field.is_timestamp] or [
            field.value.replace("_", " ") for field in put_back
        ]
        return [*named, "metadata"] if self.metadata else named

    @property
    def described(self) -> str:
        """Which paper, and what came back: "AdapterFusion: Non-Destructive…: status inbox"."""
        state, title = self.entry.state, one_line(self.entry.paper.title)
        if self.came_back:
            return f"{title[:60]}: back in the library"
        if self.gone:
            return f"{title[:60]}: deleted again"
        said = {
            "status": f"status {state.status.value}",
            "starred": "starred" if state.starred else "not starred",
            "tags": f"tags {', '.join(state.tags)}" if state.tags else "no tags",
            "notes": "its earlier notes",
            "metadata": "its metadata",
        }
        short = title if len(title) <= 60 else title[:59] + "…"
        return f"{short}: {', '.join(said[name] for name in self.shown)}"
