"""The Whoosh full-text index: derived data, always rebuildable from the store.

Only this package imports whoosh. Reading state that changes on every key
(status, star, tags) is not indexed; the library filters by it from SQLite
and passes the ids that qualify, which become a docnum filter here. One
long-lived searcher answers queries and is replaced after each commit; a
search collects only the top hits, within a time limit, and counts the rest
exactly when that is cheap, else estimates.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from whoosh import collectors, index, query, scoring
from whoosh.util.filelock import FileLock

from shelf.domain import IndexedText, LibraryError, ShelfError
from shelf.paths import disk_full, is_out_of_space
from shelf.search import children  # noqa: F401 - ties index worker processes to this one
from shelf.search.queries import make_parser, parse
from shelf.search.schema import PLAIN, SCHEMA, STEMMED, fingerprint, stem

_FINGERPRINT_FILE = "shelf-fingerprint"
#: Beside the index directory: held while the index is opened or created.
_CREATION_LOCK = ".index-creation.lock"
#: Tries at opening an index whose files a concurrent commit may be replacing.
_OPEN_ATTEMPTS = 5
#: A search stops collecting after this long and returns the best hits found so far.
TIME_LIMIT = 0.3
#: Counting every match of a query past the top hits is skipped when it would take long.
COUNT_BUDGET = 0.02
#: Above this many documents a bulk index build uses two processes.
PARALLEL_FROM = 5000
#: How long a write waits for another process's write (seconds) before giving up.
LOCK_TIMEOUT = 10.0
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}
#: Words to spell-check: letters only, not a field name (followed by a colon) nor a number.
_PLAIN_WORD = re.compile(r"(?:(?P<field>\w+):\(?)?(?<!\w)(?P<word>[^\W\d_]{3,})(?![\w:*~])")


F = TypeVar("F", bound=Callable[..., Any])


def _damage_is_a_library_error(method: F) -> F:
    """Turn whatever a damaged segment makes Whoosh raise into one clear ``LibraryError``.

    Whoosh keeps no checksums: junk inside a segment file is found only when a
    read reaches it, as an ``IndexError``, a ``struct.error``, a
    ``CorruptIndexError``... The index is derived data, so the way out is a rebuild.
    """

    @functools.wraps(method)
    def checked(self: WhooshIndex, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (ShelfError, index.LockError, MemoryError, RecursionError):
            raise
        except OSError as err:
            if is_out_of_space(err):
                raise disk_full(self.directory, "the search index was not changed") from None
            raise LibraryError(
                f"{self.directory}: cannot use the search index ({err.strerror or err}); "
                "`shelf reindex` rebuilds it from the library database"
            ) from None
        except Exception as err:
            raise LibraryError(
                f"{self.directory}: the search index is damaged ({type(err).__name__}); "
                "`shelf reindex` rebuilds it from the library database"
            ) from None

    return cast(F, checked)


class IndexBusyError(LibraryError):
    """Another process held the index's write lock longer than ``LOCK_TIMEOUT``."""


@contextmanager
def _creating(directory: Path) -> Iterator[None]:
    """Held (across processes) while an index is looked at and, if need be, created.

    Two processes starting on a new library would otherwise both build an index in
    the same directory, one deleting the other's files under it.
    """
    path = directory.parent / _CREATION_LOCK
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # private, like the rest
    lock = FileLock(str(path))
    lock.acquire(blocking=True)
    try:
        yield
    finally:
        lock.release()


@dataclass(frozen=True, slots=True)
class SearchHits:
    """Ranked ids for a query, how many matched in all, and a did-you-mean."""

    ids: list[str]
    total: int
    suggestion: str | None = None
    exact: bool = True
    """False when ``total`` is an estimate (a large result set, counted cheaply)."""


