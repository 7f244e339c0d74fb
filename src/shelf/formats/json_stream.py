"""The records of a JSON paper list, one at a time, from text that comes in pieces.

A list (``[{...}, {...}]``), or the ``papers`` list of an object (an API's
answer), is walked record by record with ``raw_decode``, so a file of 100,000
papers holds one record at a time, never the whole document; each record comes
with the line it starts on.

A record cut off at the end of a piece is read again once the next piece is
in; what is kept of the text is only what is not yet read (pieces are added
until the text held doubles, so a long record is read a few times, not once a piece).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Generator, Iterable, Iterator
from typing import Any

from shelf.domain import InputError
from shelf.formats.records import kind_of

_SPACE = " \t\n\r"
#: A failed decode this close to the end of the text held may be a record cut off there
#: (a number or a literal: "tr" of "true"), so more text is read before it counts.
_CUT_OFF = 16
_DECODER = json.JSONDecoder()


class _Text:
    """The part of the pieces not yet read, with the line number of where reading is."""

    def __init__(self, pieces: Iterable[str]) -> None:
        self._pieces = iter(pieces)
        self.text = ""
        self.at = 0
        self._line, self._counted = 1, 0  # the line at offset ``_counted``
        self.ended = False

    def more(self, least: int = 1) -> bool:
        """Read at least ``least`` more characters (or up to the end); False at the end."""
        if self.ended:
            return False
        self._line_at(self.at)
        kept, self.text = self.text[self.at :], ""
        self._counted -= self.at
        self.at = 0
        added: list[str] = [kept]
        length = 0
        while length < least:
            piece = next(self._pieces, None)
            if piece is None:
                self.ended = True
                break
            added.append(piece)
            length += len(piece)
        self.text = "".join(added)
        return length > 0

    def next_char(self) -> str:
        """The character reading is at, past white space ("" at the end)."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _SPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self.more():
                return ""

    def line(self) -> int:
        return self._line_at(self.at)

    def _line_at(self, offset: int) -> int:
        if offset > self._counted:
            self._line += self.text.count("\n", self._counted, offset)
            self._counted = offset
        return self._line

    def value(self, source: str, partial: bool) -> tuple[bool, Any]:
        """(True, the JSON value reading is at), read past; (False, None) if the text ends
        within it and ``partial``."""
        while True:
            try:
                found, end = _DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError as err:
                line = self._line_at(self.at) + self.text.count("\n", self.at, err.pos)
                cut = err.msg.startswith("Unterminated string") or (
                    len(self.text) - err.pos <= _CUT_OFF
                )
                if cut and self.more(len(self.text) - self.at):
                    continue
                if cut and partial:
                    return False, None
                # The line says where: json's "starting at" is followed by a position.
                message = err.msg.removesuffix(" starting at")
                raise InputError(source, f"not valid JSON: {message}", line) from None
            except ValueError:  # an integer too long to convert (the only other one)
                digits = sys.get_int_max_str_digits()
                message = f"not readable JSON: a number of more than {digits} digits"
                raise InputError(source, message, self.line()) from None
            except RecursionError:
                raise InputError(source, "JSON nested too deeply to read") from None
            # A number that ends near the end of the text held may go on in the next piece:
            # "12" of "123", or "12" of "12.5" and "1" of "1e5" (the "." or "e" is held,
            # the digits after it are not yet), so read on to be sure (and decode again:
            # reading on moves the text held, ``end`` with it).
            if len(self.text) - end <= _CUT_OFF and not self.ended:
                self.more(len(self.text) - self.at)
                continue
            self.at = end
            return True, found


def json_records(
    pieces: Iterable[str], source: str, partial: bool = False
) -> Iterator[tuple[int | None, Any]]:
    """The records of a JSON paper list (a list, or an object with a ``papers`` list),
    each with the line it starts on.

    Text that is not JSON, or JSON of another shape, is an ``InputError``. With
    ``partial`` (a look at the start of a file), text that ends early ends the
    records quietly.
    """
    text = _Text(pieces)
    first = text.next_char()
    if first == "\ufeff":
        text.at += 1
        first = text.next_char()
    if first == "[":
        whole = yield from _items(text, source, partial)
    elif first == "{":
        whole = yield from _papers_of_object(text, source, partial)
    else:
        whole, document = text.value(source, partial)
        if whole:
            raise InputError(source, f"{_SHAPE}, found {kind_of(document)}")
    if whole and text.next_char() and not partial:
        raise InputError(source, "not valid JSON: Extra data", text.line())


_SHAPE = 'expected a list of papers or {"papers": [...]}'


def first_records(head: str, count: int = 5) -> list[Any] | None:
    """The first ``count`` records of a JSON paper list that starts with ``head``, or None
    if it is no such list (for a sniffer: the rest of the file is not looked at)."""
    try:
        return [record for _, record in itertools.islice(json_records([head], "", True), count)]
    except InputError:
        return None


_Records = Generator[tuple[int | None, Any], None, bool]


def _items(text: _Text, source: str, partial: bool) -> _Records:
    """The values of the list reading is at (its "["), reading past its "]"; False if the
    text ends first (``partial``)."""
    text.at += 1
    if text.next_char() == "]":
        text.at += 1
        return True
    while True:
        text.next_char()
        line = text.line()
        whole, record = text.value(source, partial)
        if not whole:
            return False
        yield line, record
        following = text.next_char()
        if following in (",", "]"):
            text.at += 1
            if following == "]":
                return True
            continue
        if not following and partial:
            return False
        wanted = "Expecting ',' delimiter" if following else "Expecting ']'"
        raise InputError(source, f"not valid JSON: {wanted}", text.line())


def _papers_of_object(text: _Text, source: str, partial: bool) -> _Records:
    """The records of the ``papers`` list of the object reading is at, its other values
    read past; False if the text ends first (``partial``). A second ``papers`` is
    refused rather than read over the first."""
    text.at += 1
    found = comma = False
    while (following := text.next_char()) != "}" or comma:
        if not following and partial:
            return False
        if following == "}":  # after a comma: json.loads refuses that too
            raise InputError(source, "not valid JSON: Illegal trailing comma", text.line())
        whole, key = text.value(source, partial)
        if not whole:
            return False
        if not isinstance(key, str) or text.next_char() != ":":
            message = "Expecting property name" if not isinstance(key, str) else "Expecting ':'"
            raise InputError(source, f"not valid JSON: {message}", text.line())
        text.at += 1
        value_starts = text.next_char()
        if key == "papers" and found:
            raise InputError(source, "`papers` is given twice", text.line())
        if key == "papers" and value_starts == "[":
            found = True
            whole = yield from _items(text, source, partial)
        else:
            whole, _ = text.value(source, partial)
        if not whole:
            return False
        following = text.next_char()
        comma = following == ","
        if comma:
            text.at += 1
        elif following != "}":
            if not following and partial:
                return False
            raise InputError(source, "not valid JSON: Expecting ',' delimiter", text.line())
    text.at += 1
    if not found:
        raise InputError(source, f"{_SHAPE}, found an object")
    return True
