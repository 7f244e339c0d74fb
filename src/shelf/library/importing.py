"""The one import pipeline: paths in, papers and their states in the store.

``shelf import``, ``shelf add`` (after its fetch), the app's demo papers and the
tests all come through here. A path is a file, or a directory whose files of a
known kind are taken (recursively, hidden ones skipped). Every file is looked
at before the library is touched (a regular file, not too large, text, of a
known format: see ``import_files``), so most bad files stop the import at
once. Then the records go in as they are read, within one transaction, so a
file of 100,000 papers is never in memory whole, and a file found broken
halfway (JSON that stops) rolls the import back: nothing is written. A new
paper is added, a known one (same arXiv id, DOI, or title and year) is merged,
and a record that carries a reading state (shelf's own TOML, JSON and CSV
exports) restores that state exactly, as one action that ``undo`` reverts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from shelf import formats
from shelf.domain import ImportReport, InputError, Paper, Parsed, ParseResult, Problem, Record
from shelf.domain.changes import edit
from shelf.domain.identity import identity_seed, short_id
from shelf.domain.query import normalize_tag
from shelf.domain.reading_list import ListRecord, list_key
from shelf.domain.text import without_surrogates
from shelf.library.import_files import kind, read_file
from shelf.library.progress import Step
from shelf.store import Store, now

_ID_SHAPE = re.compile(r"[0-9a-z]{4,16}")


def gather(paths: Sequence[Path], fmt: str | None = None) -> list[Parsed]:
    """Look at every file the paths name; their records are read as they are imported."""
    results: list[Parsed] = []
    for path in paths:
        results += _read_path(path, fmt)
    return results


def _read_path(path: Path, fmt: str | None) -> list[Parsed]:
    if kind(path) != "directory":
        return [read_file(path, fmt)]
    files, ignored = _files_in(path, fmt)
    if not files:
        raise InputError(str(path), "no files of a known kind in this directory")
    results: list[Parsed] = [read_file(p, fmt) for p in files]
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


def absorb(
    store: Store,
    results: Sequence[Parsed],
    batch_time: datetime,
    progress: Step,
    undoable: bool = True,
) -> ImportReport:
    """Put every record in the store as it is read (inside one transaction the caller
    holds); as one undoable action unless ``undoable`` is False (a feed's fetch: its
    papers stay, and so do the tags that say where they came from). ``progress`` is
    told how many records are in, and of how many when that is known before reading."""
    lengths = [len(result.records) for result in results if isinstance(result, ParseResult)]
    total = sum(lengths) if len(lengths) == len(results) else None
    report = ImportReport()
    action = store.next_action()
    ids: dict[str, str] = {}  # a record's id in its file: the paper's id in the library
    number = 0
    for result in results:
        for original in result.records:
            number += 1
            _absorb_one(store, original, batch_time, action, report, ids)
            progress(number, total)
        report.problems += result.problems  # whole once its records are read
    report.skipped = len(report.problems)
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


def _absorb_one(
    store: Store,
    original: Record,
    batch_time: datetime,
    action: int,
    report: ImportReport,
    ids: dict[str, str],
) -> None:
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
