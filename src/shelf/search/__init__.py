"""Full-text search over the library (the only package that imports whoosh)."""

from shelf.search.whoosh_index import IndexBusyError, SearchHits, WhooshIndex, highlight_spans

__all__ = ["IndexBusyError", "SearchHits", "WhooshIndex", "highlight_spans"]
