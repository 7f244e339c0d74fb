"""Full-text search over the library (the only package that imports whoosh)."""

from shelf.search.guards import IndexBusyError, IndexWorkerLostError
from shelf.search.highlight import highlight_spans
from shelf.search.suggest import Corrections
from shelf.search.whoosh_index import WhooshIndex

__all__ = [
    "Corrections",
    "IndexBusyError",
    "IndexWorkerLostError",
    "WhooshIndex",
    "highlight_spans",
]
