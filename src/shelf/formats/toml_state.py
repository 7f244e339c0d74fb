"""The TOML state backup: every paper's reading state, with the metadata to re-identify it.

The human-readable, git-friendly side of a library. Importing the file restores
each paper's status, star, tags, notes and timestamps exactly (creating papers
that are missing), and the reading lists of the ``[[list]]`` tables at its end
(their papers by id, in order), so export -> import -> export gives the same bytes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import tomli_w

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
from shelf.domain.query import normalize_tag
from shelf.domain.reading_list import ListRecord, list_key, list_name
from shelf.domain.selection import Selection
from shelf.domain.text import one_line

NAME = "toml"
EXTENSIONS = (".toml",)
EXTENSION = ".toml"
FORMAT = "shelf-state"
VERSION = 1

_HEADER = (
    "# shelf reading state: each paper's status, star, tags and notes, with the\n"
    "# metadata to find it again. `shelf import` this file to restore that state.\n\n"
)
_STAMPS = ("added_at", "status_changed_at", "read_at")
# tomli_w escapes C0 controls and DEL but writes C1 controls (U+009B is a CSI to a
# terminal), line separators and bidi overrides raw; TOML allows them escaped too.
_LIVE = re.compile("[\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def sniff(text: str) -> bool:
    return re.search(rf'^format\s*=\s*"{FORMAT}"', text[:2000], re.MULTILINE) is not None


def write(entries: Iterable[Entry] | Selection, about: str = "") -> str:
    """The backup of ``entries`` (see ``chunks``)."""
    return "".join(chunks(Selection.of(entries), about))


def chunks(selection: Selection, about: str = "") -> Iterator[str]:
    """The backup of ``selection``, one ``[[paper]]`` table each, ordered by id, piece by
    piece; ``about`` (which papers they are) in the comment at the top."""
    held = f"# These are: {one_line(about)}.\n\n" if about.strip() else ""
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "papers": len(selection)}
    if not selection:
        yield _HEADER + held + _dumps(document | {"paper": []})
    else:
        yield _HEADER + held + _dumps(document)
    for entry in selection.by_id():  # one table at a time: as tomli_w writes the whole
        yield "\n" + _inert(_dumps({"paper": [_table(entry)]}))
    for reading_list in selection.lists:  # the reading lists, their papers by id in order
        table: dict[str, Any] = {"name": reading_list.name}
        if reading_list.description:
            table["description"] = reading_list.description
        # Its header written here: tomli_w writes a short array of tables inline, as a
        # key that would belong to the last [[paper]].
        yield "\n[[list]]\n" + _inert(_dumps(table | {"papers": list(reading_list.ids)}))


def _inert(text: str) -> str:
    # tomli_w writes only basic strings, where a \u escape reads back the same.
    return _LIVE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def _dumps(document: dict[str, Any]) -> str:
    """TOML for ``document``, every carriage return kept.

    tomli_w writes text holding a line break as a multi-line string, which turns
    CRLF into LF (as TOML readers do too). So each CR is first stood in for by a
    character no string holds, and that stand-in is written as the ``\\r`` escape.
    """
    strings = "".join(_strings_in(document))
    if "\r" not in strings:
        return tomli_w.dumps(document, multiline_strings=True)
    stand_in = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in strings)
    text = tomli_w.dumps(_swap_cr(document, stand_in), multiline_strings=True)
    return text.replace(stand_in, "\\r")


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return []


def _swap_cr(value: Any, stand_in: str) -> Any:
    if isinstance(value, str):
        return value.replace("\r", stand_in)
    if isinstance(value, dict):
        return {key: _swap_cr(item, stand_in) for key, item in value.items()}
    if isinstance(value, list):
        return [_swap_cr(item, stand_in) for item in value]
    return value


def _table(entry: Entry) -> dict[str, Any]:
    paper, state = entry.paper, entry.state
    table: dict[str, Any] = {"id": entry.id, "title": paper.title}
    optional: dict[str, Any] = {
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "url": paper.url,
        "abstract": paper.abstract,
        "pdf": paper.pdf,
        "attached": entry.attached,
    }
    table |= {key: value for key, value in optional.items() if value not in (None, "", [])}
    table["status"] = state.status.value
    table["starred"] = state.starred
    table["tags"] = list(state.tags)
    if state.notes:
        table["notes"] = state.notes
    for name in _STAMPS:
        stamp = getattr(state, name)
        if stamp is not None:
            table[name] = stamp
    return table


def read(text: str, source: str) -> ParseResult:
    """Papers with the state to restore; a malformed paper table is a problem, not a stop."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = re.search(r"at line (\d+)", str(err))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        line = int(where.group(1)) if where else None
        raise InputError(source, f"not valid TOML: {message}", line) from None
    if document.get("format") != FORMAT:
        raise InputError(source, f'not a shelf state file (no format = "{FORMAT}")')
    if document.get("version") != VERSION:
        raise InputError(
            source,
            f"state file version {document.get('version')!r} (this shelf reads {VERSION})",
        )
    tables = document.get("paper", [])
    if not isinstance(tables, list):
        raise InputError(source, "`paper` must be an array of tables ([[paper]])")
    declared = document.get("papers")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[paper]]"]
    records: list[Record] = []
    problems: list[Problem] = []
    for number, table in enumerate(tables):
        line = lines[number] if number < len(lines) else None
        try:
            records.append(_record(table))
        except (ShelfError, TypeError, ValueError, KeyError) as err:
            problems.append(Problem(source, line, f"paper skipped: {_reason(err)}"))
    lists = _lists(document.get("list", []), text, source, problems)
    if isinstance(declared, int) and declared != len(tables):
        problems.insert(
            0,
            Problem(
                source,
                None,
                f"the backup says it holds {declared} papers but has {len(tables)}: "
                "it may have been cut short",
            ),
        )
    return ParseResult(tuple(records), tuple(problems), lists)