class WhooshIndex:
    """The on-disk index of one library, with one long-lived searcher."""

    def __init__(self, directory: Path, ix: index.Index) -> None:
        self.directory = directory
        self._ix = ix
        self._searcher = ix.searcher(weighting=scoring.BM25F())
        self._parser = make_parser()
        self._docnums: dict[str, int] | None = None
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
        with _creating(directory):
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
        with _creating(directory):
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
        self._searcher.close()
        self._ix.close()

    # -- writing ---------------------------------------------------------------------

    @_damage_is_a_library_error
    def add_all(
        self, docs: Iterable[IndexedText], progress: Callable[[int], None], expected: int
    ) -> int:
        """Bulk-add documents (ids not yet in the index) with a single commit.

        Large batches are analysed in two processes, each writing its own segment.
        An id the index holds by the time the write lock is taken is not added twice
        (another process may have indexed it since the caller looked): it is kept
        if indexed at the same revision, else replaced.
        """
        parallel = expected >= PARALLEL_FROM
        count = 0
        options = {"limitmb": 128, "procs": 2 if parallel else 1, "multisegment": parallel}
        with self._writing(**options) as writer:
            present = writer.searcher()  # what is committed, as of holding the lock
            for doc in docs:
                fields = _fields(doc)
                docnum = present.document_number(id=fields["id"])
                if docnum is None:
                    writer.add_document(**fields)
                elif present.stored_fields(docnum)["rev"] != fields["rev"]:
                    writer.delete_by_term("id", fields["id"])
                    writer.add_document(**fields)
                count += 1
                progress(count)
        return count

    @_damage_is_a_library_error
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
                fields = _fields(doc)
                writer.delete_by_term("id", fields["id"])
                writer.add_document(**fields)
                count += 1
                progress(count)
        return count

    @_damage_is_a_library_error
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
            writer = self._ix.writer(timeout=self.lock_timeout, **options)
        except index.LockError:
            raise IndexBusyError(
                f"{self.directory}: the search index is busy in another shelf process; "
                "try again when it is done"
            ) from None
        try:
            try:
                yield writer
            except BaseException:
                _stop_workers(writer)
                writer.cancel()
                raise
            writer.commit()  # a commit that fails part-way still lets go of the lock
        except OSError:
            self._drop_unused_files()  # a full disk: give back what the failed write took
            raise
        self._refresh()

    def _drop_unused_files(self) -> None:
        """Delete segment files no commit refers to (what a write that failed left).

        Only under the write lock: another process's write in progress has files
        no commit refers to yet either.
        """
        lock = self._ix.lock("WRITELOCK")
        with suppress(Exception):
            if not lock.acquire(blocking=False):
                return
            try:
                toc = index.TOC.read(self._ix.storage, self._ix.indexname)
                storage, name = self._ix.storage, self._ix.indexname
                index.clean_files(storage, name, toc.generation, toc.segments)
            finally:
                lock.release()

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
        self._docnums = None

    # -- reading ---------------------------------------------------------------------

    @_damage_is_a_library_error
    def doc_count(self) -> int:
        return int(self._searcher.doc_count())

    @_damage_is_a_library_error
    def contains(self, paper_id: str) -> bool:
        return paper_id in self._id_to_docnum()

    @_damage_is_a_library_error
    def revisions(self) -> dict[str, int]:
        """Every indexed paper id with the revision it was indexed at."""
        self._refresh()  # another process may have committed since
        return {f["id"]: f["rev"] for f in self._searcher.all_stored_fields()}

    @_damage_is_a_library_error
    def duplicates(self) -> list[str]:
        """Ids indexed more than once (two processes each adding the same new paper)."""
        self._refresh()
        seen = Counter(f["id"] for f in self._searcher.all_stored_fields())
        return sorted(paper_id for paper_id, times in seen.items() if times > 1)

    @_damage_is_a_library_error
    def search(
        self,
        text: str,
        limit: int,
        allowed: set[str] | None = None,
        text_of: Callable[[str], str] | None = None,
        excluded: set[str] | None = None,
        expand_prefixes: bool = False,
    ) -> SearchHits:
        """The best ``limit`` papers for full-text ``text``: only ``allowed`` ids if given,
        never ``excluded`` ones (the cheaper form when most papers are allowed).

        ``text_of(paper_id)`` gives a paper's title and abstract, for turning a
        did-you-mean's stems back into words.
        """
        q = parse(self._parser, text, expand_prefixes)
        self._refresh()  # another process may have committed since (a cheap check)
        docnum_filter: set[int] | None = None
        docnum_mask: set[int] | None = None
        if allowed is not None:
            to_docnum = self._id_to_docnum()
            docnum_filter = {to_docnum[i] for i in allowed if i in to_docnum}
            if not docnum_filter:
                return SearchHits(ids=[], total=0)
        if excluded is not None:
            to_docnum = self._id_to_docnum()
            docnum_mask = {to_docnum[i] for i in excluded if i in to_docnum}
        # The collector skips what cannot reach the top hits, so it cannot count
        # them; counting is a separate, cheaper pass (see _count).
        top = self._searcher.collector(limit=limit, filter=docnum_filter, mask=docnum_mask)
        collector = collectors.TimeLimitCollector(top, timelimit=TIME_LIMIT, use_alarm=False)
        timed_out = False
        try:
            self._searcher.search_with_collector(q, collector)
        except collectors.TimeLimit:
            timed_out = True
        ids_of = self._docnum_to_id()
        ids = [ids_of[docnum] for docnum, _ in collector.results().items()]
        if timed_out:
            total, exact = self._estimate(q, docnum_filter, len(ids)), False
        elif len(ids) < limit:
            total, exact = len(ids), True  # the top hits were all of them
        else:
            total, exact = self._count(q, docnum_filter, docnum_mask)
        suggestion = None
        if total == 0 and text_of is not None:
            suggestion = self.suggest(text, text_of)
        return SearchHits(ids=ids, total=total, suggestion=suggestion, exact=exact)

    def _estimate(self, q: Any, docnum_filter: set[int] | None, at_least: int) -> int:
        estimate = int(q.estimate_size(self._searcher.reader()))
        if docnum_filter is not None:
            estimate = min(estimate, len(docnum_filter))
        return max(estimate, at_least)

    def _count(
        self, q: Any, docnum_filter: set[int] | None, docnum_mask: set[int] | None = None
    ) -> tuple[int, bool]:
        """How many documents match: exact if counting fits the budget, else an estimate."""
        reader = self._searcher.reader()
        unfiltered = docnum_filter is None and not docnum_mask
        if unfiltered and isinstance(q, query.Term) and not reader.has_deletions():
            return reader.doc_frequency(q.fieldname, q.text), True  # a term knows its count
        started = time.perf_counter()
        count = 0
        for docnum in self._searcher.docs_for_query(q):
            passes = docnum_filter is None or docnum in docnum_filter
            if passes and not (docnum_mask and docnum in docnum_mask):
                count += 1
            if time.perf_counter() - started > COUNT_BUDGET:
                # Matches come in docnum order: extrapolate from the share counted.
                share = (docnum + 1) / max(1, reader.doc_count_all())
                return max(count, round(count / share)), False
        return count, True

    @_damage_is_a_library_error
    def suggest(self, text: str, text_of: Callable[[str], str]) -> str | None:
        """``text`` with each unknown word replaced by the closest word in the library.

        Corrections are found among the indexed stems of titles and abstracts and
        turned back into a real word from a paper that holds the stem, so a
        suggestion reads "forgetting", never "forgett". Field names, operators
        and quotes stay as they were typed.
        """
        reader = self._searcher.reader()
        names = ("title", "abstract")
        correctors = [self._searcher.corrector(name) for name in names]
        changed = False

        def frequency(stemmed: str, fields: tuple[str, ...]) -> int:
            return int(max(reader.frequency(name, stemmed) for name in fields))

        def correct(word: str, field: str | None) -> str:
            nonlocal changed
            fields = (field,) if field in names else names
            if word in _OPERATORS or frequency(stem(word), fields) > 0:
                return word  # a word the library has is never "corrected"
            maxdist = 1 if len(word) <= 5 else 2
            for corrector in correctors:
                # Typos rarely hit the first letter; keeping it makes this a small scan.
                for candidate in corrector.suggest(stem(word), limit=3, maxdist=maxdist, prefix=1):
                    surface = self._surface(candidate, text_of)
                    if surface and surface != word.lower():
                        changed = True
                        return surface
            return word

        def replace(match: re.Match[str]) -> str:
            before = match.group(0)[: match.start("word") - match.start()]
            return before + correct(match.group("word"), match.group("field"))

        suggestion = _PLAIN_WORD.sub(replace, text)
        return suggestion if changed else None

    def _surface(self, stemmed: str, text_of: Callable[[str], str]) -> str | None:
        """A word from a paper's own text whose stem is ``stemmed``."""
        for name in ("title", "abstract"):
            if self._searcher.reader().frequency(name, stemmed) == 0:
                continue
            docnum = next(iter(self._searcher.postings(name, stemmed).all_ids()), None)
            if docnum is None:
                continue
            source = text_of(self._docnum_to_id()[docnum])
            for token in STEMMED(source, chars=True, removestops=False):
                if token.text == stemmed:
                    return source[token.startchar : token.endchar].lower()
        return None

    @_damage_is_a_library_error
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
        """Docnum -> paper id, read from the id column (no stored-field lookups)."""
        reader = self._searcher.reader()
        return reader.column_reader("id") if reader.doc_count_all() else []

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


