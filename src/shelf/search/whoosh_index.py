"""The Whoosh full-text index: derived data, always rebuildable from the store.

Only this package imports whoosh. Reading state that changes on every key
(status, star, tags) is not indexed; the library filters by it from SQLite
and passes the ids that qualify, which become a docnum filter here. One
long-lived searcher answers queries and is replaced after each commit (which
may be made in another thread: the searcher is used under a lock); a search
collects only the top hits, within a time limit (``collecting``).
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from whoosh import index, scoring

from shelf.domain import Hits, IndexedText
from shelf.search import (
    children,  # also ties index worker processes to this one
    mapped,
)
from shelf.search.collecting import TIME_LIMIT, collect
from shelf.search.guards import (
    IndexBusyError,
    abandon,
    check_committed,
    creating,
    damage_is_a_library_error,
    drop_unused_files,
)
from shelf.search.likeness import Likeness
from shelf.search.queries import make_parser, parse
from shelf.search.schema import SCHEMA, document, fingerprint
from shelf.search.suggest import Corrections, find_corrections

_FINGERPRINT_FILE = "shelf-fingerprint"
#: Tries at opening an index whose files a concurrent commit may be replacing.
_OPEN_ATTEMPTS = 5
#: Above this many documents a bulk index build uses two processes.
PARALLEL_FROM = 5000
#: Postings a build holds in memory (per process) before sorting runs out to disk.
POOL_MB = 256
#: How long a write waits for another process's write (seconds) before giving up.
LOCK_TIMEOUT = 10.0


F = TypeVar("F", bound=Callable[..., Any])

mapped.install()  # segment files are read where they are mapped, never copied whole


def _one_reader_at_a_time(method: F) -> F:
    """Use the searcher holding the index's reading lock (see ``WhooshIndex._reading``)."""

    @functools.wraps(method)
    def locked(self: WhooshIndex, *args: Any, **kwargs: Any) -> Any:
        with self._reading:
            return method(self, *args, **kwargs)

    return cast(F, locked)


