"""User settings: one typed, immutable ``Settings`` read from ``config.toml``.

Each setting is declared once, on its ``Settings`` field: its ``section.key``,
the TOML type it takes, its default, what it means and how it is checked. The
parser, its error messages and ``sample_config.toml`` (``sample_config()``,
which a test compares with the file) all come from those declarations: a new
setting is one field.

Strict on purpose: an unknown key or a wrong type is an error that names the
file, the line and the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shelf.config.lines import find_line, key_on_line
from shelf.domain import ConfigError
from shelf.domain.saved import name_problem, query_problem, same_name

DEFAULT_ARXIV_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_CROSSREF_API_URL = "https://api.crossref.org/works/"
DEFAULT_HF_API_URL = "https://huggingface.co/api/daily_papers"
#: A config file is a few dozen lines; anything this large is not one.
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Option:
    """One setting as config.toml has it."""

    key: str
    """``section.key``."""
    kind: type
    """The TOML type its value must have (``float`` takes a whole number too)."""
    default: Any
    """The default, as written in config.toml."""
    doc: str
    """What it means, for ``sample_config.toml``."""
    check: Callable[[Any], str | None] | None = None
    """Says what is wrong with a value of the right type (None when it is fine)."""
    convert: Callable[[Any], Any] | None = None
    """Turns the TOML value into the ``Settings`` value (a path, say)."""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    def value(self, raw: Any) -> Any:
        return self.convert(raw) if self.convert else raw


def _setting(key: str, kind: type, default: Any, doc: str, **how: Any) -> Any:
    option = Option(key, kind, default, doc, **how)
    return field(default=option.value(default), metadata={"option": option})


def _optional_path(value: str) -> Path | None:
    return Path(value).expanduser() if value else None


def _expandable(value: str) -> str | None:
    """A path whose ``~user`` names no user cannot be used (pathlib raises RuntimeError)."""
    try:
        Path(value).expanduser()
    except RuntimeError:
        return f"{value!r} starts with ~ but names no user of this machine"
    return None


def _at_least_one(value: int) -> str | None:
    return None if value >= 1 else "must be at least 1"


def _web_url(value: str) -> str | None:
    if re.fullmatch(r"https?://[^\s/?#]+[^\s#]*", value, re.IGNORECASE):
        return None
    return f"expected an http(s) URL, got {value!r}"


def _seconds(value: float) -> str | None:
    return None if 0 < value <= 600 else "must be more than 0 and at most 600 seconds"


def _email(value: str) -> str | None:
    """Empty, or one plain address: it goes into a request header as it is."""
    if not value or re.fullmatch(r"[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", value, re.ASCII):
        return None
    return f"expected an e-mail address such as you@example.org (or nothing), got {value!r}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting shelf reads, with its default."""

    library_path: Path | None = _setting(
        "library.path", str, "",
        "Where the library (library.db and its search index) lives. Empty means the "
        "OS data directory (~/.local/share/shelf on Linux). $SHELF_HOME and --library "
        "take precedence over this.",
        convert=_optional_path, check=_expandable,
    )  # fmt: skip
    search_limit: int = _setting(
        "search.limit", int, 200,
        "The most papers the app's list holds at once (and the default for `shelf "
        "search`); the total number of matches is always counted and shown.",
        check=_at_least_one,
    )  # fmt: skip
    theme: str = _setting(
        "ui.theme", str, "textual-dark",
        'The Textual theme of the app, e.g. "textual-dark", "textual-light", "nord", '
        '"gruvbox", "tokyo-night", "solarized-light".',
    )  # fmt: skip
    screenshot_dir: Path | None = _setting(
        "ui.screenshot_dir", str, "",
        "Where the app's Screenshot command (in the palette, ctrl+p) saves its SVG "
        "pictures. Empty means the current directory.",
        convert=_optional_path, check=_expandable,
    )  # fmt: skip
    export_directory: Path | None = _setting(
        "export.directory", str, "",
        "Where exports from the app go when you do not type a path. Empty means the "
        "current directory.",
        convert=_optional_path, check=_expandable,
    )  # fmt: skip
    arxiv_api_url: str = _setting(
        "arxiv.api_url", str, DEFAULT_ARXIV_API_URL,
        "The arXiv API endpoint `shelf add` asks for a paper's metadata (title, "
        "authors, abstract, year, journal reference, DOI). Only http(s) URLs.",
        check=_web_url,
    )  # fmt: skip
    arxiv_timeout: float = _setting(
        "arxiv.timeout", float, 20.0,
        "Seconds a request to the arXiv API may take in all before shelf gives up "
        "(more than 0, at most 600).",
        check=_seconds,
    )  # fmt: skip
    crossref_api_url: str = _setting(
        "crossref.api_url", str, DEFAULT_CROSSREF_API_URL,
        "The Crossref REST API endpoint `shelf add` asks for a DOI's metadata; the DOI "
        "is added to its end. Only http(s) URLs.", check=_web_url,
    )  # fmt: skip
    crossref_mailto: str = _setting(
        "crossref.mailto", str, "",
        "Your e-mail address for Crossref, sent in shelf's User-Agent (shelf/VERSION "
        "(mailto:you@example.org)) as Crossref asks of its clients; requests that carry "
        'one are served from its "polite pool". Empty sends none.', check=_email,
    )  # fmt: skip
    crossref_timeout: float = _setting(
        "crossref.timeout", float, 20.0,
        "Seconds a request to Crossref may take in all (more than 0, at most 600).",
        check=_seconds,
    )  # fmt: skip
    arxiv_pause: float = _setting(
        "arxiv.pause", float, 3.0,
        "Seconds between two requests to the arXiv API, as its terms of use ask (0 to 600).",
        check=lambda value: None if 0 <= value <= 600 else "must be from 0 to 600 seconds",
    )  # fmt: skip
    hf_api_url: str = _setting(
        "huggingface.api_url", str, DEFAULT_HF_API_URL,
        "The Hugging Face daily-papers API that `shelf fetch` asks for a hf:daily feed.",
        check=_web_url,
    )  # fmt: skip
    hf_timeout: float = _setting(
        "huggingface.timeout", float, 20.0,
        "Seconds a request to the Hugging Face API may take in all (at most 600).",
        check=_seconds,
    )  # fmt: skip
    feeds_max_per_fetch: int = _setting(
        "feeds.max_per_fetch", int, 100,
        "The most new papers one fetch of one feed brings in (1 to 2000).",
        check=lambda value: None if 1 <= value <= 2000 else "must be from 1 to 2000",
    )  # fmt: skip
    feeds_timeout: float = _setting(
        "feeds.timeout", float, 20.0,
        "Seconds a request for an RSS or Atom feed may take in all (at most 600).",
        check=_seconds,
    )  # fmt: skip
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """[keymap]: binding id -> key(s), e.g. ``set_read = "D"``."""
    searches: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """[searches]: name -> query, in file order (the app numbers them first)."""
    source: str = field(default="", compare=False)
    """The file these settings were read from ('' for built-in defaults)."""
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    """``section.key`` -> the line it was set on, so later checks can point at it."""

    def error(self, key: str, message: str) -> ConfigError:
        """A ``ConfigError`` about ``key`` (``section.key``) that names this file and line."""
        return ConfigError(self.source or "config.toml", self.lines.get(key), key, message)


