"""JSON paper lists: any script's list of papers in, and shelf's full export out.

The keys read, their aliases and what is restored are in ``docs/formats.md``
(checked against this reader by a test). The rule that matters most: reading
state is restored only from records that have a ``status`` (shelf's own
export), so an ordinary paper list never resets the state of papers already in
the library; its ``tags`` are added to the paper's own.

The export writes every key for every paper, ``null`` where a value is
unknown, ordered by id, so the same library always gives the same bytes. Text
is UTF-8 as it is, except that control characters and bidirectional overrides
are written as ``\\u`` escapes, so the file is inert in a terminal or editor
and still reads back exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from shelf.domain import (
    Entry,
    Paper,
    ParseResult,
    Problem,
    ReadingState,
    Record,
    RecordStream,
    ShelfError,
    Status,
)
from shelf.domain.identity import normalize_doi, parse_arxiv_id
from shelf.domain.reading_list import ListRecord, list_key, list_name
from shelf.domain.selection import Selection
from shelf.formats.json_stream import first_records, json_records
from shelf.formats.records import (
    STAMPS,
    fields,
    kind_of,
    normalize_tags,
    parse_bool,
    parse_stamp,
    parse_year,
    split_authors,
    split_list,
)

NAME = "json"
EXTENSIONS = (".json",)
EXTENSION = ".json"

# json.dumps escapes C0 controls; these it leaves raw, and a terminal or editor acts on
# them (C1 CSI, bidi overrides that reorder what the eye sees, JavaScript line breaks).
_LIVE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


#: The keys each metadata field is read from, best first (``docs/formats.md`` lists them).
KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "authors": ("authors", "author"),
    "year": ("year",),
    "venue": ("venue", "journal", "booktitle"),
    "abstract": ("abstract", "summary"),
    "url": ("url", "link"),
    "arxiv_id": ("arxiv_id", "arxiv", "eprint"),
    "doi": ("doi",),
}


def sniff(text: str) -> bool:
    """A JSON list whose first records are objects with a ``title`` (``text``: the file, or
    its start)."""
    records = first_records(text)
    return bool(records) and all(isinstance(r, dict) and "title" in r for r in records or ())


# -- reading ---------------------------------------------------------------------------


def read(text: str, source: str) -> ParseResult:
    """Papers, and for records with a ``status`` the reading state to restore."""
    return stream([text], source).collected()


def stream(pieces: Iterable[str], source: str) -> RecordStream:
    """``read``, of text that comes in pieces, record by record as they are taken."""
    return RecordStream.of(lambda found: _records(pieces, source, found))


def _records(pieces: Iterable[str], source: str, found: RecordStream) -> Iterator[Record]:
    # The reading lists, case aside: name, description, and (position, id) of each paper.
    lists: dict[str, tuple[str, str, list[tuple[int, str]]]] = {}
    for line, item in json_records(pieces, source):
        try:
            if not isinstance(item, dict):
                raise ValueError(f"expected an object, found {kind_of(item)}")
            paper = _paper(item)
            state, paper_id = _state(item) if "status" in item else (None, None)
            tags = () if state else normalize_tags(_tag_list(item))
            places = _places(item) if paper_id else []
        except (ShelfError, ValueError) as err:
            found.problems.append(Problem(source, line, f"record skipped: {err}"))
            continue
        yield Record(paper, state, paper_id, tags)
        for name, description, position in places:
            gathered = lists.setdefault(list_key(name), (name, description, []))
            gathered[2].append((position, str(paper_id)))
    found.lists += [
        ListRecord(name, description, tuple(paper_id for _, paper_id in sorted(places)))
        for name, description, places in lists.values()
    ]


def _places(record: dict[str, Any]) -> list[tuple[str, str, int]]:
    """The reading lists a record of shelf's export is in: (name, description, position)."""
    value = record.get("lists")
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"`lists` should be a list of objects, not {kind_of(value)}")
    places = []
    for held in value:
        if not isinstance(held, dict):
            raise ValueError(f"`lists` should hold objects, not {kind_of(held)}")
        name, position = held.get("name"), held.get("position")
        description = held.get("description") or ""
        if not isinstance(name, str) or not isinstance(description, str):
            raise ValueError("a reading list in `lists` needs a `name` (and text to describe it)")
        if not isinstance(position, int) or isinstance(position, bool):
            raise ValueError(f"the reading list {name!r} in `lists` needs a number `position`")
        places.append((list_name(name), description, position))
    return places


def _paper(record: dict[str, Any]) -> Paper:
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("no title")
    arxiv = _text(record, *KEYS["arxiv_id"])
    doi = _text(record, *KEYS["doi"])
    return Paper(
        title=title,
        authors=tuple(_authors(_first(record, *KEYS["authors"]))),
        year=parse_year(record.get("year")),
        venue=_text(record, *KEYS["venue"]),
        abstract=_text(record, *KEYS["abstract"]),
        url=_text(record, *KEYS["url"]),
        arxiv_id=parse_arxiv_id(arxiv) if arxiv else None,
        doi=normalize_doi(doi) if doi else None,
    )


def _state(record: dict[str, Any]) -> tuple[ReadingState, str | None]:
    status = record.get("status")
    if not isinstance(status, str):
        raise ValueError(f"`status` should be text, not {kind_of(status)}")
    tags = _tag_list(record)
    notes = record.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise ValueError(f"`notes` should be text, not {kind_of(notes)}")
    paper_id = record.get("id")
    state = ReadingState(
        status=Status.parse(status),
        starred=parse_bool(record.get("starred")),
        tags=normalize_tags(tags),
        notes=notes or "",
        **{name: parse_stamp(record.get(name), name) for name in STAMPS},
    )
    return state, paper_id if isinstance(paper_id, str) and paper_id else None


def _tag_list(record: dict[str, Any]) -> list[str]:
    tags = record.get("tags")
    if isinstance(tags, str):
        tags = split_list(tags)
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError("`tags` should be a list of strings")
    return tags


def _first(record: dict[str, Any], *keys: str) -> Any:
    return next((record[key] for key in keys if record.get(key) not in (None, "", [])), None)


def _text(record: dict[str, Any], *keys: str) -> str:
    """The first of ``keys`` holding text (a number is taken as its text)."""
    value = _first(record, *keys)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value)


def _authors(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_authors(value)
    if isinstance(value, list):
        names = [item.get("name") if isinstance(item, dict) else item for item in value]
        return [name.strip() for name in names if isinstance(name, str) and name.strip()]
    return []


# -- writing ---------------------------------------------------------------------------


def write(entries: Iterable[Entry] | Selection, about: str = "") -> str:
    """A JSON array with one object per entry (see ``chunks``)."""
    return "".join(chunks(Selection.of(entries), about))


def chunks(selection: Selection, about: str = "") -> Iterator[str]:
    """A JSON array with one object per entry, every field, ordered by id, piece by piece
    (an array has no room to say which papers they are: ``about`` is not written)."""
    opening = "[\n"
    held = selection.memberships()
    for entry in selection.by_id():
        lists = [{"name": held_in.name, "position": position, "description": held_in.description}
                 for held_in, position in held.get(entry.id, [])]  # fmt: skip
        record = fields(entry) | {"lists": lists}
        item = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        # Such characters only occur inside strings, where the escape reads back the same.
        yield opening + "  " + _LIVE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", item)
        opening = ",\n"
    yield "[]\n" if opening == "[\n" else "\n]\n"
