"""SQLite failures in words a user can act on, and the wrapper that applies them.

Every public ``Store`` method goes through ``translate_errors``, so no
``sqlite3`` exception (a full disk, a damaged file, a lock held too long)
reaches the user as a traceback: it becomes a ``LibraryError`` that names the
file and says what to do.
"""

from __future__ import annotations

import functools
import inspect
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from shelf.domain import LibraryError
from shelf.paths import disk_full

T = TypeVar("T")

DAMAGED = "the library database is damaged"


def explain(path: Path, error: sqlite3.Error) -> LibraryError:
    """The ``LibraryError`` for ``error`` on the database at ``path``."""
    text = str(error).lower()
    name = getattr(error, "sqlite_errorname", "")
    if "full" in text or name == "SQLITE_FULL":
        return disk_full(path)
    if "disk i/o error" in text and _no_room(path):  # a journal that could not grow
        return disk_full(path)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return LibraryError(
            f"{path}: {DAMAGED} ({error}); `shelf doctor --repair` keeps it aside "
            "and rebuilds the library from every row that can still be read"
        )
    if "locked" in text or "busy" in text:
        return LibraryError(f"{path}: the library is busy in another shelf process; try again")
    if name == "SQLITE_READONLY_DBMOVED":
        return LibraryError(f"{path}: the library database was moved or replaced while in use")
    if "readonly" in text or "permission" in text or "unable to open" in text:
        return LibraryError(f"{path}: cannot write the library database ({error})")
    return LibraryError(f"{path}: library database error: {error}")


def _no_room(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < 256 * 1024
    except OSError:
        return False


def translate_errors(cls: type[T]) -> type[T]:
    """Wrap every public method of a store class so sqlite3 errors become LibraryErrors."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        setattr(cls, name, _wrap(member))
    return cls


def _wrap(method: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as error:
                raise explain(self.path, error) from None

        return generator

    @functools.wraps(method)
    def plain(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise explain(self.path, error) from None

    return plain
