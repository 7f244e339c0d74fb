"""Where in a config file's text a section or a key is, for errors that name a line.

``tomllib`` says what is wrong with a value but not where it is; these read the
file's lines as TOML lays them out (tables, dotted and quoted keys) to find it.
"""

from __future__ import annotations

import re

_SEGMENT = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_PATH = rf"{_SEGMENT}(?:\s*\.\s*{_SEGMENT})*"
_HEADER = re.compile(rf"^\[\[?\s*({_PATH})\s*\]")
_ASSIGNMENT = re.compile(rf"^({_PATH})\s*=\s*(.?)")


def _split_path(path: str) -> list[str]:
    parts = re.findall(_SEGMENT, path)
    return [part[1:-1] if part[:1] in "\"'" else part for part in parts]


def _lines(text: str) -> list[tuple[int, list[str], list[str] | None, str]]:
    """Each line's number, the table it is in, the dotted key it sets (if any), its value."""
    current: list[str] = []
    found: list[tuple[int, list[str], list[str] | None, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header:
            current = _split_path(header.group(1))
            found.append((number, current, None, ""))
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            found.append((number, current, _split_path(assignment.group(1)), assignment.group(2)))
    return found


def find_line(text: str, section: str | None, key: str | None) -> int | None:
    """The line where ``section.key`` is set (or ``[section]`` opens), in any TOML spelling.

    Covers ``[section]`` then ``key = ...``, a dotted ``section.key = ...`` and an
    inline ``section = { key = ... }``.
    """
    want = [name for name in (section, key) if name is not None]
    for number, table, assigned, value in _lines(text):
        if assigned is None:
            if table == want or (key is None and table[: len(want)] == want):
                return number
            continue
        full = table + assigned
        if full[: len(want)] == want:
            return number
        if value == "{" and full == want[: len(full)]:
            return number
    return None


def key_on_line(text: str, number: int) -> str | None:
    """The dotted key set on line ``number``, when that line sets one."""
    for line, table, assigned, _value in _lines(text):
        if line == number and assigned is not None:
            return ".".join(table + assigned)
    return None
