"""Files in and out of a library: reading import files, writing exports, rescuing the database.

Everything here touches the file system on the library's behalf: an import
file is read and parsed whole before anything is written, an export replaces
its file atomically, and a damaged database is kept aside, never overwritten.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shelf import formats
from shelf.domain import ExportError, InputError, ParseResult, Problem
from shelf.paths import DB_NAME
from shelf.store import looks_damaged, salvage

#: Import files larger than this are refused before they are read.
MAX_IMPORT_BYTES = 200 * 1024 * 1024


def repair_damaged_store(directory: Path) -> list[str]:
    """If the library database is damaged, keep it aside and rebuild it from what reads.

    Returns what was done (nothing when the database is sound). The index is
    rebuilt from the recovered store the next time the library is opened.
    """
    path = directory / DB_NAME
    if not looks_damaged(path):
        return []
    report = salvage(path)
    kept = ", ".join(f"{count} {table} rows" for table, count in report.rows.items())
    lines = [f"moved the damaged database aside to {report.damaged_copy}"]
    lines.append(f"recovered {kept or 'nothing'} into a fresh {DB_NAME}")
    lines += [f"could not read: {what}" for what in report.unreadable]
    return lines


def read_path(path: Path, fmt: str | None = None) -> list[ParseResult]:
    """Parse a file, or every file of a known kind in a directory (recursively).

    Nothing is imported here: every file is read and parsed first, so a file
    that cannot be read stops the import before the library is touched.
    """
    if not path.is_dir():
        return [read_file(path, fmt)]
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    known = [p for p in files if fmt is not None or p.suffix.lower() in formats.KNOWN_EXTENSIONS]
    if not known:
        raise InputError(str(path), "no files of a known kind in this directory")
    results = [read_file(p, fmt) for p in known]
    ignored = tuple(
        Problem(str(p), None, "not a known kind of file (ignored)") for p in files if p not in known
    )
    if ignored:
        results.append(ParseResult(papers=(), problems=ignored))
    return results


def read_file(path: Path, fmt: str | None = None) -> ParseResult:
    """Read and parse one import file, refusing what is not a readable text file of papers."""
    source = str(path)
    try:
        if path.is_dir():
            raise InputError(source, "is a directory; give the files in it")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            limit = MAX_IMPORT_BYTES // (1024 * 1024)
            raise InputError(
                source, f"too large to import ({size // (1024 * 1024)} MB; the limit is {limit} MB)"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as err:
        raise InputError(source, f"cannot read: {err.strerror}") from None
    if not data.strip():
        raise InputError(source, "the file is empty")
    text = formats.decode(data, source)
    return formats.reader_for(source, text, fmt).read(text, source)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new one."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=directory
        )
    except OSError as err:
        raise ExportError(f"{path}: cannot write: {err.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {err.strerror}") from None
