"""File formats: one pure module per format, found through a lazy registry.

A reader module has ``sniff(text)`` (``text``: the file, or its first
``encodings.HEAD`` characters) and ``read(text, source) -> ParseResult``, and may
have ``stream(pieces, source) -> RecordStream`` for files read piece by piece;
a writer module has ``write(entries) -> str`` (the ``ReaderModule`` and
``WriterModule`` protocols). ``FORMATS`` describes each format by name, module
and extensions, and a format's module is imported only when that format is
used: ``shelf list`` loads no parser at all. The CLI and the TUI share the
writers, so an export looks the same from both.

To add a format: write its module, add one ``Spec`` row below.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol, runtime_checkable

from shelf.domain import InputError, ParseResult, Record, RecordStream
from shelf.domain.selection import Selection
from shelf.formats.encodings import decode as decode  # the formats' one way to decode


@runtime_checkable
class ReaderModule(Protocol):
    """What a format module that imports provides."""

    def sniff(self, text: str) -> bool: ...

    def read(self, text: str, source: str) -> ParseResult: ...


@runtime_checkable
class WriterModule(Protocol):
    """What a format module that exports provides."""

    def chunks(self, selection: Selection, about: str = "") -> Iterator[str]:
        """``selection`` as a file, piece by piece (the papers are read as they are
        written); ``about`` says which papers they are, where the format has room for a
        line of that ("status read, tag nlp"; empty for the library)."""


@dataclass(frozen=True, slots=True)
class Spec:
    """One format: its name, the module that implements it, and its file extensions."""

    name: str
    module: str
    """The module under ``shelf.formats``."""
    extensions: tuple[str, ...]
    """The first is the one exports are given."""
    reads: bool = True
    writes: bool = False
    by_extension: bool = True
    """Whether a file with this format's extension is read as it even when ``sniff``
    says no: true where the reader then names what is wrong (BibTeX, JSON), false
    for plain text, where reading any text as papers would import junk."""

    @property
    def extension(self) -> str:
        return self.extensions[0]


#: Every format, in the order content is sniffed: where two readers claim an extension
#: (.json), the first whose ``sniff`` accepts the text wins, else the last one.
FORMATS: tuple[Spec, ...] = (
    Spec("hf-text", "hf_text", (".txt",), by_extension=False),
    Spec("bibtex", "bibtex", (".bib", ".bibtex"), writes=True),
    Spec("ris", "ris", (".ris",)),
    Spec("arxiv", "arxiv", (".xml", ".atom")),
    Spec("hf-json", "hf_json", (".json",)),
    Spec("json", "json_list", (".json",), writes=True),
    Spec("csv", "csv_table", (".csv", ".tsv"), writes=True),
    Spec("toml", "toml_state", (".toml",), writes=True),
    Spec("markdown", "markdown", (".md",), reads=False, writes=True),
)
#: The export formats, in the order they are offered (the first is the default).
_WRITER_ORDER = ("markdown", "bibtex", "toml", "json", "csv")

READERS: tuple[Spec, ...] = tuple(spec for spec in FORMATS if spec.reads)
WRITERS: tuple[Spec, ...] = tuple(
    sorted(
        (spec for spec in FORMATS if spec.writes), key=lambda spec: _WRITER_ORDER.index(spec.name)
    )
)
KNOWN_EXTENSIONS = frozenset(ext for spec in READERS for ext in spec.extensions)


@dataclass(frozen=True, slots=True)
class Reader:
    """A format that can be imported, its module loaded."""

    spec: Spec
    module: ReaderModule

    @property
    def name(self) -> str:
        return self.spec.name

    def sniff(self, text: str) -> bool:
        return self.module.sniff(text)

    def read(self, text: str, source: str) -> ParseResult:
        return self.module.read(text, source)

    def stream(self, pieces: Iterable[str], source: str) -> RecordStream:
        """The records of text that comes in pieces, read as they are taken: piece by piece
        where the module can (its ``stream``), else whole once every piece is in."""
        streaming = getattr(self.module, "stream", None)
        if streaming is not None:
            found: RecordStream = streaming(pieces, source)
            return found
        return _read_whole(self.module, pieces, source)


def _read_whole(module: ReaderModule, pieces: Iterable[str], source: str) -> RecordStream:
    def records(found: RecordStream) -> Iterator[Record]:
        result = module.read("".join(pieces), source)
        found.problems += result.problems
        found.lists += result.lists
        yield from result.records

    return RecordStream.of(records)


@dataclass(frozen=True, slots=True)
class Writer:
    """A format that can be exported, its module loaded."""

    spec: Spec
    module: WriterModule

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def extension(self) -> str:
        return self.spec.extension

    def chunks(self, selection: Selection, about: str = "") -> Iterator[str]:
        return self.module.chunks(selection, about)


def _load(spec: Spec) -> object:
    return importlib.import_module(f"shelf.formats.{spec.module}")


def reader(spec: Spec) -> Reader:
    """The reader of ``spec``, its module imported now."""
    module = _load(spec)
    if not isinstance(module, ReaderModule):
        raise TypeError(f"shelf.formats.{spec.module} has no sniff() and read()")
    return Reader(spec, module)


def writer(spec: Spec) -> Writer:
    """The writer of ``spec``, its module imported now."""
    module = _load(spec)
    if not isinstance(module, WriterModule):
        raise TypeError(f"shelf.formats.{spec.module} has no chunks()")
    return Writer(spec, module)


def reader_names() -> list[str]:
    return [spec.name for spec in READERS]


def writer_names() -> list[str]:
    return [spec.name for spec in WRITERS]


def reader_for(source: str, text: str, forced: str | None = None) -> Reader:
    """The reader for a file: ``forced`` by name, else by extension, else by content.

    Only the modules of the formats looked at are imported.
    """
    if forced is not None:
        for spec in READERS:
            if spec.name == forced:
                return reader(spec)
        raise InputError(
            source, f"unknown import format {forced!r} (known: {', '.join(reader_names())})"
        )
    suffix = PurePath(source).suffix.lower()
    claiming = [reader(spec) for spec in READERS if suffix in spec.extensions]
    for found in claiming:
        if found.sniff(text):
            return found
    if claiming and claiming[-1].spec.by_extension:
        return claiming[-1]  # its reader says what is wrong with the file
    tried = {found.spec for found in claiming}
    for spec in READERS:
        if spec not in tried and (found := reader(spec)).sniff(text):
            return found
    raise InputError(
        source,
        f"not a known kind of file of papers (known: {', '.join(reader_names())}); "
        "use --format to read it as one of them",
    )


def writer_for(name: str) -> Writer:
    """The export format called ``name`` (or whose extension is ``.name``)."""
    for spec in WRITERS:
        if name in (spec.name, spec.extension.removeprefix(".")):
            return writer(spec)
    raise InputError(name, f"unknown export format (known: {', '.join(writer_names())})")
