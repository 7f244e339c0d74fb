"""File formats: one pure module per format, and a registry that picks one.

A reader turns text into papers (``ParseResult``); a writer turns entries into
text. The CLI and the TUI share these writers, so an export looks the same
from both.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from shelf.domain import Entry, InputError, ParseResult
from shelf.formats import hf_text, markdown


@dataclass(frozen=True, slots=True)
class Reader:
    """A format that can be imported."""

    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[str], bool]
    read: Callable[[str, str], ParseResult]


@dataclass(frozen=True, slots=True)
class Writer:
    """A format that can be exported."""

    name: str
    extension: str
    write: Callable[[Sequence[Entry]], str]


READERS: tuple[Reader, ...] = (
    Reader(hf_text.NAME, hf_text.EXTENSIONS, hf_text.sniff, hf_text.read),
)
WRITERS: tuple[Writer, ...] = (Writer(markdown.NAME, markdown.EXTENSION, markdown.write),)


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
    for reader in READERS:
        if suffix in reader.extensions:
            return reader
    for reader in READERS:
        if reader.sniff(text):
            return reader
    raise InputError(
        source,
        f"cannot tell what kind of file this is (known: {', '.join(reader_names())}); use --format",
    )


def writer_for(name: str) -> Writer:
    for writer in WRITERS:
        if writer.name == name or writer.extension == f".{name}":
            return writer
    raise InputError(name, f"unknown export format (known: {', '.join(writer_names())})")


def decode(data: bytes, source: str) -> str:
    """Text of a file: UTF-8 (with or without BOM), or UTF-16 with a BOM; binary is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(source, f"broken UTF-16 text: {err.reason}") from None
    if b"\x00" in data[:8192]:
        raise InputError(source, "this is a binary file, not a text file of papers")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
