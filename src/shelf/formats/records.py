"""What the record-list formats share: value coercions, the export row, JSON's shapes.

The JSON and CSV paper lists read the same fields the same way (a year from
"2019-03", authors split on ``;``, tags normalized, ISO 8601 timestamps) and
write the same row; the Hugging Face reader takes a JSON list of the shapes the
JSON reader does (walked by ``json_stream``). Each rule lives here once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shelf.domain import Entry
from shelf.domain.query import normalize_tag

#: The reading-state timestamps, in export order.
STAMPS = ("added_at", "status_changed_at", "read_at")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


# -- JSON's shapes -------------------------------------------------------------------------


def records_in(document: Any) -> list[Any] | None:
    """The list of records a JSON document holds (a list, or ``{"papers": [...]}``)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("papers"), list):
        return list(document["papers"])
    return None


def kind_of(value: Any) -> str:
    """How a JSON value is named in a message ("an object", "text", ...)."""
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    return "null" if value is None else names.get(type(value), "a number")


# -- values --------------------------------------------------------------------------------


def split_authors(text: str, and_too: bool = True) -> list[str]:
    """Names in one string: split on ``;`` if there is one, else on the word ``and``."""
    if ";" in text:
        return split_list(text)
    parts = re.split(r"\s+and\s+", text) if and_too else [text]
    return [part.strip() for part in parts if part.strip()]


def split_list(text: str) -> list[str]:
    """Items joined by ``join_list``: ``;`` separates them, ``;;`` is a literal ``;``."""
    items: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith(";;", index):
            current.append(";")
            index += 2
        elif text[index] == ";":
            items.append("".join(current))
            current = []
            index += 1
        else:
            current.append(text[index])
            index += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def join_list(items: Sequence[str]) -> str:
    """``items`` in one cell, ``; ``-separated, a ``;`` inside an item doubled."""
    return "; ".join(item.replace(";", ";;") for item in items)


def normalize_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags as the library keeps them: normalized, unique, sorted; empty ones dropped."""
    return tuple(sorted({normalize_tag(tag) for tag in tags if tag.strip()}))


def parse_year(value: Any) -> int | None:
    """A year from a number, a string of digits, or the first four-digit year in text.

    Anything that is not a year from 0 to 9999 is taken as no year at all.
    """
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str):
        text = value.strip()
        found = re.fullmatch(r"\d{1,4}", text) or _YEAR.search(text)
        year = int(found.group(0)) if found else None
    return year if year is not None and 0 <= year <= 9999 else None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in (
        "",
        "true",
        "yes",
        "1",
        "false",
        "no",
        "0",
    ):
        return value.strip().lower() in ("true", "yes", "1")
    if isinstance(value, int):
        return value != 0
    raise ValueError(f"`starred` should be true or false, not {value!r}")


def parse_stamp(value: Any, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"`{name}` should be an ISO 8601 timestamp, not {kind_of(value)}")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"`{name}` is not an ISO 8601 timestamp: {value!r}") from None


# -- writing -------------------------------------------------------------------------------


def fields(entry: Entry) -> dict[str, Any]:
    """Every exported field of an entry, in export order (shared with the CSV writer)."""
    paper, state = entry.paper, entry.state
    row: dict[str, Any] = {
        "id": entry.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "abstract": paper.abstract,
        "url": paper.url,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "status": state.status.value,
        "starred": state.starred,
        "tags": list(state.tags),
        "notes": state.notes,
    }
    for name in STAMPS:
        stamp: datetime | None = getattr(state, name)
        row[name] = stamp.isoformat(timespec="microseconds") if stamp else None
    return row
