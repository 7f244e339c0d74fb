"""The SQLite store, the only module that talks to SQLite."""

from shelf.store.recovery import (
    Salvage,
    damaged_copies,
    finish_interrupted_repair,
    looks_damaged,
    salvage,
)
from shelf.store.sqlite_store import Store, now

__all__ = [
    "Salvage",
    "Store",
    "damaged_copies",
    "finish_interrupted_repair",
    "looks_damaged",
    "now",
    "salvage",
]
