"""The library's records: a paper's bibliographic metadata and the user's reading state.

Metadata comes from files other people wrote and is merged on re-import;
reading state is the user's own and is never touched by an import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from shelf.domain.reading_list import ListRecord
from shelf.domain.status import Status


@dataclass(frozen=True, slots=True)
class Paper:
    """Bibliographic metadata for one paper, as far as it is known."""

    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str = ""
    abstract: str = ""
    url: str = ""
    arxiv_id: str | None = None
    doi: str | None = None
    pdf: str = ""
    """The PDF the imported entry names (BibTeX ``file`` or ``pdf``): a web link or an
    absolute path, as written (it may not exist here)."""

    def merged_with(self, other: Paper) -> Paper:
        """Fill what this record lacks from ``other``; what is already known stays."""
        return replace(
            self,
            authors=self.authors or other.authors,
            year=self.year if self.year is not None else other.year,
            venue=self.venue or other.venue,
            abstract=self.abstract or other.abstract,
            url=self.url or other.url,
            arxiv_id=self.arxiv_id or other.arxiv_id,
            doi=self.doi or other.doi,
            pdf=self.pdf or other.pdf,
        )

    @property
    def link(self) -> str:
        """The best link to the paper: its URL, else its arXiv or DOI page."""
        return next(iter(self.links), "")

    @property
    def links(self) -> tuple[str, ...]:
        """Every link to the paper, best first: its URL, its arXiv page, its DOI page."""
        found = [self.url] if self.url else []
        if self.arxiv_id:
            found.append(f"https://arxiv.org/abs/{self.arxiv_id}")
        if self.doi:
            found.append(f"https://doi.org/{self.doi}")
        return tuple(dict.fromkeys(found))  # a URL that is the arXiv page is listed once


@dataclass(frozen=True, slots=True)
class ReadingState:
    """What the user has decided about a paper."""

    status: Status = Status.INBOX
    starred: bool = False
    tags: tuple[str, ...] = ()
    notes: str = ""
    added_at: datetime | None = None
    status_changed_at: datetime | None = None
    read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A paper in the library: its short id, its metadata and its reading state."""

    id: str
    paper: Paper
    state: ReadingState = field(default_factory=ReadingState)
    attached: str = ""
    """The absolute path of the file ``shelf attach`` gave the paper (its PDF), or ""."""


@dataclass(frozen=True, slots=True)
class IndexedText:
    """What the search index holds of one paper: its words, and the revision they are at."""

    id: str
    rev: int
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str = ""
    abstract: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in an input file that could not be imported, with where it was."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Record:
    """One paper a file describes, with what else the file says about it.

    Only shelf's own exports (the TOML backup, JSON and CSV with a ``status``)
    carry a reading state and an id; a plain paper list may carry tags.
    """

    paper: Paper
    state: ReadingState | None = None
    """The reading state to restore exactly, from a backup or shelf's own export."""
    id: str | None = None
    """The short id the paper had, kept where the library has no paper with that id."""
    tags: tuple[str, ...] = ()
    """Tags a plain paper list gives the paper, added to the paper's own."""
    attached: str = ""
    """The file the paper had attached, from a backup (restored as it is)."""


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a format reader found in one file: records, and problems with the rest."""

    records: tuple[Record, ...]
    problems: tuple[Problem, ...] = ()
    lists: tuple[ListRecord, ...] = ()
    """Reading lists the file carries (shelf's TOML backup and JSON export), by record id."""

    @classmethod
    def of_papers(cls, papers: Iterable[Paper], problems: Iterable[Problem] = ()) -> ParseResult:
        """The result of a reader that finds only metadata."""
        return cls(tuple(Record(paper) for paper in papers), tuple(problems))

    @property
    def papers(self) -> tuple[Paper, ...]:
        return tuple(record.paper for record in self.records)


class RecordStream:
    """What a reader finds in a file it reads piece by piece: the records, read once as
    they are taken, and the problems with the rest and the reading lists, whole once the
    records are used up. The papers of a large file are never all in memory."""

    __slots__ = ("lists", "problems", "records")

    def __init__(self) -> None:
        self.records: Iterator[Record] = iter(())
        self.problems: list[Problem] = []
        self.lists: list[ListRecord] = []

    @classmethod
    def of(cls, reading: Callable[[RecordStream], Iterator[Record]]) -> RecordStream:
        """The stream whose records ``reading(stream)`` yields, noting on the stream the
        problems and lists it finds as it goes."""
        found = cls()
        found.records = reading(found)
        return found

    def collected(self) -> ParseResult:
        """Every record read, with the problems and lists: the whole file's result."""
        records = tuple(self.records)
        return ParseResult(records, tuple(self.problems), tuple(self.lists))


#: What the import pipeline takes from one file: read whole, or piece by piece.
Parsed = ParseResult | RecordStream


@dataclass(slots=True)
class ImportReport:
    """The outcome of an import, added up over all its files."""

    added: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: int = 0
    restored: int = 0
    """Papers whose reading state was restored from a state backup."""
    lists: int = 0
    """Reading lists restored from a backup or export."""
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """One line a person reads: the counts."""
        line = (
            f"added {self.added}, merged {self.merged}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}"
        )
        line += f", restored state of {self.restored}" if self.restored else ""
        return line + (f", restored {self.lists} reading list(s)" if self.lists else "")