def _lists(tables: Any, text: str, source: str, problems: list[Problem]) -> tuple[ListRecord, ...]:
    """The ``[[list]]`` tables: reading lists, their papers by the ids of this file."""
    if not isinstance(tables, list):
        problems.append(Problem(source, None, "`list` must be an array of tables ([[list]])"))
        return ()
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[list]]"]
    found: list[ListRecord] = []
    for number, table in enumerate(tables):
        try:
            if not isinstance(table, dict):
                raise ValueError("not a table")
            name = list_name(_get(table, "name", str, required=True))
            description = _get(table, "description", str) or ""
            if list_key(name) in (list_key(held.name) for held in found):
                raise ValueError(f"a list named {name!r} (case aside) is above")
            found.append(ListRecord(name, description, tuple(_strings(table, "papers"))))
        except (ShelfError, ValueError) as err:
            line = lines[number] if number < len(lines) else None
            problems.append(Problem(source, line, f"reading list skipped: {_reason(err)}"))
    return tuple(found)


def _record(table: Any) -> Record:
    if not isinstance(table, dict):
        raise ValueError("not a table")
    title = _get(table, "title", str, required=True)
    if not title.strip():
        raise ValueError("`title` is empty")
    paper = Paper(
        title=title,
        authors=tuple(_strings(table, "authors")),
        year=_get(table, "year", int),
        venue=_get(table, "venue", str) or "",
        abstract=_get(table, "abstract", str) or "",
        url=_get(table, "url", str) or "",
        arxiv_id=_get(table, "arxiv_id", str),
        doi=_get(table, "doi", str),
        pdf=_get(table, "pdf", str) or "",
    )
    state = ReadingState(
        status=Status.parse(_get(table, "status", str) or "inbox"),
        starred=bool(_get(table, "starred", bool)),
        tags=tuple(sorted({normalize_tag(tag) for tag in _strings(table, "tags")})),
        notes=_get(table, "notes", str) or "",
        **{name: _get(table, name, datetime) for name in _STAMPS},
    )
    attached = _get(table, "attached", str) or ""
    return Record(paper, state, _get(table, "id", str), attached=attached)


def _get(table: dict[str, Any], key: str, kind: type, required: bool = False) -> Any:
    value = table.get(key)
    if value is None:
        if required:
            raise ValueError(f"`{key}` is missing")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"`{key}` should be {kind.__name__}, not {type(value).__name__}")
    return value


def _strings(table: dict[str, Any], key: str) -> list[str]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"`{key}` should be a list of strings")
    return values


def _reason(err: Exception) -> str:
    return str(err.args[0]) if err.args else type(err).__name__
