"""The ``Library`` facade: the verbs the CLI and the TUI call, under one lock.

Every verb writes SQLite first (one transaction per user action), then brings
the index up to date from the store's outbox (``lazy_index``, ``indexing``).
The lock lets the app's worker threads share one library. The work itself
lives in ``importing``, ``searching``, ``changing``, ``merging``, ``exporting`` and
``maintenance``; this module holds the verbs and the order of their steps, the
verbs that only read in its half ``reading``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

from shelf import formats
from shelf.config import Settings
from shelf.domain import (
    DoctorReport,
    Entry,
    ImportReport,
    Parsed,
    ParseResult,
    ReadingState,
    Reverted,
    Status,
    Undone,
)
from shelf.domain.changes import Field
from shelf.domain.reading_list import ListStep
from shelf.domain.selection import Selection
from shelf.library import changing, exporting, import_files, importing, maintenance, pdfs
from shelf.library.feeds import FeedVerbs
from shelf.library.lazy_index import LazyIndex
from shelf.library.lists import ReadingLists
from shelf.library.merging import Merging
from shelf.library.progress import Progress, quiet
from shelf.library.reading import Reading
from shelf.library.saved import SavedSearches
from shelf.paths import DB_NAME, INDEX_DIR
from shelf.store import Store, now

if TYPE_CHECKING:
    pass


class Library(Reading, ReadingLists, Merging, SavedSearches, FeedVerbs):
    """An open library. Use as a context manager, or call ``close``."""

    def __init__(
        self, directory: Path, store: Store, settings: Settings, progress: Progress = quiet
    ) -> None:
        self.directory = directory
        self.settings = settings
        self._store = store
        self.progress = progress  # the app sets its own, to show indexing as it goes
        #: Called (in the indexing thread) as each step of a catch-up becomes searchable.
        self.step_indexed: Callable[[], object] = lambda: None
        self._lock = threading.RLock()
        progress_step = lambda n, total: self.progress("indexing", n, total)  # noqa: E731
        self._index = LazyIndex(
            store, directory / INDEX_DIR, progress_step, self._lock, lambda: self.step_indexed()
        )
        self._closed = False
        #: Set when the face closes: long work under way stops at its next whole step.
        self.stopping = threading.Event()
        #: What the user should know about this library (a kept damaged copy, an index
        #: that could not be brought up to date); the faces show each once.
        self.notices: list[str] = []

    @classmethod
    def open(
        cls, directory: Path, settings: Settings | None = None, progress: Progress = quiet
    ) -> Library:
        """Open the library in ``directory``, creating it if needed.

        The search index is opened (and brought up to date, with ``progress``)
        only when a verb first needs it: ``list``, ``show`` or a triage key never
        waits for indexing that an interrupted import left to do.
        """
        maintenance.prepare(directory)
        store = Store.open(directory / DB_NAME)
        exporting.remove_stranded(directory / exporting.LEDGER_DIR)
        library = cls(directory, store, settings or Settings(), progress)
        library.notices += maintenance.notices(directory)
        library.notices += maintenance.space_notices(directory, store)
        return library

    @property
    def repairs_on_open(self) -> list[tuple[str, str]]:
        """(what was wrong, what was done) when the index was opened (by asking, if need be)."""
        self._search_index()  # opening it repairs what it can
        return self._index.repairs

    def stop_indexing(self) -> None:
        """Have a catch-up of the index under way in another thread stop soon, keeping the
        rest queued, and a fetch of feeds stop before its next feed: for a face that is
        closing (from any thread, without the lock)."""
        self._index.stop()
        self.stopping.set()

    def close(self) -> None:
        """Close the store and the index; closing again does nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._index.close()
            self._store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- importing ---------------------------------------------------------------------

    def import_paths(
        self, paths: Sequence[Path], fmt: str | None = None, progress: Progress = quiet
    ) -> ImportReport:
        """Import files and directories: each looked at first, then read into one transaction
        as its records come (a file found broken halfway leaves nothing written)."""
        return self._import(importing.gather(paths, fmt), progress)

    @staticmethod
    def fetch_refs(refs: Sequence[str], settings: Settings) -> list[ParseResult]:
        """The records of the papers ``refs`` name (arXiv ids and DOIs), nothing opened.

        Every ref is checked before any request; ``import_fetched`` imports the result.
        """
        from shelf.library.fetching import fetch_refs

        return fetch_refs(refs, settings)

    def import_fetched(
        self, results: Sequence[ParseResult], progress: Progress = quiet
    ) -> ImportReport:
        """Import what a fetch found, through the same steps as ``import_paths``."""
        return self._import(list(results), progress)

    def _import(self, results: list[Parsed], progress: Progress) -> ImportReport:
        batch_time = now()
        with self._lock:
            with self._store.transaction():
                report = importing.absorb(
                    self._store, results, batch_time, lambda n, t: progress("importing", n, t)
                )
            results.clear()  # the index reads the store: let the parsed files go first
            self._sync("the papers are saved; the search index", progress)
        return report

    @staticmethod
    def read_notes(source: Path | BinaryIO) -> str:
        """Notes from a file or a stream (stdin), decoded as imports are, size-capped."""
        return import_files.read_text(source)

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
        with self._lock:
            paper_id = self.get(ref).id
            wanted = changing.Edit.of(status, starred, add_tags, remove_tags, notes)
            fields, _ = changing.change(self._store, paper_id, wanted)
            if Field.NOTES in fields:
                self._sync("the notes are saved; the search index")
            return self.get(paper_id)

    def save_draft(
        self, ref: str, notes: str, session: int | None, expected: str
    ) -> tuple[Entry, int]:
        """Save notes still being typed; returns the entry and the session to pass next time.

        ``expected`` is what the editor believes is stored (what it loaded, or saved
        last). If the stored notes are something else, another process changed them
        meanwhile: nothing is written, and ``NotesChangedError`` carries theirs, so
        that neither version is lost.

        The saves of one session (the ``session`` the last one returned) amend one
        undoable change while nothing else is done: ``undo`` restores the notes from
        before it. The index is not touched (a commit per pause in typing): call
        ``index_changes`` when the session ends; the outbox keeps the draft queued.
        """
        with self._lock:
            paper_id = self.get(ref).id
            wanted = changing.Edit(notes=notes)
            _, action = changing.change(self._store, paper_id, wanted, session, expected)
            return self.get(paper_id), action

    def index_changes(self) -> None:
        """Bring the search index up to date with what was saved without it (drafts)."""
        with self._lock:
            self._sync("the notes are saved; the search index")

    def update_many(
        self,
        refs: Sequence[str],
        *,
        status: Status | None = None,
        starred: bool | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        notes: str | None = None,
    ) -> list[Entry]:
        """Make one change to many papers as ONE undoable action (one ``undo`` reverts it
        whole); returns the papers that changed, with their new state, in the order given.

        Every id is resolved first: an unknown one raises ``UnknownPaperError`` naming
        it, and nothing is changed. A paper named twice is changed once.
        """
        with self._lock:
            paper_ids = [self.get(ref).id for ref in refs]
            wanted = changing.Edit.of(status, starred, add_tags, remove_tags, notes)
            changed = changing.change_many(self._store, paper_ids, wanted)
            if notes is not None and changed:
                self._sync("the notes are saved; the search index")
            return self.entries_of(changed)

    def restore_states(self, states: Iterable[tuple[str, ReadingState]]) -> int:
        """Set the whole reading state of many papers as one undoable action.

        For restoring a backup; returns how many papers changed.
        """
        with self._lock:
            count = changing.restore(self._store, states)
            self._sync("the states are saved; the search index")
        return count

    def delete(self, refs: Sequence[str]) -> list[Entry]:
        """Remove papers with their reading state, as one action ``undo`` reverts whole.

        Every id is resolved first: an unknown one deletes nothing.
        """
        with self._lock:
            entries = list({entry.id: entry for entry in map(self.get, refs)}.values())
            changing.delete(self._store, [entry.id for entry in entries])
            self._sync("the papers are deleted; the search index")
        return entries

    def attach(self, ref: str, path: Path) -> Entry:
        """Give a paper a file of this machine (its PDF, for ``pdf``); returns the entry."""
        with self._lock:
            paper_id = self.get(ref).id
            attached = pdfs.checked(path)
            with self._store.transaction():
                self._store.attach(paper_id, attached)
            return self.get(paper_id)

    @staticmethod
    def pdf(entry: Entry) -> str | None:
        """Where the paper's PDF is (a web link or a path); None when it has none."""
        return pdfs.location(entry)

    def undo(self) -> list[Undone | ListStep]:
        """Revert the last change (reading state, or a deletion); empty when there is none."""
        return self._step_in_history(self._store.undo, {}, "the change is undone")

    def redo(self) -> list[Undone | ListStep]:
        """Make again the change the last ``undo`` reverted; empty when there is none (or a
        new change was made since)."""
        with self._lock:  # the papers as they were, to say which ones redo deletes again
            before = self._store.get_many(self._store.redoable())
            return self._step_in_history(self._store.redo, before, "the change is made again")

    def _step_in_history(
        self, step: Callable[[], list[Reverted | ListStep]], before: Mapping[str, Entry],
        outcome: str,
    ) -> list[Undone | ListStep]:  # fmt: skip
        with self._lock:
            with self._store.transaction():
                done = step()
            self._sync(f"{outcome}; the search index")
            return [item if isinstance(item, ListStep) else
                    Undone(before[item.paper_id] if item.gone else self.get(item.paper_id),
                           item.fields, item.came_back, item.gone, item.metadata)
                    for item in done]  # fmt: skip

    def _sync(self, outcome: str, progress: Progress = quiet) -> None:
        """Bring the index up to date after a change (see ``LazyIndex.sync``)."""
        if notice := self._index.sync(outcome, lambda n, t: progress("indexing", n, t)):
            self.notices.append(notice)

    # -- exporting ---------------------------------------------------------------------

    def render(
        self, fmt: str, entries: Iterable[Entry] | Selection, about: str = ""
    ) -> Iterator[str]:
        """``entries`` in format ``fmt``, piece by piece (``about``: see ``Writer.chunks``)."""
        return formats.writer_for(fmt).chunks(Selection.of(entries), about)

    def export(self, fmt: str, entries: Iterable[Entry] | Selection, path: Path,
               about: str = "", replace_link: bool = False,
               parents: bool = False) -> Path:  # fmt: skip
        """Write ``entries`` to ``path`` atomically: the old file or the new one, never half.

        Only a regular file or a new path is written; a symbolic link is refused
        unless ``replace_link`` (the link itself is then replaced). A missing folder
        is an error, unless ``parents`` (it is then made). ``about``: see ``Writer.chunks``.
        """
        pieces, ledger = self.render(fmt, entries, about), self.directory / exporting.LEDGER_DIR
        exporting.write_export(path, pieces, ledger, replace_link=replace_link, parents=parents)
        return path

    # -- keeping the index in step and the library whole ---------------------------------

    def reindex(self, progress: Progress = quiet) -> int:
        """Rebuild the search index from the store; returns how many papers were indexed."""
        with self._lock:
            return self._index.get().rebuild(lambda n, total: progress("indexing", n, total))

    def doctor(self, repair: bool = True) -> DoctorReport:
        """Check store integrity and store/index agreement; repair the index if asked."""
        with self._lock:
            index = self._search_index()  # opening it repairs what it can, reported too
            return maintenance.doctor(self._store, index, self._index.repairs, repair)

    @staticmethod
    def inspect(directory: Path) -> DoctorReport:
        """``doctor --check-only``: every check of the library in ``directory``, no writes."""
        return maintenance.inspect(directory)

    @staticmethod
    def repair(directory: Path) -> list[str]:
        """Rebuild a damaged database from every row that reads (nothing if it is sound)."""
        return maintenance.repair_store(directory)
