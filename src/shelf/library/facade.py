"""The ``Library`` facade: the verbs the CLI and the TUI call, under one lock.

Every verb writes SQLite first (one transaction per user action), then brings
the index up to date from the store's outbox (``indexing``). The lock lets the
app's worker threads share one library. Importing, exporting and maintenance
live in their own modules; this one holds the verbs and their order of steps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

from shelf import formats
from shelf.config import Settings
from shelf.domain import (
    DiskFullError,
    DoctorReport,
    Entry,
    ImportReport,
    LibraryError,
    NotesChangedError,
    ParseResult,
    ReadingState,
    SearchResult,
    ShelfError,
    StateFilter,
    Stats,
    Status,
    Undone,
    UnknownPaperError,
    normalize_tag,
    parse_query,
)
from shelf.domain.changes import Field, edit
from shelf.domain.query import as_you_type, check_query_size
from shelf.library import exporting, importing, maintenance
from shelf.paths import DB_NAME, INDEX_DIR, make_private_dir
from shelf.store import Store, now

if TYPE_CHECKING:
    from shelf.library.indexing import Indexing

#: Called with (phase, done, total) as long work advances; total is None when unknown.
Progress = Callable[[str, int, int | None], None]
#: How long opening waits for another process's index write before going on without it.
OPEN_LOCK_TIMEOUT = 1.0


def _quiet(phase: str, done: int, total: int | None) -> None:
    """The progress callback that reports nothing."""


class Library:
    """An open library. Use as a context manager, or call ``close``."""

    def __init__(
        self, directory: Path, store: Store, settings: Settings, progress: Progress = _quiet
    ) -> None:
        self.directory = directory
        self.settings = settings
        self._store = store
        self._index_state: Indexing | None = None
        self._progress = progress
        self._lock = threading.RLock()
        self._closed = False
        self._repairs: list[tuple[str, str]] = []
        #: What the user should know about this library (a kept damaged copy, an index
        #: that could not be brought up to date); the faces show each once.
        self.notices: list[str] = []

    @classmethod
    def open(
        cls, directory: Path, settings: Settings | None = None, progress: Progress = _quiet
    ) -> Library:
        """Open the library in ``directory``, creating it if needed.

        The search index is opened (and brought up to date, with ``progress``)
        only when a verb first needs it: ``list``, ``show`` or a triage key never
        waits for indexing that an interrupted import left to do.
        """
        if directory.exists() and not directory.is_dir():
            raise ShelfError(f"{directory}: is a file, not a library directory")
        try:
            make_private_dir(directory)
        except OSError as err:
            raise ShelfError(
                f"{directory}: cannot create the library directory: {err.strerror}"
            ) from None
        store = Store.open(directory / DB_NAME)
        exporting.remove_stranded(directory / exporting.LEDGER_DIR)
        library = cls(directory, store, settings or Settings(), progress)
        library.notices += maintenance.notices(directory)
        library.notices += maintenance.space_notices(directory, store)
        return library

    @property
    def repairs_on_open(self) -> list[tuple[str, str]]:
        """(what was wrong, what was done) when the index was opened and caught up.

        Asking opens the index, if no verb has yet.
        """
        _ = self._indexing
        return self._repairs

    @property
    def _indexing(self) -> Indexing:
        """The search index, opened and caught up with the store on first use."""
        return self._open_index()[0]

    def _open_index(self) -> tuple[Indexing, LibraryError | None]:
        """The index, and what kept opening it from catching up (None if nothing did)."""
        with self._lock:
            if self._index_state is not None:
                return self._index_state, None
            from shelf.library.indexing import Indexing  # whoosh: only when searching

            self._index_state, rebuild_reason = Indexing.open(
                self._store, self.directory / INDEX_DIR
            )
            return self._index_state, self._catch_up(rebuild_reason, self._progress)

    def _catch_up(self, rebuild_reason: str | None, progress: Progress) -> LibraryError | None:
        """Index what was left unindexed (or everything, into a fresh index) on opening."""
        store, indexing = self._store, self._indexing
        if rebuild_reason and store.count() > 0:
            # Fill a fresh index through the outbox: recreating it (``reindex``) would
            # delete it under another process that opened it since, and a kill part-way
            # leaves the rest queued for the next open.
            with store.transaction():
                store.queue_all_for_index()
            done = f"rebuilt the search index ({store.count()} papers)"
        else:
            rebuild_reason = None
            queued = len(store.queued_for_index())
            done = f"indexed {queued} paper(s)"
        waiting = len(store.queued_for_index())
        problem = indexing.try_sync(
            lambda n, total: progress("indexing", n, total), lock_timeout=OPEN_LOCK_TIMEOUT
        )
        if not problem and waiting:
            self._repairs.append(
                (rebuild_reason or f"{waiting} paper(s) were left unindexed", done)
            )
        return problem

    def close(self) -> None:
        """Close the store and the index; closing again does nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._index_state is not None:
                self._index_state.index.close()
            self._store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- importing ---------------------------------------------------------------------

    def import_paths(
        self, paths: Sequence[Path], fmt: str | None = None, progress: Progress = _quiet
    ) -> ImportReport:
        """Import files and directories: all read and checked first, then one transaction."""
        return self._import(importing.gather(paths, fmt), progress)

    @staticmethod
    def fetch_arxiv(refs: Sequence[str], settings: Settings) -> list[ParseResult]:
        """The arXiv API's records for exactly the papers ``refs`` name (nothing is opened).

        Every id is checked before any request; ``import_fetched`` imports the result.
        """
        from shelf.library.adding import fetch_arxiv

        return fetch_arxiv(refs, settings)

    def import_fetched(
        self, results: Sequence[ParseResult], progress: Progress = _quiet
    ) -> ImportReport:
        """Import what a fetch found, through the same steps as ``import_paths``."""
        return self._import(results, progress)

    def _import(self, results: Sequence[ParseResult], progress: Progress) -> ImportReport:
        batch_time = now()
        with self._lock:
            with self._store.transaction():
                report = importing.absorb(
                    self._store, results, batch_time, lambda n, t: progress("importing", n, t)
                )
            self._sync(progress, "the papers are saved; the search index")
        return report

    @staticmethod
    def read_notes(source: Path | BinaryIO) -> str:
        """Notes from a file or a stream (stdin), decoded as imports are, size-capped."""
        return importing.read_text(source)

    # -- reading -----------------------------------------------------------------------

    def get(self, ref: str) -> Entry:
        """The entry named by a short id, arXiv id or DOI."""
        with self._lock:
            paper_id = self._store.resolve(ref)
            entry = self._store.get(paper_id) if paper_id else None
        if entry is None:
            raise UnknownPaperError(ref)
        return entry

    def entries(self, state: StateFilter | None = None, limit: int | None = None) -> list[Entry]:
        """Entries passing ``state``, inbox first, newest first."""
        with self._lock:
            return self._store.list_entries(state or StateFilter(), limit)

    def count(self) -> int:
        with self._lock:
            return self._store.count()

    @property
    def pending(self) -> int:
        """Papers waiting to be indexed (a text search cannot find them yet)."""
        with self._lock:
            if self._indexing.pending:
                self._indexing.pending = len(self._store.queued_for_index())
            return self._indexing.pending

    def select(self, query: str = "", state: StateFilter | None = None) -> list[Entry]:
        """Every entry matching ``query`` and ``state`` (no page limit), for exports."""
        check_query_size(query)
        parsed = parse_query(query)
        combined = parsed.filter.both(state or StateFilter())
        with self._lock:
            if not parsed.text:
                return self._store.list_entries(combined)
            allowed, excluded = self._state_ids(combined)
            hits = self._indexing.index.search(
                parsed.text, max(1, self._store.count()), allowed, excluded=excluded
            )
            found = self._store.get_many(hits.ids)
        return [found[paper_id] for paper_id in hits.ids if paper_id in found]

    def _state_ids(self, state: StateFilter) -> tuple[set[str] | None, set[str] | None]:
        """(allowed, excluded) ids for a state filter: whichever of the two sets is smaller."""
        if state.is_empty:
            return None, None
        if self._store.count(state) * 2 > self._store.count():
            return None, self._store.ids_matching(state, invert=True)
        return self._store.ids_matching(state), None

    def _text_of(self, paper_id: str) -> str:
        """A paper's title and abstract, for turning index stems back into words."""
        entry = self._store.get(paper_id)
        return f"{entry.paper.title}\n{entry.paper.abstract}" if entry else ""

    def search(
        self,
        query: str,
        limit: int | None = None,
        state: StateFilter | None = None,
        expand_prefixes: bool = False,
    ) -> SearchResult:
        """Entries matching ``query`` (full text plus status:/tag:/is: filters) and ``state``.

        Best first; an empty query lists the library, inbox first, newest first.
        ``pending`` says how many papers a text search could not see yet. A query
        over the size limits is refused (``check_query_size``).
        """
        check_query_size(query)
        return self._search(query, limit, state, expand_prefixes)

    def _search(
        self,
        query: str,
        limit: int | None,
        state: StateFilter | None,
        expand_prefixes: bool = False,
    ) -> SearchResult:
        parsed = parse_query(query)
        combined = parsed.filter.both(state or StateFilter())
        limit = limit or self.settings.search_limit
        with self._lock:
            if not parsed.text:
                entries = self._store.list_entries(combined, limit)
                return SearchResult(entries, self._store.count(combined))
            allowed, excluded = self._state_ids(combined)
            hits = self._indexing.index.search(
                parsed.text, limit, allowed, self._text_of, excluded, expand_prefixes
            )
            found = self._store.get_many(hits.ids)
            pending = self.pending
            problem = self._indexing.problem
        entries = [found[paper_id] for paper_id in hits.ids if paper_id in found]
        why = str(problem) if pending and isinstance(problem, DiskFullError) else ""
        return SearchResult(entries, hits.total, hits.suggestion, hits.exact, pending, why)

    def search_as_you_type(
        self, text: str, limit: int | None = None, state: StateFilter | None = None
    ) -> SearchResult:
        """``search`` for text still being typed: its last word counts as a prefix.

        A short prefix is first looked up in title and author words (one term);
        only when that finds nothing is it expanded over abstracts and notes too.
        """
        check_query_size(text)
        typed = as_you_type(text)
        result = self._search(typed, limit, state)
        if result.total == 0 and typed != text:
            result = self._search(typed, limit, state, expand_prefixes=True)
        return result

    def related(self, ref: str, limit: int = 5) -> list[Entry]:
        """Papers whose wording is most like this one's ("more like this")."""
        entry = self.get(ref)
        text = f"{entry.paper.title} {entry.paper.abstract}"
        with self._lock:
            index = self._indexing.index
            ids = [i for i in index.more_like(entry.id, text, limit + 1) if i != entry.id]
            found = self._store.get_many(ids[:limit])
        return [found[i] for i in ids[:limit] if i in found]

    @staticmethod
    def highlight(text: str, query: str) -> list[tuple[int, int]]:
        """Spans of ``text`` matching the full-text words of ``query``."""
        from shelf.search import highlight_spans

        return highlight_spans(text, parse_query(query).text) if query.strip() else []

    def stats(self) -> Stats:
        with self._lock:
            return Stats(
                total=self._store.count(),
                by_status=self._store.counts_by_status(),
                starred=self._store.starred_count(),
                tags=self._store.tag_counts(),
            )

    def known_tags(self) -> list[str]:
        with self._lock:
            return sorted(self._store.tag_counts())

    # -- changing reading state ------------------------------------------------------------

    def update(
        self,
        ref: str,
        *,
        status: Status | None = None,
        starred: bool | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        notes: str | None = None,
    ) -> Entry:
        """Change a paper's reading state as one undoable action; returns the new entry."""
        entry, _ = self._change(ref, status, starred, add_tags, remove_tags, notes, amend=None)
        return entry

    def save_draft(
        self, ref: str, notes: str, session: int | None, expected: str
    ) -> tuple[Entry, int]:
        """Save notes still being typed; returns the entry and the session to pass next time.

        ``expected`` is what the editor believes is stored (what it loaded, or saved
        last). If the stored notes are something else, another process changed them
        meanwhile: nothing is written, and ``NotesChangedError`` carries theirs, so
        that neither version is lost.

        Every save of one editing session (the ``session`` the previous save
        returned) amends one undoable change, as long as nothing else was done
        since: ``undo`` then brings back the notes from before the session. The
        search index is not touched (it would cost a commit per pause in typing):
        call ``index_changes`` when the session ends. The outbox keeps the draft
        queued for indexing meanwhile, so a crash loses nothing of it.
        """
        return self._change(
            ref, None, None, (), (), notes, amend=session, index=False, expected=expected
        )

    def index_changes(self) -> None:
        """Bring the search index up to date with what was saved without it (drafts)."""
        with self._lock:
            self._sync(outcome="the notes are saved; the search index")

    def _change(
        self,
        ref: str,
        status: Status | None,
        starred: bool | None,
        add_tags: Iterable[str],
        remove_tags: Iterable[str],
        notes: str | None,
        amend: int | None,
        index: bool = True,
        expected: str | None = None,
    ) -> tuple[Entry, int]:
        adding = frozenset(normalize_tag(tag) for tag in add_tags)
        removing = frozenset(normalize_tag(tag) for tag in remove_tags)
        with self._lock:
            paper_id = self.get(ref).id
            with self._store.transaction():
                # Read inside the write transaction: a change another process made
                # since (a tag it added) is built upon, never overwritten.
                current = self._store.get(paper_id)
                if current is None:
                    raise UnknownPaperError(ref)
                if expected is not None and current.state.notes != expected:
                    raise NotesChangedError(paper_id, current.state.notes)
                change = edit(
                    current.state,
                    when=now(),
                    status=status,
                    starred=starred,
                    add_tags=adding,
                    remove_tags=removing,
                    notes=notes,
                )
                action = self._store.last_action()
                if (
                    amend is None
                    or amend != action
                    or not self._store.only_notes_of(action, paper_id)
                ):
                    action = self._store.next_action()
                if change.fields:
                    self._store.change_state(paper_id, change, action, amend=amend is not None)
            if Field.NOTES in change.fields and index:
                self._sync(outcome="the notes are saved; the search index")
            return self.get(paper_id), action

    def set_status(self, ref: str, status: Status) -> Entry:
        return self.update(ref, status=status)

    def toggle_star(self, ref: str) -> Entry:
        return self.update(ref, starred=not self.get(ref).state.starred)

    def set_notes(self, ref: str, notes: str) -> Entry:
        return self.update(ref, notes=notes)

    def restore_states(self, states: Iterable[tuple[str, ReadingState]]) -> int:
        """Set the whole reading state of many papers as one undoable action.

        For restoring a backup; returns how many papers changed.
        """
        count = 0
        with self._lock:
            with self._store.transaction():
                action = self._store.next_action()
                for paper_id, state in states:
                    if not self._store.id_exists(paper_id):
                        raise UnknownPaperError(paper_id)
                    count += self._store.restore_state(paper_id, state, action)
            self._sync(outcome="the states are saved; the search index")
        return count

    def delete(self, refs: Sequence[str]) -> list[Entry]:
        """Remove papers with their reading state, as one action ``undo`` reverts whole.

        Every id is resolved first: an unknown one deletes nothing.
        """
        with self._lock:
            entries = list({entry.id: entry for entry in map(self.get, refs)}.values())
            with self._store.transaction():
                action = self._store.next_action()
                for entry in entries:
                    self._store.delete(entry.id, action)
            self._sync(outcome="the papers are deleted; the search index")
        return entries

    def undo(self) -> list[Undone]:
        """Revert the last change (reading state, or a deletion); empty when there is none."""
        with self._lock:
            with self._store.transaction():
                restored = self._store.undo()
            self._sync(outcome="the change is undone; the search index")
            return [
                Undone(self.get(item.paper_id), item.fields, item.came_back) for item in restored
            ]

    def _sync(self, progress: Progress = _quiet, outcome: str = "") -> None:
        """Bring the index up to date after a change; the change itself is already saved.

        Another process holding the index leaves the work queued (any later
        command finishes it); a full disk is reported, saying what was saved.
        """
        indexing, problem = self._open_index()  # a first open catches up this change too
        if not isinstance(problem, DiskFullError):  # a change waits the full lock timeout
            problem = indexing.try_sync(lambda n, total: progress("indexing", n, total))
        if isinstance(problem, DiskFullError):
            raise DiskFullError(
                problem.where,
                problem.free_bytes,
                f"{outcome} catches up at the next command once there is room",
            )
        if problem is not None:  # busy: another process holds the index
            self.notices.append(
                f"{outcome} is not up to date yet: another shelf process is writing "
                "to it, and the next shelf command catches up"
            )

    # -- exporting ---------------------------------------------------------------------

    def render(self, fmt: str, entries: Sequence[Entry]) -> str:
        return formats.writer_for(fmt).write(entries)

    def export(
        self, fmt: str, entries: Sequence[Entry], path: Path, replace_link: bool = False
    ) -> Path:
        """Write ``entries`` to ``path`` atomically: the old file or the new one, never half.

        Only a regular file or a new path is written; a symbolic link is refused
        unless ``replace_link`` (the link itself is then replaced).
        """
        ledger = self.directory / exporting.LEDGER_DIR
        exporting.write_export(path, self.render(fmt, entries), ledger, replace_link=replace_link)
        return path

    # -- keeping the index in step and the library whole ---------------------------------

    def reindex(self, progress: Progress = _quiet) -> int:
        """Rebuild the search index from the store; returns how many papers were indexed."""
        with self._lock:
            return self._indexing.rebuild(lambda n, total: progress("indexing", n, total))

    def doctor(self, repair: bool = True) -> DoctorReport:
        """Check store integrity and store/index agreement; repair the index if asked."""
        index = self._indexing.index  # opening it repairs what it can, reported below
        report = DoctorReport(
            problems=[problem for problem, _ in self.repairs_on_open],
            repaired=[repair for _, repair in self.repairs_on_open],
        )
        with self._lock:
            maintenance.check(self._store, index, report, repair)
        return report

    @staticmethod
    def inspect(directory: Path) -> DoctorReport:
        """``doctor --check-only``: every check of the library in ``directory``, no writes."""
        return maintenance.inspect(directory)

    @staticmethod
    def repair(directory: Path) -> list[str]:
        """Rebuild a damaged database from every row that reads (nothing if it is sound)."""
        return maintenance.repair_store(directory)


def build_demo(directory: Path, settings: Settings | None = None) -> Library:
    """A library in ``directory`` holding the bundled demo papers."""
    from shelf.paths import demo_file

    library = Library.open(directory, settings)
    library.import_paths([demo_file()], fmt="hf-text")
    return library
