"""Where things live: the library directory, the config file and the bundled demo data."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "shelf"
DB_NAME = "library.db"
INDEX_DIR = "index"
BACKUP_DIR = "backups"
DEMO_FILE = "hf-papers-transfer-learning.txt"


def library_dir(explicit: Path | None = None, configured: Path | None = None) -> Path:
    """The library directory: ``--library``, else ``$SHELF_HOME``, else config, else OS default."""
    if explicit is not None:
        return explicit.expanduser()
    env = os.environ.get("SHELF_HOME")
    if env:
        return Path(env).expanduser()
    if configured is not None:
        return configured.expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def config_file(explicit: Path | None = None) -> Path:
    """The config file: ``--config``, else ``$SHELF_CONFIG``, else the OS default location."""
    if explicit is not None:
        return explicit.expanduser()
    env = os.environ.get("SHELF_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def demo_data() -> str:
    """The text of the bundled demo page copy (236 transfer-learning papers)."""
    return resources.files("shelf").joinpath("data", DEMO_FILE).read_text(encoding="utf-8")


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable only by the user; leave an existing one alone."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