#: Each ``Settings`` field that config.toml sets, with its option.
OPTIONS: dict[str, Option] = {
    spec.name: spec.metadata["option"] for spec in fields(Settings) if "option" in spec.metadata
}
_SECTIONS = dict.fromkeys(option.section for option in OPTIONS.values())
_FREE_TABLES = {"keymap", "searches"}


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
    """Turn TOML text into ``Settings``, refusing unknown keys, wrong types and bad values."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line_match = re.search(r"at line (\d+)", str(err))
        line = int(line_match.group(1)) if line_match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        key = key_on_line(text, line) if line is not None else None
        raise ConfigError(source, line, key, f"invalid TOML: {message}") from None

    by_key = {option.key: (name, option) for name, option in OPTIONS.items()}
    values: dict[str, Any] = {}
    keymap: dict[str, str] = {}
    searches: dict[str, str] = {}
    lines: dict[str, int] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            line = find_line(text, None, section)
            raise ConfigError(source, line, section, "expected a [table], not a value")
        if section not in _FREE_TABLES and section not in _SECTIONS:
            line = find_line(text, section, None)
            raise ConfigError(source, line, f"[{section}]", "unknown section")
        for key, value in table.items():
            line = find_line(text, section, key)
            dotted = f"{section}.{key}"
            if line is not None:
                lines[dotted] = line
            if section == "keymap":
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(source, line, dotted, "expected a key name as a string")
                keymap[key] = value
                continue
            if section == "searches":
                searches[key] = _search(key, value, searches, source, line)
                continue
            if dotted not in by_key:
                raise ConfigError(source, line, dotted, "unknown key")
            name, option = by_key[dotted]
            values[name] = option.value(_checked(option, value, source, line))
    return Settings(**values, keymap=MappingProxyType(keymap), searches=MappingProxyType(searches),
                    source=source, lines=MappingProxyType(lines))  # fmt: skip


def _search(name: str, query: Any, known: Mapping[str, str], source: str, line: int | None) -> str:
    """The query of ``[searches] name``, if it is one a search takes and the name is new."""
    key = f"searches.{name}"
    if not isinstance(query, str):
        raise ConfigError(source, line, key, f"expected a query as a string, got {query!r}")
    problem = name_problem(name) or query_problem(query)
    if problem is None and not query.strip():
        problem = "the query is empty"
    if problem is None and any(same_name(name, other) for other in known):
        problem = "another search has this name (names ignore case)"
    if problem:
        raise ConfigError(source, line, key, problem)
    return query


def _checked(option: Option, value: Any, source: str, line: int | None) -> Any:
    """``value`` for ``option`` if it has the right type and passes the option's check."""
    if option.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)  # a whole number of seconds is a number of seconds
    if not isinstance(value, option.kind) or isinstance(value, bool):
        expected = {str: "a string", int: "an integer", float: "a number"}[option.kind]
        raise ConfigError(source, line, option.key, f"expected {expected}, got {value!r}")
    problem = option.check(value) if option.check else None
    if problem:
        raise ConfigError(source, line, option.key, problem)
    return value


