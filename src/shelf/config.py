"""User settings: one typed, immutable ``Settings`` read from ``config.toml``.

Strict on purpose: an unknown key or a wrong type is an error that names the
file, the line and the key, so a typo never silently falls back to a default.
Every key and its default is documented in ``sample_config.toml``.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shelf.domain import ConfigError

DEFAULT_ARXIV_API_URL = "https://export.arxiv.org/api/query"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting shelf reads, with its default."""

    library_path: Path | None = None
    """[library] path: where the library lives ('' for the OS default)."""
    search_limit: int = 200
    """[search] limit: the most results the app lists at once (the total is always counted)."""
    theme: str = "textual-dark"
    """[ui] theme: the Textual theme of the app."""
    export_directory: Path | None = None
    """[export] directory: where exports go when no path is given ('' for the current directory)."""
    arxiv_api_url: str = DEFAULT_ARXIV_API_URL
    """[arxiv] api_url: the arXiv API query endpoint ``shelf add`` fetches metadata from."""
    arxiv_timeout: float = 20.0
    """[arxiv] timeout: seconds to wait for the arXiv API before giving up."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """[keymap]: binding id -> key(s), e.g. ``set_read = "D"``."""
    source: str = field(default="", compare=False)
    """The file these settings were read from ('' for built-in defaults)."""
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    """``section.key`` -> the line it was set on, so later checks can point at it."""

    def error(self, key: str, message: str) -> ConfigError:
        """A ``ConfigError`` about ``key`` (``section.key``) that names this file and line."""
        return ConfigError(self.source or "config.toml", self.lines.get(key), key, message)


# (section, key) -> the Python type the TOML value must have.
_KEYS: dict[tuple[str, str], type] = {
    ("library", "path"): str,
    ("search", "limit"): int,
    ("ui", "theme"): str,
    ("export", "directory"): str,
    ("arxiv", "api_url"): str,
    ("arxiv", "timeout"): float,
}
_FREE_TABLES = {"keymap"}


#: A config file is a few dozen lines; anything this large is not one.
MAX_CONFIG_BYTES = 1024 * 1024


def load_settings(path: Path, *, required: bool = False) -> Settings:
    """Read ``path``; a missing file gives the defaults unless ``required``.

    Only a regular file is read (never a device or a FIFO, which would never
    end), and at most ``MAX_CONFIG_BYTES`` of it.
    """
    name = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        if required:
            raise ConfigError(name, None, None, "no such config file") from None
        return Settings()
    except OSError as err:
        raise ConfigError(name, None, None, f"cannot read config: {err.strerror}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise ConfigError(name, None, None, "not a file (a config is a TOML file)")
    try:
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
        if len(data) > MAX_CONFIG_BYTES:
            raise ConfigError(name, None, None, "too large to be a config file (over 1 MB)")
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(name, None, None, f"cannot read config: {err}") from None
    return parse_settings(text, name)


def parse_settings(text: str, source: str = "config.toml") -> Settings:
    """Turn TOML text into ``Settings``, refusing unknown keys and wrong types."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line_match = re.search(r"at line (\d+)", str(err))
        line = int(line_match.group(1)) if line_match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        key = _key_on_line(text, line) if line is not None else None
        raise ConfigError(source, line, key, f"invalid TOML: {message}") from None

    values: dict[tuple[str, str], Any] = {}
    keymap: dict[str, str] = {}
    lines: dict[str, int] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            line = _find_line(text, None, section)
            raise ConfigError(source, line, section, "expected a [table], not a value")
        known = section in _FREE_TABLES or any(s == section for s, _ in _KEYS)
        if not known:
            line = _find_line(text, section, None)
            raise ConfigError(source, line, f"[{section}]", "unknown section")
        for key, value in table.items():
            line = _find_line(text, section, key)
            dotted = f"{section}.{key}"
            if line is not None:
                lines[dotted] = line
            if section == "keymap":
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(source, line, dotted, "expected a key name as a string")
                keymap[key] = value
                continue
            expected = _KEYS.get((section, key))
            if expected is None:
                raise ConfigError(source, line, dotted, "unknown key")
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)  # a whole number of seconds is a number of seconds
            if not isinstance(value, expected) or isinstance(value, bool):
                raise ConfigError(
                    source, line, dotted, f"expected {_type_name(expected)}, got {value!r}"
                )
            values[(section, key)] = value

    limit = values.get(("search", "limit"), 200)
    if limit < 1:
        line = _find_line(text, "search", "limit")
        raise ConfigError(source, line, "search.limit", "must be at least 1")
    api_url = values.get(("arxiv", "api_url"), DEFAULT_ARXIV_API_URL)
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s#]*", api_url, re.IGNORECASE):
        line = _find_line(text, "arxiv", "api_url")
        raise ConfigError(
            source, line, "arxiv.api_url", f"expected an http(s) URL, got {api_url!r}"
        )
    timeout = values.get(("arxiv", "timeout"), 20.0)
    if not 0 < timeout <= 600:
        line = _find_line(text, "arxiv", "timeout")
        raise ConfigError(
            source, line, "arxiv.timeout", "must be more than 0 and at most 600 seconds"
        )
    return Settings(
        library_path=_optional_path(values.get(("library", "path"), "")),
        search_limit=limit,
        theme=values.get(("ui", "theme"), "textual-dark"),
        export_directory=_optional_path(values.get(("export", "directory"), "")),
        arxiv_api_url=api_url,
        arxiv_timeout=timeout,
        keymap=MappingProxyType(keymap),
        source=source,
        lines=MappingProxyType(lines),
    )


def known_keys() -> list[str]:
    """Every fixed ``section.key`` name (the keymap table is free-form)."""
    return [f"{section}.{key}" for section, key in _KEYS]


def _optional_path(value: str) -> Path | None:
    return Path(value).expanduser() if value else None


def _type_name(kind: type) -> str:
    return {str: "a string", int: "an integer", float: "a number"}.get(kind, kind.__name__)


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


def _find_line(text: str, section: str | None, key: str | None) -> int | None:
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


def _key_on_line(text: str, number: int) -> str | None:
    """The dotted key set on line ``number``, when that line sets one."""
    for line, table, assigned, _value in _lines(text):
        if line == number and assigned is not None:
            return ".".join(table + assigned)
    return None
