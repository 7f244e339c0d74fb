"""The one import pipeline: paths in, papers and their states in the store.

``shelf import``, ``shelf add`` (after its fetch), the app's demo papers and the
tests all come through here. A path is a file, or a directory whose files of a
known kind are taken (recursively, hidden ones skipped). Every file is read,
decoded, sniffed and parsed before the library is touched, so a file that
cannot be read stops the import with nothing written. Then every record goes
in within one transaction: a new paper is added, a known one (same arXiv id,
DOI, or title and year) is merged, and a record that carries a reading state
(shelf's own TOML, JSON and CSV exports) restores that state exactly, as one
action that ``undo`` reverts.

Only regular files are read, and at most ``MAX_IMPORT_BYTES`` of each, by
reading rather than by trusting the size the file system reports (a device
reports none): ``/dev/zero`` or a FIFO is refused at once, never read for ever.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from shelf import formats
from shelf.domain import ImportReport, InputError, Paper, ParseResult, Problem, Record
from shelf.domain.changes import edit
from shelf.domain.identity import identity_seed, short_id
from shelf.domain.query import normalize_tag
from shelf.domain.reading_list import ListRecord, list_key
from shelf.domain.text import without_surrogates
from shelf.library import pdfs
from shelf.library.progress import Step
from shelf.store import Store, now

#: Import files larger than this are refused (the whole file is parsed in memory).
MAX_IMPORT_BYTES = 200 * 1024 * 1024
#: Note files larger than this are refused: notes are a page or two of Markdown.
MAX_NOTE_BYTES = 5 * 1024 * 1024
_ID_SHAPE = re.compile(r"[0-9a-z]{4,16}")


def gather(paths: Sequence[Path], fmt: str | None = None) -> list[ParseResult]:
    """Read and parse every file the paths name; nothing is imported here."""
    results: list[ParseResult] = []
    for path in paths:
        results += _read_path(path, fmt)
    return results


def _read_path(path: Path, fmt: str | None) -> list[ParseResult]:
    kind = _kind(path)
    if kind != "directory":
        return [read_file(path, fmt)]
    files, ignored = _files_in(path, fmt)
    if not files:
        raise InputError(str(path), "no files of a known kind in this directory")
    results = [read_file(p, fmt) for p in files]
    if ignored:
        results.append(ParseResult((), tuple(ignored)))
    return results


def _files_in(directory: Path, fmt: str | None) -> tuple[list[Path], list[Problem]]:
    """The importable files under ``directory``, and problems naming the ones passed over."""
    files: list[Path] = []
    ignored: list[Problem] = []
    for root, folders, names in os.walk(directory):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(root) / name
            known = fmt is not None or path.suffix.lower() in formats.KNOWN_EXTENSIONS
            if not known:
                ignored.append(Problem(str(path), None, "not a known kind of file (ignored)"))
            elif not path.is_file():  # follows links; a FIFO or a device is no file
                ignored.append(Problem(str(path), None, "not a regular file (ignored)"))
            else:
                files.append(path)
    return files, ignored


def _kind(path: Path) -> str:
    """``file``, ``directory``, or an ``InputError`` for anything else (or nothing)."""
    source = str(path)
    try:
        mode = path.stat().st_mode
    except OSError as err:
        raise _unreadable(source, err) from None
    if stat.S_ISDIR(mode):
        return "directory"
    if not stat.S_ISREG(mode):
        raise InputError(source, f"is {_describe(mode)}, not a file; only files are read")
    return "file"


def _unreadable(source: str, err: OSError) -> InputError:
    """The one-line error for a path that cannot be looked at or opened."""
    if isinstance(err, FileNotFoundError):
        return InputError(source, "no such file")
    if isinstance(err, PermissionError):
        return InputError(source, "permission denied")
    return InputError(source, f"cannot read: {err.strerror or err}")


def _describe(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_file(path: Path, fmt: str | None = None) -> ParseResult:
    """Read and parse one import file, refusing what is not a readable text file of papers."""
    source = str(path)
    data = read_capped(path, MAX_IMPORT_BYTES)
    if not data or data.isspace():  # not .strip(): that copies a file of 200 MB
        raise InputError(source, "the file is empty")
    text = formats.decode(data, source)
    del data  # the text is all that is needed: hold one copy of a large file, not two
    result = parse(text, source, fmt)
    folder = path.absolute().parent
    records = [replace(r, paper=replace(r.paper, pdf=pdfs.anchored(r.paper.pdf, folder)))
               if r.paper.pdf else r for r in result.records]  # fmt: skip
    return replace(result, records=tuple(records))


def parse(text: str, source: str, fmt: str | None = None) -> ParseResult:
    """The records in ``text``, read as ``fmt`` or as whatever it looks like."""
    return formats.reader_for(source, text, fmt).read(text, source)


def read_capped(path: Path, cap: int) -> bytes:
    """The bytes of the regular file at ``path``, refusing one over ``cap`` bytes.

    Opened without blocking and checked once open, so a FIFO swapped in after a
    look at the path is refused too, and at most ``cap + 1`` bytes are ever read.
    """
    source = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise _unreadable(source, err) from None
    found = os.fstat(descriptor)
    if not stat.S_ISREG(found.st_mode):
        os.close(descriptor)
        if stat.S_ISDIR(found.st_mode):
            raise InputError(source, "is a directory, not a file")
        raise InputError(source, f"is {_describe(found.st_mode)}, not a file; only files are read")
    with os.fdopen(descriptor, "rb") as handle:
        size = found.st_size
        if size > cap:  # said at once when the file system knows; reading checks again
            raise InputError(source, _too_large(cap, size))
        try:
            return _capped(handle, cap, source)
        except OSError as err:
            raise InputError(source, f"cannot read: {err.strerror or err}") from None


def read_text(stream: Path | BinaryIO, cap: int = MAX_NOTE_BYTES) -> str:
    """A text file (or an open stream, such as stdin), decoded the way imports are."""
    if isinstance(stream, Path):
        data, source = read_capped(stream, cap), str(stream)
    else:
        source = getattr(stream, "name", "<stdin>")
        source = "<stdin>" if source in ("<stdin>", 0) else str(source)
        data = _capped(stream, cap, source)
    return formats.decode(data, source) if data else ""


def _capped(stream: BinaryIO, cap: int, source: str) -> bytes:
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise InputError(source, _too_large(cap))
    return data


def _too_large(cap: int, size: int | None = None) -> str:
    mb = 1024 * 1024
    amount = "" if size is None else f"{size / mb:.1f}" if size < 10 * mb else f"{size // mb}"
    found = f"{amount} MB; " if size is not None else ""
    return f"too large to read ({found}the limit is {cap // mb} MB)"


def absorb(
    store: Store,
    results: Sequence[ParseResult],
    batch_time: datetime,
    progress: Step,
    undoable: bool = True,
) -> ImportReport:
    """Put every record in the store (inside one transaction the caller holds); as one
    undoable action unless ``undoable`` is False (a feed's fetch: its papers stay, and
    so do the tags that say where they came from)."""
    originals = [record for result in results for record in result.records]
    report = ImportReport()
    for result in results:
        report.problems += result.problems
    report.skipped = len(report.problems)
    action = store.next_action()
    ids: dict[str, str] = {}  # a record's id in its file: the paper's id in the library
    for number, original in enumerate(originals, start=1):
        record = _clean(original)
        paper_id = _add_or_merge(store, record, batch_time, report)
        if original.id:
            ids[original.id] = paper_id
        if record.state is not None and store.restore_state(paper_id, record.state, action):
            report.restored += 1
        if record.tags:
            _add_tags(store, paper_id, record.tags, action)
        if record.attached:
            store.attach(paper_id, record.attached)
        progress(number, len(originals))
    restored: set[str] = set()
    for held in (held for result in results for held in result.lists):
        if list_key(held.name) in restored:  # two names of one list: the first is kept
            reason = f"reading list {held.name!r} skipped: a list named so is restored above"
            report.problems.append(Problem("the files imported", None, reason))
            report.skipped += 1
            continue
        restored.add(list_key(held.name))
        _restore_list(store, held, ids, action, batch_time)
        report.lists += 1
    if not undoable:
        store.forget_action(action)
    return report


def _restore_list(
    store: Store, held: ListRecord, ids: dict[str, str], action: int, batch_time: datetime
) -> None:
    """Make the list ``held`` names exactly as the file says (creating it if missing)."""
    name = without_surrogates(held.name)
    papers = list(dict.fromkeys(ids[i] for i in held.ids if i in ids))
    if not store.has_list(name):
        created = batch_time.isoformat(timespec="seconds")
        store.change_list(name, action, create=True, created_at=created)
    description = without_surrogates(held.description)
    store.change_list(name, action, description=description, papers=papers)


def _clean(record: Record) -> Record:
    """``record`` with no lone surrogate in its text (a JSON ``\\ud800``), storable."""
    paper = record.paper
    fixed = replace(
        paper,
        title=without_surrogates(paper.title),
        authors=tuple(without_surrogates(name) for name in paper.authors),
        venue=without_surrogates(paper.venue),
        abstract=without_surrogates(paper.abstract),
        url=without_surrogates(paper.url),
        arxiv_id=without_surrogates(paper.arxiv_id) if paper.arxiv_id else None,
        doi=without_surrogates(paper.doi) if paper.doi else None,
        pdf=without_surrogates(paper.pdf),
    )
    state = record.state
    if state is not None:
        state = replace(
            state,
            notes=without_surrogates(state.notes),
            tags=tuple(without_surrogates(tag) for tag in state.tags),
        )
    tags = tuple(without_surrogates(tag) for tag in record.tags)
    paper_id = without_surrogates(record.id) if record.id else None
    return Record(fixed, state, paper_id, tags, without_surrogates(record.attached))


def _add_or_merge(store: Store, record: Record, batch_time: datetime, report: ImportReport) -> str:
    """Add or merge one paper; returns its id."""
    match = store.find_match(record.paper)
    if match is None:
        paper_id = _new_id(store, record.paper, record.id)
        store.insert(paper_id, record.paper, batch_time)
        report.added += 1
        return paper_id
    merged = match.paper.merged_with(record.paper)
    if merged == match.paper:
        report.unchanged += 1
    else:
        store.update_paper(match.id, merged)
        report.merged += 1
    return match.id


def _add_tags(store: Store, paper_id: str, tags: Iterable[str], action: int) -> None:
    current = store.get(paper_id)
    if current is not None:
        adding = frozenset(normalize_tag(tag) for tag in tags)
        store.change_state(paper_id, edit(current.state, when=now(), add_tags=adding), action)


def _new_id(store: Store, paper: Paper, wanted: str | None = None) -> str:
    """The id a backup gave the paper if it is free, else one derived from its identity."""
    if wanted and _ID_SHAPE.fullmatch(wanted) and not store.id_exists(wanted):
        return wanted
    seed = identity_seed(paper.title, paper.year, paper.arxiv_id, paper.doi)
    attempt = 0
    while True:
        salted = seed if attempt == 0 else f"{seed}#{attempt}"
        for length in (6, 7, 8):
            candidate = short_id(salted, length)
            if not store.id_exists(candidate):
                return candidate
        attempt += 1
