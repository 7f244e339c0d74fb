"""Property tests: any query ends in results or a clear syntax message, any config in settings
or a clear config error, never another exception.

The importers are fuzzed in tests/unit/formats/test_fuzz.py. The suite runs
``SHELF_FUZZ_EXAMPLES`` examples per test (100 by default); for a long run by hand:

    SHELF_FUZZ_EXAMPLES=5000 python -m pytest tests/trust/test_fuzz_parsers.py

Without the protection, each test would fail on the first input that makes
Whoosh, tomllib or the settings checks raise something other than a
``ShelfError`` (an IndexError, a TypeError, a RecursionError...), or on an
error message that runs over more than one line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from shelf.config import Settings, known_keys, parse_settings
from shelf.domain import ConfigError, QuerySyntaxError, ShelfError, Status
from shelf.domain.query import ParsedQuery, as_you_type, parse_query
from shelf.formats import hf_text
from shelf.library import Library, SearchResult
from support.papers import add_papers
from support.paths import PAGE_COPY

EXAMPLES = int(os.environ.get("SHELF_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


RAW = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(error: Exception) -> None:
    """The error's message is one line of visible characters (it is printed as it is)."""
    message = str(error)
    assert message.strip(), repr(error)
    assert not RAW.search(message), repr(message)


# -- queries -------------------------------------------------------------------------------

WORDS = ["transfer", "learning", "adapter", "forgetting", "domain", "zzyzx", "BERT", "2021"]
FIELDS = ["title:", "author:", "authors:", "by:", "abstract:", "notes:", "year:", "venue:",
          "status:", "tag:", "is:", "id:", "nosuchfield:", "-status:", "-tag:"]  # fmt: skip
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "*", "?", "~", "~2",
             "^2", "+", "-", "[", "]", "{", "}", ":", "\\", "'", "starred", "read", "inbox",
             "[2019 TO 2022]", "{* TO 2020}", "''"]  # fmt: skip

_token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(FIELDS).flatmap(lambda f: st.sampled_from(WORDS + OPERATORS).map(f.__add__)),
    st.sampled_from(OPERATORS),
    st.sampled_from([s.value for s in Status]),
    st.text(max_size=8),
)
#: Query-shaped text (tokens with and without spaces between), and any text at all.
QUERIES = st.one_of(
    st.lists(_token, max_size=12).map(" ".join),
    st.lists(_token, max_size=12).map("".join),
    st.text(max_size=200),
)


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """Forty real papers, some with a status, a star, tags and a note."""
    directory = tmp_path_factory.mktemp("fuzz") / "library"
    with Library.open(directory) as library:
        page = hf_text.read(PAGE_COPY.read_text(encoding="utf-8"), str(PAGE_COPY))
        add_papers(library, page.papers[:40])
        for number, entry in enumerate(library.entries()[:10]):
            library.update(
                entry.id,
                status=list(Status)[number % 5],
                starred=number % 2 == 0,
                add_tags=["to-cite", f"group {number % 3}"],
                notes=f"note {number}: transfer of adapters",
            )
        yield library


@FUZZ
@given(query=QUERIES)
def test_any_search_ends_in_results_or_a_clear_error(small_library: Library, query: str) -> None:
    for search in (small_library.search, small_library.search_as_you_type):
        try:
            result = search(query)
        except ShelfError as error:
            one_line(error)
            event(f"{search.__name__}: {type(error).__name__}")
            continue
        event(f"{search.__name__}: results" if result.entries else f"{search.__name__}: none")
        assert isinstance(result, SearchResult)
        assert 0 <= len(result.entries) <= result.total or not result.exact
        assert len({entry.id for entry in result.entries}) == len(result.entries)


@FUZZ
@given(query=QUERIES)
def test_any_export_selection_ends_in_entries_or_a_clear_error(
    small_library: Library, query: str
) -> None:
    try:
        entries = small_library.select(query)
    except ShelfError as error:
        one_line(error)
        return
    assert len(entries) <= 40


@FUZZ
@given(query=QUERIES)
def test_parse_query_splits_or_refuses_clearly(query: str) -> None:
    try:
        parsed = parse_query(query)
    except QuerySyntaxError as error:
        one_line(error)
        return
    except ShelfError as error:  # an empty tag: the domain's own wording
        one_line(error)
        return
    assert isinstance(parsed, ParsedQuery)
    assert parsed.text == parsed.text.strip()


@FUZZ
@given(text=QUERIES)
def test_as_you_type_never_raises_and_keeps_what_was_typed(text: str) -> None:
    typed = as_you_type(text)

    assert isinstance(typed, str)
    if typed != text:  # the last word also became a prefix: nothing else changed
        word = typed[typed.rindex("(") + 1 : typed.rindex(" OR ")]
        assert typed == f"{text[: len(text) - len(word)]}({word} OR {word}*)"


# -- the config loader ---------------------------------------------------------------------

