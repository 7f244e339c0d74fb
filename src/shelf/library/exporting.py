"""Writing exports: atomically, only to a regular file or a new path, with the user's umask.

An export replaces its file in one rename, so a crash leaves the old file or
the new one, never half of either. It writes only where a file belongs: a
device, a FIFO or a directory at the path is refused (as root, ``-o
/dev/null`` would otherwise replace ``/dev/null`` itself), and so is a
symbolic link unless ``replace_link`` (the link is then replaced, never
written through). A new file gets the permissions the user's umask gives; a
replaced one keeps its own. Reading lists are meant to be shared: private
modes are for the library.

The temporary file (``.NAME.shelf-PID-RANDOM.tmp`` beside the target) is named
in a ledger in the library directory while it exists, so one a killed process
left behind is removed the next time the library is opened.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from shelf.domain import ExportError
from shelf.paths import disk_full, is_out_of_space

#: The library's folder of notes naming export temp files that are being written.
LEDGER_DIR = "exports-in-progress"
_TEMP = re.compile(r"\..+\.shelf-(\d+)-[0-9a-f]+\.tmp")


def write_export(
    path: Path,
    pieces: Iterable[str],
    ledger: Path | None,
    *,
    replace_link: bool = False,
    parents: bool = False,
) -> None:
    """Replace ``path`` with the text of ``pieces``, written as they come (see the module
    docstring for what is refused); a missing folder is made only with ``parents``."""
    existing = _target(path, replace_link)
    directory = path.parent if str(path.parent) else Path(".")
    if parents and not directory.exists():
        try:
            directory.mkdir(parents=True)
        except OSError as err:
            raise ExportError(
                f"{path}: cannot make the folder {directory}: {err.strerror}"
            ) from None
    if not directory.is_dir():
        raise ExportError(f"{path}: the folder {directory} does not exist")
    temporary = directory / f".{path.name}.shelf-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    note = _remember(ledger, temporary)
    try:
        _write(temporary, pieces, existing)
        _target(path, replace_link)  # still a file (or nothing) right before the rename
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        if is_out_of_space(err):
            raise disk_full(directory) from None
        raise ExportError(f"{path}: cannot write: {err.strerror or err}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        if note is not None:
            note.unlink(missing_ok=True)


def _target(path: Path, replace_link: bool) -> os.stat_result | None:
    """What is at ``path`` now (None for nothing); refuses what an export must not replace."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise ExportError(f"{path}: cannot write: {err.strerror or err}") from None
    if stat.S_ISLNK(found.st_mode):
        if not replace_link:
            raise ExportError(
                f"{path}: is a symbolic link (to {os.readlink(path)}); "
                "give --force to replace the link with the exported file"
            )
        return None
    if stat.S_ISDIR(found.st_mode):
        raise ExportError(f"{path}: is a directory; give a file name to export to")
    if not stat.S_ISREG(found.st_mode):
        raise ExportError(
            f"{path}: is a device, FIFO or socket, not a file; exports are written only to files"
        )
    return found


def _write(temporary: Path, pieces: Iterable[str], existing: os.stat_result | None) -> None:
    # 0o666 less the umask for a new file, as any program's new file gets.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        if existing is not None:
            os.fchmod(handle.fileno(), stat.S_IMODE(existing.st_mode))
        for piece in pieces:  # as the writer makes them: the export is never whole in memory
            handle.write(piece)
        handle.flush()
        os.fsync(handle.fileno())


def _remember(ledger: Path | None, temporary: Path) -> Path | None:
    """A note in the library's ledger naming ``temporary``, so a crash cannot strand it."""
    if ledger is None:
        return None
    try:
        ledger.mkdir(mode=0o700, exist_ok=True)
        note = ledger / temporary.name
        note.write_text(str(temporary.absolute()), encoding="utf-8")
    except OSError:
        return None  # the export matters more than its bookkeeping
    return note


def remove_stranded(ledger: Path) -> list[Path]:
    """Delete the temp files that exports killed part-way left behind; returns them."""
    removed: list[Path] = []
    if not ledger.is_dir():
        return removed
    for note in ledger.iterdir():
        match = _TEMP.fullmatch(note.name)
        if match is None or _alive(int(match.group(1))):
            continue
        with suppress(OSError):
            temporary = Path(note.read_text(encoding="utf-8"))
            if temporary.name == note.name and temporary.exists():
                temporary.unlink()
                removed.append(temporary)
            note.unlink()
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: not ours to judge
    return True
