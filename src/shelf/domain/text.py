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
    # Fold first: a CR of a CRLF line break is white space here, not a stray control.
    return inert(" ".join(text.split()))


# No white space and no control character anywhere: ``$`` would let a final newline
# through, and an ESC inside a URL is as live as one inside a title.
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """Only http(s) links are followed or exported as links."""
    return _WEB_URL.fullmatch(url) is not None
