"""The text of an import file, whatever its encoding: decoded whole, or piece by piece.

UTF-8 with or without a BOM, UTF-16 with a BOM, the encoding a JabRef-style
``% Encoding: NAME`` header names, else cp1252 (which decodes any byte), so no
real file fails on its bytes; a binary file is refused. A large file is looked
at once to choose (``choose``: every byte is checked, nothing is kept) and then
decoded piece by piece (``decoded``), so its text is never all in memory.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from shelf.domain import InputError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECLARED = re.compile(rb"^%\s*Encoding:\s*([\w.-]+)", re.MULTILINE)
_BLANK = " \t\r\n\ufeff"
#: What ``str.splitlines`` breaks lines at.
_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: How much of a file (in characters) its format is told from: sniffers see this much.
HEAD = 256 * 1024


@dataclass(frozen=True, slots=True)
class Encoding:
    """How a file's bytes are decoded, and whether it holds any text at all."""

    name: str
    errors: str = "strict"
    blank: bool = False
    """Nothing but white space (or nothing), once decoded."""


def decode(data: bytes, source: str) -> str:
    """The text of ``data``, decoded as ``choose`` decides."""
    encoding = choose([data], source)
    return data.decode(encoding.name, encoding.errors)


def choose(chunks: Iterable[bytes], source: str) -> Encoding:
    """The encoding of the file whose bytes are ``chunks``: the first of the candidates
    (see the module) that decodes every byte, read chunk by chunk and let go."""
    pieces = iter(chunks)
    head = b"".join(itertools.takewhile(bool, _until(pieces, 8192)))
    if not head.startswith(_UTF16_BOMS) and b"\x00" in head[:8192]:
        raise InputError(source, "this is a binary file, not text")
    candidates = ["utf-16"] if head.startswith(_UTF16_BOMS) else ["utf-8-sig"]
    declared = _DECLARED.search(head[:2048])
    if declared and candidates == ["utf-8-sig"]:
        with contextlib.suppress(LookupError):  # a name no codec has: not a candidate
            candidates.append(codecs.lookup(declared.group(1).decode("ascii")).name)
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    failed: dict[str, UnicodeDecodeError] = {}
    if 0 < len(head) < len(codecs.BOM_UTF8) and codecs.BOM_UTF8.startswith(head):
        # A file of one or two bytes of a BOM: the utf-8-sig decoder waits for the rest
        # of it even when told the input is over, and so takes it for no text at all.
        failed["utf-8-sig"] = UnicodeDecodeError("utf-8", head, 0, len(head), "a cut BOM")
    blank = True  # so far, in the first candidate's reading
    for piece, final in _with_last(itertools.chain([head], pieces)):
        for name, decoder in decoders.items():
            if name in failed:
                continue
            try:
                text = decoder.decode(piece, final)
            except UnicodeDecodeError as err:
                failed[name] = err
                continue
            if name == candidates[0] and blank:
                blank = not text.strip(_BLANK)
        if len(failed) == len(decoders):
            break  # cp1252 reads any byte: the rest need not be looked at
    if candidates[0] in failed:
        blank = False  # bytes that are no text in the first candidate are not white space
    for name in candidates:
        if name not in failed:
            return Encoding(name, blank=blank)
    if candidates == ["utf-16"]:
        raise InputError(source, f"broken UTF-16 text: {failed['utf-16'].reason}")
    return Encoding("cp1252", "replace")


def decoded(chunks: Iterable[bytes], encoding: Encoding) -> Iterator[str]:
    """The text of ``chunks``, piece by piece (a character split between two is whole)."""
    decoder = codecs.getincrementaldecoder(encoding.name)(encoding.errors)
    for piece, final in _with_last(chunks):
        text = decoder.decode(piece, final)
        if text:
            yield text


def lines(pieces: Iterable[str]) -> Iterator[str]:
    """The lines of text that comes in pieces, as ``str.splitlines`` splits the whole (a
    line break split between two pieces, "\\r" then "\\n", is one). A line longer than
    many pieces is joined once, when it ends, not again at every piece."""
    carry: list[str] = []
    for piece in pieces:
        if not _BREAKS.search(piece):
            carry.append(piece)
            continue
        found = ("".join(carry) + piece).splitlines(keepends=True)
        # The last line may go on in the next piece: it has no break yet, or only a "\r"
        # that a "\n" may follow.
        last = found[-1]
        carry = [] if last.splitlines()[0] != last and not last.endswith("\r") else [found.pop()]
        for line in found:
            yield line.splitlines()[0]
    yield from "".join(carry).splitlines()  # a "\r" kept for a "\n" may end a line here


def _until(pieces: Iterator[bytes], length: int) -> Iterator[bytes]:
    """Pieces from ``pieces`` until they hold ``length`` bytes (or there are no more)."""
    held = 0
    while held < length and (piece := next(pieces, b"")):
        held += len(piece)
        yield piece


def _with_last(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each chunk, and whether it is the last (an empty input is one empty last chunk)."""
    pieces = iter(chunks)
    current = next(pieces, b"")
    for following in pieces:
        yield current, False
        current = following
    yield current, True