SECTIONS = ["library", "search", "ui", "export", "arxiv", "keymap", "bogus", "search.limit"]
KEYS = [key.split(".")[1] for key in known_keys()] + ["set_read", "quit", "bogus", ""]
_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.sampled_from(["textual-dark", "https://export.arxiv.org/api/query", "~/papers", ""]),
    st.sampled_from([0, 1, 200, -5, 600, 601, 0.5, 1e309]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
_tables = st.dictionaries(
    st.one_of(st.sampled_from(SECTIONS), st.text(max_size=10)),
    st.one_of(
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), _values),
        _values,
    ),
    max_size=5,
)


def _settings_or_error(text: str) -> Settings | ConfigError:
    try:
        parsed = parse_settings(text, "fuzz.toml")
    except ConfigError as error:
        one_line(error)
        assert str(error).startswith("fuzz.toml")
        event("ConfigError")
        return error
    event("Settings")
    return parsed


@FUZZ
@given(document=_tables)
@example(document={"\r": {}})  # found by this test: keys were printed raw
@example(document={"ui": {"them\ne": "x"}})
@example(document={"ui": {"\x1b[2J\u202e": 1}})
def test_any_toml_document_ends_in_settings_or_a_clear_error(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)

    outcome = _settings_or_error(text)

    if isinstance(outcome, Settings):
        assert set(document) <= {"library", "search", "ui", "export", "arxiv", "keymap"}
        assert outcome.search_limit >= 1
        assert 0 < outcome.arxiv_timeout <= 600


#: Each known key with values of its own type, in range or just out of it.
_TYPED = {
    ("library", "path"): st.text(max_size=20),
    ("search", "limit"): st.integers(-3, 10**12),
    ("ui", "theme"): st.sampled_from(["textual-dark", "nord", ""]) | st.text(max_size=10),
    ("export", "directory"): st.text(max_size=20),
    ("arxiv", "api_url"): st.sampled_from(
        ["https://export.arxiv.org/api/query", "http://localhost:8080/q", "ftp://x", "https://",
         "https://a b", "HTTPS://EXAMPLE.ORG/api"]
    ) | st.text(max_size=20),
    ("arxiv", "timeout"): st.floats() | st.integers(-5, 10**6),
    ("keymap", "set_read"): st.text(max_size=5),
    ("keymap", "quit"): st.sampled_from(["Q", "ctrl+q", "", " "]),
}  # fmt: skip


def _assemble(keys: list[tuple[str, str]], values: tuple[Any, ...]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for (section, key), value in zip(keys, values, strict=True):
        document.setdefault(section, {})[key] = value
    return document


_MOSTLY_VALID = st.lists(st.sampled_from(sorted(_TYPED)), unique=True).flatmap(
    lambda keys: st.tuples(*(_TYPED[key] for key in keys)).map(lambda v: _assemble(keys, v))
)


@FUZZ
@given(document=_MOSTLY_VALID)
def test_any_typed_settings_end_in_settings_or_a_clear_error(document: dict[str, Any]) -> None:
    outcome = _settings_or_error(tomli_w.dumps(document))

    if isinstance(outcome, Settings):
        assert outcome.search_limit == document.get("search", {}).get("limit", 200)
        assert dict(outcome.keymap) == document.get("keymap", {})


_LINES = st.one_of(
    st.sampled_from(SECTIONS).map(lambda s: f"[{s}]"),
    st.sampled_from(SECTIONS).map(lambda s: f"[[{s}]]"),
    st.tuples(
        st.one_of(st.sampled_from(KEYS), st.text(max_size=10)),
        st.one_of(
            st.sampled_from(['"x"', "1", "1.5", "true", "[1, 2]", "{a = 1}", '"""\nx\n"""', "'",
                             '"unterminated', "1979-05-27", "nan", "-inf", "0x1F", "= =", ""]),
            st.text(max_size=20),
        ),
    ).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.text(max_size=40),
)  # fmt: skip


@FUZZ
@given(lines=st.lists(_LINES, max_size=10))
def test_any_toml_ish_text_ends_in_settings_or_a_clear_error(lines: list[str]) -> None:
    _settings_or_error("\n".join(lines))


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_at_all_ends_in_settings_or_a_clear_error(text: str) -> None:
    _settings_or_error(text)


def test_the_strategies_reach_both_outcomes() -> None:
    # A fuzzer that only ever produced errors would prove nothing about settings.
    assert parse_settings('[search]\nlimit = 5\n[keymap]\nquit = "Q"\n').search_limit == 5
    with pytest.raises(ConfigError):
        parse_settings("[search]\nlimit = 0\n")
    assert isinstance(parse_query("status:read adapters").filter.statuses, frozenset)
    assert tomli_w.dumps({"ui": {"t": datetime(2020, 1, 1), "d": date(2020, 1, 1)}})
    assert tomli_w.dumps({"x": time(1, 2)})
    assert Path(PAGE_COPY).exists()