class WhooshIndex(Likeness):
    """The on-disk index of one library, with one long-lived searcher (likeness: see
    ``likeness``)."""

    def __init__(self, directory: Path, ix: index.Index) -> None:
        self.directory = directory
        self._ix = ix
        self._searcher = ix.searcher(weighting=scoring.BM25F())
        self._parser = make_parser()
        self._docnums: dict[str, int] | None = None
        self._ids: Any = None
        self._reading = threading.RLock()
        """Held while the searcher is used: a commit in another thread replaces it."""
        self.lock_timeout = LOCK_TIMEOUT
        """How long a write waits for another process's write before ``IndexBusyError``."""

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path) -> tuple[WhooshIndex, str | None]:
        """Open the index in ``directory``; returns it and why it must be rebuilt, if it must.

        A missing index, one of another fingerprint, or one Whoosh cannot read is
        replaced by an empty one (it is derived data, rebuilt from the store).
        """
        marker = directory / _FINGERPRINT_FILE
        with creating(directory):
            if not directory.exists():
                reason = "the search index was missing"
            elif not marker.exists():
                reason = "the search index had no version marker"
            elif marker.read_text(encoding="ascii", errors="replace").strip() != fingerprint():
                reason = "the search index was from another version of shelf"
            else:
                for _ in range(_OPEN_ATTEMPTS):
                    try:
                        return cls(directory, index.open_dir(str(directory))), None
                    except OSError as err:
                        # Another process's commit removes the files it replaced: a read
                        # between its listing and its opening misses one. Look again
                        # before calling it damage and rebuilding under that writer.
                        reason = f"the search index was unreadable ({type(err).__name__})"
                    except Exception as err:  # any damage means: rebuild from the store
                        reason = f"the search index was unreadable ({type(err).__name__})"
                        break
            return cls._create(directory), reason

    @classmethod
    def inspect(cls, directory: Path) -> tuple[WhooshIndex | None, str | None]:
        """Open the index in ``directory`` for reading only: nothing is created or replaced.

        Returns the index, or None and what is wrong with it (for ``doctor --check-only``).
        """
        marker = directory / _FINGERPRINT_FILE
        if not directory.exists():
            return None, "the search index is missing"
        if not marker.exists():
            return None, "the search index has no version marker"
        if marker.read_text(encoding="ascii", errors="replace").strip() != fingerprint():
            return None, "the search index is from another version of shelf"
        try:
            return cls(directory, index.open_dir(str(directory))), None
        except Exception as err:  # any damage: report it, the next command rebuilds
            return None, f"the search index is unreadable ({type(err).__name__})"

    @classmethod
    def create(cls, directory: Path) -> WhooshIndex:
        """A fresh, empty index in ``directory`` (anything there before is removed)."""
        with creating(directory):
            return cls._create(directory)

    @classmethod
    def _create(cls, directory: Path) -> WhooshIndex:
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(mode=0o700, parents=True)
        ix = index.create_in(str(directory), SCHEMA)
        (directory / _FINGERPRINT_FILE).write_text(fingerprint() + "\n", encoding="ascii")
        return cls(directory, ix)

    def close(self) -> None:
        with self._reading:
            self._searcher.close()
            self._ix.close()

    # -- writing ---------------------------------------------------------------------

    @damage_is_a_library_error
    def add_all(
        self,
        docs: Iterable[IndexedText],
        progress: Callable[[int], None],
        expected: int,
        parallel: bool | None = None,
    ) -> int:
        """Bulk-add documents (ids not yet in the index) with a single commit.

        Large batches (or any, with ``parallel``) are analysed in two processes, each
        writing its own segment; the commit is then checked to hold every document,
        and ``IndexWorkerLostError`` says it does not (a worker died with its share).
        An id the index holds by the time the write lock is taken is not added twice
        (another process may have indexed it since the caller looked): it is kept
        if indexed at the same revision, else replaced.
        """
        parallel = expected >= PARALLEL_FROM if parallel is None else parallel
        parallel = parallel and children.CAN_FORK
        count, written = 0, []
        # With POOL_MB each of the two build processes holds a 10,000-paper library's
        # postings; at 128 MB they spilled sorted runs to disk and merged them back,
        # a third of the build's time.
        options = {"limitmb": POOL_MB, "procs": 2 if parallel else 1, "multisegment": parallel}
        if parallel:
            children.give_back_memory()
        with self._writing(**options) as writer:
            present = writer.searcher()  # what is committed, as of holding the lock
            for doc in docs:
                fields = document(doc)
                docnum = present.document_number(id=fields["id"])
                if docnum is None:
                    writer.add_document(**fields)
                    written.append(fields["id"])
                elif present.stored_fields(docnum)["rev"] != fields["rev"]:
                    writer.delete_by_term("id", fields["id"])
                    writer.add_document(**fields)
                    written.append(fields["id"])
                count += 1
                progress(count)
        if parallel:
            with self._reading:
                check_committed(written, self._id_to_docnum())
        return count

    @damage_is_a_library_error
    def upsert(
        self, docs: Iterable[IndexedText], progress: Callable[[int], None] = lambda _: None
    ) -> int:
        """Add or replace documents by id, in one commit.

        Every copy of an id is deleted first: ``update_document`` would delete only
        one, and a duplicate (see ``duplicates``) would outlive its repair.
        """
        count = 0
        with self._writing(limitmb=128) as writer:
            for doc in docs:
                fields = document(doc)
                writer.delete_by_term("id", fields["id"])
                writer.add_document(**fields)
                count += 1
                progress(count)
        return count

    @damage_is_a_library_error
    def delete(self, paper_ids: Iterable[str]) -> None:
        with self._writing() as writer:
            for paper_id in paper_ids:
                writer.delete_by_term("id", paper_id)

    @contextmanager
    def _writing(self, **options: Any) -> Iterator[Any]:
        """The index's one writer, once another process's write is done.

        What the block writes is committed as one, and the searcher moves to it;
        if the block fails, nothing of it is committed.
        """
        try:
            if options.get("procs", 1) > 1:
                writer = children.ParallelWriter(self._ix, timeout=self.lock_timeout, **options)
            else:
                writer = self._ix.writer(timeout=self.lock_timeout, **options)
        except index.LockError:
            raise IndexBusyError(
                f"{self.directory}: the search index is busy in another shelf process; "
                "try again when it is done"
            ) from None
        try:
            try:
                yield writer
                # Ctrl-C can land in a parallel commit too, while it waits for its workers.
                writer.commit()
            except BaseException:
                abandon(writer)
                raise
        except OSError:
            drop_unused_files(self._ix)  # a full disk: give back what the failed write took
            raise
        with self._reading:
            self._refresh()

    def _refresh(self) -> None:
        """Point the long-lived searcher at the newest commit.

        A new searcher, not ``Searcher.refresh()``: whoosh3's refresh keeps the
        old segment readers alongside the new ones, so a replaced or deleted
        document would still be found.
        """
        if self._searcher.up_to_date():
            return
        self._searcher.close()
        self._searcher = self._ix.searcher(weighting=scoring.BM25F())
        self._docnums = self._ids = None

    # -- reading ---------------------------------------------------------------------

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def doc_count(self) -> int:
        return int(self._searcher.doc_count())

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def contains(self, paper_id: str) -> bool:
        return paper_id in self._id_to_docnum()

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def revisions(self) -> dict[str, int]:
        """Every indexed paper id with the revision it was indexed at."""
        self._refresh()  # another process may have committed since
        return {f["id"]: f["rev"] for f in self._searcher.all_stored_fields()}

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def duplicates(self) -> list[str]:
        """Ids indexed more than once (two processes each adding the same new paper)."""
        self._refresh()
        seen = Counter(f["id"] for f in self._searcher.all_stored_fields())
        return sorted(paper_id for paper_id, times in seen.items() if times > 1)

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def search(
        self,
        text: str,
        limit: int,
        allowed: set[str] | None = None,
        excluded: set[str] | None = None,
        expand_prefixes: bool = False,
        time_limit: float | None = TIME_LIMIT,
    ) -> Hits:
        """The best ``limit`` papers for full-text ``text``: only ``allowed`` ids if given,
        never ``excluded`` ones (the cheaper form when most papers are allowed). With
        ``time_limit`` None the search is never cut short (for exports)."""
        q = parse(self._parser, text, expand_prefixes)
        self._refresh()  # another process may have committed since (a cheap check)
        docnum_filter, docnum_mask = self._docnum_sets(allowed, excluded)
        if docnum_filter is not None and not docnum_filter:
            return Hits(ids=[], total=0)
        docnums, total, exact = collect(
            self._searcher, q, limit, docnum_filter, docnum_mask, time_limit
        )
        ids_of = self._docnum_to_id()
        return Hits(ids=[ids_of[docnum] for docnum in docnums], total=total, exact=exact)

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def matching(
        self,
        text: str,
        allowed: set[str] | None = None,
        excluded: set[str] | None = None,
        expand_prefixes: bool = False,
    ) -> Hits:
        """Every paper matching full-text ``text`` (as ``search`` takes it), unranked and
        never cut short: for a list in another order than relevance. Scoring every
        match would cost several times as much."""
        q = parse(self._parser, text, expand_prefixes)
        self._refresh()
        docnum_filter, docnum_mask = self._docnum_sets(allowed, excluded)
        ids_of = self._docnum_to_id()
        ids = [
            ids_of[docnum]
            for docnum in self._searcher.docs_for_query(q)
            if (docnum_filter is None or docnum in docnum_filter)
            and (docnum_mask is None or docnum not in docnum_mask)
        ]
        return Hits(ids=ids, total=len(ids))

    def _docnum_sets(
        self, allowed: set[str] | None, excluded: set[str] | None
    ) -> tuple[set[int] | None, set[int] | None]:
        """The document numbers of the ``allowed`` and the ``excluded`` ids (None for none)."""
        to_docnum = self._id_to_docnum() if allowed is not None or excluded is not None else {}
        docnum_filter = (
            None if allowed is None else {to_docnum[i] for i in allowed if i in to_docnum}
        )
        docnum_mask = (
            None if excluded is None else {to_docnum[i] for i in excluded if i in to_docnum}
        )
        return docnum_filter, docnum_mask

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def corrections(self, text: str) -> Corrections:
        """Candidate corrections for the words of ``text`` the library does not have."""
        ids_of = self._docnum_to_id()
        return find_corrections(self._searcher, text, lambda docnum: ids_of[docnum])

    @damage_is_a_library_error
    @_one_reader_at_a_time
    def more_like(self, paper_id: str, text: str, limit: int) -> list[str]:
        """Papers whose wording resembles ``text`` (the paper's title and abstract)."""
        self._refresh()
        docnum = self._id_to_docnum().get(paper_id)
        if docnum is None:
            return []
        results = self._searcher.more_like(docnum, "abstract", text=text, top=limit, numterms=15)
        ids_of = self._docnum_to_id()
        return [ids_of[hit.docnum] for hit in results]

    # -- id <-> docnum -------------------------------------------------------------------

    def _docnum_to_id(self) -> Any:
        """Docnum -> paper id, read from the id column (no stored-field lookups), once per
        searcher."""
        if self._ids is None:
            reader = self._searcher.reader()
            self._ids = reader.column_reader("id") if reader.doc_count_all() else []
        return self._ids

    def _id_to_docnum(self) -> dict[str, int]:
        """Paper id -> docnum for live documents, built once per searcher."""
        if self._docnums is None:
            reader = self._searcher.reader()
            if not reader.doc_count_all():
                return {}
            column = reader.column_reader("id")
            self._docnums = {
                column[docnum]: docnum for docnum in range(reader.doc_count_all())
                if not reader.is_deleted(docnum)
            }  # fmt: skip
        return self._docnums