def known_keys() -> list[str]:
    """Every fixed ``section.key`` name (the keymap table is free-form)."""
    return [option.key for option in OPTIONS.values()]


def sample_config() -> str:
    """The text of ``sample_config.toml``: every key, at its default, with what it means."""
    out = [_SAMPLE_HEADER]
    for section in _SECTIONS:
        out.append(f"[{section}]")
        for option in (option for option in OPTIONS.values() if option.section == section):
            out += _comment(option.doc)
            default = option.default
            written = f'"{default}"' if isinstance(default, str) else f"{default:g}"
            out.append(f"{option.name} = {written}")
        out.append("")
    out.append(_SAMPLE_KEYMAP)
    out.append(_SAMPLE_SEARCHES)
    return "\n".join(out).rstrip("\n") + "\n"


def _comment(text: str, width: int = 78) -> list[str]:
    lines, current = [], "#"
    for word in text.split():
        if len(current) + 1 + len(word) > width:
            lines.append(current)
            current = "#"
        current += f" {word}"
    return [*lines, current]


_SAMPLE_HEADER = """# shelf configuration: every key, with its default.
#
# Copy this file to the config location to change something:
#   Linux:   ~/.config/shelf/config.toml
#   macOS:   ~/Library/Application Support/shelf/config.toml
#   Windows: %LOCALAPPDATA%\\shelf\\shelf\\config.toml
# or point $SHELF_CONFIG / --config at it. Unknown keys and wrong types are
# refused with the file, line and key named, so a typo never goes unnoticed.
"""
_SAMPLE_KEYMAP = """[keymap]
# Remap any key of the app: binding id = "key" (several keys: "j,down").
# `shelf` shows every binding id on its help screen (?). For example:
# set_read = "D"
# cursor_down = "j,down,ctrl+n"
"""
_SAMPLE_SEARCHES = """[searches]
# Saved searches: name = "query". The app shows them above the list, these first
# (in this order), then the ones saved there with ctrl+s; keys 1-9 run them, and
# `shelf search --saved NAME` does from a script. A name here wins over the same
# name saved in the app. For example:
# reading-group = "tag:reading-group -status:read"
# inbox-ml = "status:inbox machine learning"
"""
