"""JSON paper lists: any script's list of papers in, and shelf's full export out.

The file is a JSON array of objects, or an object whose ``papers`` key holds
that array. Keys of each object (others are ignored):

==================  =====================================================
``title``           text, required: a record without one is reported
``authors``         a list of names, or one string split on ``;`` (else on
                    `` and ``); ``author`` is read too
``year``            a number, or text holding a four-digit year ("2019-03")
``venue``           text; ``journal`` and ``booktitle`` are read too
``abstract``        text; ``summary`` is read too
``url``             text; ``link`` is read too
``arxiv_id``        an id or arXiv URL; ``arxiv`` and ``eprint`` are read too
``doi``             a DOI, ``doi:`` string or doi.org URL
``id``              shelf's short id of the paper
``status``          a reading status (``inbox``, ``to-read``, ``reading``,
                    ``read``, ``skipped``)
``starred``         true or false
``tags``            a list of tags, or one string split on ``;``
``notes``           text
``added_at``        ISO 8601 timestamp; so are ``status_changed_at`` and
                    ``read_at``
==================  =====================================================

Reading state is restored only from records that have a ``status``: such a
record is shelf's own export (or written to be one), and its id, status, star,
tags, notes and timestamps are restored exactly, as from the TOML backup. A
record without ``status`` brings metadata, and its ``tags`` are added to the
paper's own (never removing any), because restoring a whole reading state from
an ordinary paper list would reset papers already in the library; its
``notes`` are ignored.

The export writes every key above for every paper, ``null`` where a value is
unknown, ordered by id, so the same library always gives the same bytes. Text
is UTF-8 as it is, except that control characters and bidirectional overrides
are written as ``\\u`` escapes, so the file is inert in a terminal or editor
and still reads back exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shelf.domain import (
    Entry,
    InputError,
    Paper,
    ParseResult,
    Problem,
    ReadingState,
    Record,
    ShelfError,
    Status,
)
from shelf.domain.identity import normalize_doi, parse_arxiv_id
from shelf.domain.query import normalize_tag

NAME = "json"
EXTENSIONS = (".json",)
EXTENSION = ".json"

STAMPS = ("added_at", "status_changed_at", "read_at")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_WHITE = " \t\n\r"
# json.dumps escapes C0 controls; these it leaves raw, and a terminal or editor acts on
# them (C1 CSI, bidi overrides that reorder what the eye sees, JavaScript line breaks).
_LIVE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def sniff(text: str) -> bool:
    """A JSON list whose first records are objects with a ``title``."""
    try:
        records = _records(json.loads(text.removeprefix("\ufeff")))
    except (ValueError, RecursionError):
        return False
    if records is None or not records:
        return False
    first = records[:5]
    return all(isinstance(record, dict) and "title" in record for record in first)


# -- reading ---------------------------------------------------------------------------


def read(text: str, source: str) -> ParseResult:
    """Papers, and for records with a ``status`` the reading state to restore."""
    records: list[Record] = []
    problems: list[Problem] = []
    for line, item in load_records(text, source):
        try:
            if not isinstance(item, dict):
                raise ValueError(f"expected an object, found {_kind(item)}")
            paper = _paper(item)
            state, paper_id = _state(item) if "status" in item else (None, None)
            tags = () if state else normalize_tags(_tag_list(item))
        except (ShelfError, ValueError) as err:
            problems.append(Problem(source, line, f"record skipped: {err}"))
            continue
        records.append(Record(paper, state, paper_id, tags))
    return ParseResult(tuple(records), tuple(problems))


def load_records(text: str, source: str) -> list[tuple[int | None, Any]]:
    """The records of a JSON paper list, each with the line it starts on.

    Shared with the Hugging Face reader. Text that is not JSON, or JSON of
    another shape, is an ``InputError``.
    """
    text = text.removeprefix("\ufeff")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(source, f"not valid JSON: {err.msg}", err.lineno) from None
    except ValueError as err:  # a number too long to convert, for one
        raise InputError(source, f"not readable JSON: {err}") from None
    except RecursionError:
        raise InputError(source, "JSON nested too deeply to read") from None
    records = _records(document)
    if records is None:
        raise InputError(
            source, f'expected a list of papers or {{"papers": [...]}}, found {_kind(document)}'
        )
    lines: list[int | None] = list(_record_lines(text))
    if len(lines) != len(records):
        lines = [None] * len(records)
    return list(zip(lines, records, strict=True))


def _records(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("papers"), list):
        return list(document["papers"])
    return None


def _record_lines(text: str) -> list[int]:
    """Where each record of the list starts (line numbers), or [] if that cannot be told.

    The json module gives no positions, so the list is walked with ``raw_decode``.
    """
    decoder = json.JSONDecoder()

    def skip(i: int) -> int:
        while i < len(text) and text[i] in _WHITE:
            i += 1
        return i

    def array(i: int) -> list[int]:  # text[i] == "["
        starts: list[int] = []
        i = skip(i + 1)
        while text[i] != "]":
            starts.append(i)
            i = skip(decoder.raw_decode(text, i)[1])
            if text[i] == ",":
                i = skip(i + 1)
        return starts

    try:
        i = skip(0)
        starts: list[int] = []
        if text[i] == "[":
            starts = array(i)
        elif text[i] == "{":
            i = skip(i + 1)
            while text[i] != "}":
                key, i = decoder.raw_decode(text, i)
                i = skip(skip(i) + 1)  # past the colon
                if key == "papers" and text[i] == "[":
                    starts = array(i)  # the last "papers" wins, as in json.loads
                i = skip(decoder.raw_decode(text, i)[1])
                if text[i] == ",":
                    i = skip(i + 1)
    except (ValueError, IndexError):
        return []
    lines: list[int] = []
    line, previous = 1, 0
    for start in starts:
        line += text.count("\n", previous, start)
        lines.append(line)
        previous = start
    return lines


def _paper(record: dict[str, Any]) -> Paper:
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("no title")
    arxiv = _text(record, "arxiv_id", "arxiv", "eprint")
    doi = _text(record, "doi")
    return Paper(
        title=title,
        authors=tuple(_authors(_first(record, "authors", "author"))),
        year=parse_year(record.get("year")),
        venue=_text(record, "venue", "journal", "booktitle"),
        abstract=_text(record, "abstract", "summary"),
        url=_text(record, "url", "link"),
        arxiv_id=parse_arxiv_id(arxiv) if arxiv else None,
        doi=normalize_doi(doi) if doi else None,
    )


def _state(record: dict[str, Any]) -> tuple[ReadingState, str | None]:
    status = record.get("status")
    if not isinstance(status, str):
        raise ValueError(f"`status` should be text, not {_kind(status)}")
    tags = _tag_list(record)
    notes = record.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise ValueError(f"`notes` should be text, not {_kind(notes)}")
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


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    return "null" if value is None else names.get(type(value), "a number")


# -- value rules shared with the CSV reader ---------------------------------------------


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
        raise ValueError(f"`{name}` should be an ISO 8601 timestamp, not {_kind(value)}")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"`{name}` is not an ISO 8601 timestamp: {value!r}") from None


# -- writing ---------------------------------------------------------------------------


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


def write(entries: Sequence[Entry]) -> str:
    """A JSON array with one object per entry, every field, ordered by id."""
    rows = [fields(entry) for entry in sorted(entries, key=lambda e: e.id)]
    text = json.dumps(rows, ensure_ascii=False, indent=2)
    # Such characters only occur inside strings, where the escape reads back the same.
    return _LIVE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text) + "\n"
