"""The demo library: a throwaway copy of the bundled page of papers."""

from __future__ import annotations

from pathlib import Path

from shelf.config import Settings
from shelf.library.facade import Library


def build_demo(directory: Path, settings: Settings | None = None) -> Library:
    """A library in ``directory`` holding the bundled demo papers."""
    from shelf.paths import demo_file

    library = Library.open(directory, settings)
    library.import_paths([demo_file()], fmt="hf-text")
    return library
