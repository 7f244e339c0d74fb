"""Making untrusted text inert: what a file said, shown as characters, never as commands.

Titles, abstracts and notes come from files other people wrote. Control
characters (terminal escape sequences start with one), and bidirectional
overrides that reorder what the eye sees, are replaced by visible escapes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding,
# override and isolate characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """``text`` with every control or direction-override character spelled out."""
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """``inert`` text with runs of white space (newlines included) folded to one space."""
    # Fold first: a CR of a CRLF line break is white space here, not a stray control.
    return inert(" ".join(text.split()))


# No white space and no control character anywhere: ``$`` would let a final newline
# through, and an ESC inside a URL is as live as one inside a title.
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """Only http(s) links are followed or exported as links."""
    return _WEB_URL.fullmatch(url) is not None


# Characters a terminal draws as nothing, or as something other than what width
# libraries count: Unicode's default-ignorable code points (zero-width spaces and
# joiners, direction marks, variation selectors, tags, the soft hyphen, Hangul
# fillers) and every other format character.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def printable(text: str) -> str:
    """``one_line`` text without the invisible characters that would shift a column.

    For anything drawn in cells (a row of a list, a line of the preview), where
    each character must take the cells it is counted for.
    """
    return _without_invisible(one_line(text))


def visible(text: str) -> str:
    """``inert`` text without invisible characters, its line breaks kept (for a pane)."""
    return _without_invisible(inert(text))


def _without_invisible(text: str) -> str:
    # Accents written as combining marks are composed first (NFC).
    composed = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return "".join(char for char in composed if unicodedata.category(char) != "Cf")


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates made real characters, or U+FFFD where they are none.

    Python carries bytes that are not UTF-8 (in command-line arguments) as lone
    surrogates, and a JSON ``\\ud800`` escape makes one too; neither can be stored
    or printed. Bytes are decoded as UTF-8 where they are, and replaced otherwise.
    """
    if not _SURROGATE.search(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that was never a byte
        return _SURROGATE.sub("\ufffd", text)
    return raw.decode("utf-8", errors="replace")


#: The eight heights of a sparkline, lowest first.
_SPARKS = "▁▂▃▄▅▆▇█"


def bar(count: int, widest: int, width: int) -> str:
    """``count`` as a bar of block characters, ``width`` long for ``widest``."""
    return "█" * round(width * count / widest) if widest else ""


def sparkline(values: Sequence[int]) -> str:
    """One character per value, from ▁ to █ by its share of the largest (0 is a dot)."""
    top = max(values, default=0)
    return "".join(
        _SPARKS[min(len(_SPARKS) - 1, value * len(_SPARKS) // top)] if value else "·"
        for value in values
    )  # fmt: skip
