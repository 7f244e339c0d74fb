"""The library: the verbs both faces call, and the pipelines behind them.

``facade`` holds the ``Library`` and its lock; ``importing``, ``searching``,
``changing``, ``exporting``, ``maintenance`` and ``adding`` are the pipelines it
runs, and ``lazy_index`` / ``indexing`` keep the search index in step.
"""

from shelf.domain import DoctorReport, SearchResult, Stats, Undone
from shelf.library.demo import build_demo
from shelf.library.facade import Library
from shelf.library.progress import Progress

__all__ = ["DoctorReport", "Library", "Progress", "SearchResult", "Stats", "Undone", "build_demo"]
