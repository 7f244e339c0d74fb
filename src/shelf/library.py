"""The ``Library`` facade: one library directory, its store and its index kept in step.

The CLI and the TUI call only this. Every verb writes SQLite first (one
transaction per user action), then brings the index up to date from the
store's outbox, all under one lock so worker threads can share a library.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from shelf import formats
from shelf.config import Settings
from shelf.domain import (
    Entry,
    ExportError,
    ImportReport,
    Paper,
    ParseResult,
    ReadingState,
    ShelfError,
    StateFilter,
    Status,
    UnknownPaperError,
    normalize_tag,
    parse_query,
)
from shelf.domain.identity import identity_seed, short_id
from shelf.domain.query import as_you_type
from shelf.files import read_file, write_atomically
from shelf.paths import DB_NAME, DEMO_FILE, INDEX_DIR, demo_data, make_private_dir
from shelf.search import IndexBusyError, WhooshIndex, highlight_spans
from shelf.search.whoosh_index import LOCK_TIMEOUT
from shelf.store import Store, now

#: Called with (phase, done, total) as long work advances; total is None when unknown.
Progress = Callable[[str, int, int | None], None]
_ID_SHAPE = re.compile(r"[0-9a-z]{4,16}")


def _quiet(phase: str, done: int, total: int | None) -> None:
    """The progress callback that reports nothing."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of matching entries, best first, with the count of all matches."""

    entries: list[Entry]
    total: int
    suggestion: str | None = None
    exact: bool = True
    """False when ``total`` is an estimate (very large result sets are not counted)."""


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over the whole library."""

    total: int
    by_status: dict[Status, int]
    starred: int
    tags: dict[str, int]


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
    """One paper's state as restored by ``undo``, and which fields it touched."""

    entry: Entry
    fields: tuple[str, ...]


