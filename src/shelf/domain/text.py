"""Making untrusted text inert: what a file said, shown as characters, never as commands.

Titles, abstracts and notes come from files other people wrote. Control
characters (terminal escape sequences start with one), and bidirectional
overrides that reorder what the eye sees, are replaced by visible escapes.
"""

from __future__ import annotations

import re

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
    return " ".join(inert(text).split())


def is_web_url(url: str) -> bool:
    """Only http(s) links are followed or exported as links."""
    return re.match(r"^https?://[^\s]+$", url, re.IGNORECASE) is not None