def _stop_workers(writer: Any) -> None:
    """End a parallel writer's worker processes before the write is cancelled.

    Whoosh's own cancel only flags them in this process; they would go on reading
    job files the cancel then deletes, and print a traceback each.
    """
    for task in getattr(writer, "tasks", ()):
        with suppress(Exception):
            task.terminate()
            task.join(5)
    for name in ("jobqueue", "resultqueue"):  # nobody reads them now: exit must not wait
        queue = getattr(writer, name, None)
        if queue is not None:
            with suppress(Exception):
                queue.cancel_join_thread()


def highlight_spans(text: str, query_text: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` whose words match a term of ``query_text`` (by stem)."""
    wanted = {t.text for t in STEMMED(query_text) if t.text}
    wanted |= {t.text for t in PLAIN(query_text)}
    prefixes = [w[:-1].lower() for w in query_text.split() if w.endswith("*") and len(w) > 1]
    spans = []
    for token in STEMMED(text, chars=True, removestops=False):
        original = text[token.startchar : token.endchar].lower()
        if (
            token.text in wanted
            or original in wanted
            or any(original.startswith(p) for p in prefixes)
        ):
            spans.append((token.startchar, token.endchar))
    return spans


def _fields(doc: IndexedText) -> dict[str, Any]:
    """The Whoosh fields of one paper's indexed text (empty ones left out)."""
    authors = " ; ".join(doc.authors)
    fields: dict[str, Any] = {
        "id": doc.id,
        "rev": doc.rev,
        "title": doc.title,
        "authors": authors,
        "year": doc.year,
        "venue": doc.venue,
        "abstract": doc.abstract,
        "notes": doc.notes,
        "prefix": f"{doc.title} {authors}",
    }
    return {key: value for key, value in fields.items() if value not in (None, "")}