class Library:
    """An open library. Use as a context manager, or call ``close``."""

    def __init__(
        self, directory: Path, store: Store, index: WhooshIndex, settings: Settings
    ) -> None:
        self.directory = directory
        self.settings = settings
        self._store = store
        self._index = index
        self._lock = threading.RLock()
        #: (what was wrong, what was done) while opening, for ``doctor`` to report.
        self.repairs_on_open: list[tuple[str, str]] = []

    @classmethod
    def open(
        cls, directory: Path, settings: Settings | None = None, progress: Progress = _quiet
    ) -> Library:
        """Open the library in ``directory``, creating it if needed, and make the index whole."""
        if directory.exists() and not directory.is_dir():
            raise ShelfError(f"{directory}: is a file, not a library directory")
        try:
            make_private_dir(directory)
        except OSError as err:
            raise ShelfError(
                f"{directory}: cannot create the library directory: {err.strerror}"
            ) from None
        store = Store.open(directory / DB_NAME)
        index, rebuild_reason = WhooshIndex.open(directory / INDEX_DIR)
        library = cls(directory, store, index, settings or Settings())
        if rebuild_reason and store.count() > 0:
            # The index is a fresh, empty one: fill it through the outbox. Recreating it
            # (``reindex``) would delete it under another process that opened it since;
            # a kill part-way leaves the rest queued for the next open.
            with store.transaction():
                store.queue_all_for_index()
            if library._sync_index(progress):
                library.repairs_on_open.append(
                    (rebuild_reason, f"rebuilt the search index ({store.count()} papers)")
                )
        else:
            queued = len(store.queued_for_index())
            if library._sync_index(progress) and queued:
                library.repairs_on_open.append(
                    (f"{queued} paper(s) were left unindexed", f"indexed {queued} paper(s)")
                )
        return library

    def close(self) -> None:
        with self._lock:
            self._index.close()
            self._store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- importing ---------------------------------------------------------------------

    def import_file(
        self, path: Path, fmt: str | None = None, progress: Progress = _quiet
    ) -> ImportReport:
        """Import one file; a file that cannot be read as a whole raises ``InputError``."""
        return self.import_parsed(read_file(path, fmt), progress)

    def import_text(self, text: str, source: str, fmt: str | None = None) -> ImportReport:
        reader = formats.reader_for(source, text, fmt)
        return self.import_parsed(reader.read(text, source))

    def import_parsed(self, parsed: ParseResult, progress: Progress = _quiet) -> ImportReport:
        """Add new papers and merge known ones, all in one transaction.

        A state backup (``parsed.states``) also restores each paper's reading
        state, as one action that ``undo`` reverts.
        """
        report = ImportReport(problems=list(parsed.problems))
        report.skipped = len(parsed.problems)
        total = len(parsed.papers)
        batch_time = now()
        with self._lock:
            with self._store.transaction():
                action = self._store.next_action()
                for index, paper in enumerate(parsed.papers):
                    wanted_id = parsed.ids[index] if index < len(parsed.ids) else None
                    paper_id = self._absorb(paper, batch_time, report, wanted_id)
                    state = parsed.states[index] if index < len(parsed.states) else None
                    if state is not None and self._store.restore_state(paper_id, state, action):
                        report.restored += 1
                    if index < len(parsed.tags) and parsed.tags[index]:
                        self._add_tags(paper_id, parsed.tags[index], action)
                    progress("importing", index + 1, total)
            self._sync_index(progress)
        return report

    def _absorb(
        self, paper: Paper, batch_time: str, report: ImportReport, wanted_id: str | None = None
    ) -> str:
        """Add or merge one paper; returns its id."""
        match = self._store.find_match(paper)
        if match is None:
            paper_id = self._new_id(paper, wanted_id)
            self._store.insert(paper_id, paper, batch_time)
            report.added += 1
            return paper_id
        merged = match.paper.merged_with(paper)
        if merged == match.paper:
            report.unchanged += 1
        else:
            self._store.update_paper(match.id, merged)
            report.merged += 1
        return match.id

    def _add_tags(self, paper_id: str, tags: Iterable[str], action: int) -> None:
        current = self._store.get(paper_id)
        if current is not None:
            merged = sorted(set(current.state.tags) | {normalize_tag(tag) for tag in tags})
            self._store.change_state(paper_id, {"tags": merged}, action)

    def _new_id(self, paper: Paper, wanted: str | None = None) -> str:
        """The id a backup gave the paper if it is free, else one derived from its identity."""
        if wanted and _ID_SHAPE.fullmatch(wanted) and not self._store.id_exists(wanted):
            return wanted
        seed = identity_seed(paper.title, paper.year, paper.arxiv_id, paper.doi)
        attempt = 0
        while True:
            salted = seed if attempt == 0 else f"{seed}#{attempt}"
            for length in (6, 7, 8):
                candidate = short_id(salted, length)
                if not self._store.id_exists(candidate):
                    return candidate
            attempt += 1

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

    def select(self, query: str = "", state: StateFilter | None = None) -> list[Entry]:
        """Every entry matching ``query`` and ``state`` (no page limit), for exports."""
        parsed = parse_query(query)
        combined = parsed.filter.both(state or StateFilter())
        with self._lock:
            if not parsed.text:
                return self._store.list_entries(combined)
            allowed, excluded = self._state_ids(combined)
            hits = self._index.search(
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
        """
        parsed = parse_query(query)
        combined = parsed.filter.both(state or StateFilter())
        limit = limit or self.settings.search_limit
        with self._lock:
            if not parsed.text:
                entries = self._store.list_entries(combined, limit)
                return SearchResult(entries, self._store.count(combined))
            allowed, excluded = self._state_ids(combined)
            hits = self._index.search(
                parsed.text, limit, allowed, self._text_of, excluded, expand_prefixes
            )
            found = self._store.get_many(hits.ids)
        entries = [found[paper_id] for paper_id in hits.ids if paper_id in found]
        return SearchResult(entries, hits.total, hits.suggestion, hits.exact)

    def search_as_you_type(
        self, text: str, limit: int | None = None, state: StateFilter | None = None
    ) -> SearchResult:
        """``search`` for text still being typed: its last word counts as a prefix.

        A short prefix is first looked up in title and author words (one term);
        only when that finds nothing is it expanded over abstracts and notes too.
        """
        typed = as_you_type(text)
        result = self.search(typed, limit, state)
        if result.total == 0 and typed != text:
            result = self.search(typed, limit, state, expand_prefixes=True)
        return result

    def related(self, ref: str, limit: int = 5) -> list[Entry]:
        """Papers whose wording is most like this one's ("more like this")."""
        entry = self.get(ref)
        text = f"{entry.paper.title} {entry.paper.abstract}"
        with self._lock:
            ids = [i for i in self._index.more_like(entry.id, text, limit + 1) if i != entry.id]
            found = self._store.get_many(ids[:limit])
        return [found[i] for i in ids[:limit] if i in found]

    @staticmethod
    def highlight(text: str, query: str) -> list[tuple[int, int]]:
        """Spans of ``text`` matching the full-text words of ``query``."""
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
        adding = {normalize_tag(tag) for tag in add_tags}
        removing = {normalize_tag(tag) for tag in remove_tags}
        with self._lock:
            paper_id = self.get(ref).id
            changes: dict[str, Any] = {}
            with self._store.transaction():
                # Read inside the write transaction: a change another process made
                # since (a tag it added) is built upon, never overwritten.
                current = self._store.get(paper_id)
                if current is None:
                    raise UnknownPaperError(ref)
                if status is not None and status is not current.state.status:
                    stamp = now()
                    changes["status"] = status.value
                    changes["status_changed_at"] = stamp
                    if status is Status.READ:
                        changes["read_at"] = stamp
                if starred is not None:
                    changes["starred"] = starred
                if adding or removing:
                    changes["tags"] = sorted((set(current.state.tags) | adding) - removing)
                if notes is not None:
                    changes["notes"] = notes
                if changes:
                    self._store.change_state(paper_id, changes, self._store.next_action())
            if "notes" in changes:
                self._sync_index()
            return self.get(paper_id)

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
            self._sync_index()
        return count

    def undo(self) -> list[Undone]:
        """Revert the last change to reading state; empty when there is nothing to undo."""
        with self._lock:
            with self._store.transaction():
                restored = self._store.undo()
            if any("notes" in values for _, values in restored):
                self._sync_index()
            return [Undone(self.get(paper_id), tuple(values)) for paper_id, values in restored]

    # -- exporting ---------------------------------------------------------------------

    def render(self, fmt: str, entries: Sequence[Entry]) -> str:
        return formats.writer_for(fmt).write(entries)

    def export(
        self, fmt: str, entries: Sequence[Entry], path: Path, replace_link: bool = False
    ) -> Path:
        """Write ``entries`` to ``path`` atomically: the old file or the new one, never half.

        A symbolic link at ``path`` is refused unless ``replace_link``: the export
        would replace the link itself, never write through it to where it points.
        """
        if path.is_symlink() and not replace_link:
            raise ExportError(
                f"{path}: is a symbolic link (to {os.readlink(path)}); "
                "give --force to replace the link with the exported file"
            )
        write_atomically(path, self.render(fmt, entries))
        return path

    # -- keeping the index in step -------------------------------------------------------------

    def reindex(self, progress: Progress = _quiet) -> int:
        """Rebuild the search index from the store; returns how many papers were indexed."""
        with self._lock:
            # The fresh index is empty yet opens cleanly: queue every paper first, so a
            # rebuild killed part-way is finished by the next open instead of going unseen.
            with self._store.transaction():
                self._store.queue_all_for_index()
            queued = self._store.queued_for_index()
            self._index.close()
            self._index = WhooshIndex.create(self.directory / INDEX_DIR)
            total = self._store.count()
            count = self._index.add_all(
                self._store.iter_index_docs(),
                lambda done: progress("indexing", done, total),
                expected=total,
            )
            with self._store.transaction():
                self._store.clear_index_queue(queued)
            return count

    def _sync_index(self, progress: Progress = _quiet) -> bool:
        """Index what the store's outbox says changed, then empty the outbox.

        Returns False when another process kept the index busy past its lock
        timeout. The change is safe in the store and stays in the outbox, which
        every later sync (in any process) and every open reads. A process that held
        the lock long looks at the outbox once more, for what others queued meanwhile
        and gave up indexing.
        """
        for _ in range(2):
            started = time.monotonic()
            queued = self._store.queued_for_index()
            if not queued:
                return True
            try:
                self._index_queued(queued, progress)
            except IndexBusyError:
                return False
            with self._store.transaction():
                self._store.clear_index_queue(queued)
            if time.monotonic() - started < LOCK_TIMEOUT / 2:
                break  # too short a hold for anyone to have given up waiting on it
        return True

    def _index_queued(self, queued: Mapping[str, int], progress: Progress) -> None:
        total = len(queued)
        new = [paper_id for paper_id in queued if not self._index.contains(paper_id)]
        changed = [paper_id for paper_id in queued if self._index.contains(paper_id)]
        if new:  # a bulk add (which checks again under the write lock)
            self._index.add_all(
                self._store.iter_index_docs(new),
                lambda done: progress("indexing", done, total),
                expected=len(new),
            )
        if changed:
            self._index.upsert(
                self._store.iter_index_docs(changed),
                lambda done: progress("indexing", len(new) + done, total),
            )

    def doctor(self, repair: bool = True) -> DoctorReport:
        """Check store integrity and store/index agreement; repair the index if asked."""
        report = DoctorReport(
            problems=[problem for problem, _ in self.repairs_on_open],
            repaired=[repair for _, repair in self.repairs_on_open],
        )
        with self._lock:
            report.checked.append("store integrity (PRAGMA integrity_check)")
            for problem in self._store.integrity_problems():
                report.problems.append(f"store: {problem}")
            report.checked.append("search index agrees with the store")
            stored = self._store.revisions()
            indexed = self._index.revisions()
            missing = [i for i in stored if i not in indexed]
            stale = [i for i in stored if i in indexed and indexed[i] != stored[i]]
            extra = [i for i in indexed if i not in stored]
            twice = [i for i in self._index.duplicates() if i in stored]
            for label, ids in (
                ("missing from", missing),
                ("out of date in", stale),
                ("extra in", extra),
                ("more than once in", twice),
            ):
                if ids:
                    report.problems.append(f"{len(ids)} paper(s) {label} the search index")
            if repair and (missing or stale or extra or twice):
                if extra:
                    self._index.delete(extra)
                redo = list(dict.fromkeys(missing + stale + twice))
                if redo:  # an upsert leaves one copy of each
                    self._index.upsert(self._store.iter_index_docs(redo))
                fixed = len(redo)
                report.repaired.append(
                    f"re-indexed {fixed} paper(s), removed {len(extra)} stray one(s)"
                )
        return report


def build_demo(directory: Path, settings: Settings | None = None) -> Library:
    """A library in ``directory`` holding the bundled demo papers."""
    library = Library.open(directory, settings)
    library.import_text(demo_data(), DEMO_FILE, fmt="hf-text")
    return library
