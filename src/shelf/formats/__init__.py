"""File formats: one pure module per format, and a registry that picks one.

A reader turns text into papers (``ParseResult``); a writer turns entries into
text. The CLI and the TUI share these writers, so an export looks the same
from both.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from shelf.domain import Entry, InputError, ParseResult
from shelf.formats import (
    arxiv,
    bibtex,
    csv_table,
    hf_json,
    hf_text,
    json_list,
    markdown,
    ris,
    toml_state,
)


@dataclass(frozen=True, slots=True)
class Reader:
    """A format that can be imported."""

    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[str], bool]
    read: Callable[[str, str], ParseResult]
    by_extension: bool = True
    """Whether a file with this format's extension is read as it even when ``sniff``
    says no: true where the reader then names what is wrong (BibTeX, JSON), false
    for plain text, where reading any text as papers would import junk."""


@dataclass(frozen=True, slots=True)
class Writer:
    """A format that can be exported."""

    name: str
    extension: str
    write: Callable[[Sequence[Entry]], str]


#: In order of preference: where two readers claim an extension (.json), the first
#: whose ``sniff`` accepts the text wins, else the last one.
READERS: tuple[Reader, ...] = tuple(
    Reader(module.NAME, module.EXTENSIONS, module.sniff, module.read, module is not hf_text)
    for module in (hf_text, bibtex, ris, arxiv, hf_json, json_list, csv_table, toml_state)
)
WRITERS: tuple[Writer, ...] = tuple(
    Writer(module.NAME, module.EXTENSION, module.write)
    for module in (markdown, bibtex, toml_state, json_list, csv_table)
)
KNOWN_EXTENSIONS = frozenset(ext for reader in READERS for ext in reader.extensions)


def reader_names() -> list[str]:
    return [reader.name for reader in READERS]


def writer_names() -> list[str]:
    return [writer.name for writer in WRITERS]


def reader_for(source: str, text: str, forced: str | None = None) -> Reader:
    """The reader for a file: ``forced`` by name, else by extension, else by content."""
    if forced is not None:
        for reader in READERS:
            if reader.name == forced:
                return reader
        raise InputError(
            source, f"unknown import format {forced!r} (known: {', '.join(reader_names())})"
        )
    suffix = PurePath(source).suffix.lower()
    claiming = [reader for reader in READERS if suffix in reader.extensions]
    for reader in claiming:
        if reader.sniff(text):
            return reader
    if claiming and claiming[-1].by_extension:
        return claiming[-1]  # its reader says what is wrong with the file
    for reader in READERS:
        if reader.sniff(text):
            return reader
    raise InputError(
        source,
        f"not a known kind of file of papers (known: {', '.join(reader_names())}); "
        "use --format to read it as one of them",
    )


def writer_for(name: str) -> Writer:
    for writer in WRITERS:
        if writer.name == name or writer.extension == f".{name}":
            return writer
    raise InputError(name, f"unknown export format (known: {', '.join(writer_names())})")


def decode(data: bytes, source: str) -> str:
    """The text of an import file, whatever its encoding; a binary file is refused.

    UTF-8 with or without a BOM, UTF-16 with a BOM, the encoding a JabRef-style
    ``% Encoding: NAME`` header names, else cp1252 (which decodes any byte), so
    no real file fails on its bytes.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(source, f"broken UTF-16 text: {err.reason}") from None
    if b"\x00" in data[:8192]:
        raise InputError(source, "this is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"^%\s*Encoding:\s*([\w.-]+)", data[:2048], re.MULTILINE)
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace")
