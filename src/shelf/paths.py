"""Where things live (the library directory, the config file, the bundled demo data),
and what the file system says about them (free space when a write ran out of it).
"""

from __future__ import annotations

import errno
import os
import shutil
from importlib import resources
from pathlib import Path

import platformdirs

from shelf.domain import DiskFullError, ShelfError

APP_NAME = "shelf"
DB_NAME = "library.db"
INDEX_DIR = "index"
BACKUP_DIR = "backups"
DEMO_FILE = "hf-papers-transfer-learning.txt"


def expand(path: Path) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded; a ``~user`` nobody is, in one line."""
    try:
        return path.expanduser()
    except RuntimeError:
        raise ShelfError(f"{path}: starts with ~ but names no user of this machine") from None


def library_dir(explicit: Path | None = None, configured: Path | None = None) -> Path:
    """The library directory: ``--library``, else ``$SHELF_HOME``, else config, else OS default."""
    if explicit is not None:
        return expand(explicit)
    env = os.environ.get("SHELF_HOME")
    if env:
        return expand(Path(env))
    if configured is not None:
        return expand(configured)
    return Path(platformdirs.user_data_dir(APP_NAME))


def config_file(explicit: Path | None = None) -> Path:
    """The config file: ``--config``, else ``$SHELF_CONFIG``, else the OS default location."""
    if explicit is not None:
        return expand(explicit)
    env = os.environ.get("SHELF_CONFIG")
    if env:
        return expand(Path(env))
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def demo_file() -> Path:
    """The bundled demo page copy (236 transfer-learning papers), a file in the package."""
    return Path(str(resources.files("shelf").joinpath("data", DEMO_FILE)))


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable only by the user; leave an existing one alone."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def is_out_of_space(error: OSError) -> bool:
    """True when ``error`` says the disk (or the user's quota) is full."""
    return error.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full(path: Path, outcome: str = "nothing was changed") -> DiskFullError:
    """The error for a write at ``path`` (a file or a directory) that ran out of space."""
    directory = path if path.is_dir() else path.parent
    try:
        free: int | None = shutil.disk_usage(directory).free
    except OSError:
        free = None
    return DiskFullError(str(directory), free, outcome)
