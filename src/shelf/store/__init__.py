"""The SQLite store, the only module that talks to SQLite."""

from shelf.store.sqlite_store import Store, now

__all__ = ["Store", "now"]
