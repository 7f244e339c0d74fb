"""The library: the verbs both faces call, and the pipelines behind them.

``facade`` holds the ``Library`` and its lock; ``importing``, ``indexing``,
``exporting``, ``maintenance`` and ``adding`` are the pipelines it runs.
"""

from shelf.domain import DoctorReport, SearchResult, Stats, Undone
from shelf.library.facade import Library, Progress, build_demo

__all__ = ["DoctorReport", "Library", "Progress", "SearchResult", "Stats", "Undone", "build_demo"]
