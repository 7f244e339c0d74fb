"""Reading import files safely: only regular files, never more than a cap, piece by piece.

Only regular files are read, and at most a cap of each, by reading rather
than by trusting the size the file system reports (a device reports none):
``/dev/zero`` or a FIFO is refused at once, never read for ever. A file is
opened without blocking and checked once open, so a FIFO swapped in after a
look at the path is refused too.

An import file is read three times, a megabyte at a time: once to choose its
encoding (every byte is checked, none kept), once for its start (which tells
its format), and once as its records are imported. A file changed between
the first look and the last read is refused, rather than imported half old,
half new.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from shelf import formats
from shelf.domain import InputError, Record, RecordStream
from shelf.formats import encodings
from shelf.library import pdfs

#: Import files larger than this are refused.
MAX_IMPORT_BYTES = 200 * 1024 * 1024
#: Note files larger than this are refused: notes are a page or two of Markdown.
MAX_NOTE_BYTES = 5 * 1024 * 1024
#: An import file is read this many bytes at a time.
CHUNK_BYTES = 1024 * 1024


def read_file(path: Path, fmt: str | None = None) -> RecordStream:
    """The records of one import file, read as they are taken; what is not a readable
    text file of papers (or is empty) is refused here, before anything is read whole."""
    source = str(path)
    looked = _identity(path)
    encoding = encodings.choose(_chunks(path, looked), source)
    if encoding.blank:
        raise InputError(source, "the file is empty")
    start = "".join(_first(encodings.decoded(_chunks(path, looked), encoding), encodings.HEAD))
    reader = formats.reader_for(source, start, fmt)
    del start
    found = reader.stream(_decoded(path, looked, encoding), source)
    folder = path.absolute().parent
    found.records = (_anchored(record, folder) for record in found.records)
    return found


def _anchored(record: Record, folder: Path) -> Record:
    """``record`` with its PDF path made absolute (a BibTeX ``file`` field is relative to
    the file that names it)."""
    if not record.paper.pdf:
        return record
    return replace(record, paper=replace(record.paper, pdf=pdfs.anchored(record.paper.pdf, folder)))


def _first(pieces: Iterator[str], length: int) -> Iterator[str]:
    """The pieces that hold the first ``length`` characters (and the pieces are let go)."""
    held = 0
    for piece in pieces:
        yield piece
        held += len(piece)
        if held >= length:
            return


def _identity(path: Path) -> tuple[int, int, int, int]:
    return _identity_of(path.stat())


def _identity_of(found: os.stat_result) -> tuple[int, int, int, int]:
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns


def _decoded(
    path: Path, looked: tuple[int, int, int, int], encoding: encodings.Encoding
) -> Iterator[str]:
    """The text of the import file at ``path``, piece by piece: bytes that no longer decode
    as every byte did when the file was looked at were written since."""
    try:
        yield from encodings.decoded(_chunks(path, looked), encoding)
    except UnicodeDecodeError:
        raise InputError(str(path), _CHANGED) from None


_CHANGED = "changed while it was being imported"


def _chunks(path: Path, looked: tuple[int, int, int, int]) -> Iterator[bytes]:
    """The bytes of the import file at ``path``, ``CHUNK_BYTES`` at a time, if it is still
    the file ``looked`` at: when it is opened, and once it is read to its end (a file
    written to while it is read, appended to or rewritten, is refused)."""
    source = str(path)
    handle, found = _open_regular(path, MAX_IMPORT_BYTES)
    with handle:
        if _identity_of(found) != looked:
            raise InputError(source, _CHANGED)
        size, read = looked[2], 0
        try:
            while read < size:
                piece = handle.read(min(CHUNK_BYTES, size - read))
                if not piece:
                    raise InputError(source, _CHANGED)  # cut short since
                read += len(piece)
                yield piece
            if handle.read(1) or _identity_of(os.fstat(handle.fileno())) != looked:
                raise InputError(source, _CHANGED)
        except OSError as err:
            raise InputError(source, f"cannot read: {err.strerror or err}") from None


def _open_regular(path: Path, cap: int) -> tuple[BinaryIO, os.stat_result]:
    """The regular file at ``path``, open, and what it is; anything else, or a file over
    ``cap`` bytes by its size, is refused."""
    source = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise unreadable(source, err) from None
    found = os.fstat(descriptor)
    if not stat.S_ISREG(found.st_mode):
        os.close(descriptor)
        if stat.S_ISDIR(found.st_mode):
            raise InputError(source, "is a directory, not a file")
        raise InputError(source, f"is {describe(found.st_mode)}, not a file; only files are read")
    if found.st_size > cap:  # said at once when the file system knows; reading checks again
        os.close(descriptor)
        raise InputError(source, _too_large(cap, found.st_size))
    return os.fdopen(descriptor, "rb"), found


def kind(path: Path) -> str:
    """``file``, ``directory``, or an ``InputError`` for anything else (or nothing)."""
    source = str(path)
    try:
        mode = path.stat().st_mode
    except OSError as err:
        raise unreadable(source, err) from None
    if stat.S_ISDIR(mode):
        return "directory"
    if not stat.S_ISREG(mode):
        raise InputError(source, f"is {describe(mode)}, not a file; only files are read")
    return "file"


def unreadable(source: str, err: OSError) -> InputError:
    """The one-line error for a path that cannot be looked at or opened."""
    if isinstance(err, FileNotFoundError):
        return InputError(source, "no such file")
    if isinstance(err, PermissionError):
        return InputError(source, "permission denied")
    return InputError(source, f"cannot read: {err.strerror or err}")


def describe(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_capped(path: Path, cap: int) -> bytes:
    """The bytes of the regular file at ``path``, refusing one over ``cap`` bytes."""
    source = str(path)
    handle, _ = _open_regular(path, cap)
    with handle:
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
    return encodings.decode(data, source) if data else ""


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
